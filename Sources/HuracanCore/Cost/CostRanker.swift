/// Ranks coins by cost efficiency (typical move over the holding time per bp of round-trip cost)
/// and chooses the active set, with hysteresis so a coin near the cut-off does not churn in and out.
///
/// Pure and deterministic: same snapshots, same answer, independent of input order.
public struct CostRanker: Sendable {
    /// A member keeps its place while its rank is below `ceil(count * (1 + hysteresis))`.
    public var hysteresis: Double
    /// Expected holding time the score is computed for, in seconds.
    public var holdingSeconds: Double

    /// E|X| / sigma for a normal X: the typical (mean absolute) move is sigma * sqrt(2 / pi).
    @usableFromInline static let meanAbsoluteFactor = (2.0 / Double.pi).squareRoot()

    /// - Parameters:
    ///   - hysteresis: extra rank room a current member gets, as a share of `count` (0.25: a
    ///     member of a 20-coin set stays while it ranks in the top 25). Must be finite and >= 0.
    ///   - holdingSeconds: expected holding time, e.g. `StrategyParameters.expectedHoldingSeconds`.
    ///     Must be finite and > 0.
    public init(hysteresis: Double = 0.25, holdingSeconds: Double) {
        precondition(hysteresis.isFinite && hysteresis >= 0,
                     "CostRanker.hysteresis: must be a finite number >= 0, got \(hysteresis)")
        precondition(holdingSeconds.isFinite && holdingSeconds > 0,
                     "CostRanker.holdingSeconds: must be a finite number > 0, got \(holdingSeconds)")
        self.hysteresis = hysteresis
        self.holdingSeconds = holdingSeconds
    }

    /// Cost efficiency: the typical move over the holding time
    /// (`volatility * sqrt(holding) * sqrt(2/pi)`) divided by the round-trip cost
    /// (`spread + 2 * taker + |funding over holding|`). Higher is better.
    ///
    /// 0 when the inputs are missing or invalid: volatility not finite or <= 0, spread not finite
    /// or < 0, taker fee or funding not finite, or a round-trip cost that is not > 0.
    @inlinable public func score(_ snapshot: CostSnapshot) -> Double {
        let volatility = snapshot.volatilityBps, spread = snapshot.spreadBps
        guard volatility.isFinite, volatility > 0, spread.isFinite, spread >= 0,
              snapshot.takerFeeBps.isFinite, snapshot.fundingRateBps.isFinite else { return 0 }
        let cost = spread + 2 * snapshot.takerFeeBps + abs(snapshot.fundingOverBps(holdingSeconds: holdingSeconds))
        guard cost.isFinite, cost > 0 else { return 0 }
        let move = volatility * holdingSeconds.squareRoot() * Self.meanAbsoluteFactor
        let score = move / cost
        return score.isFinite ? score : 0
    }

    /// Ranked coins, best first; equal scores go to the lower `CoinIndex`. Each coin appears once,
    /// with its best venue's score. Coins whose every snapshot is invalid appear last, with 0.
    public func rank(_ snapshots: [CostSnapshot]) -> [(coin: CoinIndex, score: Double)] {
        rank(snapshots, excluded: [], validOnly: false)
    }

    /// The rank below which a current member of a `count`-coin set keeps its place:
    /// `ceil(count * (1 + hysteresis))`, never below `count`. A hair of tolerance keeps
    /// binary rounding (10 * 1.1 = 11.000000000000002) from widening the band by one.
    public func retentionRank(count: Int) -> Int {
        guard count > 0 else { return 0 }
        let raw = (Double(count) * (1 + hysteresis) - 1e-9).rounded(.up)
        return raw < 9e18 ? max(count, Int(raw)) : Int.max
    }

    /// The next active set of `count` coins, in rank order.
    ///
    /// Current members stay while their rank is below `retentionRank(count:)` and their score is
    /// valid (> 0); when more members than `count` qualify (the set shrank) the best-ranked of them
    /// stay. The remaining places go to the best-ranked non-members. Ranks are taken among the
    /// eligible coins only: those not in `excluded` (e.g. stale costs) with a valid score, so an
    /// excluded or invalid coin is never chosen, is dropped from the set, and takes no rank from
    /// anyone. The result is shorter than `count` when fewer eligible coins exist; with no cost
    /// data at all it is empty and the caller falls back to `Universe.top(_:)`.
    ///
    /// Allocates the returned array and one ranking buffer (plus whatever the standard library's
    /// sort uses); membership is checked by scanning `current`, which is at most a few hundred coins.
    public func select(count: Int, current: [CoinIndex], snapshots: [CostSnapshot], excluded: Set<CoinIndex> = []) -> [CoinIndex] {
        guard count > 0 else { return [] }
        let ranked = rank(snapshots, excluded: excluded, validOnly: true)
        let band = retentionRank(count: count)
        var membersInBand = 0
        for position in 0..<min(band, ranked.count) where current.contains(ranked[position].coin) {
            membersInBand += 1
        }
        let keep = min(count, membersInBand)
        var kept = 0
        var openPlaces = count - keep
        var chosen: [CoinIndex] = []
        chosen.reserveCapacity(min(count, ranked.count))
        for position in ranked.indices where chosen.count < count {
            let coin = ranked[position].coin
            if current.contains(coin) {
                if position < band && kept < keep {
                    chosen.append(coin)
                    kept += 1
                }
            } else if openPlaces > 0 {
                chosen.append(coin)
                openPlaces -= 1
            }
        }
        return chosen
    }

    /// One entry per coin (its best venue's score), best first, ties to the lower `CoinIndex`.
    /// Sorting twice in one buffer avoids a dictionary: first by coin to keep each coin's best
    /// venue, then by score.
    func rank(_ snapshots: [CostSnapshot], excluded: Set<CoinIndex>, validOnly: Bool) -> [(coin: CoinIndex, score: Double)] {
        var ranked: [(coin: CoinIndex, score: Double)] = []
        ranked.reserveCapacity(snapshots.count)
        for snapshot in snapshots where !excluded.contains(snapshot.coin) {
            let value = score(snapshot)
            if validOnly && !(value > 0) { continue }
            ranked.append((snapshot.coin, value))
        }
        ranked.sort { $0.coin != $1.coin ? $0.coin < $1.coin : $0.score > $1.score }
        var unique = 0
        for position in ranked.indices where unique == 0 || ranked[position].coin != ranked[unique - 1].coin {
            ranked[unique] = ranked[position]
            unique += 1
        }
        ranked.removeLast(ranked.count - unique)
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.coin < $1.coin }
        return ranked
    }
}
