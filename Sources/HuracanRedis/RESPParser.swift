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
        guard let (type, lineEnd) = try Self.header(buffer) else { return nil }
        let position = lineEnd + 2
        let lineStart = start + 1, lineLength = lineEnd - lineStart
        switch type {
        case UInt8(ascii: "+"):
            let line = buffer.getString(at: lineStart, length: lineLength) ?? ""
            buffer.moveReaderIndex(to: position)
            return .value(.simpleString(line))
        case UInt8(ascii: "-"):
            let line = buffer.getString(at: lineStart, length: lineLength) ?? ""
            buffer.moveReaderIndex(to: position)
            return .value(.error(line))
        case UInt8(ascii: ":"):
            guard let value = Self.integer(buffer, at: lineStart, length: lineLength) else {
                throw .malformed("integer reply \"\(Self.preview(buffer, at: lineStart, length: lineLength))\" is not a number")
            }
            buffer.moveReaderIndex(to: position)
            return .value(.integer(value))
        case UInt8(ascii: "$"):
            guard let parsed = Self.integer(buffer, at: lineStart, length: lineLength), parsed >= -1, parsed <= Int64(Int.max) else {
                throw .malformed("bulk string length \"\(Self.preview(buffer, at: lineStart, length: lineLength))\" is not a length")
            }
            let length = Int(parsed)
            if length == -1 {
                buffer.moveReaderIndex(to: position)
                return .value(.bulkString(nil))
            }
            guard length <= maxBulkLength else { throw .malformed("bulk string of \(length) bytes exceeds the \(maxBulkLength)-byte limit") }
            guard buffer.writerIndex - position >= length + 2 else { return nil }
            guard buffer.getInteger(at: position + length, endianness: .big, as: UInt16.self) == 0x0D0A
            else { throw .malformed("bulk string of \(length) bytes is not followed by CRLF") }
            let slice = buffer.getSlice(at: position, length: length)!
            buffer.moveReaderIndex(to: position + length + 2)
            return .value(.bulkString(slice))
        case UInt8(ascii: "*"):
            guard let parsed = Self.integer(buffer, at: lineStart, length: lineLength), parsed >= -1, parsed <= Int64(Int.max) else {
                throw .malformed("array length \"\(Self.preview(buffer, at: lineStart, length: lineLength))\" is not a length")
            }
            let count = Int(parsed)
            guard count <= maxArrayCount else { throw .malformed("array of \(count) elements exceeds the \(maxArrayCount)-element limit") }
            buffer.moveReaderIndex(to: position)
            if count == -1 { return .value(.array(nil)) }
            if count == 0 { return .value(.array([])) }
            return .arrayStart(count)
        default:
            throw .malformed("unknown type byte 0x\(String(type, radix: 16)) (expected one of + - : $ *)")
        }
    }

    /// The type byte and the reader-relative index of the CR ending the first line, or nil
    /// when the line is incomplete. Lines are short in RESP (lengths, integers, status replies);
    /// a line longer than 64 KiB without CRLF is garbage.
    private static func header(_ buffer: ByteBuffer) throws(RESPError) -> (UInt8, Int)? {
        let found: Result<(UInt8, Int)?, RESPError> = buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= 1 else { return .success(nil) }
            var index = 1
            let end = bytes.count
            while index < end {
                let byte = bytes[index]
                if byte == 13 {
                    guard index + 1 < end else { return .success(nil) }
                    guard bytes[index + 1] == 10 else { return .failure(.malformed("CR not followed by LF")) }
                    return .success((bytes[0], buffer.readerIndex + index))
                }
                if byte == 10 { return .failure(.malformed("LF without CR")) }
                index += 1
                if index > 65_536 { return .failure(.malformed("line longer than 64 KiB without CRLF")) }
            }
            return .success(nil)
        }
        return try found.get()
    }

    /// A decimal integer (optional minus sign) filling the whole line, read from the bytes.
    private static func integer(_ buffer: ByteBuffer, at index: Int, length: Int) -> Int64? {
        guard length > 0, length <= 20 else { return nil }
        return buffer.withUnsafeReadableBytes { bytes -> Int64? in
            var i = index - buffer.readerIndex
            let end = i + length
            var negative = false
            if bytes[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
                guard i < end else { return nil }
            }
            var value: Int64 = 0
            while i < end {
                let digit = bytes[i] &- 48
                guard digit < 10 else { return nil }
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(digit))
                guard !o1, !o2 else { return nil }
                value = sum
                i += 1
            }
            return negative ? -value : value
        }
    }

    private static func preview(_ buffer: ByteBuffer, at index: Int, length: Int) -> String {
        String((buffer.getString(at: index, length: min(length, 40)) ?? "").prefix(40))
    }
}
