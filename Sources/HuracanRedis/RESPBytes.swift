import NIOCore

/// The byte-level pieces of RESP shared by the parser, the frame scanner and `RESPReader`:
/// finding a header line's end and reading the decimal integer on it.
enum RESPBytes {
    /// Index of the CR ending the line whose type byte is at `start`, or nil when the line is
    /// not complete yet. Lines are short in RESP (lengths, integers, status replies); a line longer
    /// than 64 KiB without CRLF is garbage.
    static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(RESPError) -> Int? {
        var index = start + 1
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte == 13 {
                guard index + 1 < end else { return nil }
                guard bytes[index + 1] == 10 else { throw .malformed("CR not followed by LF") }
                return index
            }
            if byte == 10 { throw .malformed("LF without CR") }
            index += 1
            if index - start > 65_536 { throw .malformed("line longer than 64 KiB without CRLF") }
        }
        return nil
    }

    /// The decimal integer (optional minus sign) filling `bytes[start..<end]`, or nil.
    static func integer(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
        guard end > start, end - start <= 20 else { return nil }
        var i = start
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

    /// A length on a `$` or `*` line: -1 (null) up to `limit`; the error names `what`.
    static func length(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, limit: Int, what: String) throws(RESPError) -> Int {
        guard let parsed = integer(bytes, start, end), parsed >= -1, parsed <= Int64(Int.max) else {
            throw .malformed("\(what) length \"\(preview(bytes, start, end))\" is not a length")
        }
        let length = Int(parsed)
        let unit = what == "array" ? "element" : "byte"
        guard length <= limit else { throw .malformed("\(what) of \(length) \(unit)s exceeds the \(limit)-\(unit) limit") }
        return length
    }

    /// Runs `body` on the buffer's readable bytes (index 0 is the reader index).
    static func reading<T>(_ buffer: ByteBuffer, _ body: (UnsafeRawBufferPointer) throws(RESPError) -> T) throws(RESPError) -> T {
        let result: Result<T, RESPError> = buffer.withUnsafeReadableBytes { bytes in Result { () throws(RESPError) in try body(bytes) } }
        return try result.get()
    }

    static func preview(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<min(end, start + 40)]), as: UTF8.self)
    }
}
