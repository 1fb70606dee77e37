/// PLAIN encoding: little-endian fixed-width values, bit-packed booleans, and byte arrays
/// prefixed by their 4-byte length.
enum PlainEncoding {
    struct Failure: Error, Sendable { var message: String }

    // MARK: encoding

    /// Appends the values of `rows` that are present (all when `validity` is nil).
    static func encode(_ values: ParquetColumnValues, rows: Range<Int>, validity: [Bool]?, into out: inout [UInt8]) {
        @inline(__always) func present(_ i: Int) -> Bool { validity?[i] ?? true }
        switch values {
        case .int64(let v): appendFixed(v, rows, validity, &out)
        case .int32(let v): appendFixed(v, rows, validity, &out)
        case .double(let v): appendFixed(v, rows, validity, &out)
        case .float(let v): appendFixed(v, rows, validity, &out)
        case .bool(let v):
            var acc: UInt8 = 0, bits = 0
            for i in rows where present(i) {
                if v[i] { acc |= 1 << UInt8(bits) }
                bits += 1
                if bits == 8 {
                    out.append(acc)
                    acc = 0
                    bits = 0
                }
            }
            if bits > 0 { out.append(acc) }
        case .string(let v):
            for i in rows where present(i) {
                var s = v[i]
                s.withUTF8 { utf8 in
                    appendLength(utf8.count, &out)
                    out.append(contentsOf: utf8)
                }
            }
        case .bytes(let v):
            for i in rows where present(i) {
                appendLength(v[i].count, &out)
                out.append(contentsOf: v[i])
            }
        }
    }

    @inline(__always) static func appendLength(_ n: Int, _ out: inout [UInt8]) {
        let u = UInt32(truncatingIfNeeded: n)
        out.append(UInt8(truncatingIfNeeded: u))
        out.append(UInt8(truncatingIfNeeded: u >> 8))
        out.append(UInt8(truncatingIfNeeded: u >> 16))
        out.append(UInt8(truncatingIfNeeded: u >> 24))
    }

    private static func appendFixed<T: BitwiseCopyable>(_ v: [T], _ rows: Range<Int>, _ validity: [Bool]?, _ out: inout [UInt8]) {
        if let validity {
            for i in rows where validity[i] {
                withUnsafeBytes(of: v[i]) { out.append(contentsOf: $0) }
            }
        } else {
            v.withUnsafeBytes { raw in
                let stride = MemoryLayout<T>.stride
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(rows.lowerBound * stride)..<(rows.upperBound * stride)]))
            }
        }
    }

    /// PLAIN bytes of one value, as statistics store them (byte arrays without the length).
    static func statisticsBytes(_ values: ParquetColumnValues, at i: Int) -> [UInt8] {
        switch values {
        case .int64(let v): withUnsafeBytes(of: v[i]) { Array($0) }
        case .int32(let v): withUnsafeBytes(of: v[i]) { Array($0) }
        case .double(let v): withUnsafeBytes(of: v[i]) { Array($0) }
        case .float(let v): withUnsafeBytes(of: v[i]) { Array($0) }
        case .bool(let v): [v[i] ? 1 : 0]
        case .string(let v): Array(v[i].utf8)
        case .bytes(let v): v[i]
        }
    }

    // MARK: decoding

    /// Decodes `count` values of `type` from `bytes[start..<end]`; returns the values and where they ended.
    static func decode(_ type: ParquetPhysicalType, _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, count: Int,
                       asString: Bool) throws(Failure) -> ParquetColumnValues {
        guard start <= end, end <= bytes.count, count >= 0 else { throw Failure(message: "value data out of bounds") }
        let available = end - start
        switch type {
        case .int64: return .int64(try fixed(Int64.self, bytes, start, available, count))
        case .int32: return .int32(try fixed(Int32.self, bytes, start, available, count))
        case .double: return .double(try fixed(Double.self, bytes, start, available, count))
        case .float: return .float(try fixed(Float.self, bytes, start, available, count))
        case .boolean:
            guard (count + 7) / 8 <= available else { throw Failure(message: "\(count) booleans need \((count + 7) / 8) bytes, page has \(available)") }
            var out = [Bool]()
            out.reserveCapacity(count)
            for i in 0..<count { out.append(bytes[start + i >> 3] >> UInt8(i & 7) & 1 == 1) }
            return .bool(out)
        case .byteArray:
            var pos = start
            if asString {
                var out = [String]()
                out.reserveCapacity(count)
                for _ in 0..<count {
                    let n = try length(bytes, &pos, end)
                    out.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[pos..<(pos + n)]), as: UTF8.self))
                    pos += n
                }
                return .string(out)
            }
            var out = [[UInt8]]()
            out.reserveCapacity(count)
            for _ in 0..<count {
                let n = try length(bytes, &pos, end)
                out.append(Array(bytes[pos..<(pos + n)]))
                pos += n
            }
            return .bytes(out)
        default:
            throw Failure(message: "physical type \(type) not supported")
        }
    }

    private static func length(_ bytes: UnsafeRawBufferPointer, _ pos: inout Int, _ end: Int) throws(Failure) -> Int {
        guard end - pos >= 4 else { throw Failure(message: "byte array length runs past the end of the page") }
        let n = Int(bytes.loadUnaligned(fromByteOffset: pos, as: UInt32.self).littleEndian)
        pos += 4
        guard n <= end - pos else { throw Failure(message: "byte array of \(n) bytes runs past the end of the page") }
        return n
    }

    private static func fixed<T: BitwiseCopyable>(_: T.Type, _ bytes: UnsafeRawBufferPointer, _ start: Int, _ available: Int, _ count: Int) throws(Failure) -> [T] {
        let size = MemoryLayout<T>.size
        guard count <= available / size else {
            throw Failure(message: "\(count) values of \(size) bytes need \(count * size) bytes, page has \(available)")
        }
        return [T](unsafeUninitializedCapacity: count) { buffer, written in
            if count > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: bytes.baseAddress! + start, byteCount: count * size)
            }
            written = count
        }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` keeping the closure's typed error.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var result: Result<R, E>?
        withUnsafeBytes { raw in result = Result { () throws(E) -> R in try body(raw) } }
        return try result!.get()
    }
}
