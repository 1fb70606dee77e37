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

/// Reads a binary message field by field; every failure names the message type and field.
final class BinaryCursor {
    private let bytes: [UInt8]
    private(set) var position: Int
    var type = "envelope"

    init(_ bytes: [UInt8], position: Int = 0) {
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

    func fixed64(_ field: String) throws(BusDecodeError) -> UInt64 {
        try need(8, field)
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    func fixed128(_ field: String) throws(BusDecodeError) -> Int128 {
        let low = try fixed64(field)
        let high = try fixed64(field)
        return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
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

    func string(_ field: String) throws(BusDecodeError) -> String {
        let length = try varint(field)
        guard length <= UInt64(bytes.count - position) else {
            throw .malformedBinary(detail: "\(type).\(field): string of \(length) bytes at offset \(position) runs past the end (\(bytes.count) bytes)")
        }
        let count = Int(length)
        let text = bytes[position..<(position + count)].withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        guard let text else { throw .malformedBinary(detail: "\(type).\(field): string is not valid UTF-8") }
        position += count
        return text
    }

    func bool(_ field: String) throws(BusDecodeError) -> Bool {
        switch try byte(field) {
        case 0: return false
        case 1: return true
        case let other: throw .malformedBinary(detail: "\(type).\(field): boolean byte is \(other), expected 0 or 1")
        }
    }
}
