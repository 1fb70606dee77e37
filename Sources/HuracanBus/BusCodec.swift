import Foundation

/// The bus wire format: UTF-8 JSON, one object per message (see docs/message-bus.md).
/// Keys are sorted so equal messages encode to equal bytes.
public enum BusCodec {
    /// The envelope version written and accepted (`"v"`).
    public static let version = 1

    /// Doubles that JSON cannot express travel as these strings.
    static let nonConforming = (positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

    /// The JSON bytes of `message`.
    public static func encode(_ message: BusMessage) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonConforming.positiveInfinity, negativeInfinity: nonConforming.negativeInfinity, nan: nonConforming.nan
        )
        do {
            return Array(try encoder.encode(message))
        } catch {
            // Unreachable: every field is a string, integer, bool or Double, and non-finite Doubles
            // are written as strings above. Failing loudly beats publishing a corrupt message.
            preconditionFailure("bus message \(message.typeName) could not be encoded: \(error)")
        }
    }

    /// The compact binary bytes of `message` (header 0xB5, version 2; see `BinaryWire`).
    public static func encodeBinary(_ message: BusMessage) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        encodeBinary(message, into: &bytes)
        return bytes
    }

    /// The binary bytes of `message` written into `bytes` (replacing what it held, reusing its
    /// memory: no allocation per message when encoding many).
    public static func encodeBinary(_ message: BusMessage, into bytes: inout [UInt8]) {
        var writer = FieldWriter(binaryTypeIndex: message.typeIndex, reusing: &bytes)
        do {
            try message.write(&writer)
        } catch {
            // Unreachable: the binary writer does not throw.
            preconditionFailure("bus message \(message.typeName) could not be encoded: \(error)")
        }
        writer.takeBytes(into: &bytes)
    }

    /// Decodes one message, JSON or binary (told apart by the first byte). Never traps: garbage, truncated input, unknown versions or types and
    /// missing or malformed fields all throw a `BusDecodeError` that names the problem.
    public static func decode(_ bytes: some Collection<UInt8>) throws(BusDecodeError) -> BusMessage {
        if bytes.first == BinaryWire.magic {
            let decoded: Result<BusMessage, BusDecodeError>? = bytes.withContiguousStorageIfAvailable { buffer in
                Result { () throws(BusDecodeError) in try decodeBinary(UnsafeRawBufferPointer(buffer)) }
            }
            if let decoded { return try decoded.get() }
            return try Array(bytes).withUnsafeBytes { raw in Result { () throws(BusDecodeError) in try decodeBinary(raw) } }.get()
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonConforming.positiveInfinity, negativeInfinity: nonConforming.negativeInfinity, nan: nonConforming.nan
        )
        let data = Data(bytes)
        do {
            return try decoder.decode(BusMessage.self, from: data)
        } catch let error as BusDecodeError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            let reason = context.underlyingError.map { "\($0)" } ?? context.debugDescription
            throw .malformedJSON(detail: "\(data.count) bytes: \(reason)")
        } catch {
            throw .malformedJSON(detail: "\(data.count) bytes: \(error)")
        }
    }

    /// Decodes the binary form in place; `bytes` starts with the 0xB5 header.
    static func decodeBinary(_ bytes: UnsafeRawBufferPointer) throws(BusDecodeError) -> BusMessage {
        let fields = BinaryFieldReader(bytes, position: 1)
        let version = try fields.byte("v")
        guard version == BinaryWire.version else { throw .unsupportedVersion(Int(version)) }
        let typeIndex = Int(try fields.byte("type"))
        guard typeIndex < BusMessage.typeNames.count else { throw .unknownType("binary type \(typeIndex)") }
        let type = BusMessage.typeNames[typeIndex]
        fields.type = type
        let message: BusMessage
        switch typeIndex {
        case 0: message = .order(try OrderMessage(fields))
        case 1: message = .execution(try ExecutionMessage(fields))
        case 2: message = .riskDecision(try RiskDecisionMessage(fields))
        case 3: message = .signal(try SignalMessage(fields))
        case 4: message = .market(try MarketMessage(fields))
        default: message = .features(try FeaturesMessage(fields))
        }
        guard fields.atEnd else {
            throw .malformedBinary(detail: "\(type): \(bytes.count - fields.position) bytes left over after the last field")
        }
        return message
    }
}
