import HuracanCore

/// A forward-only scanner over the bytes of one JSON message, for hot-path messages (depth
/// updates) where building a document tree would cost more than applying the update. It reads
/// keys and values in whatever order they come, skips unknown fields, and reports malformed
/// input as a `ScanError` with the byte offset.
public struct ByteScanner {
    public let base: UnsafePointer<UInt8>
    public let count: Int
    public var index = 0

    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = buffer.count
    }

    public struct ScanError: Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    @inline(__always) func fail(_ reason: String) -> ScanError { ScanError(offset: index, reason: reason) }

    @inline(__always) public mutating func skipSpace() {
        while index < count {
            let b = base[index]
            // Everything above the space character is not JSON whitespace: one compare in the common case.
            if b > 0x20 { return }
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 } else { return }
        }
    }

    @inline(__always) public mutating func expect(_ byte: UInt8) throws(ScanError) {
        if index < count, base[index] == byte { index += 1; return }
        try expectAfterSpace(byte)
    }

    @inline(never) mutating func expectAfterSpace(_ byte: UInt8) throws(ScanError) {
        skipSpace()
        guard index < count, base[index] == byte else { throw fail("expected \"\(Character(Unicode.Scalar(byte)))\"") }
        index += 1
    }

    /// Consumes `byte` if it is next (after spaces).
    @inline(__always) public mutating func consume(_ byte: UInt8) -> Bool {
        if index < count, base[index] == byte { index += 1; return true }
        skipSpace()
        if index < count, base[index] == byte { index += 1; return true }
        return false
    }

    public var isAtEnd: Bool { mutating get { skipSpace(); return index >= count } }

    /// A string without escapes; returns the byte range of its content.
    @inline(__always) public mutating func stringRange() throws(ScanError) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < count {
            let b = base[index]
            if b == UInt8(ascii: "\"") { index += 1; return start..<(index - 1) }
            if b == UInt8(ascii: "\\") { throw fail("escaped strings are not expected here") }
            index += 1
        }
        throw fail("unterminated string")
    }

    public mutating func string() throws(ScanError) -> String {
        let range = try stringRange()
        return String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// Whether the bytes in `range` equal `literal`.
    @inline(__always) public func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<range.count where base[range.lowerBound + k] != p[k] { return false }
        return true
    }

    /// An integer, bare or quoted.
    @inline(__always) public mutating func int64() throws(ScanError) -> Int64 {
        skipSpace()
        var quoted = false
        if index < count, base[index] == UInt8(ascii: "\"") { quoted = true; index += 1 }
        var negative = false
        if index < count, base[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        let start = index
        var value: Int64 = 0
        // Eight digits at a time while they cannot overflow (at most 16 this way).
        while index &+ 8 <= count, index &- start <= 8 {
            let word = Self.word(base + index)
            guard Self.nonDigits(word) == 0 else { break }
            value = value &* 100_000_000 &+ Int64(Self.eightDigits(word & 0x0F0F_0F0F_0F0F_0F0F))
            index &+= 8
        }
        while index < count {
            let d = base[index] &- UInt8(ascii: "0")
            if d > 9 { break }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { throw fail("integer out of range") }
            value = sum
            index += 1
        }
        guard index > start else { throw fail("expected an integer") }
        if quoted {
            guard index < count, base[index] == UInt8(ascii: "\"") else { throw fail("expected an integer") }
            index += 1
        }
        return negative ? -value : value
    }

    /// 10^n for n in 0...18 (a constant table: no lazy global on the hot path).
    @inline(__always) static func powerOfTen(_ n: Int) -> UInt64 {
        switch n {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        default: 1_000_000_000_000_000_000
        }
    }

    /// A decimal in a JSON string ("1.9531"), as a FixedDecimal mantissa.
    ///
    /// Fast paths, for unsigned `digits[.digits]` with at least one digit before the point:
    /// - up to 7 digits and the closing quote within the next 8 bytes (every depth level of the
    ///   usual instruments): one 8-byte load, the digit and point positions found with bit tricks,
    ///   the digits converted by three multiplies (`eightDigits`), no branch per character;
    /// - otherwise one pass over the bytes, up to 19 significant digits and 18 after the point.
    /// Both scale by one 64x64->128-bit multiply. Anything else (sign, exponent, escapes, more
    /// digits) goes through `FixedDecimal(parsing:)`, which gives the same value for every input
    /// the fast paths take.
    @inline(__always) public mutating func decimalString() throws(ScanError) -> Int128 {
        if index < count, base[index] != UInt8(ascii: "\"") { skipSpace() }
        guard index < count, base[index] == UInt8(ascii: "\"") else {
            try expect(UInt8(ascii: "\""))
            throw fail("expected a string")
        }
        let start = index &+ 1
        if start &+ 8 <= count, let (value, fraction, length) = Self.shortDecimal(base + start) {
            index = start &+ length &+ 1
            return Self.mantissa(value, fraction: fraction)
        }
        return try longDecimal(start: start)
    }

    /// `value * 10^(18 - fraction)` as a FixedDecimal mantissa (`fraction` <= 18, `value` < 10^19).
    @inline(__always) static func mantissa(_ value: UInt64, fraction: Int) -> Int128 {
        let scaled = value.multipliedFullWidth(by: powerOfTen(18 &- fraction))
        return Int128(bitPattern: UInt128(scaled.high) &<< 64 | UInt128(scaled.low))
    }

    /// The 8 bytes at `p`: `digits["." digits]` then `"`, at most 7 digits in all. Returns the
    /// digits as an integer, the digits after the point, and the bytes before the quote; nil
    /// when the text has another shape (the caller takes the general path).
    ///
    /// The quote's position (where the next token starts) comes from the quote mask alone, so the
    /// scan of the next number never waits for the checks and the digit conversion of this one.
    @inline(__always) static func shortDecimal(_ p: UnsafePointer<UInt8>) -> (value: UInt64, fraction: Int, length: Int)? {
        let word = Self.word(p)
        let quotes = Self.zeroBytes(word ^ 0x2222_2222_2222_2222)
        guard quotes != 0 else { return nil }
        let end = quotes.trailingZeroBitCount &>> 3
        guard end > 0 else { return nil }
        func low(_ bytes: Int) -> UInt64 { (1 &<< UInt64(bytes &<< 3)) &- 1 }  // bytes 0...7
        let digitValues = word & 0x0F0F_0F0F_0F0F_0F0F
        let others = Self.nonDigits(word) & low(end)
        let fraction: Int, digits: UInt64, digitCount: Int
        if others == 0 {
            fraction = 0
            digits = digitValues & low(end)
            digitCount = end
        } else {
            // Exactly one non-digit before the quote, a point with digits on both sides.
            let point = others.trailingZeroBitCount &>> 3
            guard (word &>> UInt64(point &<< 3)) & 0xFF == UInt64(UInt8(ascii: ".")), others & ~(0xFF &<< UInt64(point &<< 3)) == 0,
                  point > 0, point < end &- 1 else { return nil }
            fraction = end &- point &- 1
            // Drop the point: the bytes after it move down one place.
            digits = (digitValues & low(point)) | ((digitValues &>> 8) & low(end &- 1) & ~low(point))
            digitCount = end &- 1
        }
        return (eightDigits(digits &<< UInt64((8 &- digitCount) &<< 3)), fraction, end)
    }

    /// 0x80 in each byte of `word` that is zero, nothing elsewhere below the first zero byte (a
    /// borrow can only mark bytes above a real zero, so the lowest mark is exact).
    @inline(__always) static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// The 8 bytes at `p`, first byte lowest.
    @inline(__always) static func word(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Per byte of `word`: zero for an ASCII digit, non-zero otherwise. A digit has high nibble 3
    /// and low nibble <= 9; `word + 6` carries into the high nibble exactly for low nibbles >= 10
    /// (a carry out of a byte only comes from a byte >= 0xFA, itself a non-digit, and only
    /// reaches later bytes, so the first non-digit is always found).
    @inline(__always) static func nonDigits(_ word: UInt64) -> UInt64 {
        let high = word & 0xF0F0_F0F0_F0F0_F0F0
        let carried = ((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) &>> 4
        return (high | carried) ^ 0x3333_3333_3333_3333
    }

    /// The integer written by 8 digit values, one per byte, first digit in the lowest byte.
    @inline(__always) static func eightDigits(_ v: UInt64) -> UInt64 {
        var v = (v &* 2561) &>> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) &>> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) &>> 32
    }

    /// The general path of `decimalString` from the first byte after the quote.
    mutating func longDecimal(start: Int) throws(ScanError) -> Int128 {
        var i = start
        var value: UInt64 = 0
        var point = -1
        while i < count {
            let b = base[i]
            let d = b &- UInt8(ascii: "0")
            if d < 10 {
                value = value &* 10 &+ UInt64(d)
            } else if b == UInt8(ascii: "."), point < 0 {
                point = i
            } else {
                break
            }
            i &+= 1
        }
        let fraction = point < 0 ? 0 : i &- point &- 1
        let digits = i &- start &- (point < 0 ? 0 : 1)
        guard i < count, base[i] == UInt8(ascii: "\""), digits > 0, digits <= 19, fraction <= 18 else {
            index = start &- 1
            return try slowDecimal(try stringRange())
        }
        index = i &+ 1
        return Self.mantissa(value, fraction: fraction)
    }

    func slowDecimal(_ range: Range<Int>) throws(ScanError) -> Int128 {
        let text = String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
        do { return try FixedDecimal(parsing: text).mantissa } catch {
            throw ScanError(offset: range.lowerBound, reason: error.description)
        }
    }

    /// Skips one value of any type.
    public mutating func skipValue() throws(ScanError) {
        skipSpace()
        guard index < count else { throw fail("unexpected end of input") }
        switch base[index] {
        case UInt8(ascii: "\""):
            index += 1
            // Eight bytes at a time up to the first quote or backslash.
            while index &+ 8 <= count {
                let word = Self.word(base + index)
                let quotes = word ^ 0x2222_2222_2222_2222, escapes = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let found = ((quotes &- 0x0101_0101_0101_0101) & ~quotes | (escapes &- 0x0101_0101_0101_0101) & ~escapes) & 0x8080_8080_8080_8080
                if found == 0 { index &+= 8; continue }
                index &+= found.trailingZeroBitCount &>> 3
                break
            }
            while index < count {
                let b = base[index]
                if b == UInt8(ascii: "\\") { index += 2; continue }
                index += 1
                if b == UInt8(ascii: "\"") { return }
            }
            throw fail("unterminated string")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while index < count {
                let b = base[index]
                if b == UInt8(ascii: "\"") { try skipValue(); continue }
                if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { index += 1; return }
                }
                index += 1
            }
            throw fail("unterminated object or array")
        default:
            let start = index
            while index &+ 8 <= count, Self.nonDigits(Self.word(base + index)) == 0 { index &+= 8 }
            while index < count {
                let b = base[index]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
                index += 1
            }
            if index == start { throw fail("expected a value") }
        }
    }

    /// Iterates the keys of an object: calls `body` with each key's range, positioned at its value.
    /// `body` must consume the value (or call `skipValue`).
    @inline(__always) public mutating func object(_ body: (inout ByteScanner, Range<Int>) throws(ScanError) -> Void) throws(ScanError) {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try stringRange()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Reads `[[price, size, ...], ...]` levels into `levels` (replacing its contents).
    @inline(__always) public mutating func levels(into levels: inout [PriceLevel]) throws(ScanError) {
        levels.removeAll(keepingCapacity: true)
        try levelPairs { price, size in levels.append(PriceLevel(price: FixedDecimal(mantissa: price), size: FixedDecimal(mantissa: size))) }
    }

    /// Reads `[[price, size, ...], ...]` levels into the first `count` elements of `storage`
    /// (the hot-path form). The storage only grows, in steps. Levels in the venues' compact form
    /// are read by `compactRun` with the position and the count in registers and written through
    /// one unsafe pointer; any other level (spaces, long numbers, extra fields) takes the general
    /// path and the compact run resumes after it.
    @inline(__always) public mutating func levels(into storage: inout [LevelChange], count n: inout Int) throws(ScanError) {
        n = 0
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        var written = 0
        while true {
            if written == storage.count {
                storage.append(contentsOf: repeatElement(LevelChange(price: 0, size: 0), count: max(64, storage.count)))
            }
            let (base, count, start) = (self.base, self.count, index)
            let run = storage.withUnsafeMutableBufferPointer { buffer in
                Self.compactRun(base, count: count, from: start, into: buffer.baseAddress!, capacity: buffer.count, written: written)
            }
            index = run.index
            written = run.written
            switch run.stop {
            case .full:
                continue
            case .closed:
                break
            case .other:
                // The next level is not in the compact form: read it in full.
                let (price, size) = try level()
                storage[written] = LevelChange(price: price, size: size)
                written &+= 1
                if consume(UInt8(ascii: ",")) { continue }
            case .separator:
                if consume(UInt8(ascii: ",")) { continue }
            }
            n = written
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    /// Where `compactRun` stopped.
    enum RunStop {
        /// At `]`, the end of the array.
        case closed
        /// At a level that is not in the compact form (or at whatever else is there).
        case other
        /// After a level, at something other than `,` or `]` (spaces).
        case separator
        /// The buffer is full; `index` is at the next level.
        case full
    }

    /// Reads levels in the compact form `["1.9531","6203"]` separated by bare commas, from the
    /// start of a level at `from`, into `buffer[written...]`.
    @inline(__always) static func compactRun(_ base: UnsafePointer<UInt8>, count: Int, from: Int, into buffer: UnsafeMutablePointer<LevelChange>,
                                             capacity: Int, written: Int) -> (index: Int, written: Int, stop: RunStop) {
        var i = from, n = written
        while n < capacity {
            guard let (level, next) = compactLevel(base, count: count, at: i) else { return (i, n, .other) }
            buffer[n] = level
            n &+= 1
            i = next
            guard i < count else { return (i, n, .separator) }
            let b = base[i]
            if b == UInt8(ascii: ",") { i &+= 1; continue }
            return (i, n, b == UInt8(ascii: "]") ? .closed : .separator)
        }
        return (i, n, .full)
    }

    /// A level written the way venues write it, `["1.9531","6203"]` with no spaces and short
    /// numbers, read in one go (the punctuation checked in place, both numbers by `shortDecimal`)
    /// with the position after it; nil for any other shape.
    @inline(__always) static func compactLevel(_ base: UnsafePointer<UInt8>, count: Int, at i: Int) -> (LevelChange, next: Int)? {
        // `["` + 8 bytes of the price; then `,"` + 8 bytes of the size; then `]`.
        guard i &+ 10 <= count, base[i] == UInt8(ascii: "["), base[i &+ 1] == UInt8(ascii: "\""),
              let price = shortDecimal(base + (i &+ 2)) else { return nil }
        let comma = i &+ 2 &+ price.length &+ 1
        guard comma &+ 10 <= count, base[comma] == UInt8(ascii: ","), base[comma &+ 1] == UInt8(ascii: "\""),
              let size = shortDecimal(base + (comma &+ 2)) else { return nil }
        let close = comma &+ 2 &+ size.length &+ 1
        guard base[close] == UInt8(ascii: "]") else { return nil }
        return (LevelChange(price: mantissa(price.value, fraction: price.fraction), size: mantissa(size.value, fraction: size.fraction)), close &+ 1)
    }

    /// Calls `body` with the price and size mantissas of each `[price, size, ...]` in an array;
    /// extra elements per level are skipped.
    @inline(__always) mutating func levelPairs(_ body: (Int128, Int128) -> Void) throws(ScanError) {
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            let (price, size) = try level()
            body(price, size)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// One level `[price, size, ...]` in any JSON form: the price and size mantissas; extra
    /// elements are skipped.
    @inline(__always) mutating func level() throws(ScanError) -> (price: Int128, size: Int128) {
        try expect(UInt8(ascii: "["))
        let price = try decimalString()
        try expect(UInt8(ascii: ","))
        let size = try decimalString()
        while consume(UInt8(ascii: ",")) { try skipValue() }
        try expect(UInt8(ascii: "]"))
        return (price, size)
    }
}
