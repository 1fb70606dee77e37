/// Snappy block compression (the raw format, no framing), as Parquet's SNAPPY codec uses it.
/// The compressor is the reference greedy matcher on 64 KiB blocks with a 16K-entry hash table.
public enum Snappy {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private static let blockSize = 65_536
    private static let inputMargin = 15
    private static let minNonLiteralBlockSize = 17

    public static func maxCompressedLength(_ n: Int) -> Int { 32 + n + n / 6 }

    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { compress(UnsafeRawBufferPointer($0)) }
    }

    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let n = input.count
        let capacity = maxCompressedLength(n)
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            var d = 0
            // Uncompressed length as a varint.
            var v = UInt64(n)
            while v >= 0x80 {
                out[d] = UInt8(v & 0x7F) | 0x80
                d += 1
                v >>= 7
            }
            out[d] = UInt8(v)
            d += 1
            guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                written = d
                return
            }
            var table = [UInt16](repeating: 0, count: 1 << 14)
            table.withUnsafeMutableBufferPointer { table in
                var start = 0
                while start < n {
                    let length = min(blockSize, n - start)
                    d = compressBlock(base + start, length, out.baseAddress!, d, table)
                    start += length
                }
            }
            written = d
        }
    }

    @inline(__always) private static func load32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self).littleEndian
    }

    @inline(__always) private static func load64(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self).littleEndian
    }

    @inline(__always) private static func hash(_ u: UInt32, _ shift: UInt32) -> Int {
        Int((u &* 0x1E35_A7BD) >> shift)
    }

    @inline(__always) private static func emitLiteral(_ out: UnsafeMutablePointer<UInt8>, _ d: Int, _ src: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var d = d
        let n = count - 1
        if n < 60 {
            out[d] = UInt8(n << 2)
            d += 1
        } else if n < 256 {
            out[d] = 60 << 2
            out[d + 1] = UInt8(n)
            d += 2
        } else {
            out[d] = 61 << 2
            out[d + 1] = UInt8(truncatingIfNeeded: n)
            out[d + 2] = UInt8(truncatingIfNeeded: n >> 8)
            d += 3
        }
        (out + d).update(from: src, count: count)
        return d + count
    }

    @inline(__always) private static func emitCopy(_ out: UnsafeMutablePointer<UInt8>, _ d: Int, offset: Int, length: Int) -> Int {
        var d = d, length = length
        while length >= 68 {
            out[d] = 63 << 2 | 2
            out[d + 1] = UInt8(truncatingIfNeeded: offset)
            out[d + 2] = UInt8(truncatingIfNeeded: offset >> 8)
            d += 3
            length -= 64
        }
        if length > 64 {
            out[d] = 59 << 2 | 2
            out[d + 1] = UInt8(truncatingIfNeeded: offset)
            out[d + 2] = UInt8(truncatingIfNeeded: offset >> 8)
            d += 3
            length -= 60
        }
        if length >= 12 || offset >= 2048 {
            out[d] = UInt8((length - 1) << 2) | 2
            out[d + 1] = UInt8(truncatingIfNeeded: offset)
            out[d + 2] = UInt8(truncatingIfNeeded: offset >> 8)
            return d + 3
        }
        out[d] = UInt8((offset >> 8) << 5 | (length - 4) << 2 | 1)
        out[d + 1] = UInt8(truncatingIfNeeded: offset)
        return d + 2
    }

    private static func compressBlock(_ src: UnsafePointer<UInt8>, _ n: Int, _ out: UnsafeMutablePointer<UInt8>, _ start: Int,
                                      _ table: UnsafeMutableBufferPointer<UInt16>) -> Int {
        var d = start
        if n < minNonLiteralBlockSize { return emitLiteral(out, d, src, n) }
        var tableSize = 1 << 8
        while tableSize < 1 << 14 && tableSize < n { tableSize <<= 1 }
        let shift = UInt32(32 - tableSize.trailingZeroBitCount)
        let mask = tableSize - 1
        for i in 0..<tableSize { table[i] = 0 }
        let sLimit = n - inputMargin
        var nextEmit = 0
        var s = 1
        var nextHash = hash(load32(src, s), shift)
        outer: while true {
            var skip = 32
            var nextS = s
            var candidate = 0
            while true {
                s = nextS
                let step = skip >> 5
                nextS = s + step
                skip += step
                if nextS > sLimit { break outer }
                candidate = Int(table[nextHash & mask])
                table[nextHash & mask] = UInt16(truncatingIfNeeded: s)
                nextHash = hash(load32(src, nextS), shift)
                if load32(src, s) == load32(src, candidate) { break }
            }
            d = emitLiteral(out, d, src + nextEmit, s - nextEmit)
            while true {
                let base = s
                s += 4
                var i = candidate + 4
                while s < n && src[i] == src[s] {
                    i += 1
                    s += 1
                }
                d = emitCopy(out, d, offset: base - candidate, length: s - base)
                nextEmit = s
                if s >= sLimit { break outer }
                let x = load64(src, s - 1)
                let prevHash = hash(UInt32(truncatingIfNeeded: x), shift)
                table[prevHash & mask] = UInt16(truncatingIfNeeded: s - 1)
                let currHash = hash(UInt32(truncatingIfNeeded: x >> 8), shift)
                candidate = Int(table[currHash & mask])
                table[currHash & mask] = UInt16(truncatingIfNeeded: s)
                if UInt32(truncatingIfNeeded: x >> 8) != load32(src, candidate) {
                    nextHash = hash(UInt32(truncatingIfNeeded: x >> 16), shift)
                    s += 1
                    break
                }
            }
        }
        if nextEmit < n { d = emitLiteral(out, d, src + nextEmit, n - nextEmit) }
        return d
    }

    /// The uncompressed length recorded at the start of `input`.
    public static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(Failure) -> (length: Int, headerSize: Int) {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while true {
            guard i < input.count, i < 5 else { throw Failure(message: "snappy: bad length header") }
            let b = input[i]
            result |= UInt64(b & 0x7F) << shift
            i += 1
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard result <= UInt64(UInt32.max) else { throw Failure(message: "snappy: length \(result) too large") }
        return (Int(result), i)
    }

    public static func decompress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        try input.withBytes { (raw) throws(Failure) -> [UInt8] in try decompress(raw) }
    }

    /// Decompresses a raw Snappy block; throws on any malformed tag, offset or length.
    public static func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int? = nil) throws(Failure) -> [UInt8] {
        let (length, header) = try uncompressedLength(input)
        if let expectedLength, expectedLength != length {
            throw Failure(message: "snappy: block says \(length) bytes, page header says \(expectedLength)")
        }
        // A block cannot expand by more than about 64x over its input (copy tags of 64 bytes in 3).
        if length == 0 {
            guard header == input.count else { throw Failure(message: "snappy: data after an empty block") }
            return []
        }
        guard length <= (input.count + 16) * 64 else { throw Failure(message: "snappy: length \(length) impossible for \(input.count) input bytes") }
        var failure: Failure?
        let result = [UInt8](unsafeUninitializedCapacity: length) { out, written in
            var s = header, d = 0
            let n = input.count
            while s < n {
                let tag = input[s]
                s += 1
                switch tag & 3 {
                case 0:
                    var len = Int(tag >> 2)
                    if len >= 60 {
                        let extra = len - 59
                        guard n - s >= extra else { failure = Failure(message: "snappy: literal length runs past the end"); break }
                        len = 0
                        for k in 0..<extra { len |= Int(input[s + k]) << (8 * k) }
                        s += extra
                    }
                    len += 1
                    guard n - s >= len, length - d >= len else { failure = Failure(message: "snappy: literal of \(len) bytes runs past the end"); break }
                    UnsafeMutableRawPointer(out.baseAddress! + d).copyMemory(from: input.baseAddress! + s, byteCount: len)
                    s += len
                    d += len
                    continue
                case 1:
                    guard s < n else { failure = Failure(message: "snappy: copy tag runs past the end"); break }
                    let len = 4 + Int((tag >> 2) & 7)
                    let offset = Int(tag >> 5) << 8 | Int(input[s])
                    s += 1
                    if let f = copy(out, &d, offset: offset, length: len, capacity: length) { failure = f; break }
                    continue
                case 2:
                    guard n - s >= 2 else { failure = Failure(message: "snappy: copy tag runs past the end"); break }
                    let len = 1 + Int(tag >> 2)
                    let offset = Int(input[s]) | Int(input[s + 1]) << 8
                    s += 2
                    if let f = copy(out, &d, offset: offset, length: len, capacity: length) { failure = f; break }
                    continue
                default:
                    guard n - s >= 4 else { failure = Failure(message: "snappy: copy tag runs past the end"); break }
                    let len = 1 + Int(tag >> 2)
                    var offset = 0
                    for k in 0..<4 { offset |= Int(input[s + k]) << (8 * k) }
                    s += 4
                    if let f = copy(out, &d, offset: offset, length: len, capacity: length) { failure = f; break }
                    continue
                }
                break
            }
            if failure == nil && d != length {
                failure = Failure(message: "snappy: decoded \(d) bytes, expected \(length)")
            }
            // Leave the buffer fully initialised either way.
            if d < length { (out.baseAddress! + d).initialize(repeating: 0, count: length - d) }
            written = length
        }
        if let failure { throw failure }
        return result
    }

    @inline(__always) private static func copy(_ out: UnsafeMutableBufferPointer<UInt8>, _ d: inout Int, offset: Int, length: Int, capacity: Int) -> Failure? {
        guard offset > 0, offset <= d else { return Failure(message: "snappy: copy offset \(offset) outside the \(d) bytes decoded") }
        guard capacity - d >= length else { return Failure(message: "snappy: copy of \(length) bytes runs past the end") }
        let p = out.baseAddress!
        if offset >= length {
            UnsafeMutableRawPointer(p + d).copyMemory(from: p + d - offset, byteCount: length)
        } else {
            for k in 0..<length { p[d + k] = p[d + k - offset] }
        }
        d += length
        return nil
    }
}
