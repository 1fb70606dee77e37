import HuracanCore
import Testing

/// A model that always says the same thing.
struct FixedModel: Model {
    var name = "fixed"
    var prediction: Prediction
    func predict(_ features: Features) -> Prediction { prediction }
}

/// Drives one coin pipeline by hand: books in, orders out, fills back.
struct PipelineHarness {
    var pipeline: CoinPipeline
    var context: PipelineContext
    var time = Timestamp(seconds: 1_800_000_000)
    var fills = 0
    /// Whether the venue's fee interface answers (costs refreshed with every book).
    var costsAnswer = true

    init(prediction: Prediction, venues: [VenueID] = [], configure: (inout StrategyParameters) -> Void = { _ in }, minEdge: Double = 5) {
        let instrument = Instrument(coin: "BTC", rank: 1, sector: .l1, tier: 1, tickSize: FixedDecimal(units: 1, exponent: 1),
                                    lotSize: FixedDecimal(units: 1, exponent: 3), minNotional: 50, venueSymbols: [.binance: "BTCUSDT"])
        // Fixed parameters, independent of the shipped defaults.
        var parameters = StrategyParameters()
        parameters.scalp.minConfidence = 0.55
        parameters.scalp.takeProfitBps = 12
        parameters.scalp.stopLossBps = 10
        parameters.scalp.timeoutSeconds = 120
        parameters.runner.minConfidence = 0.7
        parameters.runner.minEdgeBps = 20
        parameters.runner.initialStopBps = 40
        parameters.runner.trailingStopBps = 30
        parameters.entryCooldownSeconds = 30
        configure(&parameters)
        pipeline = CoinPipeline(index: 0, instrument: instrument, venue: .binance, venues: venues, model: FixedModel(prediction: prediction),
                                fees: FeeSchedule(maker: FixedDecimal(units: 2, exponent: 4), taker: FixedDecimal(units: 5, exponent: 4)))
        context = PipelineContext(parameters: parameters, minEdgeAfterCostBps: minEdge,
                                  risk: RiskLedger(limits: RiskLimits(), equity: 100_000, coinCount: 1), shardID: 0, equity: 100_000)
    }

    /// Sends a book at `mid` with a one-tick spread, after `seconds`.
    mutating func book(_ mid: Double, after seconds: Double = 1) {
        time = time + .nanoseconds(Int64(seconds * 1e9))
        context.now = time
        if costsAnswer {
            pipeline.refreshCosts(fees: FeeSchedule(maker: FixedDecimal(units: 2, exponent: 4), taker: FixedDecimal(units: 5, exponent: 4)),
                                  fundingRate: nil, at: time)
        }
        pipeline.onMarket(.book(0, .binance, time, BookTop(bidPrice: mid - 0.05, bidSize: 5, askPrice: mid + 0.05, askSize: 5)), context: &context)
    }

    /// Another venue's book and fees for the same coin (routing input).
    mutating func otherVenueBook(_ venue: VenueID, fees: FeeSchedule, bid: Double, ask: Double) {
        pipeline.refreshCosts(venue: venue, fees: fees, fundingRate: nil, at: time)
        pipeline.onMarket(.book(0, venue, time, BookTop(bidPrice: bid, bidSize: 5, askPrice: ask, askSize: 5)), context: &context)
    }

    /// Warms features up with 61 seconds of a flat market.
    mutating func warm(_ mid: Double = 100_000) {
        for _ in 0...61 { book(mid) }
    }

    /// Fills every order in the outbox completely at `price`.
    mutating func fillOutbox(at price: Double) {
        let requests = context.outbox
        context.outbox.removeAll()
        for request in requests {
            fills += 1
            let fillPrice = FixedDecimal(approximating: price).rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 1), .nearest)
            pipeline.onReport(.accepted(clientOrderID: request.clientOrderID, venueOrderID: "V\(fills)", time: time), context: &context)
            pipeline.onReport(.fill(Fill(clientOrderID: request.clientOrderID, tradeID: "T\(fills)", coin: "BTC", venue: .binance,
                                         side: request.side, price: fillPrice, quantity: request.quantity,
                                         fee: fillPrice * request.quantity * FixedDecimal(units: 5, exponent: 4), liquidity: .taker, time: time)),
                              context: &context)
        }
    }
}

@Suite struct CoinPipelineTests {
    let strongLong = Prediction(edgeBps: 40, confidence: 0.6)

    @Test func scalpTakeProfit() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        #expect(entry.side == .buy && entry.type == .market && !entry.reduceOnly)
        h.fillOutbox(at: 100_000.05)
        #expect(h.pipeline.trades.first?.phase == .open)
        h.book(100_100) // +10 bps: below the 12 bps target
        #expect(h.context.outbox.isEmpty)
        h.book(100_130)
        let exit = try #require(h.context.outbox.first)
        #expect(exit.side == .sell && exit.reduceOnly)
        h.fillOutbox(at: 100_129.95)
        let trade = try #require(h.context.closedTrades.first)
        #expect(trade.exitReason == .takeProfit && trade.style == .scalp)
        #expect(trade.grossPnL.isPositive)
        #expect(trade.netPnL == trade.grossPnL - trade.fees)
        #expect(h.context.risk.snapshot().openTrades == 0 && abs(h.context.risk.snapshot().global) < 1e-6)
    }

    @Test func scalpStopLossForShorts() throws {
        var h = PipelineHarness(prediction: Prediction(edgeBps: -40, confidence: 0.6)) { $0.runner.enabled = false }
        h.warm()
        #expect(h.context.outbox.first?.side == .sell)
        h.fillOutbox(at: 99_999.95)
        h.book(100_120) // +12 bps against a short: stop at 10 bps
        #expect(h.context.outbox.first?.side == .buy)
        h.fillOutbox(at: 100_120.05)
        let trade = try #require(h.context.closedTrades.first)
        #expect(trade.exitReason == .stopLoss && trade.side == .sell && trade.netPnL.isNegative)
    }

    @Test func scalpTimeout() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false; $0.scalp.timeoutSeconds = 30 }
        h.warm()
        h.fillOutbox(at: 100_000.05)
        h.book(100_000, after: 29)
        #expect(h.context.outbox.isEmpty)
        h.book(100_000, after: 2)
        h.fillOutbox(at: 99_999.95)
        #expect(h.context.closedTrades.first?.exitReason == .timeout)
    }

    /// A quiet coin: no market data after the entry, yet the time-out fires when the clock
    /// passes the deadline (the shard calls `onClock` at the deadline's step).
    @Test func scalpTimeoutFiresOnTheClockWithoutMarketData() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false; $0.scalp.timeoutSeconds = 30 }
        h.warm()
        #expect(h.pipeline.nextExitDeadline(h.context.parameters) == nil)
        h.fillOutbox(at: 100_000.05)
        let opened = try #require(h.pipeline.trades.first?.openedAt)
        let deadline = try #require(h.pipeline.nextExitDeadline(h.context.parameters))
        #expect(deadline == opened + .seconds(30))
        h.context.now = deadline - .nanoseconds(1)
        h.pipeline.onClock(context: &h.context)
        #expect(h.context.outbox.isEmpty)
        h.context.now = deadline
        h.pipeline.onClock(context: &h.context)
        let exit = try #require(h.context.outbox.first)
        #expect(exit.reduceOnly && exit.side == .sell)
        // Exiting: no second exit and no deadline while the exit order is out.
        #expect(h.pipeline.nextExitDeadline(h.context.parameters) == nil)
        h.fillOutbox(at: 99_999.95)
        #expect(h.context.closedTrades.first?.exitReason == .timeout)
    }

    @Test func runnerTrailingStop() throws {
        var h = PipelineHarness(prediction: Prediction(edgeBps: 60, confidence: 0.8))
        h.warm()
        h.fillOutbox(at: 100_000.05)
        #expect(h.pipeline.trades.first?.style == .runner)
        h.book(101_000)  // +100 bps: trailing stop follows to 101,000 x (1 - 0.003) on the bid
        h.book(100_800)  // -20 bps from the best: still above the trail
        #expect(h.context.outbox.isEmpty)
        h.book(100_600)  // -40 bps from the best: the 30 bps trail is hit
        h.fillOutbox(at: 100_599.95)
        let trade = try #require(h.context.closedTrades.first)
        #expect(trade.exitReason == .trailingStop && trade.netPnL.isPositive)
    }

    @Test func costGateSkipsThinEdges() {
        // 12 bps edge - (0.01 bps spread + 2 x 5 bps taker) = ~2 bps < 5 bps minimum.
        var h = PipelineHarness(prediction: Prediction(edgeBps: 12, confidence: 0.6)) { $0.runner.enabled = false }
        h.warm()
        #expect(h.context.outbox.isEmpty)
        #expect(h.context.stats.skippedByCost > 0 && h.context.stats.signals > 0)
    }

    @Test func lowConfidenceIsNoSignal() {
        var h = PipelineHarness(prediction: Prediction(edgeBps: 50, confidence: 0.51))
        h.warm()
        #expect(h.context.outbox.isEmpty && h.context.stats.signals == 0)
    }

    @Test func riskBlockStopsEntriesButNeverExits() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        h.fillOutbox(at: 100_000.05)
        // Kill all room: the only exposure left is this trade's; a new check would block.
        h.context.entriesAllowed = false
        h.book(99_880)
        let exit = try #require(h.context.outbox.first)
        #expect(exit.reduceOnly)
    }

    @Test func inactiveCoinOpensNothingButManagesItsTrades() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false; $0.maxTradesPerCoin = 2 }
        h.warm()
        h.fillOutbox(at: 100_000.05)
        h.pipeline.isActive = false
        h.book(100_000)
        #expect(h.context.outbox.isEmpty)
        h.book(100_200)
        #expect(h.context.outbox.first?.reduceOnly == true)
    }

    @Test func rejectedEntryReleasesItsReservation() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        #expect(h.context.risk.snapshot().openTrades == 1 && h.context.risk.snapshot().global > 0)
        h.context.outbox.removeAll()
        h.pipeline.onReport(.rejected(clientOrderID: entry.clientOrderID, reason: "no", time: h.time), context: &h.context)
        #expect(h.pipeline.trades.isEmpty)
        #expect(h.context.risk.snapshot().openTrades == 0 && abs(h.context.risk.snapshot().global) < 1e-9)
        #expect(h.context.stats.rejects == 1)
    }

    @Test func fundingIsChargedToOpenTrades() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        h.fillOutbox(at: 100_000)
        let quantity = try #require(h.pipeline.trades.first?.quantity)
        h.pipeline.onReport(.funding(coin: "BTC", venue: .binance, rate: FixedDecimal(units: 1, exponent: 4), markPrice: 100_000, time: h.time), context: &h.context)
        #expect(h.pipeline.trades.first?.funding == quantity * 100_000 * FixedDecimal(units: 1, exponent: 4))
    }

    @Test func throttledEntriesCarryTheirReason() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        var limits = RiskLimits()
        limits.perCoinMaxExposurePct = 15
        limits.perSectorMaxExposurePct = 15
        h.context = PipelineContext(parameters: h.context.parameters, minEdgeAfterCostBps: 5,
                                    risk: RiskLedger(limits: limits, equity: 100_000, coinCount: 1), shardID: 0, equity: 100_000)
        h.warm()
        let record = try #require(h.context.riskDecisions.first)
        #expect(record.check.decision == .throttle && record.check.reason == .coinExposure)
        #expect(record.requestedNotional == 20_000 && record.check.approvedNotional == 10_000)
        #expect(record.check.explanation == "THROTTLE coin_exposure: exposure 0.0% of limit 15.0%")
        #expect(h.context.outbox.first?.quantity == FixedDecimal(units: 99, exponent: 3))
    }

    /// Entries go to the venue with the lowest all-in cost; blocked or stale venues are skipped.
    @Test func routesEntriesToTheCheapestVenue() throws {
        var h = PipelineHarness(prediction: strongLong, venues: [.binance, .bybit]) { $0.runner.enabled = false }
        let cheap = FeeSchedule(maker: FixedDecimal(units: 1, exponent: 4), taker: FixedDecimal(units: 1, exponent: 4))
        for _ in 0...61 {
            h.otherVenueBook(.bybit, fees: cheap, bid: 99_999.9, ask: 100_000.1)
            h.book(100_000)
        }
        let entry = try #require(h.context.outbox.first)
        #expect(entry.venue == .bybit, "1 bp taker on Bybit beats 5 bps on Binance")
        h.fillOutbox(at: 100_000.1)
        #expect(h.pipeline.trades.first?.venue == .bybit)
        #expect(h.context.risk.snapshot().exchange[VenueID.bybit.index] > 0 && h.context.risk.snapshot().exchange[VenueID.binance.index] == 0)
        // The exit goes where the position is.
        h.book(100_400)
        #expect(h.context.outbox.first?.venue == .bybit && h.context.outbox.first?.reduceOnly == true)

        var blocked = PipelineHarness(prediction: strongLong, venues: [.binance, .bybit]) { $0.runner.enabled = false }
        blocked.context.blockedVenues[VenueID.bybit.index] = true
        blocked.pipeline.refreshCosts(venue: .bybit, fees: cheap, fundingRate: nil, at: blocked.time)
        blocked.warm()
        #expect(blocked.context.outbox.first?.venue == .binance, "a venue with a tripped breaker takes no entries")

        var stale = PipelineHarness(prediction: strongLong, venues: [.binance, .bybit]) { $0.runner.enabled = false }
        // Bybit's costs were last refreshed long ago (more than two refresh intervals).
        stale.pipeline.refreshCosts(venue: .bybit, fees: cheap, fundingRate: nil, at: stale.time - .seconds(200))
        stale.warm()
        #expect(stale.context.outbox.first?.venue == .binance)
    }

    @Test func aFullExchangeRoutesToTheNextCheapestVenue() throws {
        var h = PipelineHarness(prediction: strongLong, venues: [.binance, .bybit]) { $0.runner.enabled = false }
        var limits = RiskLimits()
        limits.perExchangeMaxExposurePct = 30
        let risk = RiskLedger(limits: limits, equity: 100_000, coinCount: 2)
        // Fill Bybit's exchange limit with another coin's trade.
        risk.adjust(coin: 1, sector: .defi, venue: .bybit, by: 29_999)
        h.context = PipelineContext(parameters: h.context.parameters, minEdgeAfterCostBps: 5, risk: risk, shardID: 0, equity: 100_000)
        let cheap = FeeSchedule(maker: FixedDecimal(units: 1, exponent: 4), taker: FixedDecimal(units: 1, exponent: 4))
        for _ in 0...61 {
            h.otherVenueBook(.bybit, fees: cheap, bid: 99_999.9, ask: 100_000.1)
            h.book(100_000)
        }
        #expect(h.context.outbox.first?.venue == .binance, "Bybit is cheaper but its exchange limit is full")
    }

    /// Whatever ends an entry order unfilled (reject, cancel, expiry), its reservation is released.
    @Test(arguments: ["rejected", "cancelled", "expired"])
    func unfilledEntryReleasesItsReservation(ending: String) throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        h.context.outbox.removeAll()
        #expect(h.context.risk.snapshot().openTrades == 1)
        if ending != "rejected" {  // a venue rejects before it accepts; cancels and expiries come after
            h.pipeline.onReport(.accepted(clientOrderID: entry.clientOrderID, venueOrderID: "V1", time: h.time), context: &h.context)
        }
        let report: VenueReport = switch ending {
        case "rejected": .rejected(clientOrderID: entry.clientOrderID, reason: "no", time: h.time)
        case "cancelled": .cancelled(clientOrderID: entry.clientOrderID, time: h.time)
        default: .expired(clientOrderID: entry.clientOrderID, time: h.time)
        }
        h.pipeline.onReport(report, context: &h.context)
        #expect(h.pipeline.trades.isEmpty)
        let snapshot = h.context.risk.snapshot()
        #expect(snapshot.openTrades == 0 && abs(snapshot.global) < 1e-9 && abs(snapshot.coin[0]) < 1e-9)
    }

    /// A partly filled entry that is then cancelled commits what filled and releases the rest.
    @Test func partlyFilledEntryCommitsOnlyTheFill() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        h.context.outbox.removeAll()
        let half = entry.quantity.rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 3), .towardZero) / 2
        let part = half.rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 3), .towardZero)
        h.pipeline.onReport(.fill(Fill(clientOrderID: entry.clientOrderID, tradeID: "T1", coin: "BTC", venue: .binance, side: .buy,
                                       price: 100_000, quantity: part, fee: 0, liquidity: .taker, time: h.time)), context: &h.context)
        h.pipeline.onReport(.cancelled(clientOrderID: entry.clientOrderID, time: h.time), context: &h.context)
        #expect(h.pipeline.trades.first?.phase == .open && h.pipeline.trades.first?.quantity == part)
        #expect(abs(h.context.risk.snapshot().coin[0] - (part * 100_000).doubleValue) < 1e-6)
    }

    @Test func staleCostsStopEntries() {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.costsAnswer = false
        h.warm()
        #expect(h.context.outbox.isEmpty)
        #expect(h.context.stats.skippedStaleCost > 0)
    }

    @Test func unknownOrderReportsAreCountedNotApplied() {
        var h = PipelineHarness(prediction: strongLong)
        h.pipeline.onReport(.cancelled(clientOrderID: "nope", time: h.time), context: &h.context)
        #expect(h.context.stats.orderErrors == 1)
    }
}
