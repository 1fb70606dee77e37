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
        let (maxBulkLength, maxArrayCount) = (maxBulkLength, maxArrayCount)
        // The header: type, end of its line, the number on it; then the bytes it spans.
        let header: (type: UInt8, cr: Int, number: Int64)? = try RESPBytes.reading(buffer) { bytes throws(RESPError) in
            guard !bytes.isEmpty, let cr = try RESPBytes.lineEnd(bytes, from: 0) else { return nil }
            switch bytes[0] {
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                return (bytes[0], cr, 0)
            case UInt8(ascii: ":"):
                guard let value = RESPBytes.integer(bytes, 1, cr) else {
                    throw .malformed("integer reply \"\(RESPBytes.preview(bytes, 1, cr))\" is not a number")
                }
                return (bytes[0], cr, value)
            case UInt8(ascii: "$"):
                let length = try RESPBytes.length(bytes, 1, cr, limit: maxBulkLength, what: "bulk string")
                if length >= 0 {
                    guard bytes.count - (cr + 2) >= length + 2 else { return nil }
                    guard bytes[cr + 2 + length] == 13, bytes[cr + 3 + length] == 10 else {
                        throw .malformed("bulk string of \(length) bytes is not followed by CRLF")
                    }
                }
                return (bytes[0], cr, Int64(length))
            case UInt8(ascii: "*"):
                return (bytes[0], cr, Int64(try RESPBytes.length(bytes, 1, cr, limit: maxArrayCount, what: "array")))
            case let type:
                throw .malformed("unknown type byte 0x\(String(type, radix: 16)) (expected one of + - : $ *)")
            }
        }
        guard let header else { return nil }
        let start = buffer.readerIndex
        let body = start + header.cr + 2
        switch header.type {
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let line = buffer.getString(at: start + 1, length: header.cr - 1) ?? ""
            buffer.moveReaderIndex(to: body)
            return .value(header.type == UInt8(ascii: "+") ? .simpleString(line) : .error(line))
        case UInt8(ascii: ":"):
            buffer.moveReaderIndex(to: body)
            return .value(.integer(header.number))
        case UInt8(ascii: "$"):
            let length = Int(header.number)
            guard length >= 0 else {
                buffer.moveReaderIndex(to: body)
                return .value(.bulkString(nil))
            }
            let slice = buffer.getSlice(at: body, length: length)!
            buffer.moveReaderIndex(to: body + length + 2)
            return .value(.bulkString(slice))
        default:
            buffer.moveReaderIndex(to: body)
            switch header.number {
            case -1: return .value(.array(nil))
            case 0: return .value(.array([]))
            default: return .arrayStart(Int(header.number))
            }
        }
    }
}
