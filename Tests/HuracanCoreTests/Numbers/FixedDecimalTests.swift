import Foundation
import HuracanCore
import Testing

/// Shorthand for a decimal parsed from exact text; test fixtures are always valid.
private func d(_ text: String) -> FixedDecimal {
    do { return try FixedDecimal(parsing: text) } catch { fatalError("bad fixture \(text): \(error)") }
}

@Suite("FixedDecimal")
struct FixedDecimalTests {
    // MARK: Parsing and printing

    @Test("canonical strings round-trip exactly", arguments: [
        "0.00000001", "0.0000001", "65000.1", "123456789012.123456789012345678", "-3", "0", "1",
        "-0.5", "0.000000000000000001", "100000000000000000000", "-100000000000000000000",
        "170141183460469231731.687303715884105727",
    ])
    func canonicalRoundTrip(text: String) throws {
        let value = try FixedDecimal(parsing: text)
        #expect(value.description == text)
        #expect(try FixedDecimal(parsing: value.description) == value)
    }

    @Test("non-canonical spellings parse to the canonical value", arguments: [
        ("1e-8", "0.00000001"),
        ("1E-8", "0.00000001"),
        ("0.10", "0.1"),
        ("65000.10", "65000.1"),
        ("+7", "7"),
        ("-0", "0"),
        ("00012.5000", "12.5"),
        ("2.5E3", "2500"),
        ("2.5e+3", "2500"),
        ("1e20", "100000000000000000000"),
        ("1e-18", "0.000000000000000001"),
        ("-1e-18", "-0.000000000000000001"),
        ("0.1000000000000000000000", "0.1"), // 22 fractional digits, only one significant
        ("0.0000000000000000000", "0"), // 19 zero fractional digits
        ("0e-30", "0"),
        ("1234.5e-3", "1.2345"),
        (".5", "0.5"),
        ("5.", "5"),
    ])
    func nonCanonicalSpellings(input: String, canonical: String) throws {
        #expect(try FixedDecimal(parsing: input).description == canonical)
    }

    @Test("mantissas of known values")
    func mantissas() throws {
        #expect(try FixedDecimal(parsing: "1e-18").mantissa == 1)
        #expect(try FixedDecimal(parsing: "0.00000001").mantissa == 10_000_000_000)
        #expect(try FixedDecimal(parsing: "1e20").mantissa == 100_000_000_000_000_000_000 * FixedDecimal.unit)
        #expect(try FixedDecimal(parsing: "-3").mantissa == -3 * FixedDecimal.unit)
        #expect(FixedDecimal(units: 15, exponent: 1) == d("1.5"))
        #expect(FixedDecimal(units: 1, exponent: 18) == d("0.000000000000000001"))
        #expect(FixedDecimal(units: -65_000_1, exponent: 1) == d("-65000.1"))
        #expect(FixedDecimal(42) == d("42"))
        #expect(FixedDecimal.one == 1)
        #expect(FixedDecimal.zero == 0)
        let literal: FixedDecimal = -12
        #expect(literal.description == "-12")
    }

    @Test("the smallest and largest values keep every digit")
    func extremes() throws {
        let tiny = try FixedDecimal(parsing: "0.000000000000000001")
        #expect(tiny.isPositive)
        #expect(tiny + tiny == d("0.000000000000000002"))
        #expect((tiny * 1_000_000_000_000_000_000).description == "1")
        let huge = try FixedDecimal(parsing: "100000000000000000000")
        #expect((huge + tiny).description == "100000000000000000000.000000000000000001")
        #expect((huge - tiny).description == "99999999999999999999.999999999999999999")
        #expect((-huge).description == "-100000000000000000000")
        #expect(huge * d("0.5") == d("50000000000000000000"))
    }

    @Test("garbage is rejected with a reason that names the problem", arguments: [
        ("abc", "unexpected character \"a\""),
        ("1.2.3", "more than one decimal point"),
        ("", "empty string"),
        ("-", "no digits"),
        ("+", "no digits"),
        (".", "no digits"),
        ("e5", "no digits"),
        ("1e", "bad exponent"),
        ("1e5e3", "bad exponent"),
        ("1e100", "bad exponent"),
        ("12 ", "unexpected character \" \""),
        (" 12", "unexpected character \" \""),
        ("1,5", "unexpected character \",\""),
        ("--1", "unexpected character \"-\""),
        ("0x10", "unexpected character \"x\""),
        ("0.1234567890123456789", "more than 18 fractional digits"),
        ("1e-19", "more than 18 fractional digits"),
        ("0.0000000000000000015", "more than 18 fractional digits"),
        ("1e25", "out of range"),
        ("-1e25", "out of range"),
        ("170141183460469231731.687303715884105728", "out of range"),
        ("999999999999999999999999999999999999999999", "out of range"),
    ])
    func rejectsGarbage(input: String, reason: String) {
        let error = #expect(throws: DecimalParseError.self) { try FixedDecimal(parsing: input) }
        #expect(error?.input == input)
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid decimal \"\(input)\": \(reason)")
    }

    // MARK: Arithmetic

    @Test("addition, subtraction and negation are exact")
    func addSubtract() {
        #expect(d("0.1") + d("0.2") == d("0.3"))
        #expect(d("65000.1") - d("65000.2") == d("-0.1"))
        #expect(-d("1.5") == d("-1.5"))
        var total = FixedDecimal.zero
        for _ in 0..<10 { total += d("0.1") }
        #expect(total == 1)
        total -= d("0.000000000000000001")
        #expect(total.description == "0.999999999999999999")
    }

    @Test("products are exact when they fit 18 digits")
    func exactProducts() {
        #expect(d("0.1") * d("0.2") == d("0.02"))
        #expect((d("0.1") * d("0.2")).description == "0.02")
        #expect(d("65000.1") * d("0.001") == d("65.0001"))
        #expect(d("-1.5") * d("2") == d("-3"))
        #expect(d("-1.5") * d("-2") == d("3"))
        #expect(d("0.000000001") * d("0.000000001") == d("0.000000000000000001"))
        #expect(d("123456789.123456789") * d("1000") == d("123456789123.456789"))
        #expect(d("2.5") * 4 == 10)
        #expect(d("0") * d("-7") == 0)
    }

    @Test("products round half to even at the 18th digit")
    func productRounding() {
        // 1e-18 * 0.5 = 0.5e-18: a tie, rounds to the even 0.
        #expect(d("0.000000000000000001") * d("0.5") == 0)
        // 3e-18 * 0.5 = 1.5e-18: a tie, rounds to the even 2e-18.
        #expect(d("0.000000000000000003") * d("0.5") == d("0.000000000000000002"))
        // 5e-18 * 0.5 = 2.5e-18: a tie, rounds to the even 2e-18.
        #expect(d("0.000000000000000005") * d("0.5") == d("0.000000000000000002"))
        // 7e-18 * 0.5 = 3.5e-18: rounds to 4e-18.
        #expect(d("0.000000000000000007") * d("0.5") == d("0.000000000000000004"))
        // Negative ties are symmetric: -1.5e-18 -> -2e-18, -2.5e-18 -> -2e-18.
        #expect(d("-0.000000000000000003") * d("0.5") == d("-0.000000000000000002"))
        #expect(d("0.000000000000000005") * d("-0.5") == d("-0.000000000000000002"))
        // 1e-18 * 0.4 = 0.4e-18 -> 0; 1e-18 * 0.6 = 0.6e-18 -> 1e-18 (not ties).
        #expect(d("0.000000000000000001") * d("0.4") == 0)
        #expect(d("0.000000000000000001") * d("0.6") == d("0.000000000000000001"))
        // 0.123456789012345678 * 0.1 = 0.0123456789012345678 -> 0.012345678901234568 (8 > 5, up).
        #expect(d("0.123456789012345678") * d("0.1") == d("0.012345678901234568"))
        // 0.123456789012345675 * 0.1 = 0.0123456789012345675 -> tie, 7 is odd -> ...68.
        #expect(d("0.123456789012345675") * d("0.1") == d("0.012345678901234568"))
        // 0.123456789012345665 * 0.1 = 0.0123456789012345665 -> tie, 6 is even -> ...66.
        #expect(d("0.123456789012345665") * d("0.1") == d("0.012345678901234566"))
    }

    @Test("quotients round half to even at the 18th digit")
    func division() {
        #expect(d("1") / d("3") == d("0.333333333333333333"))
        #expect(d("2") / d("3") == d("0.666666666666666667"))
        #expect(d("-2") / d("3") == d("-0.666666666666666667"))
        #expect(d("2") / d("-3") == d("-0.666666666666666667"))
        #expect(d("-2") / d("-3") == d("0.666666666666666667"))
        #expect(d("1") / d("8") == d("0.125"))
        #expect(d("65000.4") / d("2") == d("32500.2"))
        #expect(d("0.02") / d("0.1") == d("0.2"))
        // 1e-18 / 2 = 0.5e-18 -> 0 (even); 3e-18 / 2 = 1.5e-18 -> 2e-18; 5e-18 / 2 -> 2e-18.
        #expect(d("0.000000000000000001") / d("2") == 0)
        #expect(d("0.000000000000000003") / d("2") == d("0.000000000000000002"))
        #expect(d("0.000000000000000005") / d("2") == d("0.000000000000000002"))
        #expect(d("-0.000000000000000005") / d("2") == d("-0.000000000000000002"))
        // Dividing by a tiny value scales up exactly.
        #expect(d("1") / d("0.000000000000000001") == d("1000000000000000000"))
        #expect(d("100000000000000000000") / d("100000000000000000000") == 1)
    }

    @Test("comparison, sign and magnitude")
    func comparison() {
        #expect(d("-0.000000000000000001") < 0)
        #expect(d("0.1") < d("0.10000000000000001"))
        #expect(d("65000.1") > d("65000.09"))
        #expect([d("3"), d("-1"), d("0.5")].sorted() == [d("-1"), d("0.5"), d("3")])
        #expect(d("-2.5").magnitude == d("2.5"))
        #expect(d("-2.5").signum == -1 && d("0").signum == 0 && d("2.5").signum == 1)
        #expect(d("-2.5").isNegative && !d("-2.5").isPositive && !d("-2.5").isZero)
        #expect(FixedDecimal.zero.isZero && !FixedDecimal.zero.isNegative && !FixedDecimal.zero.isPositive)
        #expect(d("0.10") == d("0.1"))
        #expect(Set([d("0.10"), d("0.1"), d("1e-1")]).count == 1)
    }

    // MARK: Rounding to a grid

    /// A value, an increment, and the expected result under each rule.
    struct Case: Sendable, CustomTestStringConvertible {
        var value: String, increment: String, down: String, up: String, nearest: String, towardZero: String
        init(_ value: String, _ increment: String, down: String, up: String, nearest: String, towardZero: String) {
            (self.value, self.increment, self.down, self.up, self.nearest, self.towardZero) = (value, increment, down, up, nearest, towardZero)
        }
        var testDescription: String { "\(value) on \(increment)" }
    }

    @Test("rounding to a tick with every rule", arguments: [
        Case("1.3", "0.5", down: "1", up: "1.5", nearest: "1.5", towardZero: "1"),
        Case("1.2", "0.5", down: "1", up: "1.5", nearest: "1", towardZero: "1"),
        Case("-1.3", "0.5", down: "-1.5", up: "-1", nearest: "-1.5", towardZero: "-1"),
        Case("-1.2", "0.5", down: "-1.5", up: "-1", nearest: "-1", towardZero: "-1"),
        // ties go to the even multiple: 1.25 = 2.5 ticks -> 2 ticks; 1.75 = 3.5 ticks -> 4 ticks
        Case("1.25", "0.5", down: "1", up: "1.5", nearest: "1", towardZero: "1"),
        Case("1.75", "0.5", down: "1.5", up: "2", nearest: "2", towardZero: "1.5"),
        Case("-1.25", "0.5", down: "-1.5", up: "-1", nearest: "-1", towardZero: "-1"),
        Case("-1.75", "0.5", down: "-2", up: "-1.5", nearest: "-2", towardZero: "-1.5"),
        Case("0.25", "0.5", down: "0", up: "0.5", nearest: "0", towardZero: "0"),
        Case("-0.25", "0.5", down: "-0.5", up: "0", nearest: "0", towardZero: "0"),
        Case("0.75", "0.5", down: "0.5", up: "1", nearest: "1", towardZero: "0.5"),
        // already on the grid: every rule leaves it alone
        Case("65000.1", "0.1", down: "65000.1", up: "65000.1", nearest: "65000.1", towardZero: "65000.1"),
        Case("-65000.1", "0.1", down: "-65000.1", up: "-65000.1", nearest: "-65000.1", towardZero: "-65000.1"),
        Case("0", "0.01", down: "0", up: "0", nearest: "0", towardZero: "0"),
        // realistic ticks
        Case("65000.149999", "0.1", down: "65000.1", up: "65000.2", nearest: "65000.1", towardZero: "65000.1"),
        Case("65000.15", "0.1", down: "65000.1", up: "65000.2", nearest: "65000.2", towardZero: "65000.1"), // 650001.5 ticks -> even 650002
        Case("65000.25", "0.1", down: "65000.2", up: "65000.3", nearest: "65000.2", towardZero: "65000.2"), // 650002.5 ticks -> even 650002
        Case("0.000012345", "0.00000001", down: "0.00001234", up: "0.00001235", nearest: "0.00001234", towardZero: "0.00001234"),
        Case("0.000012355", "0.00000001", down: "0.00001235", up: "0.00001236", nearest: "0.00001236", towardZero: "0.00001235"),
        Case("0.000000000000000001", "0.00000001", down: "0", up: "0.00000001", nearest: "0", towardZero: "0"),
        Case("-0.000000000000000001", "0.00000001", down: "-0.00000001", up: "0", nearest: "0", towardZero: "0"),
        // lots
        Case("1.23456", "0.001", down: "1.234", up: "1.235", nearest: "1.235", towardZero: "1.234"),
        Case("-1.23456", "0.001", down: "-1.235", up: "-1.234", nearest: "-1.235", towardZero: "-1.234"),
        Case("7", "5", down: "5", up: "10", nearest: "5", towardZero: "5"),
        Case("12.5", "5", down: "10", up: "15", nearest: "10", towardZero: "10"), // 2.5 lots -> even 2
        Case("17.5", "5", down: "15", up: "20", nearest: "20", towardZero: "15"), // 3.5 lots -> even 4
        Case("-12.5", "5", down: "-15", up: "-10", nearest: "-10", towardZero: "-10"),
    ])
    func rounding(_ c: Case) {
        let x = d(c.value), step = d(c.increment)
        #expect(x.rounded(toMultipleOf: step, .down) == d(c.down))
        #expect(x.rounded(toMultipleOf: step, .up) == d(c.up))
        #expect(x.rounded(toMultipleOf: step, .nearest) == d(c.nearest))
        #expect(x.rounded(toMultipleOf: step, .towardZero) == d(c.towardZero))
        for rule in [RoundingRule.down, .up, .nearest, .towardZero] {
            let rounded = x.rounded(toMultipleOf: step, rule)
            #expect(rounded.isMultiple(of: step))
            #expect((rounded - x).magnitude < step)
        }
    }

    @Test("isMultiple(of:)")
    func isMultiple() {
        #expect(d("65000.1").isMultiple(of: d("0.1")))
        #expect(!d("65000.15").isMultiple(of: d("0.1")))
        #expect(d("-0.003").isMultiple(of: d("0.001")))
        #expect(d("0").isMultiple(of: d("0.001")))
        #expect(d("15").isMultiple(of: d("5")))
        #expect(!d("15").isMultiple(of: d("4")))
        #expect(d("0.00000001").isMultiple(of: d("0.00000001")))
        #expect(!d("0.000000015").isMultiple(of: d("0.00000001")))
        #expect(d("1").isMultiple(of: d("0.000000000000000001")))
        // Only positive increments define a grid.
        #expect(!d("1").isMultiple(of: 0))
        #expect(!d("1").isMultiple(of: d("-0.5")))
    }

    // MARK: Conversions

    @Test("doubleValue is the nearest double")
    func doubleValue() {
        #expect(d("0").doubleValue == 0)
        #expect(d("1.5").doubleValue == 1.5)
        #expect(d("-2.25").doubleValue == -2.25)
        #expect(d("0.1").doubleValue == 0.1)
        #expect(d("-0.1").doubleValue == -0.1)
        #expect(d("1e-8").doubleValue == 1e-8)
        #expect(d("1e20").doubleValue == 1e20)
        #expect(d("-1e20").doubleValue == -1e20)
        #expect(abs(d("65000.1").doubleValue - 65000.1) <= 65000.1.ulp)
        #expect(abs(d("0.000000000000000001").doubleValue - 1e-18) <= 1e-18.ulp)
        #expect(abs(d("-123456789012.123456789012345678").doubleValue + 123456789012.123456789) <= 123456789012.0.ulp)
    }

    @Test("approximating a double then rounding to the tick gives the exact price")
    func approximating() {
        #expect(FixedDecimal(approximating: 0.5) == d("0.5"))
        #expect(FixedDecimal(approximating: -3) == d("-3"))
        #expect(FixedDecimal(approximating: 0.1) == d("0.1"))
        #expect(FixedDecimal(approximating: 65000.1).rounded(toMultipleOf: d("0.1"), .nearest) == d("65000.1"))
        #expect(FixedDecimal(approximating: -0.00001234).rounded(toMultipleOf: d("0.00000001"), .nearest) == d("-0.00001234"))
        #expect(abs(FixedDecimal(approximating: 65000.1).doubleValue - 65000.1) <= 65000.1.ulp)
    }

    @Test("Codable: encodes as a JSON string and round-trips exactly")
    func codable() throws {
        let values = ["0.00000001", "65000.1", "-3", "123456789012.123456789012345678", "100000000000000000000", "0"].map(d)
        let data = try JSONEncoder().encode(values)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json == #"["0.00000001","65000.1","-3","123456789012.123456789012345678","100000000000000000000","0"]"#)
        #expect(try JSONDecoder().decode([FixedDecimal].self, from: data) == values)

        struct Quote: Codable, Equatable { var price: FixedDecimal; var size: FixedDecimal? }
        let quote = Quote(price: d("0.10"), size: d("1e-8"))
        let quoteJSON = try #require(String(data: JSONEncoder().encode(quote), encoding: .utf8))
        #expect(quoteJSON.contains(#""price":"0.1""#))
        #expect(quoteJSON.contains(#""size":"0.00000001""#))
        #expect(try JSONDecoder().decode(Quote.self, from: Data(quoteJSON.utf8)) == quote)
    }

    @Test("Codable: decodes exchange strings and plain JSON numbers, rejects garbage")
    func decoding() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode([FixedDecimal].self, from: Data(#"["0.10","1e-8","-0"]"#.utf8)) == [d("0.1"), d("0.00000001"), 0])
        #expect(try decoder.decode([FixedDecimal].self, from: Data(#"[1.5, 3, -0.25]"#.utf8)) == [d("1.5"), d("3"), d("-0.25")])
        #expect(throws: (any Error).self) { try decoder.decode([FixedDecimal].self, from: Data(#"["abc"]"#.utf8)) }
        #expect(throws: (any Error).self) { try decoder.decode([FixedDecimal].self, from: Data(#"["1e25"]"#.utf8)) }
        #expect(throws: (any Error).self) { try decoder.decode([FixedDecimal].self, from: Data(#"[null]"#.utf8)) }
    }
}
