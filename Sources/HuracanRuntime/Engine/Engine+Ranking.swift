import HuracanCore
import HuracanSimVenue
import Logging

/// Choosing the active set by cost efficiency.
extension Engine {
    /// Cost data for every coin: the venue's day statistics for spread and volatility (stable
    /// enough to rank on: a minute's volatility would make the set churn), with live fees and
    /// funding for traded coins.
    func costSnapshots(at time: Timestamp) -> (snapshots: [CostSnapshot], stale: Set<CoinIndex>) {
        let external = costSource?(time)
        func base(_ coin: CoinIndex) -> CostSnapshot {
            if external == nil, let market { return market.typicalCosts(of: coin, at: time) }
            return external?[coin] ?? CostSnapshot(coin: coin, venue: dataVenue(of: coin), spreadBps: .nan, takerFeeBps: .nan, makerFeeBps: .nan,
                                                   fundingRateBps: .nan, volatilityBps: .nan, updatedAt: .epoch)
        }
        var live: [CoinIndex: CostSnapshot] = [:]
        var stale: Set<CoinIndex> = []
        for shard in shards {
            for slot in shard.slots {
                let p = slot.pipeline
                if p.costs.isStale(at: time, intervalSeconds: settings.costUpdateIntervalSeconds), p.costs.updatedAt > .epoch {
                    stale.insert(p.index)
                }
                guard p.costs.updatedAt > .epoch else { continue }
                var snapshot = base(p.index)
                snapshot.takerFeeBps = p.costs.takerFeeBps
                snapshot.makerFeeBps = p.costs.makerFeeBps
                snapshot.fundingRateBps = p.costs.fundingRateBps
                snapshot.updatedAt = p.costs.updatedAt
                live[p.index] = snapshot
            }
        }
        let snapshots = (0..<universe.count).map { i in live[CoinIndex(i)] ?? base(CoinIndex(i)) }
        return (snapshots, stale)
    }

    /// The best `count` coins by cost efficiency, keeping current members within the
    /// hysteresis band; falls back to the most liquid coins when too few can be ranked.
    /// `fresh`: no hysteresis (the current set came from other figures).
    func rankedSelection(count: Int, at time: Timestamp, fresh: Bool = false) -> [CoinIndex] {
        let (snapshots, stale) = costSnapshots(at: time)
        let chosen = Self.fill(ranker.select(count: count, current: fresh ? [] : activeSet, snapshots: snapshots, excluded: stale), to: count,
                               universe: universe, excluding: stale)
        costRanks = Dictionary(uniqueKeysWithValues: ranker.rank(snapshots).enumerated().map { ($1.coin, $0 + 1) })
        nextRanking = time + .nanoseconds(Int64(settings.rankingIntervalSeconds * 1e9))
        return chosen
    }

    /// Tops a ranked selection up with the most liquid coins when too few could be ranked.
    static func fill(_ chosen: [CoinIndex], to count: Int, universe: Universe, excluding excluded: Set<CoinIndex> = []) -> [CoinIndex] {
        guard chosen.count < count else { return chosen }
        let have = Set(chosen)
        return chosen + (0..<universe.count).map { CoinIndex($0) }.filter { !have.contains($0) && !excluded.contains($0) }.prefix(count - chosen.count)
    }

    /// The venue whose market data drives `coin`.
    func dataVenue(of coin: CoinIndex) -> VenueID { market?.venue(of: coin) ?? feedInput!.venue }

    /// Ranks now (after `costSource` was set: a live run's first active set comes from the venue).
    public func rankNow(why: String) {
        guard settings.rankActiveSet else { return }
        let chosen = rankedSelection(count: settings.activeCoins, at: now, fresh: true)
        if Set(chosen) != Set(activeSet) { setActiveSet(chosen, why: why) }
        logger.info("active set (\(why)): \(activeSet.map { universe[$0].coin }.joined(separator: ","))")
    }

    func rerank() {
        let chosen = rankedSelection(count: settings.activeCoins, at: now)
        guard Set(chosen) != Set(activeSet) else { return }
        let added = Set(chosen).subtracting(activeSet).map { universe[$0].coin }.sorted()
        let removed = Set(activeSet).subtracting(chosen).map { universe[$0].coin }.sorted()
        setActiveSet(chosen, why: "cost re-ranking: +\(added.joined(separator: ",")) -\(removed.joined(separator: ","))")
    }
}
