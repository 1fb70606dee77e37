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

    /// Decodes one message. Never traps: garbage, truncated input, unknown versions or types and
    /// missing or malformed fields all throw a `BusDecodeError` that names the problem.
    public static func decode(_ bytes: some Collection<UInt8>) throws(BusDecodeError) -> BusMessage {
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
}
