/// The RLE / bit-packing hybrid of Parquet, used for definition levels and dictionary indices.
enum RLEHybrid {
    struct Failure: Error, Sendable { var message: String }

    /// Decodes `count` values of `bitWidth` bits from `bytes[start..<end]`.
    static func decode(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, bitWidth: Int, count: Int) throws(Failure) -> [Int32] {
        guard (0...32).contains(bitWidth) else { throw Failure(message: "bit width \(bitWidth) out of range") }
        guard start <= end, end <= bytes.count else { throw Failure(message: "level data out of bounds") }
        var out = [Int32]()
        out.reserveCapacity(count)
        if bitWidth == 0 {
            return Array(repeating: 0, count: count)
        }
        var pos = start
        let byteWidth = (bitWidth + 7) / 8
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        while out.count < count {
            // varint header
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard pos < end else { throw Failure(message: "RLE data ends after \(out.count) of \(count) values") }
                let b = bytes[pos]
                pos += 1
                guard shift < 64 else { throw Failure(message: "RLE run header too long") }
                header |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
            }
            if header & 1 == 0 {
                let run = Int(clamping: header >> 1)
                guard run > 0 else { throw Failure(message: "empty RLE run") }
                guard end - pos >= byteWidth else { throw Failure(message: "RLE run value runs past the end") }
                var value: UInt64 = 0
                for i in 0..<byteWidth { value |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
                pos += byteWidth
                let n = min(run, count - out.count)
                out.append(contentsOf: repeatElement(Int32(truncatingIfNeeded: value & mask), count: n))
            } else {
                let groups = min(Int(clamping: header >> 1), Int.max / 64)
                guard groups > 0 else { throw Failure(message: "empty bit-packed run") }
                // A final bit-packed run may be cut short by writers; decode what is there.
                let available = min(groups * bitWidth, end - pos)
                let total = min(groups * 8, available * 8 / bitWidth)
                if total < groups * 8 && out.count + total < count {
                    throw Failure(message: "bit-packed run of \(groups) groups runs past the end")
                }
                var bitPos = 0
                let base = pos
                for _ in 0..<total {
                    if out.count == count { break }
                    var value: UInt64 = 0
                    var got = 0
                    while got < bitWidth {
                        let byteIndex = base + (bitPos >> 3)
                        let bitOffset = bitPos & 7
                        let take = min(8 - bitOffset, bitWidth - got)
                        let bits = (UInt64(bytes[byteIndex]) >> UInt64(bitOffset)) & ((1 << UInt64(take)) - 1)
                        value |= bits << UInt64(got)
                        got += take
                        bitPos += take
                    }
                    out.append(Int32(truncatingIfNeeded: value))
                }
                pos = base + available
            }
        }
        return out
    }

    /// Encodes `values` (each below 2^bitWidth): RLE runs where 8 or more repeat, bit-packed
    /// groups of 8 elsewhere.
    static func encode(_ values: [Int32], bitWidth: Int, into out: inout [UInt8]) {
        let byteWidth = (bitWidth + 7) / 8
        var packed: [Int32] = []
        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                out.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        func flushPacked() {
            guard !packed.isEmpty else { return }
            while packed.count % 8 != 0 { packed.append(0) }
            let groups = packed.count / 8
            varint(UInt64(groups) << 1 | 1)
            var acc: UInt64 = 0
            var bits = 0
            for v in packed {
                acc |= UInt64(UInt32(bitPattern: v)) << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc >>= 8
                    bits -= 8
                }
            }
            if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
            packed.removeAll(keepingCapacity: true)
        }
        func rle(_ value: Int32, _ count: Int) {
            varint(UInt64(count) << 1)
            let v = UInt32(bitPattern: value)
            for i in 0..<byteWidth { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
        }
        var i = 0
        let n = values.count
        while i < n {
            // Length of the run of equal values starting at i.
            var j = i + 1
            while j < n && values[j] == values[i] { j += 1 }
            let run = j - i
            if run >= 8 && packed.count % 8 == 0 {
                flushPacked()
                rle(values[i], run)
                i = j
            } else if run >= 8 {
                // Fill the packed buffer to a group boundary first, then the rest is a run.
                let fill = 8 - packed.count % 8
                packed.append(contentsOf: values[i..<(i + fill)])
                i += fill
            } else {
                packed.append(contentsOf: values[i..<j])
                i = j
            }
        }
        flushPacked()
    }

    /// Bits needed for values up to `maxValue`.
    static func bitWidth(_ maxValue: Int) -> Int {
        maxValue <= 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }
}
