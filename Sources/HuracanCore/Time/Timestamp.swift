/// A point in time as integer nanoseconds since the Unix epoch, UTC.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    /// Times in coarser units saturate instead of trapping: a number from outside (a venue's
    /// message, a file) beyond the year 2262 becomes `distantFuture` (or its negative) rather
    /// than crashing the engine; the readers that care check the range.
    @inlinable public init(milliseconds: Int64) { self.nanoseconds = Self.saturating(milliseconds, 1_000_000) }
    @inlinable public init(microseconds: Int64) { self.nanoseconds = Self.saturating(microseconds, 1_000) }
    @inlinable public init(seconds: Int64) { self.nanoseconds = Self.saturating(seconds, 1_000_000_000) }

    @inlinable static func saturating(_ value: Int64, _ scale: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? (value < 0 ? .min : .max) : product
    }

    public static let epoch = Timestamp(nanoseconds: 0)
    /// Later than any real time: "never".
    public static let distantFuture = Timestamp(nanoseconds: .max)

    @inlinable public var milliseconds: Int64 { nanoseconds / 1_000_000 }
    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    @inlinable public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanoseconds: lhs.nanoseconds + rhs.nanosecondsTotal)
    }
    @inlinable public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanoseconds: lhs.nanoseconds - rhs.nanosecondsTotal)
    }
    /// Nanoseconds from `rhs` to `lhs`.
    @inlinable public static func - (lhs: Timestamp, rhs: Timestamp) -> Int64 { lhs.nanoseconds - rhs.nanoseconds }

    /// The UTC calendar day (days since the epoch), for day partitions and daily limits.
    @inlinable public var dayNumber: Int64 {
        let perDay: Int64 = 86_400_000_000_000
        // Floor division that cannot overflow, also at Int64.min.
        return nanoseconds >= 0 ? nanoseconds / perDay : -((-(nanoseconds + 1)) / perDay) - 1
    }
}

extension Duration {
    /// The whole duration in nanoseconds (saturating is not needed for trading horizons).
    @inlinable public var nanosecondsTotal: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
