import Foundation
import HuracanCore
import Testing

@Suite struct CircuitBreakersTests {
    /// 2026-03-10 12:00:00 UTC, on a whole second (venue buckets are 1 s with the default window).
    let t0 = UTCDate(year: 2026, month: 3, day: 10).start + .seconds(12 * 3600)
    /// 2026-03-11 00:00:00 UTC.
    let nextDay = UTCDate(year: 2026, month: 3, day: 11).start
    let names = ["BTC", "ETH", "SOL", "DOGE"]

    /// Without a start-up grace unless a test sets one (`staleDataGraceSeconds`, default 60 s).
    func breakers(_ configure: (inout BreakerSettings) -> Void = { _ in }) -> CircuitBreakers {
        var settings = BreakerSettings()
        settings.staleDataGraceSeconds = 0
        configure(&settings)
        return CircuitBreakers(settings: settings, coinCount: 4, startingEquity: 100_000, now: t0, coinNames: names)
    }

    func at(_ milliseconds: Int64) -> Timestamp { t0 + .milliseconds(milliseconds) }

    func fresh(_ b: inout CircuitBreakers, at time: Timestamp) {
        for coin in 0..<4 { b.recordMarketData(coin: CoinIndex(coin), at: time) }
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    /// Coins without market data are reported stale by `tick`; most tests look at one kind only.
    func only(_ kind: BreakerKind, _ events: [BreakerEvent]) -> [BreakerEvent] { events.filter { $0.kind == kind } }

    // MARK: settings and types

    @Test func defaultsMatchTheSpec() {
        let s = BreakerSettings()
        #expect(s.maxDrawdownPct == 10 && s.dailyLossLimitPct == 5 && s.maxConsecutiveLosses == 4)
        #expect(s.lossCooldownSeconds == 1800 && s.staleDataSeconds == 10)
        #expect(s.venueErrorRatePct == 20 && s.venueErrorWindowSeconds == 60 && s.venueMinimumRequests == 20)
        #expect(TradingState.allCases.map(\.rawValue) == ["ACTIVE", "REDUCING", "HALTED"])
        #expect(BreakerKind.allCases.map(\.rawValue) == ["drawdown", "daily_loss", "consecutive_losses", "stale_data", "venue_errors", "kill_switch"])
        #expect(BreakerKind.bySeverity == [.killSwitch, .drawdown, .dailyLoss, .venueErrors, .staleData, .consecutiveLosses])
        #expect(Set(BreakerKind.bySeverity) == Set(BreakerKind.allCases))
    }

    @Test func startsActiveWithZeroTripCounts() {
        var b = breakers()
        fresh(&b, at: t0)
        #expect(b.globalState == .active)
        #expect(VenueID.allCases.allSatisfy { b.state(of: $0) == .active })
        #expect(b.entryBlock(coin: 0, venue: .binance, at: t0) == nil)
        #expect(b.tripCounts == Dictionary(uniqueKeysWithValues: BreakerKind.allCases.map { ($0, 0) }))
        #expect(b.describe(at: t0).isEmpty)
        #expect(b.tick(at: at(1000)).isEmpty)
    }

    @Test func eventIsCodableWithSnakeCaseKinds() throws {
        var b = breakers()
        let event = try #require(b.updateEquity(94_000, at: t0).first)
        let json = try JSONEncoder().encode(event)
        #expect(String(decoding: json, as: UTF8.self).contains("\"kind\":\"daily_loss\""))
        #expect(try JSONDecoder().decode(BreakerEvent.self, from: json) == event)
        #expect(event.description == event.message)
    }

    // MARK: drawdown

    @Test("drawdown at, just below and just above 10%", arguments: [
        (90_010.0, 9.99, false), (90_000.0, 10.0, true), (89_990.0, 10.01, true),
    ])
    func drawdownThreshold(equity: Double, pct: Double, trips: Bool) throws {
        var b = breakers { $0.dailyLossLimitPct = 50 }
        fresh(&b, at: t0)
        let events = b.updateEquity(equity, at: at(1))
        #expect(close(b.drawdownPct, pct))
        #expect(b.globalState == (trips ? .halted : .active))
        #expect(b.entryBlock(coin: 0, venue: .binance, at: at(1)) == (trips ? .drawdown : nil))
        #expect(b.tripCounts[.drawdown] == (trips ? 1 : 0))
        guard trips else {
            #expect(events.isEmpty)
            return
        }
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.kind == .drawdown && event.scope == "global" && event.tripped && event.time == at(1))
        #expect(close(event.value, pct) && event.threshold == 10)
        #expect(event.message == "drawdown \(pct)% from peak 100000.00 >= 10.0%: HALTED")
    }

    @Test func drawdownIsMeasuredFromThePeak() throws {
        var b = breakers { $0.dailyLossLimitPct = 50 }
        #expect(b.updateEquity(105_000, at: at(1)).isEmpty)
        #expect(b.peakEquity == 105_000)
        #expect(b.updateEquity(94_600, at: at(2)).isEmpty)  // 9.90% from 105,000
        let event = try #require(b.updateEquity(94_080, at: at(3)).first)
        #expect(close(event.value, 10.4))
        #expect(event.message == "drawdown 10.4% from peak 105000.00 >= 10.0%: HALTED")
    }

    @Test func drawdownResetsOnlyByTheOperator() throws {
        var b = breakers { $0.dailyLossLimitPct = 50 }
        _ = b.updateEquity(105_000, at: at(1))
        _ = b.updateEquity(94_080, at: at(2))
        // Recovery above the old peak does not reset it, and does not trip again.
        #expect(b.updateEquity(110_000, at: at(3)).isEmpty)
        #expect(b.globalState == .halted && b.peakEquity == 110_000)
        #expect(only(.drawdown, b.tick(at: nextDay + .seconds(3600))).isEmpty)
        #expect(b.globalState == .halted)
        _ = b.updateEquity(99_000, at: nextDay + .seconds(3601))
        let reset = try #require(b.resetDrawdown(at: nextDay + .seconds(3602)).first)
        #expect(!reset.tripped && reset.kind == .drawdown && reset.scope == "global")
        #expect(close(reset.value, 10) && reset.threshold == 10)
        #expect(reset.message == "drawdown reset by operator at 10.0% from peak 110000.00: peak set to 99000.00")
        #expect(b.globalState == .active && b.peakEquity == 99_000 && b.drawdownPct == 0)
        // Measured from the new peak: 9.99% does not trip, 10% does.
        #expect(b.updateEquity(89_110.1, at: nextDay + .seconds(3603)).isEmpty)
        #expect(b.updateEquity(89_100, at: nextDay + .seconds(3604)).map(\.kind) == [.drawdown])
        #expect(b.tripCounts[.drawdown] == 2)
    }

    @Test func resetDrawdownWhenClearMovesThePeakWithoutAnEvent() {
        var b = breakers()
        _ = b.updateEquity(120_000, at: at(1))
        _ = b.updateEquity(110_000, at: at(2))
        #expect(b.resetDrawdown(at: at(3)).isEmpty)
        #expect(b.peakEquity == 110_000)
    }

    @Test func nonFiniteEquityIsIgnored() {
        var b = breakers()
        #expect(b.updateEquity(.nan, at: at(1)).isEmpty)
        #expect(b.updateEquity(-.infinity, at: at(2)).isEmpty)
        #expect(b.equity == 100_000 && b.globalState == .active)
    }

    // MARK: daily loss

    @Test("daily loss at, just below and just above 5%", arguments: [
        (95_010.0, 4.99, false), (95_000.0, 5.0, true), (94_990.0, 5.01, true),
    ])
    func dailyLossThreshold(equity: Double, pct: Double, trips: Bool) throws {
        var b = breakers()
        fresh(&b, at: t0)
        let events = b.updateEquity(equity, at: at(1))
        #expect(close(b.dailyLossPct, pct))
        #expect(b.globalState == (trips ? .reducing : .active))
        #expect(b.entryBlock(coin: 1, venue: .okx, at: at(1)) == (trips ? .dailyLoss : nil))
        guard trips else {
            #expect(events.isEmpty)
            return
        }
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.kind == .dailyLoss && event.scope == "global" && event.tripped)
        #expect(close(event.value, pct) && event.threshold == 5)
        #expect(event.message == "daily loss \(pct)% from start-of-day 100000.00 >= 5.0%: REDUCING until the next UTC day")
    }

    @Test func dailyLossHoldsForTheDayAndResetsAtTheNextUTCDay() throws {
        var b = breakers()
        #expect(b.day == t0.dayNumber && b.dayStartEquity == 100_000)
        _ = b.updateEquity(95_000, at: at(1))
        // Recovering within the day does not lift it.
        #expect(b.updateEquity(99_000, at: at(2)).isEmpty)
        #expect(b.globalState == .reducing)
        #expect(only(.dailyLoss, b.tick(at: nextDay - .nanoseconds(1))).isEmpty)
        #expect(b.globalState == .reducing)
        let events = only(.dailyLoss, b.tick(at: nextDay))
        let reset = try #require(events.first)
        #expect(events.count == 1)
        #expect(!reset.tripped && reset.kind == .dailyLoss && reset.time == nextDay)
        #expect(close(reset.value, 1) && reset.threshold == 5)
        #expect(reset.message == "daily loss reset at the new UTC day 2026-03-11: previous day ended 1.0% below start-of-day 100000.00")
        #expect(b.globalState == .active)
        // The new day starts from the last equity known at the rollover.
        #expect(b.dayStartEquity == 99_000 && b.day == nextDay.dayNumber && b.dailyLossPct == 0)
        #expect(b.updateEquity(94_060, at: nextDay + .seconds(10)).isEmpty)  // 4.99% of 99,000
        let again = b.updateEquity(94_050, at: nextDay + .seconds(11))       // 5.0%
        #expect(again.map(\.kind) == [.dailyLoss])
        #expect(again.first?.message == "daily loss 5.0% from start-of-day 99000.00 >= 5.0%: REDUCING until the next UTC day")
        #expect(b.tripCounts[.dailyLoss] == 2)
    }

    @Test func dayRolloverInUpdateEquityResetsThenJudgesTheNewEquity() {
        var b = breakers()
        _ = b.updateEquity(94_000, at: at(1))
        let events = b.updateEquity(93_000, at: nextDay + .seconds(5))
        #expect(events.count == 1 && events[0].kind == .dailyLoss && !events[0].tripped)
        #expect(b.dayStartEquity == 94_000 && b.globalState == .active)
        // A gain never trips.
        #expect(b.updateEquity(120_000, at: nextDay + .seconds(6)).isEmpty && b.dailyLossPct < 0)
    }

    @Test func aDayRolloverWithoutATripIsSilent() {
        var b = breakers()
        _ = b.updateEquity(97_000, at: at(1))
        #expect(only(.dailyLoss, b.tick(at: nextDay)).isEmpty)
        #expect(b.dayStartEquity == 97_000)
        // Time running backwards never moves the day back.
        #expect(only(.dailyLoss, b.tick(at: t0)).isEmpty && b.day == nextDay.dayNumber)
    }

    // MARK: consecutive losses

    @Test("consecutive losses: 3, 4 and 5 in a row", arguments: [(3, false), (4, true), (5, true)])
    func consecutiveLossThreshold(losses: Int, trips: Bool) {
        var b = breakers()
        fresh(&b, at: t0)
        var events: [BreakerEvent] = []
        for n in 0..<losses { events += b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -10, at: at(Int64(n))) }
        let last = at(Int64(losses))
        #expect(b.consecutiveLosses(coin: 0) == losses)
        #expect(b.isCoolingDown(coin: 0, at: last) == trips)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: last) == (trips ? .consecutiveLosses : nil))
        #expect(b.entryBlock(coin: 1, venue: .binance, at: last) == nil)  // only that coin
        #expect(b.globalState == .active)
        #expect(b.tripCounts[.consecutiveLosses] == (trips ? 1 : 0))  // a fifth loss does not trip again
        #expect(events.count == (trips ? 1 : 0))
        if trips {
            let e = events[0]
            #expect(e.kind == .consecutiveLosses && e.scope == "BTC" && e.tripped && e.time == at(3))
            #expect(e.value == 4 && e.threshold == 4)
            #expect(e.message == "consecutive losses on BTC 4 >= 4: no entries on BTC for 1800.0s")
        }
    }

    @Test func coolDownEndsExactlyAfterLossCooldownSeconds() throws {
        var b = breakers()
        for n in 0..<5 { _ = b.recordTradeResult(coin: 2, coinName: "SOL", netPnL: -1, at: at(Int64(n) * 1000)) }
        let tripped = at(3000)
        let end = tripped + .seconds(1800)
        b.recordMarketData(coin: 2, at: end - .seconds(1))
        #expect(b.isCoolingDown(coin: 2, at: end - .milliseconds(1)))
        #expect(b.entryBlock(coin: 2, venue: .bybit, at: end - .milliseconds(1)) == .consecutiveLosses)
        #expect(!b.isCoolingDown(coin: 2, at: end))
        #expect(b.entryBlock(coin: 2, venue: .bybit, at: end) == nil)
        #expect(only(.consecutiveLosses, b.tick(at: end - .milliseconds(1))).isEmpty)
        let events = only(.consecutiveLosses, b.tick(at: end))
        let reset = try #require(events.first)
        #expect(events.count == 1 && !reset.tripped && reset.scope == "SOL" && reset.time == end)
        #expect(reset.value == 5 && reset.threshold == 4)
        #expect(reset.message == "consecutive losses on SOL: cool-down of 1800.0s ended, loss count reset")
        #expect(b.consecutiveLosses(coin: 2) == 0)
        // It counts from zero again: three more losses do not trip.
        for n in 0..<3 { #expect(b.recordTradeResult(coin: 2, coinName: "SOL", netPnL: -1, at: end + .seconds(Int64(n))).isEmpty) }
        #expect(only(.consecutiveLosses, b.tick(at: end + .seconds(5))).isEmpty)
    }

    @Test func aResultAfterTheCoolDownReportsTheResetFirst() {
        var b = breakers()
        for n in 0..<4 { _ = b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -1, at: at(Int64(n))) }
        let events = b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -1, at: at(3) + .seconds(1800))
        #expect(events.map(\.tripped) == [false])
        #expect(b.consecutiveLosses(coin: 0) == 1)
    }

    @Test func aWinResetsTheCountAndZeroLeavesIt() {
        var b = breakers()
        for n in 0..<3 { _ = b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -5, at: at(Int64(n))) }
        #expect(b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: 0.01, at: at(3)).isEmpty)
        #expect(b.consecutiveLosses(coin: 0) == 0)
        for n in 4..<7 { #expect(b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -5, at: at(Int64(n))).isEmpty) }
        #expect(b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: 0, at: at(7)).isEmpty)
        #expect(b.consecutiveLosses(coin: 0) == 3)
        #expect(b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -5, at: at(8)).count == 1)
        #expect(b.isCoolingDown(coin: 0, at: at(8)))
        // Non-finite results are ignored.
        #expect(b.recordTradeResult(coin: 1, coinName: "ETH", netPnL: .nan, at: at(9)).isEmpty && b.consecutiveLosses(coin: 1) == 0)
    }

    @Test func lossesAreCountedPerCoin() {
        var b = breakers()
        for n in 0..<3 {
            _ = b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -1, at: at(Int64(n)))
            _ = b.recordTradeResult(coin: 1, coinName: "ETH", netPnL: -1, at: at(Int64(n)))
        }
        _ = b.recordTradeResult(coin: 1, coinName: "ETH", netPnL: 1, at: at(3))
        #expect(b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -1, at: at(4)).first?.scope == "BTC")
        #expect(!b.isCoolingDown(coin: 1, at: at(4)) && b.consecutiveLosses(coin: 1) == 0)
    }

    // MARK: stale data

    /// Only watched coins (the active set) are reported stale; a coin without any data gets the
    /// start-up grace from when it began to be watched; an unwatched coin forgets its report.
    @Test func staleReportsCoverWatchedCoinsAfterTheirGrace() {
        var b = breakers { $0.staleDataGraceSeconds = 60 }
        #expect(BreakerSettings().staleDataGraceSeconds == 60)
        b.watch(only: [0, 1], at: t0)
        b.recordMarketData(coin: 0, at: t0)
        var events = only(.staleData, b.tick(at: at(30_000)))
        #expect(events.map(\.scope) == ["BTC"], "BTC's data is 30 s old; ETH is in its grace; SOL and DOGE are not watched")
        #expect(b.isStale(coin: 1, at: at(30_000)), "no entries without data, grace or not")
        events = only(.staleData, b.tick(at: at(60_010)))
        #expect(events.map(\.scope) == ["ETH"])
        #expect(events.first?.message == "stale data on ETH: no market data in 60.01s since start > 60.0s: no entries on ETH")
        // SOL joins at 100 s: its grace starts then. ETH leaves: no event, and no report later.
        b.watch(only: [0, 2], at: at(100_000))
        #expect(only(.staleData, b.tick(at: at(150_000))).isEmpty)
        #expect(only(.staleData, b.tick(at: at(160_010))).map(\.scope) == ["SOL"])
        b.watch(only: [0, 1, 2], at: at(170_000))
        #expect(only(.staleData, b.tick(at: at(180_000))).isEmpty, "ETH watched again starts a new grace")
        #expect(b.tripCounts[.staleData] == 3)
    }

    @Test("stale data at 9.99 s, 10 s and 10.01 s", arguments: [(Int64(9_990), false), (10_000, false), (10_010, true)])
    func staleThreshold(ageMilliseconds: Int64, stale: Bool) {
        var b = breakers()
        fresh(&b, at: t0)
        let time = at(ageMilliseconds)
        #expect(b.isStale(coin: 0, at: time) == stale)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: time) == (stale ? .staleData : nil))
        let events = b.tick(at: time)
        #expect(events.count == (stale ? 4 : 0))
        #expect(b.tripCounts[.staleData] == (stale ? 4 : 0))
        if stale {
            #expect(events[0].kind == .staleData && events[0].scope == "BTC" && events[0].tripped)
            #expect(close(events[0].value, 10.01) && events[0].threshold == 10)
            #expect(events[0].message == "stale data on BTC: last market data 10.01s ago > 10.0s: no entries on BTC")
        }
        #expect(b.globalState == .active)
    }

    @Test func freshDataClearsStaleness() throws {
        var b = breakers()
        fresh(&b, at: t0)
        _ = b.tick(at: at(10_010))
        b.recordMarketData(coin: 0, at: at(11_000))
        #expect(!b.isStale(coin: 0, at: at(11_500)))
        #expect(b.entryBlock(coin: 0, venue: .okx, at: at(11_500)) == nil)
        #expect(b.entryBlock(coin: 1, venue: .okx, at: at(11_500)) == .staleData)
        let events = b.tick(at: at(11_500))
        let reset = try #require(events.first)
        #expect(events.count == 1 && !reset.tripped && reset.scope == "BTC" && close(reset.value, 0.5))
        #expect(reset.message == "stale data on BTC cleared: last market data 0.5s ago <= 10.0s")
        // Already reported coins are not reported again.
        #expect(b.tick(at: at(12_000)).isEmpty)
        #expect(b.tripCounts[.staleData] == 4)
    }

    @Test func aCoinWithoutMarketDataTakesNoEntriesAndIsReportedAfterTheGracePeriod() {
        var b = breakers()
        b.recordMarketData(coin: 0, at: t0)
        #expect(b.isStale(coin: 1, at: t0))
        #expect(b.entryBlock(coin: 1, venue: .binance, at: t0) == .staleData)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: t0) == nil)
        #expect(b.tick(at: at(10_000)).isEmpty)
        let events = b.tick(at: at(10_010))
        #expect(events.map(\.scope) == ["BTC", "ETH", "SOL", "DOGE"])
        #expect(events[1].message == "stale data on ETH: no market data in 10.01s since start > 10.0s: no entries on ETH")
    }

    @Test func coinsBeyondTheInitialCountAreAddedWhenRecorded() {
        var b = breakers()
        #expect(b.entryBlock(coin: 9, venue: .binance, at: t0) == .staleData)
        #expect(b.isStale(coin: -1, at: t0) && !b.isCoolingDown(coin: 9, at: t0))
        b.recordMarketData(coin: 9, at: t0)
        #expect(b.entryBlock(coin: 9, venue: .binance, at: t0) == nil)
        for n in 0..<4 { _ = b.recordTradeResult(coin: 12, coinName: "PEPE", netPnL: -1, at: at(Int64(n))) }
        #expect(b.isCoolingDown(coin: 12, at: at(4)))
        #expect(b.describe(at: at(3) + .seconds(600)).contains("consecutive_losses PEPE: 4 losses in a row (limit 4): no entries for 1200.0s more"))
    }

    // MARK: venue errors

    /// Successes first, then failures, so the rate only rises; with 21 failures it already reaches
    /// 20% at 20 failures of 99 requests.
    @Test("venue error rate 19%, 20% and 21% of 100 requests", arguments: [
        (19, nil), (20, "20.0% of 100 requests"), (21, "20.2% of 99 requests"),
    ])
    func venueErrorThreshold(failures: Int, tripText: String?) throws {
        let trips = tripText != nil
        var b = breakers()
        fresh(&b, at: t0)
        var events: [BreakerEvent] = []
        for n in 0..<100 { events += b.recordVenueRequest(.binance, failed: n >= 100 - failures, at: at(Int64(n))) }
        #expect(b.venueRequestCount(.binance) == 100 && close(b.venueErrorRatePct(.binance), Double(failures)))
        #expect(b.state(of: .binance) == (trips ? .reducing : .active))
        #expect(b.state(of: .okx) == .active && b.globalState == .active)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: at(100)) == (trips ? .venueErrors : nil))
        #expect(b.entryBlock(coin: 0, venue: .okx, at: at(100)) == nil)
        #expect(b.tripCounts[.venueErrors] == (trips ? 1 : 0))
        #expect(events.count == (trips ? 1 : 0))
        if let tripText {
            let e = events[0]
            #expect(e.kind == .venueErrors && e.scope == "binance" && e.tripped)
            #expect(e.time == (failures == 20 ? at(99) : at(98)))
            #expect(close(e.value, failures == 20 ? 20 : 2000.0 / 99) && e.threshold == 20)
            #expect(e.message == "venue errors on binance \(tripText) in 60.0s >= 20.0%: binance REDUCING, no entries routed there")
        }
    }

    @Test("below the minimum request count the rate is not judged", arguments: [(19, false), (20, true)])
    func venueMinimumRequests(requests: Int, trips: Bool) {
        var b = breakers()
        var events: [BreakerEvent] = []
        // Every request fails: 100% error rate.
        for n in 0..<requests { events += b.recordVenueRequest(.okx, failed: true, at: at(Int64(n))) }
        #expect(b.state(of: .okx) == (trips ? .reducing : .active))
        #expect(events.count == (trips ? 1 : 0))
        if trips { #expect(events[0].message == "venue errors on okx 100.0% of 20 requests in 60.0s >= 20.0%: okx REDUCING, no entries routed there") }
    }

    @Test func rateAtTheMinimumCountTripsAtTheThreshold() {
        var b = breakers()
        for n in 0..<16 { _ = b.recordVenueRequest(.bybit, failed: false, at: at(Int64(n))) }
        for n in 16..<19 { _ = b.recordVenueRequest(.bybit, failed: true, at: at(Int64(n))) }
        #expect(b.state(of: .bybit) == .active)  // 3 of 19 = 15.8%, and too few requests anyway
        #expect(b.recordVenueRequest(.bybit, failed: true, at: at(19)).count == 1)  // 4 of 20 = 20%
        #expect(b.state(of: .bybit) == .reducing)
        #expect(b.tripCounts[.venueErrors] == 1)
    }

    @Test func venueResetsWhenTheRateFallsBelowTheThreshold() throws {
        var b = breakers()
        for n in 0..<100 { _ = b.recordVenueRequest(.binance, failed: n >= 80, at: at(Int64(n))) }
        #expect(b.state(of: .binance) == .reducing)
        let events = b.recordVenueRequest(.binance, failed: false, at: at(100))
        let reset = try #require(events.first)
        #expect(!reset.tripped && reset.scope == "binance" && close(reset.value, 2000.0 / 101))
        #expect(reset.message == "venue errors on binance 19.8% of 101 requests in 60.0s < 20.0%: binance ACTIVE")
        #expect(b.state(of: .binance) == .active)
    }

    @Test func theWindowSlidesAndTheVenueResets() throws {
        var b = breakers()
        // 80 successes at t0, then failures 30 s later: trips at 20 failures of 100.
        for _ in 0..<80 { _ = b.recordVenueRequest(.binance, failed: false, at: t0) }
        var trips: [Int] = []
        for n in 0..<21 where !b.recordVenueRequest(.binance, failed: true, at: at(30_000)).isEmpty { trips.append(n) }
        #expect(trips == [19])
        // 59.999 s later the successes still count.
        #expect(only(.venueErrors, b.tick(at: at(59_999))).isEmpty && b.venueRequestCount(.binance) == 101)
        // At 60 s they leave the window: 21 of 21 failed, still at least the minimum, still tripped.
        #expect(only(.venueErrors, b.tick(at: at(60_000))).isEmpty)
        #expect(b.venueRequestCount(.binance) == 21 && b.venueErrorRatePct(.binance) == 100)
        #expect(b.state(of: .binance) == .reducing)
        // At 90 s the failures leave too: an empty window resets it.
        #expect(only(.venueErrors, b.tick(at: at(89_999))).isEmpty)
        let events = only(.venueErrors, b.tick(at: at(90_000)))
        let reset = try #require(events.first)
        #expect(events.count == 1 && !reset.tripped && reset.kind == .venueErrors && reset.value == 0)
        #expect(reset.message == "venue errors on binance 0.0% of 0 requests in 60.0s < 20.0%: binance ACTIVE")
        #expect(b.state(of: .binance) == .active && b.venueRequestCount(.binance) == 0)
    }

    @Test func aLongGapClearsTheWholeWindow() {
        var b = breakers()
        for n in 0..<30 { _ = b.recordVenueRequest(.okx, failed: true, at: at(Int64(n))) }
        #expect(b.state(of: .okx) == .reducing)
        let events = b.recordVenueRequest(.okx, failed: false, at: t0 + .seconds(86_400))
        #expect(events.map(\.tripped) == [false])
        #expect(b.venueRequestCount(.okx) == 1 && b.venueErrorRatePct(.okx) == 0)
        // A request older than the window (out of order) is dropped.
        #expect(b.recordVenueRequest(.okx, failed: true, at: t0).isEmpty && b.venueRequestCount(.okx) == 1)
    }

    // MARK: kill switch

    @Test func killSwitchHaltsWhileOn() throws {
        var b = breakers()
        fresh(&b, at: t0)
        let on = try #require(b.setKillSwitch(true, at: at(1)).first)
        #expect(on.kind == .killSwitch && on.scope == "global" && on.tripped && on.value == 1 && on.threshold == 1)
        #expect(on.message == "kill switch on: HALTED")
        #expect(b.globalState == .halted && b.entryBlock(coin: 0, venue: .binance, at: at(1)) == .killSwitch)
        #expect(b.setKillSwitch(true, at: at(2)).isEmpty)
        #expect(b.describe(at: at(2)) == ["kill_switch: on: HALTED"])
        let off = try #require(b.setKillSwitch(false, at: at(3)).first)
        #expect(!off.tripped && off.value == 0 && off.message == "kill switch off")
        #expect(b.globalState == .active && b.entryBlock(coin: 0, venue: .binance, at: at(3)) == nil)
        #expect(b.setKillSwitch(false, at: at(4)).isEmpty)
        _ = b.setKillSwitch(true, at: at(5))
        #expect(b.tripCounts[.killSwitch] == 2)
    }

    // MARK: precedence, counts, status

    @Test func globalStateIsTheWorstOfItsBreakers() {
        var b = breakers()
        #expect(b.globalState == .active)
        _ = b.updateEquity(95_000, at: at(1))
        #expect(b.globalState == .reducing)
        _ = b.setKillSwitch(true, at: at(2))
        #expect(b.globalState == .halted)
        _ = b.setKillSwitch(false, at: at(3))
        #expect(b.globalState == .reducing)
        _ = b.updateEquity(90_000, at: at(4))
        #expect(b.globalState == .halted)
        _ = b.setKillSwitch(true, at: at(5))
        _ = b.setKillSwitch(false, at: at(6))
        #expect(b.globalState == .halted)  // the drawdown still halts
        _ = b.resetDrawdown(at: at(7))
        #expect(b.globalState == .reducing)
        _ = b.tick(at: nextDay)
        #expect(b.globalState == .active)
        // Venue and coin breakers never change the global state.
        for n in 0..<20 { _ = b.recordVenueRequest(.bybit, failed: true, at: nextDay + .milliseconds(Int64(n))) }
        for n in 0..<4 { _ = b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -1, at: nextDay + .milliseconds(Int64(n))) }
        #expect(b.state(of: .bybit) == .reducing && b.globalState == .active)
        #expect(TradingState.allCases.map(\.severity) == [0, 1, 2])
    }

    @Test func entryBlockReportsTheMostSevereBreakerFirst() {
        // Minute buckets, so the venue window outlasts the day rollover below.
        var b = breakers { $0.venueErrorWindowSeconds = 3600 }
        let t = nextDay - .seconds(60)  // 23:59 UTC
        for _ in 0..<4 { _ = b.recordTradeResult(coin: 0, coinName: "BTC", netPnL: -1, at: t) }
        for n in 0..<100 { _ = b.recordVenueRequest(.binance, failed: n >= 80, at: t) }
        _ = b.updateEquity(90_000, at: t)
        _ = b.setKillSwitch(true, at: t)
        // Coin 0 never had market data: every breaker says no to coin 0 on binance.
        #expect(b.entryBlock(coin: 0, venue: .binance, at: t) == .killSwitch)
        _ = b.setKillSwitch(false, at: t)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: t) == .drawdown)
        _ = b.resetDrawdown(at: t)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: t) == .dailyLoss)
        #expect(b.tick(at: nextDay).map(\.kind).contains(.dailyLoss))
        #expect(b.entryBlock(coin: 0, venue: .binance, at: nextDay) == .venueErrors)
        #expect(b.entryBlock(coin: 0, venue: .okx, at: nextDay) == .staleData)
        _ = b.recordVenueRequest(.binance, failed: false, at: nextDay)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: nextDay) == .staleData)
        b.recordMarketData(coin: 0, at: nextDay)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: nextDay) == .consecutiveLosses)
        let end = t + .seconds(1800)
        b.recordMarketData(coin: 0, at: end)
        #expect(b.entryBlock(coin: 0, venue: .binance, at: end) == nil)
    }

    @Test func tripCountsCountEveryTripSinceStart() {
        var b = breakers()
        fresh(&b, at: t0)
        _ = b.setKillSwitch(true, at: at(1))
        _ = b.setKillSwitch(false, at: at(2))
        _ = b.setKillSwitch(true, at: at(3))
        _ = b.updateEquity(89_000, at: at(4))  // drawdown and daily loss
        for n in 0..<8 { _ = b.recordTradeResult(coin: 3, coinName: "DOGE", netPnL: -1, at: at(5 + Int64(n))) }
        for n in 0..<25 { _ = b.recordVenueRequest(.okx, failed: true, at: at(20 + Int64(n))) }
        _ = b.tick(at: at(20_000))  // every coin stale; okx stays tripped without tripping again
        #expect(b.tripCounts == [.killSwitch: 2, .drawdown: 1, .dailyLoss: 1, .consecutiveLosses: 1, .venueErrors: 1, .staleData: 4])
        // Resets are not trips.
        _ = b.resetDrawdown(at: at(20_001))
        _ = b.tick(at: nextDay)
        #expect(b.tripCounts[.drawdown] == 1 && b.tripCounts[.dailyLoss] == 1)
    }

    @Test func describeListsEachTrippedBreakerWithItsValues() {
        var b = breakers()
        let t = at(1000)
        for coin in 0..<3 { b.recordMarketData(coin: CoinIndex(coin), at: t) }
        _ = b.setKillSwitch(true, at: t)
        _ = b.updateEquity(105_000, at: t)
        _ = b.updateEquity(94_080, at: t)
        for n in 0..<100 { _ = b.recordVenueRequest(.bybit, failed: n >= 79, at: t) }
        for _ in 0..<4 { _ = b.recordTradeResult(coin: 1, coinName: "ETH", netPnL: -1, at: t) }
        #expect(b.describe(at: t + .seconds(30)) == [
            "kill_switch: on: HALTED",
            "drawdown: 10.4% from peak 105000.00, equity 94080.00 (limit 10.0%): HALTED until operator reset",
            "daily_loss: 5.92% from start-of-day 100000.00, equity 94080.00 (limit 5.0%): REDUCING until 2026-03-11 00:00 UTC",
            "venue_errors bybit: 21.0% of 100 requests in 60.0s (limit 20.0%): REDUCING",
            "stale_data BTC: last market data 30.0s ago (limit 10.0s): no entries",
            "stale_data ETH: last market data 30.0s ago (limit 10.0s): no entries",
            "stale_data SOL: last market data 30.0s ago (limit 10.0s): no entries",
            "stale_data DOGE: no market data yet (limit 10.0s): no entries",
            "consecutive_losses ETH: 4 losses in a row (limit 4): no entries for 1770.0s more",
        ])
        // The venue line reads the window at the given time without moving it (until a tick resets it).
        #expect(b.describe(at: t + .seconds(60)).contains("venue_errors bybit: 0.0% of 0 requests in 60.0s (limit 20.0%): REDUCING"))
    }

    @Test func coinNamesFallBackToTheIndex() {
        var b = CircuitBreakers(settings: BreakerSettings(), coinCount: 2, startingEquity: 1_000, now: t0)
        let events = b.tick(at: at(60_001))   // after the start-up grace
        #expect(events.map(\.scope) == ["coin 0", "coin 1"])
    }
}
