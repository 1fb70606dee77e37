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
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 } else { return }
        }
    }

    @inline(__always) public mutating func expect(_ byte: UInt8) throws(ScanError) {
        skipSpace()
        guard index < count, base[index] == byte else { throw fail("expected \"\(Character(Unicode.Scalar(byte)))\"") }
        index += 1
    }

    /// Consumes `byte` if it is next (after spaces).
    @inline(__always) public mutating func consume(_ byte: UInt8) -> Bool {
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

    static let powers: [Int128] = (0...18).map { FixedDecimal.powerOfTen($0) }

    /// A decimal in a JSON string ("1.9531"), as a FixedDecimal mantissa. Plain decimals of up to
    /// 19 significant digits take the fast path; anything else goes through `FixedDecimal(parsing:)`.
    @inline(__always) public mutating func decimalString() throws(ScanError) -> Int128 {
        let range = try stringRange()
        var i = range.lowerBound
        let end = range.upperBound
        var negative = false
        if i < end, base[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value: UInt64 = 0
        var digits = 0
        var fraction = -1
        while i < end {
            let b = base[i]
            let d = b &- UInt8(ascii: "0")
            if d <= 9 {
                value = value &* 10 &+ UInt64(d)
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if b == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else {
                return try slowDecimal(range)
            }
            i += 1
        }
        if digits == 0 || digits > 19 || fraction > 18 || fraction == 0 { return try slowDecimal(range) }
        let scaled = Int128(value) * Self.powers[18 - max(fraction, 0)]
        return negative ? -scaled : scaled
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
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            try expect(UInt8(ascii: "["))
            let price = try decimalString()
            try expect(UInt8(ascii: ","))
            let size = try decimalString()
            while consume(UInt8(ascii: ",")) { try skipValue() }
            try expect(UInt8(ascii: "]"))
            levels.append(PriceLevel(price: FixedDecimal(mantissa: price), size: FixedDecimal(mantissa: size)))
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }
}
