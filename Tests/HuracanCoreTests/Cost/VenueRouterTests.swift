import HuracanCore
import Testing

private let t0 = Timestamp(seconds: 1_773_144_000)

private func snap(_ venue: VenueID, spread: Double, taker: Double, funding: Double) -> CostSnapshot {
    CostSnapshot(coin: 7, venue: venue, spreadBps: spread, takerFeeBps: taker, makerFeeBps: 1,
                 fundingRateBps: funding, volatilityBps: 1, updatedAt: t0)
}

@Suite struct VenueRouterTests {
    let router = VenueRouter()
    /// Binance: longs pay 10 bps per 8 h. Bybit: wider and dearer, but longs receive 5 bps per 8 h.
    let binance = snap(.binance, spread: 2, taker: 5, funding: 10)
    let bybit = snap(.bybit, spread: 3, taker: 5.5, funding: -5)
    let eightHours = 28_800.0
    let none = [false, false, false]

    @Test func allInCostMatchesAHandComputation() {
        // Binance, 8 h: half spread 1 + taker 5 + funding 10 x 1 interval = 16 long, 1 + 5 - 10 = -4 short.
        #expect(router.allInCostBps(binance, side: .buy, holdingSeconds: eightHours) == 16)
        #expect(router.allInCostBps(binance, side: .sell, holdingSeconds: eightHours) == -4)
        // Bybit, 8 h: 1.5 + 5.5 - 5 = 2 long, 1.5 + 5.5 + 5 = 12 short.
        #expect(router.allInCostBps(bybit, side: .buy, holdingSeconds: eightHours) == 2)
        #expect(router.allInCostBps(bybit, side: .sell, holdingSeconds: eightHours) == 12)
        // 1 h is an eighth of an interval: Binance long 1 + 5 + 1.25 = 7.25.
        #expect(router.allInCostBps(binance, side: .buy, holdingSeconds: 3_600) == 7.25)
        // Agrees with CoinCosts' funding convention.
        var costs = CoinCosts()
        costs.fundingRateBps = 10
        #expect(costs.fundingCostBps(side: .sell, holdingSeconds: 3_600) == binance.fundingOverBps(holdingSeconds: 3_600) * -1)
    }

    @Test func invalidInputsNeverWin() {
        #expect(router.allInCostBps(snap(.okx, spread: -1, taker: 5, funding: 0), side: .buy, holdingSeconds: 60) == .infinity)
        #expect(router.allInCostBps(snap(.okx, spread: .nan, taker: 5, funding: 0), side: .buy, holdingSeconds: 60) == .infinity)
        #expect(router.allInCostBps(snap(.okx, spread: 1, taker: .nan, funding: 0), side: .buy, holdingSeconds: 60) == .infinity)
        #expect(router.allInCostBps(snap(.okx, spread: 1, taker: 5, funding: .infinity), side: .buy, holdingSeconds: 60) == .infinity)
        #expect(router.allInCostBps(binance, side: .buy, holdingSeconds: .nan) == .infinity)
        #expect(router.allInCostBps(binance, side: .buy, holdingSeconds: -1) == .infinity)
        let broken = snap(.binance, spread: -1, taker: 0, funding: -1_000)
        #expect(router.choose(candidates: [broken, bybit], side: .buy, holdingSeconds: eightHours, blocked: none) == .bybit)
        #expect(router.choose(candidates: [broken], side: .buy, holdingSeconds: eightHours, blocked: none) == nil)
    }

    @Test func longsAndShortsGoWhereFundingFavoursThem() {
        let candidates = [binance, bybit]
        #expect(router.choose(candidates: candidates, side: .buy, holdingSeconds: eightHours, blocked: none) == .bybit)
        #expect(router.choose(candidates: candidates, side: .sell, holdingSeconds: eightHours, blocked: none) == .binance)
        // A scalp held a minute: funding is negligible (long: Binance 6.02 vs Bybit 6.99), Binance is cheaper.
        #expect(router.choose(candidates: candidates, side: .buy, holdingSeconds: 60, blocked: none) == .binance)
        #expect(router.choose(candidates: candidates.reversed(), side: .sell, holdingSeconds: eightHours, blocked: none) == .binance)
    }

    @Test func fundingOfTheSameSignButDifferentSize() {
        // Both venues charge longs; OKX less (2 vs 10 per 8 h) but with a wider spread (4 vs 2).
        // 8 h long: Binance 1 + 5 + 10 = 16, OKX 2 + 5 + 2 = 9 -> OKX.
        // 8 h short: Binance 1 + 5 - 10 = -4, OKX 2 + 5 - 2 = 5 -> Binance.
        let okx = snap(.okx, spread: 4, taker: 5, funding: 2)
        #expect(router.allInCostBps(okx, side: .buy, holdingSeconds: eightHours) == 9)
        #expect(router.choose(candidates: [binance, okx], side: .buy, holdingSeconds: eightHours, blocked: none) == .okx)
        #expect(router.choose(candidates: [binance, okx], side: .sell, holdingSeconds: eightHours, blocked: none) == .binance)
    }

    @Test func blockedVenuesAreSkipped() {
        let candidates = [binance, bybit]
        // Bybit's breaker tripped: the long goes to Binance although it costs more.
        #expect(router.choose(candidates: candidates, side: .buy, holdingSeconds: eightHours, blocked: [false, false, true]) == .binance)
        // Binance at its exchange exposure limit: the short goes to Bybit.
        #expect(router.choose(candidates: candidates, side: .sell, holdingSeconds: eightHours, blocked: [true, false, false]) == .bybit)
        // Blocking a venue with no candidate changes nothing.
        #expect(router.choose(candidates: candidates, side: .buy, holdingSeconds: eightHours, blocked: [false, true, false]) == .bybit)
        // Venues past the end of `blocked` are not blocked.
        #expect(router.choose(candidates: candidates, side: .buy, holdingSeconds: eightHours, blocked: []) == .bybit)
        #expect(router.choose(candidates: candidates, side: .buy, holdingSeconds: eightHours, blocked: [true]) == .bybit)
    }

    @Test func nilWhenEveryVenueIsBlockedOrThereAreNoCandidates() {
        let all = [binance, bybit, snap(.okx, spread: 1, taker: 2, funding: 0)]
        #expect(router.choose(candidates: all, side: .buy, holdingSeconds: eightHours, blocked: [true, true, true]) == nil)
        #expect(router.choose(candidates: [binance, bybit], side: .sell, holdingSeconds: eightHours, blocked: [true, false, true]) == nil)
        #expect(router.choose(candidates: [], side: .buy, holdingSeconds: eightHours, blocked: none) == nil)
    }

    @Test func equalCostsGoToTheFirstVenueInAllCasesOrder() {
        let same = { (venue: VenueID) in snap(venue, spread: 2, taker: 4, funding: 3) }
        #expect(router.choose(candidates: [same(.bybit), same(.okx), same(.binance)], side: .buy, holdingSeconds: 600, blocked: none) == .binance)
        #expect(router.choose(candidates: [same(.bybit), same(.okx)], side: .sell, holdingSeconds: 600, blocked: none) == .okx)
        #expect(router.choose(candidates: [same(.bybit), same(.okx), same(.binance)], side: .buy, holdingSeconds: 600, blocked: [true, false, false]) == .okx)
        // A duplicate snapshot for one venue does not confuse the choice.
        #expect(router.choose(candidates: [same(.bybit), same(.bybit)], side: .buy, holdingSeconds: 600, blocked: none) == .bybit)
    }
}
