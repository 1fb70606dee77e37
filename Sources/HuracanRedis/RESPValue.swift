import NIOCore

/// One value of the Redis serialization protocol (RESP2), as sent and received.
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    /// A bulk string; nil is RESP's null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// An array; nil is RESP's null array (`*-1`, e.g. XREADGROUP that timed out).
    case array([RESPValue]?)

    /// A bulk string from text.
    public static func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }

    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }

    /// The value as text: simple and bulk strings, and integers written in decimal.
    public var string: String? {
        switch self {
        case .simpleString(let s): s
        case .bulkString(let b?): String(buffer: b)
        case .integer(let i): String(i)
        default: nil
        }
    }

    /// The value as an integer: integers, and strings holding one.
    public var int: Int64? {
        switch self {
        case .integer(let i): i
        case .simpleString, .bulkString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array; nil for anything else (null arrays included).
    public var array: [RESPValue]? {
        if case .array(let elements?) = self { return elements }
        return nil
    }

    /// The bytes of a bulk string.
    public var bytes: ByteBuffer? {
        if case .bulkString(let b?) = self { return b }
        return nil
    }
}

extension RESPValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let s): "+\(s)"
        case .error(let e): "-\(e)"
        case .integer(let i): ":\(i)"
        case .bulkString(nil): "(nil)"
        case .bulkString(let b?): "\"\(String(buffer: b).prefix(200))\""
        case .array(nil): "(nil array)"
        case .array(let a?): "[" + a.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
