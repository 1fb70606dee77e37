import NIOCore

/// Incremental RESP2 parser. `parse` consumes bytes from the front of the buffer and returns a
/// value once one is complete, nil when more bytes are needed. Complete parts of an unfinished
/// array are consumed and kept in the parser's state, so a large reply arriving in many reads is
/// parsed once, not again from its start on every read. Anything that is not RESP (an unknown
/// type byte, a bad length, a missing CRLF) throws `RESPError.malformed`; nesting and sizes are
/// bounded so that a hostile or corrupt peer cannot exhaust memory or the stack.
public struct RESPParser: Sendable {
    /// Largest bulk string accepted (Redis's own limit is 512 MB).
    public var maxBulkLength = 512 * 1024 * 1024
    /// Largest array accepted.
    public var maxArrayCount = 16 * 1024 * 1024
    /// Deepest nesting accepted (Redis replies nest a few levels).
    public var maxDepth = 32

    /// Arrays being filled, outermost first.
    private var open: [(expected: Int, elements: [RESPValue])] = []

    public init() {}

    public mutating func parse(_ buffer: inout ByteBuffer) throws(RESPError) -> RESPValue? {
        while true {
            guard let item = try next(&buffer) else { return nil }
            var value: RESPValue
            switch item {
            case .value(let v): value = v
            case .arrayStart(let count):
                guard open.count < maxDepth else { throw .malformed("nesting deeper than \(maxDepth) levels") }
                var elements: [RESPValue] = []
                elements.reserveCapacity(min(count, 4_096))
                open.append((count, elements))
                continue
            }
            // Close every array the value completes.
            while !open.isEmpty {
                open[open.count - 1].elements.append(value)
                guard open[open.count - 1].elements.count == open[open.count - 1].expected else { break }
                value = .array(open.removeLast().elements)
            }
            if open.isEmpty { return value }
        }
    }

    private enum Item {
        case value(RESPValue)
        case arrayStart(Int)
    }

    /// The next scalar value or array header, consumed from the buffer; nil (nothing consumed)
    /// when it is not complete yet.
    private func next(_ buffer: inout ByteBuffer) throws(RESPError) -> Item? {
        let start = buffer.readerIndex
        guard let type = buffer.getInteger(at: start, as: UInt8.self) else { return nil }
        var position = start + 1
        guard let line = try readLine(buffer, at: &position) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            buffer.moveReaderIndex(to: position)
            return .value(.simpleString(line))
        case UInt8(ascii: "-"):
            buffer.moveReaderIndex(to: position)
            return .value(.error(line))
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw .malformed("integer reply \"\(line.prefix(40))\" is not a number") }
            buffer.moveReaderIndex(to: position)
            return .value(.integer(value))
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1 else { throw .malformed("bulk string length \"\(line.prefix(40))\" is not a length") }
            if length == -1 {
                buffer.moveReaderIndex(to: position)
                return .value(.bulkString(nil))
            }
            guard length <= maxBulkLength else { throw .malformed("bulk string of \(length) bytes exceeds the \(maxBulkLength)-byte limit") }
            guard buffer.writerIndex - position >= length + 2 else { return nil }
            guard buffer.getInteger(at: position + length, as: UInt8.self) == 13,
                  buffer.getInteger(at: position + length + 1, as: UInt8.self) == 10
            else { throw .malformed("bulk string of \(length) bytes is not followed by CRLF") }
            let slice = buffer.getSlice(at: position, length: length)!
            buffer.moveReaderIndex(to: position + length + 2)
            return .value(.bulkString(slice))
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1 else { throw .malformed("array length \"\(line.prefix(40))\" is not a length") }
            guard count <= maxArrayCount else { throw .malformed("array of \(count) elements exceeds the \(maxArrayCount)-element limit") }
            buffer.moveReaderIndex(to: position)
            if count == -1 { return .value(.array(nil)) }
            if count == 0 { return .value(.array([])) }
            return .arrayStart(count)
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
