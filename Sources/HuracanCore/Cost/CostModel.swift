/// Costs of trading one coin on one venue, kept current from the book, the venue's fee interface
/// and its funding rate. All figures in basis points of notional.
public struct CoinCosts: Sendable, Hashable {
    public var spreadBps = 0.0
    public var makerFeeBps = 2.0
    public var takerFeeBps = 5.0
    /// Funding rate per 8 hours, in bps (positive: longs pay).
    public var fundingRateBps = 0.0
    public var fundingIntervalHours = 8.0
    /// When fees and funding were last refreshed from the venue.
    public var updatedAt = Timestamp.epoch
    public init() {}

    /// Fees and funding older than two refresh intervals are stale: no new entries on the coin.
    @inlinable public func isStale(at now: Timestamp, intervalSeconds: Double) -> Bool {
        Double(now.nanoseconds - updatedAt.nanoseconds) > 2 * intervalSeconds * 1e9
    }

    /// Expected funding cost of holding `side` for `holdingSeconds` (negative: received).
    @inlinable public func fundingCostBps(side: Side, holdingSeconds: Double) -> Double {
        let intervals = holdingSeconds / (fundingIntervalHours * 3_600)
        return fundingRateBps * intervals * Double(side.sign)
    }

    /// Round-trip cost of a taker entry and exit: the spread crossed once (half on the way in,
    /// half on the way out), two taker fees, and funding over the expected holding time.
    @inlinable public func roundTripCostBps(side: Side, holdingSeconds: Double) -> Double {
        spreadBps + 2 * takerFeeBps + fundingCostBps(side: side, holdingSeconds: holdingSeconds)
    }

    /// The spec's `calculate_edge_after_cost`: expected edge (in the trade's direction) minus costs.
    @inlinable public func edgeAfterCost(edgeBps: Double, side: Side, holdingSeconds: Double) -> Double {
        abs(edgeBps) - roundTripCostBps(side: side, holdingSeconds: holdingSeconds)
    }
}
