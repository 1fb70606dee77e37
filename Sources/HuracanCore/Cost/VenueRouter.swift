/// Multi-venue routing: when a coin is listed on several venues, enter where the all-in cost is
/// lowest, among the venues that may take entries (breaker not tripped, exchange limit not reached).
///
/// The router does not judge freshness: drop stale snapshots (`CostFreshness`) from the candidates.
public struct VenueRouter: Sendable {
    public init() {}

    /// All-in cost in bps of entering on `snapshot.venue` now for `side`, held `holdingSeconds`:
    /// half the spread (the entry's share of the crossing) + the taker fee + funding over the
    /// holding time signed by side (positive rate: longs pay, shorts receive; negative bps is a net
    /// receipt). `.infinity` when the spread is not finite or negative, the fee or funding rate is
    /// not finite, or the holding time is not finite or negative: such a venue never wins.
    @inlinable public func allInCostBps(_ snapshot: CostSnapshot, side: Side, holdingSeconds: Double) -> Double {
        guard snapshot.spreadBps.isFinite, snapshot.spreadBps >= 0, snapshot.takerFeeBps.isFinite,
              snapshot.fundingRateBps.isFinite, holdingSeconds.isFinite, holdingSeconds >= 0 else { return .infinity }
        let funding = snapshot.fundingOverBps(holdingSeconds: holdingSeconds) * Double(side.sign)
        return snapshot.spreadBps * 0.5 + snapshot.takerFeeBps + funding
    }

    /// The cheapest venue among `candidates` (snapshots of one coin) that is not blocked; nil when
    /// none is usable. `blocked[venue.index] == true` means the venue may not take entries (breaker
    /// tripped or exchange exposure limit reached); venues past the end of `blocked` are not
    /// blocked. Candidates with an invalid cost (`.infinity`) are skipped. Equal costs go to the
    /// venue first in `VenueID.allCases`, whatever the candidates' order. Allocates nothing.
    public func choose(candidates: [CostSnapshot], side: Side, holdingSeconds: Double, blocked: [Bool]) -> VenueID? {
        var best: VenueID?
        var bestCost = Double.infinity
        for candidate in candidates {
            let index = candidate.venue.index
            if index < blocked.count && blocked[index] { continue }
            let cost = allInCostBps(candidate, side: side, holdingSeconds: holdingSeconds)
            guard cost.isFinite else { continue }
            if let incumbent = best, !(cost < bestCost || (cost == bestCost && index < incumbent.index)) { continue }
            best = candidate.venue
            bestCost = cost
        }
        return best
    }
}
