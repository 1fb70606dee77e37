import NIOCore

/// Reads a reply frame (see `RedisConnection.frames`) value by value, in place: for replies
/// whose shape the caller knows and whose bulk strings it wants as bytes, without a `RESPValue`
/// tree. A value of another type than asked for throws `RESPError.malformed` naming both.
public struct RESPReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var position = 0

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public var atEnd: Bool { position >= bytes.count }

    /// The type byte of the next value (`*`, `$`, `:`, `+`, `-`), nil at the end.
    public var nextType: UInt8? { atEnd ? nil : bytes[position] }

    /// The next line's type byte and number (lengths, integers); consumes the line.
    private mutating func header(_ expected: UInt8, _ what: String) throws(RESPError) -> Int64 {
        guard let type = nextType else { throw .malformed("expected \(what), found the end of the reply") }
        guard type == expected else { throw .malformed("expected \(what), found \"\(Character(Unicode.Scalar(type)))\" at offset \(position)") }
        guard let cr = try RESPBytes.lineEnd(bytes, from: position), let number = RESPBytes.integer(bytes, position + 1, cr) else {
            throw .malformed("\(what) at offset \(position) has no valid header")
        }
        position = cr + 2
        return number
    }

    /// An array's element count; nil for the null array.
    public mutating func array() throws(RESPError) -> Int? {
        let count = try header(UInt8(ascii: "*"), "an array")
        guard count >= -1 else { throw .malformed("array length \(count)") }
        return count == -1 ? nil : Int(count)
    }

    /// A bulk string's bytes (valid as long as `bytes`); nil for the null bulk string.
    public mutating func bulk() throws(RESPError) -> UnsafeRawBufferPointer? {
        let length = try header(UInt8(ascii: "$"), "a bulk string")
        guard length >= 0 else {
            guard length == -1 else { throw .malformed("bulk string length \(length)") }
            return nil
        }
        let count = Int(length)
        guard bytes.count - position >= count + 2 else { throw .malformed("bulk string of \(count) bytes runs past the end of the reply") }
        defer { position += count + 2 }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    /// An error reply's text, consumed; nil (nothing consumed) when the next value is not one.
    public mutating func error() -> String? {
        guard nextType == UInt8(ascii: "-"), let cr = try? RESPBytes.lineEnd(bytes, from: position) else { return nil }
        defer { position = cr + 2 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(position + 1)..<cr]), as: UTF8.self)
    }

    /// Skips one value of any type, arrays with everything in them.
    public mutating func skip() throws(RESPError) {
        switch nextType {
        case UInt8(ascii: "*"):
            for _ in 0..<(try array() ?? 0) { try skip() }
        case UInt8(ascii: "$"):
            _ = try bulk()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"):
            guard let cr = try RESPBytes.lineEnd(bytes, from: position) else { throw .malformed("unterminated line at offset \(position)") }
            position = cr + 2
        default:
            throw .malformed("no value at offset \(position)")
        }
    }

    /// Runs `body` on a reader over the reply `frame` of `command`: an error reply throws
    /// `RedisError.server`, a reply `body` cannot read `RedisError.unexpectedReply` naming the command.
    public static func read<T>(_ frame: ByteBuffer, command: String, _ body: (inout RESPReader) throws(RESPError) -> T) throws(RedisError) -> T {
        let result: Result<T, RedisError> = frame.withUnsafeReadableBytes { bytes in
            var reader = RESPReader(bytes)
            if let message = reader.error() { return .failure(.server(message)) }
            do throws(RESPError) {
                return .success(try body(&reader))
            } catch {
                return .failure(.unexpectedReply(command: command, reply: "\(error.description) in \(bytes.count) bytes"))
            }
        }
        return try result.get()
    }
}
