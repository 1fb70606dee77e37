/// A decimal string that cannot be represented exactly.
public struct DecimalParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String
    public var description: String { "invalid decimal \"\(input)\": \(reason)" }
}

extension FixedDecimal {
    /// Parses an exchange decimal string exactly ("0.00001", "65000.10", "-1.5", "1e-8", "2.5E3").
    /// Throws when the text is not a number, has more than 18 fractional digits of significance,
    /// or is out of range; never rounds silently.
    public init(parsing text: String) throws(DecimalParseError) {
        var bytes = Array(text.utf8)[...]
        func fail(_ reason: String) -> DecimalParseError { DecimalParseError(input: text, reason: reason) }
        guard !bytes.isEmpty else { throw fail("empty string") }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let value = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)), abs(value) < 100 else {
                throw fail("bad exponent")
            }
            exponent = value
            bytes = bytes[..<e]
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { throw fail("more than one decimal point") }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            } else {
                throw fail("unexpected character \"\(Character(Unicode.Scalar(byte)))\"")
            }
        }
        guard !digits.isEmpty else { throw fail("no digits") }
        // value = digits * 10^(exponent - fractionDigits); shift into 18 fractional places.
        var shift = Self.scale + exponent - fractionDigits
        while shift < 0, let last = digits.last, last == 0, digits.count > 1 {
            digits.removeLast()
            shift += 1
        }
        if shift < 0 {
            if digits.allSatisfy({ $0 == 0 }) { self.init(mantissa: 0); return }
            throw fail("more than \(Self.scale) fractional digits")
        }
        var value: Int128 = 0
        for digit in digits {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int128(digit))
            guard !o1, !o2 else { throw fail("out of range") }
            value = sum
        }
        for _ in 0..<shift {
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw fail("out of range") }
            value = times10
        }
        self.init(mantissa: negative ? -value : value)
    }
}

extension FixedDecimal: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = try FixedDecimal(parsing: text)
        } else {
            self = try FixedDecimal(parsing: String(container.decode(Double.self)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
