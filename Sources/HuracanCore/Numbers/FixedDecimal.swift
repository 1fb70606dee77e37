/// An exact decimal number with 18 fractional digits, stored as a 128-bit integer.
///
/// Used for every price, quantity and amount of money in orders, fills and positions, so that
/// exchange strings round-trip without loss and accounting never drifts. The range is about
/// ±1.7e20 with a resolution of 1e-18, which covers the smallest tick and the largest notional
/// any venue quotes.
public struct FixedDecimal: Sendable, Hashable, Comparable {
    /// Number of fractional digits.
    public static let scale = 18
    /// 10^18, the value of one unit in `mantissa`.
    public static let unit: Int128 = 1_000_000_000_000_000_000

    /// The value times 10^18.
    public var mantissa: Int128

    @inlinable public init(mantissa: Int128) { self.mantissa = mantissa }

    @inlinable public init(_ integer: Int) { self.mantissa = Int128(integer) * Self.unit }

    /// `units * 10^-exponent`, e.g. `FixedDecimal(units: 15, exponent: 1)` is 1.5.
    @inlinable public init(units: Int64, exponent: Int) {
        precondition((0...Self.scale).contains(exponent), "exponent must be within 0...18")
        self.mantissa = Int128(units) * Self.powerOfTen(Self.scale - exponent)
    }

    public static let zero = FixedDecimal(mantissa: 0)
    public static let one = FixedDecimal(mantissa: unit)

    @inlinable public static func powerOfTen(_ n: Int) -> Int128 {
        var value: Int128 = 1
        for _ in 0..<n { value &*= 10 }
        return value
    }

    @inlinable public var isZero: Bool { mantissa == 0 }
    @inlinable public var isNegative: Bool { mantissa < 0 }
    @inlinable public var isPositive: Bool { mantissa > 0 }
    @inlinable public var magnitude: FixedDecimal { FixedDecimal(mantissa: mantissa < 0 ? -mantissa : mantissa) }
    @inlinable public var signum: Int { mantissa > 0 ? 1 : (mantissa < 0 ? -1 : 0) }

    /// Nearest `Double`; for features, models and display only, never for accounting.
    @inlinable public var doubleValue: Double {
        let whole = mantissa / Self.unit
        let fraction = mantissa % Self.unit
        // Both parts nearly always fit 64 bits, whose conversion is much faster than Int128's
        // and rounds the same (both are correctly rounded).
        if let w = Int64(exactly: whole) {
            return Double(w) + Double(Int64(truncatingIfNeeded: fraction)) / 1e18
        }
        return Double(whole) + Double(fraction) / 1e18
    }

    /// The decimal closest to `value`, rounded to 18 fractional digits (9 significant digits kept
    /// exact for typical prices). Used where model output becomes a price; results are then
    /// rounded to the instrument's tick.
    public init(approximating value: Double) {
        precondition(value.isFinite, "cannot represent \(value) as a decimal")
        let whole = value.rounded(.towardZero)
        let fraction = value - whole
        self.mantissa = Int128(whole) * Self.unit + Int128((fraction * 1e18).rounded())
    }

    @inlinable public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool { lhs.mantissa < rhs.mantissa }

    @inlinable public static func + (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        FixedDecimal(mantissa: lhs.mantissa + rhs.mantissa)
    }

    @inlinable public static func - (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        FixedDecimal(mantissa: lhs.mantissa - rhs.mantissa)
    }

    @inlinable public static prefix func - (value: FixedDecimal) -> FixedDecimal { FixedDecimal(mantissa: -value.mantissa) }

    @inlinable public static func += (lhs: inout FixedDecimal, rhs: FixedDecimal) { lhs.mantissa += rhs.mantissa }
    @inlinable public static func -= (lhs: inout FixedDecimal, rhs: FixedDecimal) { lhs.mantissa -= rhs.mantissa }

    /// Exact product rounded half-to-even at the 18th digit. Traps on overflow, like `Int`.
    public static func * (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        FixedDecimal(mantissa: divideRounded(lhs.mantissa, times: rhs.mantissa, by: unit))
    }

    /// Quotient rounded half-to-even at the 18th digit. Traps on division by zero.
    public static func / (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        precondition(!rhs.isZero, "division by zero")
        return FixedDecimal(mantissa: divideRounded(lhs.mantissa, times: unit, by: rhs.mantissa))
    }

    /// Product with an integer count, exact.
    @inlinable public static func * (lhs: FixedDecimal, rhs: Int) -> FixedDecimal {
        FixedDecimal(mantissa: lhs.mantissa * Int128(rhs))
    }

    /// `a * b / c` with a 256-bit intermediate, rounded half-to-even.
    static func divideRounded(_ a: Int128, times b: Int128, by c: Int128) -> Int128 {
        let negative = ((a < 0) != (b < 0)) != (c < 0)
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = c.magnitude
        precondition(product.high < divisor, "decimal overflow")
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        var q = quotient
        // Round half to even: compare 2*remainder with divisor without overflowing.
        let half = divisor - remainder
        if remainder > half || (remainder == half && q & 1 == 1) { q += 1 }
        precondition(q <= UInt128(Int128.max), "decimal overflow")
        return negative ? -Int128(q) : Int128(q)
    }
}

extension FixedDecimal: ExpressibleByIntegerLiteral {
    @inlinable public init(integerLiteral value: Int) { self.init(value) }
}

extension FixedDecimal: CustomStringConvertible {
    /// Canonical decimal string: no exponent, no trailing fractional zeros ("0.001", "65000.5", "-3").
    public var description: String {
        let negative = mantissa < 0
        let magnitude = mantissa.magnitude
        let whole = magnitude / UInt128(Self.unit)
        var fraction = magnitude % UInt128(Self.unit)
        var text = negative ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            var digits = Self.scale
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return text
    }
}
