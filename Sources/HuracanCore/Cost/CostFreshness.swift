/// When cost figures are too old to trade on.
///
/// Rule: costs are refreshed every `update_interval_seconds` (`engine.cost_model`); a snapshot is
/// stale once it is more than twice that interval old, i.e. at least one whole refresh was
/// missed. Exactly twice the interval is still fresh. A snapshot stamped after `now` (a venue
/// clock slightly ahead) counts as fresh. A non-finite or negative interval makes everything
/// stale: without a valid interval no freshness can be vouched for.
public enum CostFreshness {
    /// How many update intervals a snapshot may age before it is stale.
    public static let staleAfterIntervals = 2.0

    /// Whether costs last updated at `updatedAt` are stale at `now`, refreshed every `interval` seconds.
    @inlinable public static func isStale(_ updatedAt: Timestamp, now: Timestamp, interval: Double) -> Bool {
        guard interval.isFinite, interval >= 0 else { return true }
        let ageSeconds = Double(now - updatedAt) / 1e9
        return ageSeconds > staleAfterIntervals * interval
    }

    /// Whether `snapshot` is stale at `now`, refreshed every `interval` seconds.
    @inlinable public static func isStale(_ snapshot: CostSnapshot, now: Timestamp, interval: Double) -> Bool {
        isStale(snapshot.updatedAt, now: now, interval: interval)
    }
}
