/// A calendar date in UTC.
public struct UTCDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch z0: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), month: Int(m), day: Int(d))
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD`; nil when malformed or not a real date.
    public init?(parsing text: String) {
        let chars = Array(text.utf8)
        let digits: [UInt8]
        if chars.count == 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-") {
            digits = Array(chars[0..<4] + chars[5..<7] + chars[8..<10])
        } else {
            digits = chars
        }
        guard digits.count == 8, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let candidate = UTCDate(year: value / 10_000, month: value / 100 % 100, day: value % 100)
        guard (1...12).contains(candidate.month), (1...31).contains(candidate.day),
              UTCDate(daysSinceEpoch: candidate.daysSinceEpoch) == candidate else { return nil }
        self = candidate
    }

    public var start: Timestamp { Timestamp(seconds: daysSinceEpoch * 86_400) }

    public static func < (lhs: UTCDate, rhs: UTCDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// `YYYY-MM-DD`.
    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
    /// `YYYYMMDD`, the partition file name.
    public var compact: String { "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))" }
}

@usableFromInline func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

extension Timestamp {
    /// Parses a date (`YYYY-MM-DD`, its midnight UTC) or an ISO-8601 instant
    /// `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z]` (UTC; a space may replace the `T`); nil when malformed.
    public init?(parsingInstant text: String) {
        if let day = UTCDate(parsing: text) {
            self = day.start
            return
        }
        var rest = Substring(text)
        if rest.hasSuffix("Z") { rest = rest.dropLast() }
        guard rest.count >= 16, let day = UTCDate(parsing: String(rest.prefix(10))) else { return nil }
        let separator = rest[rest.index(rest.startIndex, offsetBy: 10)]
        guard separator == "T" || separator == " " else { return nil }
        let clock = rest.dropFirst(11).split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2 || clock.count == 3, clock[0].count == 2, clock[1].count == 2,
              let hours = Int(clock[0]), let minutes = Int(clock[1]), (0..<24).contains(hours), (0..<60).contains(minutes) else { return nil }
        var nanos = Int64(hours * 3_600 + minutes * 60) * 1_000_000_000
        if clock.count == 3 {
            let parts = clock[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0].count == 2, let seconds = Int(parts[0]), (0..<60).contains(seconds) else { return nil }
            nanos += Int64(seconds) * 1_000_000_000
            if parts.count == 2 {
                let digits = parts[1]
                guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCII), let fraction = Int64(digits) else { return nil }
                var scaled = fraction
                for _ in digits.count..<9 { scaled *= 10 }
                nanos += scaled
            }
        }
        self = day.start + .nanoseconds(nanos)
    }
}

extension Timestamp: CustomStringConvertible {
    public var date: UTCDate { UTCDate(daysSinceEpoch: dayNumber) }

    /// ISO 8601 with milliseconds, e.g. `2026-11-25T13:48:28.123Z`.
    public var description: String {
        let nanosOfDay = nanoseconds - dayNumber * 86_400_000_000_000
        let millis = Int(nanosOfDay / 1_000_000)
        let h = millis / 3_600_000, m = millis / 60_000 % 60, s = millis / 1000 % 60, ms = millis % 1000
        return "\(date)T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}
