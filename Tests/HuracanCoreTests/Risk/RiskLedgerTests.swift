import Foundation
import HuracanCore
import HuracanTestSupport
import Testing

@Suite struct RiskLedgerTests {
    /// Equity 100,000: coin 40% = 40,000; sector 60% = 60,000; exchange 150%; global 200%.
    func ledger(_ configure: (inout RiskLimits) -> Void = { _ in }) -> RiskLedger {
        var limits = RiskLimits()
        configure(&limits)
        return RiskLedger(limits: limits, equity: 100_000, coinCount: 10)
    }

    func request(_ coin: CoinIndex, _ notional: Double, sector: Sector = .l1, venue: VenueID = .binance) -> TradeRequest {
        TradeRequest(coin: coin, sector: sector, venue: venue, notional: notional, minimumNotional: 5)
    }

    @Test func approvesBelowTheSoftThreshold() {
        let risk = ledger()
        let check = risk.checkTrade(request(0, 31_999))
        #expect(check.decision == .approve && check.approvedNotional == 31_999)
        #expect(risk.snapshot().coin[0] == 31_999 && risk.snapshot().openTrades == 1)
    }

    @Test func throttlesAtTheSoftThresholdOfTheCoinLimit() {
        let risk = ledger()
        // 80% of the 40,000 coin limit is 32,000: just above it, the trade is halved.
        let check = risk.checkTrade(request(0, 32_001))
        #expect(check.decision == .throttle && check.reason == .coinExposure)
        #expect(check.approvedNotional == 16_000.5)
        #expect(check.explanation == "THROTTLE coin_exposure: exposure 0.0% of limit 40.0%")
    }

    @Test func throttledSizeIsCutToTheHardRoom() {
        let risk = ledger()
        _ = risk.checkTrade(request(0, 30_000))
        let check = risk.checkTrade(request(0, 30_000))
        #expect(check.decision == .throttle && check.approvedNotional == 10_000)
        #expect(risk.snapshot().coin[0] == 40_000)
    }

    @Test func blocksAtTheLimit() {
        let risk = ledger()
        _ = risk.checkTrade(request(0, 30_000))
        _ = risk.checkTrade(request(0, 30_000))
        let check = risk.checkTrade(request(0, 100))
        #expect(check.decision == .block && check.reason == .coinExposure)
        #expect(risk.snapshot().coin[0] == 40_000 && risk.snapshot().openTrades == 2)
    }

    @Test func sectorExchangeAndGlobalLimits() {
        let risk = ledger()
        #expect(risk.checkTrade(request(0, 30_000, sector: .defi)).decision == .approve)
        // Sector soft threshold 48,000: halved to 15,000.
        let second = risk.checkTrade(request(1, 30_000, sector: .defi))
        #expect(second.decision == .throttle && second.reason == .sectorExposure && second.approvedNotional == 15_000)
        // Halved to 20,000 but only 15,000 of room is left under the 60,000 sector limit.
        #expect(risk.checkTrade(request(2, 40_000, sector: .defi)).approvedNotional == 15_000)
        let sector = risk.checkTrade(request(3, 1_000, sector: .defi))
        #expect(sector.decision == .block && sector.reason == .sectorExposure)
        #expect(risk.snapshot().sector[Sector.defi.index] == 60_000)

        let exchange = ledger { $0.perExchangeMaxExposurePct = 50 }
        _ = exchange.checkTrade(request(0, 30_000, venue: .okx))
        _ = exchange.checkTrade(request(1, 20_000, sector: .ai, venue: .okx))
        #expect(exchange.checkTrade(request(2, 100, sector: .meme, venue: .okx)).reason == .exchangeExposure)
        #expect(exchange.checkTrade(request(2, 100, sector: .meme, venue: .bybit)).decision == .approve)

        let global = ledger { $0.globalMaxExposurePct = 60; $0.perSectorMaxExposurePct = 60; $0.perExchangeMaxExposurePct = 60 }
        _ = global.checkTrade(request(0, 30_000, venue: .okx))
        _ = global.checkTrade(request(1, 30_000, sector: .ai, venue: .bybit))
        #expect(global.checkTrade(request(2, 40_000, sector: .meme)).approvedNotional == 15_000)
        #expect(global.snapshot().global == 60_000)
        #expect(global.checkTrade(request(3, 100, sector: .rwa)).reason == .globalExposure)
    }

    @Test func tradeCountLimits() {
        let risk = ledger { $0.maxActiveTrades = 2; $0.maxConcurrentTrades = 3 }
        #expect(risk.checkTrade(request(0, 1_000)).decision == .approve)
        #expect(risk.checkTrade(request(1, 1_000)).decision == .approve)
        let soft = risk.checkTrade(request(2, 1_000))
        #expect(soft.decision == .throttle && soft.reason == .activeTrades && soft.approvedNotional == 500)
        let hard = risk.checkTrade(request(3, 1_000))
        #expect(hard.decision == .block && hard.reason == .concurrentTrades)
        risk.tradeEnded()
        #expect(risk.checkTrade(request(3, 1_000)).decision == .throttle)
    }

    @Test func belowMinimumAfterThrottleIsBlocked() {
        let risk = ledger()
        _ = risk.checkTrade(request(0, 30_000))
        #expect(risk.checkTrade(request(0, 6_000)).approvedNotional == 3_000)
        // In the soft zone, 8 is halved to 4: below the minimum of 5.
        let check = risk.checkTrade(request(0, 8))
        #expect(check.decision == .block && check.reason == .belowMinimum)
        // With no room at all the limit itself is named.
        _ = risk.checkTrade(request(0, 20_000))
        #expect(risk.checkTrade(request(0, 10)).reason == .coinExposure)
    }

    @Test func releaseAndCommitAdjustExposure() {
        let risk = ledger()
        let check = risk.checkTrade(request(0, 10_000))
        risk.adjust(coin: 0, sector: .l1, venue: .binance, by: 9_990 - check.approvedNotional) // filled a little less
        #expect(abs(risk.snapshot().global - 9_990) < 1e-9)
        risk.adjust(coin: 0, sector: .l1, venue: .binance, by: -9_990)
        risk.tradeEnded()
        let snapshot = risk.snapshot()
        #expect(snapshot.global == 0 && snapshot.coin[0] == 0 && snapshot.sector[Sector.l1.index] == 0 && snapshot.openTrades == 0)
        #expect(snapshot.count(.approve) == 1)
    }

    /// Many threads reserving random trades at once never push any scope past its limit.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func concurrentShardsNeverExceedLimits(seed: UInt64) async {
        let risk = ledger { $0.maxConcurrentTrades = 10_000; $0.maxActiveTrades = 10_000 }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var rng = SplitMix(seed: seed &* 1000 &+ UInt64(worker))
                    for _ in 0..<2_000 {
                        let coin = CoinIndex(rng.next() % 10)
                        let sector = Sector.allCases[Int(coin) % 3]
                        let venue = VenueID.allCases[Int(rng.next() % 3)]
                        let check = risk.checkTrade(TradeRequest(coin: coin, sector: sector, venue: venue,
                                                                 notional: 100 + rng.uniform() * 20_000, minimumNotional: 5))
                        if check.decision != .block, rng.uniform() < 0.3 {
                            risk.adjust(coin: coin, sector: sector, venue: venue, by: -check.approvedNotional)
                            risk.tradeEnded()
                        }
                    }
                }
            }
        }
        let s = risk.snapshot()
        let tolerance = 1e-6
        #expect(s.global <= 200_000 + tolerance)
        #expect(s.coin.allSatisfy { $0 <= 40_000 + tolerance })
        #expect(s.sector.allSatisfy { $0 <= 60_000 + tolerance })
        #expect(s.exchange.allSatisfy { $0 <= 150_000 + tolerance })
        #expect(s.global > 100_000) // the limits were actually reached
    }
}
