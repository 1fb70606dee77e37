import HuracanCore
import Testing

private let t0 = Timestamp(seconds: 1_773_144_000)

/// Spread 2 + 2 x taker 4 = round trip 10 bps with no funding, so the score is proportional to volatility.
private func snap(
    _ coin: CoinIndex, _ venue: VenueID = .binance, vol: Double, spread: Double = 2, taker: Double = 4,
    funding: Double = 0, at time: Timestamp = t0
) -> CostSnapshot {
    CostSnapshot(coin: coin, venue: venue, spreadBps: spread, takerFeeBps: taker, makerFeeBps: 1,
                 fundingRateBps: funding, volatilityBps: vol, updatedAt: time)
}

/// Coins 0..<n with volatility n - i: coin i ranks at position i.
private func ladder(_ n: Int) -> [CostSnapshot] {
    (0..<n).map { snap(CoinIndex($0), vol: Double(n - $0)) }
}

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

@Suite struct CostRankerTests {
    let ranker = CostRanker(holdingSeconds: 3_600)

    // MARK: score

    @Test func scoreMatchesAHandComputation() {
        // move = 1.0 * sqrt(3600) * sqrt(2/pi) = 60 * 0.7978845608028654 = 47.873073648171925
        // cost = spread 2 + 2 x taker 5 + |1 bps/8h x 3600/28800| = 2 + 10 + 0.125 = 12.125
        // score = 47.873073648171925 / 12.125 = 3.9482947338698495
        let s = snap(0, vol: 1.0, spread: 2, taker: 5, funding: 1)
        #expect(close(ranker.score(s), 3.9482947338698495))
        // Funding counts by size whatever its sign: received funding is not a reason to rank a coin.
        #expect(close(ranker.score(snap(0, vol: 1.0, spread: 2, taker: 5, funding: -1)), 3.9482947338698495))
        // Holding 8 h: move 1.0 * sqrt(28800) * sqrt(2/pi) = 135.40591675...; cost 2 + 10 + 1 = 13.
        let long = CostRanker(holdingSeconds: 28_800)
        #expect(close(long.score(s), 28_800.0.squareRoot() * 0.7978845608028654 / 13, 1e-12))
    }

    @Test func invalidInputsScoreZero() {
        #expect(ranker.score(snap(0, vol: 0)) == 0)
        #expect(ranker.score(snap(0, vol: -1)) == 0)
        #expect(ranker.score(snap(0, vol: .nan)) == 0)
        #expect(ranker.score(snap(0, vol: .infinity)) == 0)
        #expect(ranker.score(snap(0, vol: 1, spread: -0.5)) == 0)
        #expect(ranker.score(snap(0, vol: 1, spread: .nan)) == 0)
        #expect(ranker.score(snap(0, vol: 1, taker: .nan)) == 0)
        #expect(ranker.score(snap(0, vol: 1, funding: .infinity)) == 0)
        // No cost at all (or a net rebate) is not data to rank on.
        #expect(ranker.score(snap(0, vol: 1, spread: 0, taker: 0)) == 0)
        #expect(ranker.score(snap(0, vol: 1, spread: 1, taker: -1)) == 0)
        #expect(ranker.score(snap(0, vol: 1)) > 0)
    }

    // MARK: rank

    @Test func ranksBestFirstWithTiesToTheLowerCoin() {
        let snapshots = [snap(4, vol: 2), snap(1, vol: 3), snap(3, vol: 3), snap(2, vol: 5), snap(0, vol: 2)]
        let ranked = ranker.rank(snapshots)
        #expect(ranked.map(\.coin) == [2, 1, 3, 0, 4])
        #expect(ranked[1].score == ranked[2].score && ranked[3].score == ranked[4].score)
        #expect(ranker.rank(snapshots.reversed()).map(\.coin) == [2, 1, 3, 0, 4])
        #expect(ranker.rank([]).isEmpty)
    }

    @Test func eachCoinAppearsOnceWithItsBestVenue() {
        let snapshots = [
            snap(0, .binance, vol: 2), snap(0, .okx, vol: 2, spread: 0), snap(0, .bybit, vol: .nan),
            snap(1, .bybit, vol: 2.1), snap(2, .okx, vol: .nan),
        ]
        let ranked = ranker.rank(snapshots)
        #expect(ranked.map(\.coin) == [0, 1, 2])
        #expect(ranked[0].score == ranker.score(snap(0, .okx, vol: 2, spread: 0)))
        // Invalid everywhere: listed last with score 0.
        #expect(ranked[2].score == 0)
    }

    // MARK: select

    @Test func selectsTheTopNFromScratch() {
        #expect(ranker.select(count: 4, current: [], snapshots: ladder(10)) == [0, 1, 2, 3])
        #expect(ranker.select(count: 4, current: [], snapshots: ladder(10).reversed()) == [0, 1, 2, 3])
        #expect(ranker.select(count: 0, current: [0, 1], snapshots: ladder(10)).isEmpty)
        #expect(ranker.select(count: 20, current: [], snapshots: ladder(3)) == [0, 1, 2])
        #expect(ranker.select(count: 4, current: [0, 1], snapshots: []).isEmpty)
    }

    @Test func retentionRankIsCeilOfCountTimesOnePlusHysteresis() {
        #expect(ranker.retentionRank(count: 4) == 5)
        #expect(ranker.retentionRank(count: 3) == 4)  // ceil(3.75)
        #expect(ranker.retentionRank(count: 20) == 25)
        #expect(ranker.retentionRank(count: 0) == 0)
        // 10 * 1.1 is 11.000000000000002 in binary: still 11.
        #expect(CostRanker(hysteresis: 0.1, holdingSeconds: 60).retentionRank(count: 10) == 11)
        #expect(CostRanker(hysteresis: 0, holdingSeconds: 60).retentionRank(count: 7) == 7)
    }

    @Test func aMemberInsideTheBandIsNotDisplacedByASlightlyBetterNonMember() {
        // count 4, hysteresis 0.25: members keep their place while ranked at positions 0...4.
        var snapshots = ladder(10)
        snapshots[3].volatilityBps = 5.9  // coin 4 has 6: coin 3 now ranks 5th (position 4)
        #expect(ranker.rank(snapshots).prefix(5).map(\.coin) == [0, 1, 2, 4, 3])
        #expect(ranker.select(count: 4, current: [0, 1, 2, 3], snapshots: snapshots) == [0, 1, 2, 3])
        // Without hysteresis the better coin takes the place.
        let strict = CostRanker(hysteresis: 0, holdingSeconds: 3_600)
        #expect(strict.select(count: 4, current: [0, 1, 2, 3], snapshots: snapshots) == [0, 1, 2, 4])
        // From scratch the ranking decides.
        #expect(ranker.select(count: 4, current: [], snapshots: snapshots) == [0, 1, 2, 4])
    }

    @Test func aMemberFallingOutsideTheBandIsDisplaced() {
        var snapshots = ladder(10)
        snapshots[3].volatilityBps = 4.9  // below coins 4 (6) and 5 (5): position 5, outside 0...4
        #expect(ranker.rank(snapshots).prefix(6).map(\.coin) == [0, 1, 2, 4, 5, 3])
        #expect(ranker.select(count: 4, current: [0, 1, 2, 3], snapshots: snapshots) == [0, 1, 2, 4])
    }

    @Test func stableSetDoesNotChurnAsScoresWobble() {
        // Coins 3 and 4 swap places every round; the set of 4 stays the same.
        var current = ranker.select(count: 4, current: [], snapshots: ladder(10))
        for round in 0..<10 {
            var snapshots = ladder(10)
            if round.isMultiple(of: 2) { snapshots[3].volatilityBps = 5.5; snapshots[4].volatilityBps = 6.5 }
            let next = ranker.select(count: 4, current: current, snapshots: snapshots)
            #expect(next == [0, 1, 2, 3])
            current = next
        }
    }

    @Test func shrinkingKeepsTheBestRankedMembers() {
        // count 3: band ceil(3.75) = 4. Coin 9 is now the best but not a member.
        var snapshots = ladder(10)
        snapshots[9].volatilityBps = 20
        let current: [CoinIndex] = [0, 1, 2, 3, 4, 5]
        #expect(ranker.rank(snapshots).prefix(4).map(\.coin) == [9, 0, 1, 2])
        #expect(ranker.select(count: 3, current: current, snapshots: snapshots) == [0, 1, 2])
        // Shrinking to 1: band ceil(1.25) = 2; member 0 at position 1 stays.
        #expect(ranker.select(count: 1, current: current, snapshots: snapshots) == [0])
        // With no member in the band the best coin takes the place.
        #expect(ranker.select(count: 1, current: [4, 5], snapshots: snapshots) == [9])
    }

    @Test func growingKeepsMembersInTheWiderBandAndFillsWithTheBest() {
        // count 5: band ceil(6.25) = 7; member 6 at position 6 stays, member 7 does not.
        #expect(ranker.select(count: 5, current: [0, 1, 6], snapshots: ladder(10)) == [0, 1, 2, 3, 6])
        #expect(ranker.select(count: 5, current: [0, 1, 7], snapshots: ladder(10)) == [0, 1, 2, 3, 4])
        #expect(ranker.select(count: 8, current: [0, 1, 2, 3], snapshots: ladder(10)) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func excludedCoinsAreNeverChosenAndLeaveTheSet() {
        #expect(ranker.select(count: 4, current: [], snapshots: ladder(10), excluded: [0, 2]) == [1, 3, 4, 5])
        // Member 1 goes stale: dropped, and the best non-member takes its place.
        #expect(ranker.select(count: 4, current: [0, 1, 2, 3], snapshots: ladder(10), excluded: [1]) == [0, 2, 3, 4])
        // An excluded coin takes no rank from a member: with coins 0 and 1 excluded, member 6 is at
        // position 4 of the eligible coins, inside the band of 5.
        #expect(ranker.select(count: 4, current: [6, 2], snapshots: ladder(10), excluded: [0, 1]) == [2, 3, 4, 6])
        #expect(ranker.select(count: 4, current: [], snapshots: ladder(3), excluded: [0, 1, 2]).isEmpty)
    }

    @Test func staleCoinsFromCostFreshnessAreExcluded() {
        let now = t0 + .seconds(300)
        var snapshots = ladder(6)
        snapshots[1].updatedAt = t0 + .seconds(179)  // 121 s old with a 60 s interval: stale
        snapshots[2].updatedAt = t0 + .seconds(180)  // exactly 120 s: fresh
        var stale: Set<CoinIndex> = []
        for s in snapshots where CostFreshness.isStale(s, now: now, interval: 60) { stale.insert(s.coin) }
        // The other coins, stamped t0, are 300 s old: stale too.
        #expect(stale == [0, 1, 3, 4, 5])
        var fresh = ladder(6)
        for i in fresh.indices { fresh[i].updatedAt = now }
        fresh[1].updatedAt = t0
        stale = []
        for s in fresh where CostFreshness.isStale(s, now: now, interval: 60) { stale.insert(s.coin) }
        #expect(stale == [1])
        #expect(ranker.select(count: 3, current: [0, 1, 2], snapshots: fresh, excluded: stale) == [0, 2, 3])
    }

    @Test func invalidSnapshotsAreNotChosenWhenEnoughValidOnesExist() {
        // Coins 0, 1, 2 would rank first on volatility but their data is invalid.
        var snapshots = ladder(8)
        snapshots[0].volatilityBps = 0
        snapshots[1].volatilityBps = .nan
        snapshots[2].spreadBps = -1
        #expect(ranker.select(count: 3, current: [], snapshots: snapshots) == [3, 4, 5])
        // Invalid members are dropped even inside the band.
        #expect(ranker.select(count: 3, current: [0, 1, 2], snapshots: snapshots) == [3, 4, 5])
        // Never chosen at all: fewer valid coins than places gives a shorter set.
        #expect(ranker.select(count: 8, current: [], snapshots: snapshots) == [3, 4, 5, 6, 7])
        // Invalid on one venue, valid on another: the valid venue counts.
        snapshots.append(snap(0, .bybit, vol: 8))
        #expect(ranker.select(count: 3, current: [], snapshots: snapshots) == [0, 3, 4])
    }

    @Test func selectionDoesNotDependOnInputOrder() {
        var snapshots = ladder(12)
        snapshots[5].volatilityBps = snapshots[4].volatilityBps  // a tie
        snapshots += [snap(3, .okx, vol: 13), snap(7, .bybit, vol: .nan)]
        let forward = ranker.select(count: 5, current: [9, 4, 2], snapshots: snapshots, excluded: [1])
        let backward = ranker.select(count: 5, current: [2, 4, 9], snapshots: snapshots.reversed(), excluded: [1])
        #expect(forward == backward)
        #expect(forward == [3, 0, 2, 4, 5])
    }
}

@Suite struct CostFreshnessTests {
    @Test func staleAfterTwiceTheUpdateInterval() {
        #expect(CostFreshness.staleAfterIntervals == 2)
        #expect(!CostFreshness.isStale(t0, now: t0, interval: 60))
        #expect(!CostFreshness.isStale(t0, now: t0 + .seconds(120), interval: 60))
        #expect(CostFreshness.isStale(t0, now: t0 + .seconds(120) + .nanoseconds(1_000), interval: 60))
        #expect(CostFreshness.isStale(t0, now: t0 + .seconds(121), interval: 60))
        // A venue clock slightly ahead of ours is not staleness.
        #expect(!CostFreshness.isStale(t0 + .seconds(1), now: t0, interval: 60))
        let s = snap(0, vol: 1, at: t0)
        #expect(CostFreshness.isStale(s, now: t0 + .seconds(3), interval: 1))
        #expect(!CostFreshness.isStale(s, now: t0 + .seconds(2), interval: 1))
    }

    @Test func invalidIntervalMeansStale() {
        #expect(CostFreshness.isStale(t0, now: t0, interval: .nan))
        #expect(CostFreshness.isStale(t0, now: t0, interval: -1))
        #expect(CostFreshness.isStale(t0, now: t0, interval: .infinity))
        // Zero interval: only a snapshot of this very instant is fresh.
        #expect(!CostFreshness.isStale(t0, now: t0, interval: 0))
        #expect(CostFreshness.isStale(t0, now: t0 + .nanoseconds(1), interval: 0))
    }
}
