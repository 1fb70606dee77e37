import HuracanCore
import HuracanSimVenue

/// The coins the engine trades, chosen by cost efficiency (`CostRanker`) and re-ranked every
/// ranking interval, or the most liquid ones when ranking is off. Owned by the engine's
/// coordinator; the engine moves coins between shards when the choice changes.
struct ActiveSet {
    /// The coins chosen to trade, best first.
    var coins: [CoinIndex]
    /// Cost rank of each coin (1 = best) from the last ranking, when the set is ranked.
    private(set) var costRanks: [CoinIndex: Int] = [:]
    private(set) var nextRanking: Timestamp
    let ranker: CostRanker
    let universe: Universe
    /// The simulated market's coin profiles, ranked on when there is no `costSource`.
    let market: SimulatedMarket?
    /// The real venue whose feed drives the engine (no simulated market).
    let feedVenue: VenueID?
    /// Real venues: each coin's costs from the venue's 24 h statistics and quotes. A coin missing
    /// from it is not ranked (it only tops the set up when too few can be).
    let costSource: (@Sendable (Timestamp) -> [CoinIndex: CostSnapshot])?
    let rankingIntervalSeconds: Double
    let costUpdateIntervalSeconds: Double

    init(settings: EngineSettings, universe: Universe, market: SimulatedMarket?, feedVenue: VenueID?, start: Timestamp,
         costSource: (@Sendable (Timestamp) -> [CoinIndex: CostSnapshot])?) {
        ranker = CostRanker(hysteresis: settings.rankingHysteresis, holdingSeconds: settings.strategy.scalp.expectedHoldingSeconds)
        self.universe = universe
        self.market = market
        self.feedVenue = feedVenue
        self.costSource = costSource
        rankingIntervalSeconds = settings.rankingIntervalSeconds
        costUpdateIntervalSeconds = settings.costUpdateIntervalSeconds
        nextRanking = start + .nanoseconds(Int64(settings.rankingIntervalSeconds * 1e9))
        if settings.rankActiveSet, let market {
            let snapshots = (0..<universe.count).map { market.typicalCosts(of: CoinIndex($0), at: start) }
            let ranked = ranker.rank(snapshots)
            coins = Self.fill(ranker.select(count: settings.activeCoins, current: [], snapshots: snapshots), to: settings.activeCoins, universe: universe)
            costRanks = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1.coin, $0 + 1) })
        } else {
            // Unranked, or ranked later on the venue's own figures (`Engine.rankNow`).
            coins = (0..<settings.activeCoins).map { CoinIndex($0) }
        }
    }

    /// Whether the next re-ranking is due.
    func isDue(at time: Timestamp) -> Bool { time >= nextRanking }

    /// The best `count` coins by cost efficiency, keeping current members within the
    /// hysteresis band; falls back to the most liquid coins when too few can be ranked.
    /// `fresh`: no hysteresis (the current set came from other figures).
    mutating func select(count: Int, at time: Timestamp, fresh: Bool = false, shards: [Shard]) -> [CoinIndex] {
        let (snapshots, stale) = costSnapshots(at: time, shards: shards)
        let chosen = Self.fill(ranker.select(count: count, current: fresh ? [] : coins, snapshots: snapshots, excluded: stale), to: count,
                               universe: universe, excluding: stale)
        costRanks = Dictionary(uniqueKeysWithValues: ranker.rank(snapshots).enumerated().map { ($1.coin, $0 + 1) })
        nextRanking = time + .nanoseconds(Int64(rankingIntervalSeconds * 1e9))
        return chosen
    }

    /// Cost data for every coin: the venue's day statistics for spread and volatility (stable
    /// enough to rank on: a minute's volatility would make the set churn), with live fees and
    /// funding for traded coins.
    func costSnapshots(at time: Timestamp, shards: [Shard]) -> (snapshots: [CostSnapshot], stale: Set<CoinIndex>) {
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
                if p.costs.isStale(at: time, intervalSeconds: costUpdateIntervalSeconds), p.costs.updatedAt > .epoch {
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

    /// Tops a ranked selection up with the most liquid coins when too few could be ranked.
    static func fill(_ chosen: [CoinIndex], to count: Int, universe: Universe, excluding excluded: Set<CoinIndex> = []) -> [CoinIndex] {
        guard chosen.count < count else { return chosen }
        let have = Set(chosen)
        return chosen + (0..<universe.count).map { CoinIndex($0) }.filter { !have.contains($0) && !excluded.contains($0) }.prefix(count - chosen.count)
    }

    /// The venue whose market data drives `coin`.
    func dataVenue(of coin: CoinIndex) -> VenueID { market?.venue(of: coin) ?? feedVenue! }
}
