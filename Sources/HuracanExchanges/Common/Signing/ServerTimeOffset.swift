import HuracanCore

/// The difference between a venue's clock and ours, measured from a server-time call
/// (`/fapi/v1/time`, `/api/v5/public/time`, `/v5/market/time`). Signed timestamps use the venue's
/// clock so requests are not refused as outside the receive window (-1021, 50102, 10002).
public struct ServerTimeOffset: Sendable, Hashable {
    /// Venue clock minus local clock.
    public private(set) var offsetNanoseconds: Int64 = 0
    /// Round trip of the measurement that set the offset.
    public private(set) var roundTripNanoseconds: Int64 = 0
    public private(set) var isMeasured = false

    public init() {}

    /// Records one measurement: the request left at `sent`, the reply arrived at `received`, the
    /// venue said `server`. The venue's time is taken as the midpoint of the round trip. A
    /// measurement with a longer round trip than the current one only replaces it when older than
    /// a refresh (callers re-measure periodically) — here the newest always wins for simplicity.
    public mutating func record(sent: Timestamp, received: Timestamp, server: Timestamp) {
        let roundTrip = max(0, received - sent)
        let midpoint = sent.nanoseconds + roundTrip / 2
        offsetNanoseconds = server.nanoseconds - midpoint
        roundTripNanoseconds = roundTrip
        isMeasured = true
    }

    /// Our local time translated to the venue's clock.
    public func serverTime(atLocal local: Timestamp) -> Timestamp { Timestamp(nanoseconds: local.nanoseconds + offsetNanoseconds) }

    /// Absolute skew in milliseconds, for `venues check`.
    public var skewMilliseconds: Double { Double(offsetNanoseconds) / 1e6 }
}
