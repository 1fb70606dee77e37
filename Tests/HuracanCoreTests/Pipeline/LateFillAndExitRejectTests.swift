import HuracanCore
import Testing

/// What venues really do after an order is final (a fill after a cancel, after an expiry, or
/// after a reject that was really an unknown) and what they do when they keep refusing an exit.
@Suite struct LateFillAndExitRejectTests {
    let strongLong = Prediction(edgeBps: 40, confidence: 0.6)

    func fill(_ request: OrderRequest, _ id: String, quantity: Quantity? = nil, price: Double, at time: Timestamp) -> VenueReport {
        .fill(Fill(clientOrderID: request.clientOrderID, tradeID: id, coin: "BTC", venue: .binance, side: request.side,
                   price: FixedDecimal(approximating: price).rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 1), .nearest),
                   quantity: quantity ?? request.quantity, fee: FixedDecimal(units: 1, exponent: 0), liquidity: .taker, time: time))
    }

    /// The entry was reported rejected (a reset after the venue took it), the trade went away;
    /// then the venue's fill arrives: the trade is rebuilt open with that quantity, exposure
    /// counts it, and it exits like any trade.
    @Test func entryFillAfterRejectRebuildsTheTrade() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false; $0.scalp.timeoutSeconds = 30 }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        h.context.outbox.removeAll()
        h.pipeline.onReport(.rejected(clientOrderID: entry.clientOrderID, reason: "connection reset", time: h.time), context: &h.context)
        #expect(h.pipeline.trades.isEmpty)
        #expect(h.context.risk.snapshot().openTrades == 0)
        h.pipeline.onReport(fill(entry, "L1", price: 100_000.05, at: h.time), context: &h.context)
        #expect(h.context.stats.lateFills == 1 && h.context.stats.orderErrors == 0)
        let trade = try #require(h.pipeline.trades.first)
        #expect(trade.phase == .open && trade.quantity == entry.quantity && trade.side == .buy)
        #expect(abs(h.context.risk.snapshot().coin[0] - (entry.quantity * 100_000).doubleValue) < 1)
        // It is managed: the time-out exits it, and closing frees exactly the exposure it added.
        h.book(100_000, after: 31)
        let exit = try #require(h.context.outbox.first)
        #expect(exit.reduceOnly && exit.quantity == entry.quantity && exit.side == .sell)
        h.fillOutbox(at: 99_999.95)
        #expect(h.pipeline.trades.isEmpty && h.context.closedTrades.count == 1)
        #expect(abs(h.context.risk.snapshot().global) < 1e-6 && h.context.risk.snapshot().openTrades == 0)
    }

    /// Final orders are remembered for late fills for ten minutes: an order that finished
    /// longer before the next one is forgotten (its fill counts as an order error), so a coin's
    /// memory stops growing; the recent one still takes its late fill.
    @Test func finalOrdersAreRememberedForTenMinutes() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let first = try #require(h.context.outbox.first)
        h.context.outbox.removeAll()
        h.pipeline.onReport(.rejected(clientOrderID: first.clientOrderID, reason: "connection reset", time: h.time), context: &h.context)
        h.book(100_000, after: 660)
        let second = try #require(h.context.outbox.first)
        #expect(second.clientOrderID != first.clientOrderID)
        h.context.outbox.removeAll()
        h.pipeline.onReport(.rejected(clientOrderID: second.clientOrderID, reason: "connection reset", time: h.time), context: &h.context)
        h.pipeline.onReport(fill(first, "L1", price: 100_000.05, at: h.time), context: &h.context)
        #expect(h.context.stats.lateFills == 0 && h.context.stats.orderErrors == 1)
        #expect(h.pipeline.trades.isEmpty)
        h.pipeline.onReport(fill(second, "L2", price: 100_000.05, at: h.time), context: &h.context)
        #expect(h.context.stats.lateFills == 1 && h.pipeline.trades.count == 1)
    }

    /// The exit was reported rejected, yet it filled: the late exit fill closes the trade
    /// instead of leaving it open and re-sending exits.
    @Test func exitFillAfterRejectClosesTheTrade() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        h.fillOutbox(at: 100_000.05)
        h.book(100_130)
        let exit = try #require(h.context.outbox.first)
        h.context.outbox.removeAll()
        h.pipeline.onReport(.rejected(clientOrderID: exit.clientOrderID, reason: "503 after accept", time: h.time), context: &h.context)
        #expect(h.pipeline.trades.first?.phase == .open && h.context.stats.exitRejects == 1)
        h.pipeline.onReport(fill(exit, "X1", price: 100_129.95, at: h.time), context: &h.context)
        #expect(h.pipeline.trades.isEmpty)
        let closed = try #require(h.context.closedTrades.first)
        #expect(closed.exitReason == .takeProfit && closed.openQuantity.isZero && closed.grossPnL.isPositive)
        #expect(h.context.risk.snapshot().openTrades == 0 && abs(h.context.risk.snapshot().global) < 1e-6)
    }

    /// An IOC entry expired after a partial fill, then the rest of its fills arrive: the open
    /// trade grows to the full quantity and the exit sells all of it.
    @Test func entryFillAfterExpiryGrowsTheOpenTrade() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        h.context.outbox.removeAll()
        let lot = FixedDecimal(units: 1, exponent: 3)
        let first = (entry.quantity / 2).rounded(toMultipleOf: lot, .towardZero)
        h.pipeline.onReport(fill(entry, "P1", quantity: first, price: 100_000.05, at: h.time), context: &h.context)
        h.pipeline.onReport(.expired(clientOrderID: entry.clientOrderID, time: h.time), context: &h.context)
        #expect(h.pipeline.trades.first?.quantity == first)
        h.pipeline.onReport(fill(entry, "P2", quantity: entry.quantity - first, price: 100_000.05, at: h.time), context: &h.context)
        #expect(h.pipeline.trades.first?.quantity == entry.quantity && h.context.stats.lateFills == 1)
        h.book(100_130)
        #expect(h.context.outbox.first?.quantity == entry.quantity)
    }

    /// A venue that keeps refusing an exit (reduce-only against a position it does not show):
    /// 1, 2, 4, 8 ... up to 60 s between attempts instead of one per book update.
    @Test func refusedExitsBackOffExponentially() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        h.fillOutbox(at: 100_000.05)
        var sent: [Timestamp] = []
        // Ten minutes of book updates ten times a second, every exit refused.
        for _ in 0..<6_000 {
            h.book(100_130, after: 0.1)
            for request in h.context.outbox {
                sent.append(h.time)
                h.pipeline.onReport(.rejected(clientOrderID: request.clientOrderID, reason: "-2022 ReduceOnly Order is rejected", time: h.time), context: &h.context)
            }
            h.context.outbox.removeAll()
        }
        let gaps = zip(sent.dropFirst(), sent).map { Double($0 - $1) / 1e9 }
        #expect(sent.count <= 20, "\(sent.count) exits in 10 minutes")
        #expect(gaps.prefix(6).map { $0.rounded() } == [1, 2, 4, 8, 16, 32])
        #expect(gaps.dropFirst(6).allSatisfy { $0 >= 59.9 && $0 <= 60.2 })
        #expect(h.context.stats.exitRejects == sent.count)
        #expect(h.pipeline.trades.first?.ordersSent == sent.count + 1)
    }

    /// Reports for an order that is final change nothing and are not errors; reports for an
    /// order the coin never sent are.
    @Test func repeatedFinalReportsAreIgnored() throws {
        var h = PipelineHarness(prediction: strongLong) { $0.runner.enabled = false }
        h.warm()
        let entry = try #require(h.context.outbox.first)
        h.fillOutbox(at: 100_000.05)
        h.pipeline.onReport(.cancelled(clientOrderID: entry.clientOrderID, time: h.time), context: &h.context)
        h.pipeline.onReport(.accepted(clientOrderID: entry.clientOrderID, venueOrderID: "V1", time: h.time), context: &h.context)
        #expect(h.context.stats.orderErrors == 0)
        #expect(h.pipeline.trades.first?.quantity == entry.quantity)
    }
}
