import NIOCore

/// Writes commands as RESP arrays of bulk strings, the only form Redis accepts from clients.
public enum RESPEncoder {
    public static func encode(command arguments: [RESPArgument], into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "*"))
        buffer.writeString(String(arguments.count))
        buffer.writeStaticString("\r\n")
        for argument in arguments {
            switch argument {
            case .text(let text):
                buffer.writeInteger(UInt8(ascii: "$"))
                buffer.writeString(String(text.utf8.count))
                buffer.writeStaticString("\r\n")
                buffer.writeString(text)
            case .bytes(let bytes):
                buffer.writeInteger(UInt8(ascii: "$"))
                buffer.writeString(String(bytes.count))
                buffer.writeStaticString("\r\n")
                buffer.writeBytes(bytes)
            case .buffer(let bytes):
                buffer.writeInteger(UInt8(ascii: "$"))
                buffer.writeString(String(bytes.readableBytes))
                buffer.writeStaticString("\r\n")
                buffer.writeImmutableBuffer(bytes)
            }
            buffer.writeStaticString("\r\n")
        }
    }
}

/// One argument of a command.
public enum RESPArgument: Sendable, Hashable, ExpressibleByStringLiteral {
    case text(String)
    case bytes([UInt8])
    case buffer(ByteBuffer)

    public init(stringLiteral value: String) { self = .text(value) }
    public static func int(_ value: some BinaryInteger) -> RESPArgument { .text(String(value)) }
}
