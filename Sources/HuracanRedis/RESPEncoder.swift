import NIOCore

/// Writes commands as RESP arrays of bulk strings, the only form Redis accepts from clients.
///
/// A batch is measured first and then written into the buffer's memory in one pass: pipelined
/// batches of thousands of commands are the hot path of publishing.
public enum RESPEncoder {
    public static func encode(command arguments: [RESPArgument], into buffer: inout ByteBuffer) {
        encode(commands: CollectionOfOne(arguments), into: &buffer)
    }

    public static func encode(commands: some Collection<[RESPArgument]>, into buffer: inout ByteBuffer) {
        var size = 0
        for arguments in commands {
            size += 3 + digits(arguments.count)
            for argument in arguments {
                let length = argument.byteCount
                size += 5 + digits(length) + length
            }
        }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
            var out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            for arguments in commands {
                out = header(UInt8(ascii: "*"), arguments.count, at: out)
                for argument in arguments {
                    out = header(UInt8(ascii: "$"), argument.byteCount, at: out)
                    switch argument {
                    case .text(var text):
                        text.withUTF8 { utf8 in
                            if let base = utf8.baseAddress { out.update(from: base, count: utf8.count) }
                            out += utf8.count
                        }
                    case .bytes(let bytes):
                        bytes.withUnsafeBufferPointer { b in
                            if let base = b.baseAddress { out.update(from: base, count: b.count) }
                            out += b.count
                        }
                    case .buffer(let bytes):
                        bytes.withUnsafeReadableBytes { b in
                            if let base = b.baseAddress { out.update(from: base.assumingMemoryBound(to: UInt8.self), count: b.count) }
                            out += b.count
                        }
                    }
                    out[0] = 13
                    out[1] = 10
                    out += 2
                }
            }
            return size
        }
    }

    /// `*count\r\n`: the start of a command of `count` arguments written one by one with `writeBulk`
    /// (for callers that build large pipelines straight into the buffer).
    public static func writeArrayHeader(_ count: Int, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 24) { raw in
            let out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return header(UInt8(ascii: "*"), count, at: out) - out
        }
    }

    /// One argument: `$length\r\n`, the bytes, `\r\n`.
    public static func writeBulk(_ bytes: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count + 26) { raw in
            var out = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let start = out
            out = header(UInt8(ascii: "$"), bytes.count, at: out)
            if let base = bytes.baseAddress { UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: bytes.count) }
            out += bytes.count
            out[0] = 13
            out[1] = 10
            return out + 2 - start
        }
    }

    public static func writeBulk(_ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { writeBulk(UnsafeRawBufferPointer($0), into: &buffer) }
    }

    /// `*N\r\n` or `$N\r\n`.
    @inline(__always) private static func header(_ type: UInt8, _ value: Int, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = type
        let count = digits(value)
        var v = value, i = count
        while i > 0 {
            out[i] = UInt8(truncatingIfNeeded: v % 10) + 48
            v /= 10
            i -= 1
        }
        out[count + 1] = 13
        out[count + 2] = 10
        return out + count + 3
    }

    @inline(__always) private static func digits(_ value: Int) -> Int {
        var count = 1, v = value
        while v >= 10 {
            v /= 10
            count += 1
        }
        return count
    }
}

/// One argument of a command.
public enum RESPArgument: Sendable, Hashable, ExpressibleByStringLiteral {
    case text(String)
    case bytes([UInt8])
    case buffer(ByteBuffer)

    public init(stringLiteral value: String) { self = .text(value) }
    public static func int(_ value: some BinaryInteger) -> RESPArgument { .text(String(value)) }

    /// Length of the argument in bytes.
    var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .buffer(let bytes): bytes.readableBytes
        }
    }
}
