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
    /// Local time the kept measurement was sent.
    private var measuredAt: Int64 = 0
    /// How long a measurement with a shorter round trip is preferred to newer, slower ones.
    public static let preferTighterFor: Int64 = 60_000_000_000

    public init() {}

    /// Records one measurement: the request left at `sent`, the reply arrived at `received`, the
    /// venue said `server`. The venue's time is taken as the midpoint of the round trip, so its
    /// error is at most half the round trip. A measurement with a longer round trip than the kept
    /// one that agrees with it (within both errors) is dropped while the kept one is younger than
    /// `preferTighterFor`: a slow reply on a busy link must not move the clock by tens of
    /// milliseconds. One that disagrees is taken at once: a clock moved (the venue's or ours).
    public mutating func record(sent: Timestamp, received: Timestamp, server: Timestamp) {
        let roundTrip = max(0, received - sent)
        let measured = server.nanoseconds - (sent.nanoseconds + roundTrip / 2)
        if isMeasured, roundTrip > roundTripNanoseconds, sent.nanoseconds - measuredAt < Self.preferTighterFor,
           abs(measured - offsetNanoseconds) <= (roundTrip + roundTripNanoseconds) / 2 { return }
        measuredAt = sent.nanoseconds
        offsetNanoseconds = measured
        roundTripNanoseconds = roundTrip
        isMeasured = true
    }

    /// Our local time translated to the venue's clock.
    public func serverTime(atLocal local: Timestamp) -> Timestamp { Timestamp(nanoseconds: local.nanoseconds + offsetNanoseconds) }

    /// Absolute skew in milliseconds, for `venues check`.
    public var skewMilliseconds: Double { Double(offsetNanoseconds) / 1e6 }
}
