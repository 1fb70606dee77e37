/// Thresholds of the circuit breakers, from `engine.risk.*`, with the spec's defaults.
/// Percentages are in percent (10 = 10%); the configuration layer validates the ranges.
public struct BreakerSettings: Sendable, Hashable {
    /// Drawdown from peak equity that halts trading (HALTED) until an operator reset.
    public var maxDrawdownPct = 10.0
    /// Loss since the start of the UTC day that stops new entries (REDUCING) until the next UTC day.
    public var dailyLossLimitPct = 5.0
    /// Losing trades in a row on one coin before the coin cools down.
    public var maxConsecutiveLosses = 4
    /// How long a coin takes no new entries after `maxConsecutiveLosses` losses in a row.
    public var lossCooldownSeconds = 1800.0
    /// No new entries on a coin whose last market data is older than this.
    public var staleDataSeconds = 10.0
    /// A coin that never had market data is reported stale only this long after it started to be
    /// watched (start-up, or joining the active set): connecting and the first snapshot take time.
    public var staleDataGraceSeconds = 60.0
    /// Failed (error or reject) share of a venue's requests that stops entries routed there.
    public var venueErrorRatePct = 20.0
    /// Length of the sliding window over which the venue error rate is measured.
    public var venueErrorWindowSeconds = 60.0
    /// Below this many requests in the window the venue error rate is not judged (no trip).
    public var venueMinimumRequests = 20

    public init() {}
}
