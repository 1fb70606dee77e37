import Testing
import HuracanCore
import HuracanSimVenue

/// Matching, fees and order rules of `SimulatedMatcher` against a hand-set book.
///
/// The test instrument has tick 0.1 and lot 0.1. The standard book is bid 99.9 x 3.0 /
/// ask 100.0 x 1.0: one-tick spread, so levels are one tick apart, and deeper levels hold
/// base * (1 + k/2) with base = (30 + 10) / 2 lots = 2.0, i.e. 3.0 at k=1, 4.0 at k=2, ...
@Suite struct SimulatedMatcherTests {
    static let fees = FeeSchedule(maker: Fixtures.decimal("0.0002"), taker: Fixtures.decimal("0.0005"))
    static let latency: Int64 = 5_000_000
    static let standardTop = BookTop(bidPrice: 99.9, bidSize: 3.0, askPrice: 100.0, askSize: 1.0)

    func makeMatcher(depthLevels: Int = 10, fees: FeeSchedule = fees, latency: Int64 = latency) -> SimulatedMatcher {
        var matcher = SimulatedMatcher(instrument: Fixtures.testInstrument, venue: .binance, fees: fees,
                                       latencyNanoseconds: latency, depthLevels: depthLevels)
        var reports: [VenueReport] = []
        matcher.onMarket(book(Self.standardTop, ms: 0), reports: &reports)
        #expect(reports.isEmpty)
        return matcher
    }

    func book(_ top: BookTop, ms: Int64) -> MarketEvent { .book(0, .binance, Fixtures.time(ms: ms), top) }

    func trade(price: Double, size: Double, aggressor: Side, ms: Int64) -> MarketEvent {
        .trade(0, .binance, Fixtures.time(ms: ms), price: price, size: size, aggressor: aggressor)
    }

    func order(_ id: String, _ side: Side, _ type: OrderType, quantity: String, price: String? = nil,
               tif: TimeInForce = .gtc, reduceOnly: Bool = false) -> OrderRequest {
        OrderRequest(clientOrderID: id, coin: "TEST", venue: .binance, side: side, type: type, timeInForce: tif,
                     quantity: Fixtures.decimal(quantity), price: price.map(Fixtures.decimal), reduceOnly: reduceOnly)
    }

    /// Submits at t=0 and returns the reports once the order has arrived (t = latency).
    func execute(_ request: OrderRequest, on matcher: inout SimulatedMatcher) -> [VenueReport] {
        var reports: [VenueReport] = []
        matcher.submit(request, at: Fixtures.time(ms: 0))
        matcher.advance(to: Fixtures.time(ms: 5), reports: &reports)
        return reports
    }

    func fills(_ reports: [VenueReport]) -> [Fill] {
        reports.compactMap { if case .fill(let fill) = $0 { fill } else { nil } }
    }

    func d(_ text: String) -> FixedDecimal { Fixtures.decimal(text) }

    @Test func marketBuyWalksThreeLevelsWithExactFillsAndFees() {
        var matcher = makeMatcher()
        let reports = execute(order("m1", .buy, .market, quantity: "5"), on: &matcher)
        let arrival = Fixtures.time(ms: 5)
        guard case .accepted(let id, let venueOrderID, let time) = reports.first else {
            Issue.record("first report must be .accepted, got \(reports)")
            return
        }
        #expect(id == "m1" && venueOrderID == "SIM-TEST-1" && time == arrival)
        let fills = fills(reports)
        #expect(reports.count == 4)
        #expect(fills.map(\.price) == [d("100"), d("100.1"), d("100.2")])
        #expect(fills.map(\.quantity) == [d("1"), d("3"), d("1")])
        // 100 * 1 * 0.0005, 100.1 * 3 * 0.0005, 100.2 * 1 * 0.0005
        #expect(fills.map(\.fee) == [d("0.05"), d("0.15015"), d("0.0501")])
        #expect(fills.allSatisfy { $0.liquidity == .taker && $0.side == .buy && $0.time == arrival && $0.coin == "TEST" })
        #expect(Set(fills.map(\.tradeID)).count == 3)
        #expect(matcher.position == d("5"))
        #expect(matcher.feesPaid == d("0.25025"))
        #expect(matcher.openOrderCount == 0)
    }

    @Test func marketSellWalksTheBids() {
        var matcher = makeMatcher()
        let fills = fills(execute(order("s1", .sell, .market, quantity: "4"), on: &matcher))
        #expect(fills.map(\.price) == [d("99.9"), d("99.8")])
        #expect(fills.map(\.quantity) == [d("3"), d("1")])
        #expect(matcher.position == d("-4"))
    }

    @Test func takenLiquidityStaysTakenUntilTheNextQuote() {
        var matcher = makeMatcher()
        _ = execute(order("a", .buy, .market, quantity: "0.5"), on: &matcher)
        var reports: [VenueReport] = []
        matcher.submit(order("b", .buy, .market, quantity: "1"), at: Fixtures.time(ms: 1))
        matcher.advance(to: Fixtures.time(ms: 6), reports: &reports)
        #expect(fills(reports).map(\.price) == [d("100"), d("100.1")])
        #expect(fills(reports).map(\.quantity) == [d("0.5"), d("0.5")])
        // A new quote restores the top.
        reports.removeAll()
        matcher.onMarket(book(Self.standardTop, ms: 7), reports: &reports)
        matcher.submit(order("c", .buy, .market, quantity: "1"), at: Fixtures.time(ms: 7))
        matcher.advance(to: Fixtures.time(ms: 12), reports: &reports)
        #expect(fills(reports).map(\.price) == [d("100")])
    }

    @Test func marketOrderLargerThanDepthIsPartlyFilledThenCancelled() throws {
        var matcher = makeMatcher(depthLevels: 3)
        // Depth: 1.0 + 3.0 + 4.0 = 8.0.
        let reports = execute(order("big", .buy, .market, quantity: "10"), on: &matcher)
        #expect(fills(reports).map(\.quantity) == [d("1"), d("3"), d("4")])
        #expect(reports.last == .cancelled(clientOrderID: "big", time: Fixtures.time(ms: 5)))
        #expect(matcher.position == d("8"))
        var order = Order(request: self.order("big", .buy, .market, quantity: "10"), createdAt: Fixtures.time(ms: 0))
        for report in reports {
            switch report {
            case .accepted(_, let venueID, let time): try order.acknowledge(venueOrderID: venueID, at: time)
            case .fill(let fill): try order.apply(fill)
            case .cancelled(_, let time): try order.cancel(at: time)
            default: Issue.record("unexpected \(report)")
            }
        }
        #expect(order.status == .cancelled && order.filledQuantity == d("8"))
    }

    @Test func crossingLimitTakesUpToItsPriceAndRestsTheRest() {
        var matcher = makeMatcher()
        let reports = execute(order("l1", .buy, .limit, quantity: "6", price: "100.1"), on: &matcher)
        let fills = fills(reports)
        #expect(fills.map(\.price) == [d("100"), d("100.1")])
        #expect(fills.map(\.quantity) == [d("1"), d("3")])
        #expect(fills.allSatisfy { $0.liquidity == .taker })
        #expect(fills[1].fee == d("0.15015"))
        #expect(matcher.openOrderCount == 1)
        #expect(!reports.contains { if case .cancelled = $0 { true } else { false } })
    }

    @Test func iocRestIsCancelled() {
        var matcher = makeMatcher()
        let reports = execute(order("i1", .buy, .limit, quantity: "2", price: "100", tif: .ioc), on: &matcher)
        #expect(fills(reports).map(\.quantity) == [d("1")])
        #expect(reports.last == .cancelled(clientOrderID: "i1", time: Fixtures.time(ms: 5)))
        #expect(matcher.openOrderCount == 0)

        let passive = execute(order("i2", .buy, .limit, quantity: "1", price: "99", tif: .ioc), on: &matcher)
        #expect(passive.count == 2)
        #expect(passive.last == .cancelled(clientOrderID: "i2", time: Fixtures.time(ms: 5)))
    }

    @Test func restingLimitFillsAsMakerWhenTheBookCrossesIt() {
        var matcher = makeMatcher()
        let placed = execute(order("r1", .buy, .limit, quantity: "2", price: "99.5"), on: &matcher)
        #expect(placed.count == 1)
        #expect(matcher.openOrderCount == 1)
        var reports: [VenueReport] = []
        matcher.onMarket(book(BookTop(bidPrice: 99.6, bidSize: 1, askPrice: 99.7, askSize: 1), ms: 10), reports: &reports)
        #expect(reports.isEmpty)
        matcher.onMarket(book(BookTop(bidPrice: 99.4, bidSize: 1, askPrice: 99.5, askSize: 0.5), ms: 20), reports: &reports)
        let fills = fills(reports)
        #expect(fills.count == 1)
        #expect(fills.first?.price == d("99.5"))
        #expect(fills.first?.quantity == d("2"))
        #expect(fills.first?.liquidity == .maker)
        #expect(fills.first?.fee == d("0.0398"))  // 99.5 * 2 * 0.0002
        #expect(fills.first?.time == Fixtures.time(ms: 20))
        #expect(matcher.openOrderCount == 0)
        #expect(matcher.position == d("2"))
    }

    @Test func negativeMakerFeeIsARebate() {
        let rebate = FeeSchedule(maker: d("-0.0001"), taker: d("0.0004"))
        var matcher = makeMatcher(fees: rebate)
        _ = execute(order("r", .sell, .limit, quantity: "1", price: "100.5"), on: &matcher)
        var reports: [VenueReport] = []
        matcher.onMarket(book(BookTop(bidPrice: 100.5, bidSize: 1, askPrice: 100.6, askSize: 1), ms: 10), reports: &reports)
        #expect(fills(reports).first?.fee == d("-0.01005"))
        #expect(matcher.feesPaid == d("-0.01005"))
    }

    @Test func tradePrintThroughTheLimitGivesPartialFills() {
        var matcher = makeMatcher()
        _ = execute(order("p1", .buy, .limit, quantity: "2", price: "99.8"), on: &matcher)
        var reports: [VenueReport] = []
        // A print at the limit does not fill (queue position unknown); one through it does.
        matcher.onMarket(trade(price: 99.8, size: 5, aggressor: .sell, ms: 10), reports: &reports)
        #expect(reports.isEmpty)
        matcher.onMarket(trade(price: 99.7, size: 0.5, aggressor: .sell, ms: 11), reports: &reports)
        #expect(fills(reports).map(\.quantity) == [d("0.5")])
        #expect(fills(reports).first?.price == d("99.8"))
        #expect(fills(reports).first?.liquidity == .maker)
        #expect(matcher.openOrderCount == 1)
        reports.removeAll()
        matcher.onMarket(trade(price: 99.6, size: 4, aggressor: .sell, ms: 12), reports: &reports)
        #expect(fills(reports).map(\.quantity) == [d("1.5")])
        #expect(matcher.openOrderCount == 0)
        #expect(matcher.position == d("2"))
    }

    @Test func postOnlyThatWouldCrossIsRejected() {
        var matcher = makeMatcher()
        let reports = execute(order("po", .buy, .limit, quantity: "1", price: "100", tif: .postOnly), on: &matcher)
        #expect(reports == [.rejected(clientOrderID: "po", reason: "post-only order would take liquidity", time: Fixtures.time(ms: 5))])
        let passive = execute(order("po2", .buy, .limit, quantity: "1", price: "99.9", tif: .postOnly), on: &matcher)
        #expect(passive.count == 1)
        #expect(matcher.openOrderCount == 1)
    }

    @Test func reduceOnlyIsRejectedWhenFlatAndClippedToThePosition() {
        var matcher = makeMatcher()
        let flat = execute(order("ro0", .sell, .market, quantity: "1", reduceOnly: true), on: &matcher)
        guard case .rejected(_, let reason, _) = flat.first else {
            Issue.record("expected a rejection, got \(flat)")
            return
        }
        #expect(reason.contains("reduce-only order would increase the position"))

        _ = execute(order("open", .buy, .market, quantity: "2"), on: &matcher)
        #expect(matcher.position == d("2"))
        let sameSide = execute(order("ro1", .buy, .market, quantity: "1", reduceOnly: true), on: &matcher)
        #expect(sameSide.count == 1)
        if case .rejected = sameSide.first {} else { Issue.record("buy reduce-only on a long must be rejected, got \(sameSide)") }

        // Larger than the position: clipped to 2, the excess cancelled.
        let clipped = execute(order("ro2", .sell, .market, quantity: "3", reduceOnly: true), on: &matcher)
        #expect(fills(clipped).map(\.quantity).reduce(.zero, +) == d("2"))
        #expect(clipped.last == .cancelled(clientOrderID: "ro2", time: Fixtures.time(ms: 5)))
        #expect(matcher.position == .zero)
    }

    @Test func restingReduceOnlyIsCancelledWhenThePositionCloses() {
        var matcher = makeMatcher()
        _ = execute(order("open", .buy, .market, quantity: "1"), on: &matcher)
        let resting = execute(order("tp", .sell, .limit, quantity: "1", price: "101", reduceOnly: true), on: &matcher)
        #expect(resting.count == 1)
        let close = execute(order("close", .sell, .market, quantity: "1"), on: &matcher)
        #expect(matcher.position == .zero)
        #expect(close.last == .cancelled(clientOrderID: "tp", time: Fixtures.time(ms: 5)))
        #expect(matcher.openOrderCount == 0)
    }

    @Test(arguments: [
        ("0.05", nil as String?, "not a multiple of the lot size 0.1"),
        ("0", nil, "quantity must be positive"),
        ("1", "100.05", "not a multiple of the tick size 0.1"),
        ("0.1", "10", "below the minimum 5"),
    ])
    func badSizesAndPricesAreRejected(quantity: String, price: String?, reason: String) {
        var matcher = makeMatcher()
        let request = order("bad", .buy, price == nil ? .market : .limit, quantity: quantity, price: price)
        let reports = execute(request, on: &matcher)
        #expect(reports.count == 1)
        guard case .rejected(let id, let text, _) = reports.first else {
            Issue.record("expected a rejection, got \(reports)")
            return
        }
        #expect(id == "bad")
        #expect(text.contains(reason), "reason was: \(text)")
        #expect(matcher.openOrderCount == 0)
    }

    @Test func orderIsNotFilledBeforeItsLatencyHasPassed() {
        var matcher = makeMatcher()
        var reports: [VenueReport] = []
        matcher.submit(order("late", .buy, .limit, quantity: "1", price: "100"), at: Fixtures.time(ms: 0))
        #expect(matcher.openOrderCount == 1)
        matcher.onMarket(book(BookTop(bidPrice: 99.8, bidSize: 1, askPrice: 99.9, askSize: 5), ms: 4), reports: &reports)
        matcher.onMarket(trade(price: 99.0, size: 10, aggressor: .sell, ms: 4), reports: &reports)
        #expect(reports.isEmpty)
        // Arrives at 5 ms: acknowledged and filled against the book as of then (ask 99.9), as taker.
        matcher.onMarket(book(BookTop(bidPrice: 101, bidSize: 1, askPrice: 101.1, askSize: 1), ms: 5), reports: &reports)
        guard case .accepted(_, _, let time) = reports.first else {
            Issue.record("expected .accepted, got \(reports)")
            return
        }
        #expect(time == Fixtures.time(ms: 5))
        #expect(fills(reports).map(\.price) == [d("99.9")])
        #expect(fills(reports).first?.liquidity == .taker)
    }

    @Test func cancelRemovesARestingOrderAfterLatency() {
        var matcher = makeMatcher()
        _ = execute(order("c1", .buy, .limit, quantity: "1", price: "99"), on: &matcher)
        var reports: [VenueReport] = []
        matcher.cancel(clientOrderID: "c1", at: Fixtures.time(ms: 10))
        matcher.advance(to: Fixtures.time(ms: 14), reports: &reports)
        #expect(reports.isEmpty && matcher.openOrderCount == 1)
        matcher.advance(to: Fixtures.time(ms: 15), reports: &reports)
        #expect(reports == [.cancelled(clientOrderID: "c1", time: Fixtures.time(ms: 15))])
        #expect(matcher.openOrderCount == 0)
        // A later cross cannot fill it; cancelling again reports nothing.
        reports.removeAll()
        matcher.onMarket(book(BookTop(bidPrice: 98, bidSize: 1, askPrice: 98.1, askSize: 1), ms: 20), reports: &reports)
        matcher.cancel(clientOrderID: "c1", at: Fixtures.time(ms: 20))
        matcher.advance(to: Fixtures.time(ms: 30), reports: &reports)
        #expect(reports.isEmpty)
    }

    @Test func venueOrderIDsAreDeterministic() {
        var matcher = makeMatcher()
        let first = execute(order("x1", .buy, .limit, quantity: "1", price: "99"), on: &matcher)
        let second = execute(order("x2", .buy, .limit, quantity: "1", price: "99"), on: &matcher)
        #expect(first == [.accepted(clientOrderID: "x1", venueOrderID: "SIM-TEST-1", time: Fixtures.time(ms: 5))])
        #expect(second == [.accepted(clientOrderID: "x2", venueOrderID: "SIM-TEST-2", time: Fixtures.time(ms: 5))])
    }

    @Test func fundingSettlementChargesLongsAndPaysShortsWhenTheRateIsPositive() {
        for (side, expectedSign) in [(Side.buy, 1), (.sell, -1)] {
            var matcher = makeMatcher()
            _ = execute(order("open", side, .market, quantity: "1"), on: &matcher)
            var reports: [VenueReport] = []
            let settlement = MarketEvent.fundingSettlement(0, .binance, Fixtures.time(ms: 100), rate: 0.000123456789, markPrice: 100.04)
            matcher.onMarket(settlement, reports: &reports)
            #expect(reports == [.funding(coin: "TEST", venue: .binance, rate: d("0.00012346"), markPrice: d("100"),
                                         time: Fixtures.time(ms: 100))])
            var position = Position(coin: "TEST", venue: .binance)
            position.apply(Fill(clientOrderID: "open", tradeID: "t", coin: "TEST", venue: .binance, side: side, price: d("100"),
                                quantity: d("1"), fee: .zero, liquidity: .taker, time: Fixtures.time(ms: 5)))
            guard case .funding(_, _, let rate, let mark, _) = reports.first else { continue }
            let paid = position.applyFunding(rate: rate, markPrice: mark)
            #expect(paid.signum == expectedSign)
            #expect(paid.magnitude == d("0.012346"))
            #expect(matcher.fundingPaid == paid)
        }
    }

    @Test func noFundingReportWhenFlat() {
        var matcher = makeMatcher()
        var reports: [VenueReport] = []
        matcher.onMarket(.fundingSettlement(0, .binance, Fixtures.time(ms: 100), rate: 0.0001, markPrice: 100), reports: &reports)
        #expect(reports.isEmpty)
    }

    @Test func orderBookSnapshotSynthesisesDepth() {
        let matcher = makeMatcher(depthLevels: 4)
        let snapshot = matcher.orderBook(levels: 3, time: Fixtures.time(ms: 1), coin: "TEST")
        #expect(snapshot.asks.map(\.price) == [d("100"), d("100.1"), d("100.2")])
        #expect(snapshot.asks.map(\.quantity) == [d("1"), d("3"), d("4")])
        #expect(snapshot.bids.map(\.price) == [d("99.9"), d("99.8"), d("99.7")])
        #expect(snapshot.bids.map(\.quantity) == [d("3"), d("3"), d("4")])
        #expect(snapshot.venue == .binance && snapshot.coin == "TEST")
    }
}
