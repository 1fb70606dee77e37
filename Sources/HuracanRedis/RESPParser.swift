import NIOCore

/// Incremental RESP2 parser. `parse` consumes one complete value from the front of the buffer,
/// answers nil (consuming nothing) when more bytes are needed, and throws `RESPError.malformed`
/// on anything that is not RESP: an unknown type byte, a bad length, a missing CRLF. Nesting and
/// sizes are bounded so that a hostile or corrupt peer cannot exhaust memory or the stack.
public struct RESPParser: Sendable {
    /// Largest bulk string accepted (Redis's own limit is 512 MB).
    public var maxBulkLength = 512 * 1024 * 1024
    /// Largest array accepted.
    public var maxArrayCount = 16 * 1024 * 1024
    /// Deepest nesting accepted (Redis replies nest a few levels).
    public var maxDepth = 32

    public init() {}

    public func parse(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        var cursor = buffer.readerIndex
        guard let value = try parseValue(buffer, at: &cursor, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: cursor)
        return value
    }

    private func parseValue(_ buffer: ByteBuffer, at cursor: inout Int, depth: Int) throws(RESPError) -> RESPValue? {
        guard depth <= maxDepth else { throw .malformed("nesting deeper than \(maxDepth) levels") }
        guard let type = buffer.getInteger(at: cursor, as: UInt8.self) else { return nil }
        var position = cursor + 1
        guard let line = try readLine(buffer, at: &position) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            cursor = position
            return .simpleString(line)
        case UInt8(ascii: "-"):
            cursor = position
            return .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw .malformed("integer reply \"\(line.prefix(40))\" is not a number") }
            cursor = position
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1 else { throw .malformed("bulk string length \"\(line.prefix(40))\" is not a length") }
            if length == -1 {
                cursor = position
                return .bulkString(nil)
            }
            guard length <= maxBulkLength else { throw .malformed("bulk string of \(length) bytes exceeds the \(maxBulkLength)-byte limit") }
            guard buffer.writerIndex - position >= length + 2 else { return nil }
            guard buffer.getInteger(at: position + length, as: UInt8.self) == 13,
                  buffer.getInteger(at: position + length + 1, as: UInt8.self) == 10
            else { throw .malformed("bulk string of \(length) bytes is not followed by CRLF") }
            let slice = buffer.getSlice(at: position, length: length)!
            cursor = position + length + 2
            return .bulkString(slice)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1 else { throw .malformed("array length \"\(line.prefix(40))\" is not a length") }
            if count == -1 {
                cursor = position
                return .array(nil)
            }
            guard count <= maxArrayCount else { throw .malformed("array of \(count) elements exceeds the \(maxArrayCount)-element limit") }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let element = try parseValue(buffer, at: &position, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            cursor = position
            return .array(elements)
        default:
            throw .malformed("unknown type byte 0x\(String(type, radix: 16)) (expected one of + - : $ *)")
        }
    }

    /// The text up to the next CRLF, or nil when the line is incomplete. Lines are short in RESP
    /// (lengths, integers, status replies); a line longer than 64 KiB without CRLF is garbage.
    private func readLine(_ buffer: ByteBuffer, at position: inout Int) throws(RESPError) -> String? {
        let start = position
        let end = buffer.writerIndex
        var index = start
        while index < end {
            let byte = buffer.getInteger(at: index, as: UInt8.self)!
            if byte == 13 {
                guard index + 1 < end else { return nil }
                guard buffer.getInteger(at: index + 1, as: UInt8.self) == 10 else { throw .malformed("CR not followed by LF") }
                position = index + 2
                return buffer.getString(at: start, length: index - start) ?? ""
            }
            if byte == 10 { throw .malformed("LF without CR") }
            index += 1
            if index - start > 65_536 { throw .malformed("line longer than 64 KiB without CRLF") }
        }
        return nil
    }
}
