import NIOCore

/// Finds where one complete RESP value ends in the inbound bytes, checking it as the parser
/// does (type bytes, lengths, CRLF, size and nesting limits) but building nothing. Progress is
/// kept between calls, so a reply of megabytes arriving in many reads is scanned once. The
/// connection hands each complete reply on as one frame of bytes: parsed into `RESPValue`s, or
/// read in place by a caller that knows its shape (`RESPReader`).
struct RESPFrameScanner {
    var maxBulkLength = RESPParser().maxBulkLength
    var maxArrayCount = RESPParser().maxArrayCount
    var maxDepth = RESPParser().maxDepth

    /// Bytes of the current frame already checked, from the reader index.
    private var scanned = 0
    /// Elements each open array still waits for, outermost first.
    private var remaining: [Int] = []

    /// The length of the complete value at the buffer's reader index, or nil when more bytes are
    /// needed. Consumes nothing.
    mutating func frameLength(in buffer: ByteBuffer) throws(RESPError) -> Int? {
        try RESPBytes.reading(buffer) { bytes throws(RESPError) in try scan(bytes) }
    }

    private mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(RESPError) -> Int? {
        while scanned < bytes.count {
            let start = scanned
            guard let cr = try RESPBytes.lineEnd(bytes, from: start) else { return nil }
            let next = cr + 2
            switch bytes[start] {
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                scanned = next
            case UInt8(ascii: ":"):
                guard RESPBytes.integer(bytes, start + 1, cr) != nil else {
                    throw .malformed("integer reply \"\(RESPBytes.preview(bytes, start + 1, cr))\" is not a number")
                }
                scanned = next
            case UInt8(ascii: "$"):
                let length = try RESPBytes.length(bytes, start + 1, cr, limit: maxBulkLength, what: "bulk string")
                if length >= 0 {
                    // Not advanced until the whole string is here: the next call starts at its header again.
                    guard bytes.count - next >= length + 2 else { return nil }
                    guard bytes[next + length] == 13, bytes[next + length + 1] == 10 else {
                        throw .malformed("bulk string of \(length) bytes is not followed by CRLF")
                    }
                    scanned = next + length + 2
                } else {
                    scanned = next
                }
            case UInt8(ascii: "*"):
                let count = try RESPBytes.length(bytes, start + 1, cr, limit: maxArrayCount, what: "array")
                scanned = next
                if count > 0 {
                    guard remaining.count < maxDepth else { throw .malformed("nesting deeper than \(maxDepth) levels") }
                    remaining.append(count)
                    continue
                }
            case let type:
                throw .malformed("unknown type byte 0x\(String(type, radix: 16)) (expected one of + - : $ *)")
            }
            // A value is complete: it may complete the arrays around it.
            while let last = remaining.last {
                if last > 1 {
                    remaining[remaining.count - 1] = last - 1
                    break
                }
                remaining.removeLast()
            }
            if remaining.isEmpty {
                defer { scanned = 0 }
                return scanned
            }
        }
        return nil
    }
}
