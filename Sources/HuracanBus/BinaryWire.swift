import Foundation
import HuracanCore

/// The compact binary form of a bus message (see docs/message-bus.md, "Binary encoding"): a
/// three-byte header `0xB5, version, type index`, then the message's fields in the order its
/// `write` lists them, without names. Strings are a varint length and UTF-8 bytes; integers and
/// times are 8 bytes little endian; doubles their 8-byte IEEE bit pattern; booleans one byte
/// 0 or 1; decimals the 16-byte fixed-point mantissa (18 decimals); optional fields a presence
/// byte 0 or 1 first. Used on Redis, where encoding speed matters; JSON stays the readable form.
enum BinaryWire {
    static let magic: UInt8 = 0xB5
    static let version: UInt8 = 2
}

/// Reads a binary message field by field, in place (no copy of the bytes, which must stay valid
/// while it reads); every failure names the message type and field.
final class BinaryFieldReader: FieldReader {
    private let bytes: UnsafeRawBufferPointer
    /// Only ever touched by the one decoding call that owns this reader: no runtime exclusivity checks.
    @exclusivity(unchecked) private(set) var position: Int
    var type = "envelope"

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var atEnd: Bool { position == bytes.count }

    private func need(_ count: Int, _ field: String) throws(BusDecodeError) {
        guard count >= 0, bytes.count - position >= count else {
            throw .malformedBinary(detail: "\(type).\(field): needs \(count) more bytes at offset \(position), the message has \(bytes.count)")
        }
    }

    func byte(_ field: String) throws(BusDecodeError) -> UInt8 {
        try need(1, field)
        defer { position += 1 }
        return bytes[position]
    }

    func uint64(_ field: String) throws(BusDecodeError) -> UInt64 {
        try need(8, field)
        defer { position += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    func varint(_ field: String) throws(BusDecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte(field)
            guard shift < 64 else { throw .malformedBinary(detail: "\(type).\(field): length varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// The UTF-8 bytes of a string field.
    private func stringBytes(_ field: String) throws(BusDecodeError) -> UnsafeBufferPointer<UInt8> {
        let length = try varint(field)
        guard length <= UInt64(bytes.count - position) else {
            throw .malformedBinary(detail: "\(type).\(field): string of \(length) bytes at offset \(position) runs past the end (\(bytes.count) bytes)")
        }
        let count = Int(length)
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)]).assumingMemoryBound(to: UInt8.self)
    }

    func string(_ field: String) throws(BusDecodeError) -> String {
        let utf8 = try stringBytes(field)
        // ASCII (almost every field) needs no validation.
        if !utf8.contains(where: { $0 >= 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw .malformedBinary(detail: "\(type).\(field): string is not valid UTF-8") }
        return text
    }

    func bool(_ field: String) throws(BusDecodeError) -> Bool {
        switch try byte(field) {
        case 0: return false
        case 1: return true
        case let other: throw .malformedBinary(detail: "\(type).\(field): boolean byte is \(other), expected 0 or 1")
        }
    }

    func present(_ field: String) throws(BusDecodeError) -> Bool { try bool(field) }
    func int(_ field: String) throws(BusDecodeError) -> Int { Int(Int64(bitPattern: try uint64(field))) }
    func double(_ field: String) throws(BusDecodeError) -> Double { Double(bitPattern: try uint64(field)) }
    func time(_ field: String) throws(BusDecodeError) -> Timestamp { Timestamp(nanoseconds: Int64(bitPattern: try uint64(field))) }

    func decimal(_ field: String) throws(BusDecodeError) -> FixedDecimal {
        let low = try uint64(field)
        let high = try uint64(field)
        return FixedDecimal(mantissa: Int128(bitPattern: UInt128(high) << 64 | UInt128(low)))
    }

    /// Matched on the bytes: no String is made unless the value is refused.
    func choice<E: RawRepresentable>(_ field: String, _ cases: [E]) throws(BusDecodeError) -> E where E.RawValue == String {
        let utf8 = try stringBytes(field)
        for value in cases {
            var raw = value.rawValue
            let equal = raw.withUTF8 { known in
                known.count == utf8.count && (known.isEmpty || memcmp(known.baseAddress!, utf8.baseAddress!, known.count) == 0)
            }
            if equal { return value }
        }
        throw notAChoice(field, String(decoding: utf8, as: UTF8.self), cases)
    }

    func object(_ key: String) throws(BusDecodeError) -> BinaryFieldReader { self }
}
