import Testing
import HuracanCore
import HuracanSimVenue

/// The async `ExchangeVenue` face of the simulator.
@Suite struct SimulatedVenueTests {
    let market = Fixtures.market(seed: 77)
    let btc = Fixtures.coin("BTC")

    func makeVenue(latency: Int64 = 10_000_000) -> SimulatedVenue {
        SimulatedVenue(market: market, venue: .binance, coins: [btc, Fixtures.coin("ETH")], latencyNanoseconds: latency)
    }

    /// Everything a stream buffered; call once the venue is released (its deinit ends the streams).
    func drain(_ stream: AsyncStream<VenueReport>) async -> [VenueReport] {
        var out: [VenueReport] = []
        for await report in stream { out.append(report) }
        return out
    }

    @Test func placeOrderThenFeedEventsYieldsAcceptedAndFill() async throws {
        let stream: AsyncStream<VenueReport>
        do {
            let venue = makeVenue()
            stream = venue.reports()
            let request = OrderRequest(clientOrderID: "v1", coin: "BTC", venue: .binance, side: .buy, type: .market,
                                       quantity: Fixtures.decimal("0.01"))
            try await venue.placeOrder(request)

            var state = market.makeCoin(btc)
            var events: [MarketEvent] = []
            for step in Int64(0)..<50 { market.generate(step: step, coin: &state, into: &events) }
            for event in events { venue.feed(event) }
            #expect(try venue.position(coin: "BTC") == Fixtures.decimal("0.01"))
        }
        let reports = await drain(stream)
        guard reports.count == 2, case .accepted(let id, let venueOrderID, let time) = reports[0], case .fill(let fill) = reports[1] else {
            Issue.record("expected .accepted then a fill, got \(reports)")
            return
        }
        #expect(id == "v1" && venueOrderID.hasPrefix("SIM-BTC-"))
        #expect(time == Timestamp(nanoseconds: Fixtures.start.nanoseconds + 10_000_000))
        #expect(fill.clientOrderID == "v1" && fill.quantity == Fixtures.decimal("0.01") && fill.liquidity == .taker)
        #expect(fill.fee == fill.price * fill.quantity * VenueFeeProfiles.standard(.binance).taker)
        #expect(fill.price.isMultiple(of: Fixtures.universe[btc].tickSize))
    }

    @Test func bookFeesAndFundingComeFromTheSimulation() async throws {
        let venue = makeVenue()
        let book = try await venue.orderBook(coin: "BTC")
        #expect(book.bids.count == 10 && book.asks.count == 10)
        #expect(book.bids[0].price < book.asks[0].price)
        #expect(abs(book.asks[0].price.doubleValue / 95_000 - 1) < 0.001)
        #expect(try await venue.fees(coin: "ETH") == VenueFeeProfiles.standard(.binance))
        let funding = try await venue.funding(coin: "BTC")
        #expect(abs(funding.rate) <= 0.0075 && funding.markPrice > 0)
        #expect(funding.nextFundingTime == Timestamp(nanoseconds: Fixtures.start.nanoseconds + 8 * 3_600_000_000_000))

        let custom = FeeSchedule(maker: .zero, taker: Fixtures.decimal("0.0003"))
        let overridden = SimulatedVenue(market: market, venue: .okx, coins: [btc], latencyNanoseconds: 0, fees: custom)
        #expect(try await overridden.fees(coin: "BTC") == custom)
    }

    @Test func unknownCoinsAreClearErrors() async throws {
        let venue = makeVenue()
        await #expect(throws: SimulatedVenueError.unknownCoin(coin: "NOPE", venue: .binance)) {
            try await venue.orderBook(coin: "NOPE")
        }
        await #expect(throws: SimulatedVenueError.coinNotServed(coin: "SOL", venue: .binance)) {
            try await venue.fees(coin: "SOL")
        }
        let error = SimulatedVenueError.unknownCoin(coin: "NOPE", venue: .binance)
        #expect(error.description.contains("NOPE"))
        let wrongVenue = OrderRequest(clientOrderID: "w", coin: "BTC", venue: .okx, side: .buy, type: .market, quantity: 1)
        await #expect(throws: SimulatedVenueError.self) { try await venue.placeOrder(wrongVenue) }
    }

    @Test func cancelThroughTheVenue() async throws {
        let stream: AsyncStream<VenueReport>
        do {
            let venue = makeVenue(latency: 0)
            stream = venue.reports()
            let request = OrderRequest(clientOrderID: "rest", coin: "ETH", venue: .binance, side: .buy, type: .limit,
                                       quantity: Fixtures.decimal("0.05"), price: Fixtures.decimal("1000"))
            try await venue.placeOrder(request)
            venue.advance(to: Fixtures.time(ms: 1))
            try await venue.cancelOrder(clientOrderID: "rest", coin: "ETH")
            venue.advance(to: Fixtures.time(ms: 2))
        }
        let reports = await drain(stream)
        #expect(reports == [.accepted(clientOrderID: "rest", venueOrderID: "SIM-ETH-1", time: Fixtures.start),
                            .cancelled(clientOrderID: "rest", time: Fixtures.time(ms: 1))])
    }

    @Test func everySubscriberSeesEveryReport() async throws {
        let first: AsyncStream<VenueReport>, second: AsyncStream<VenueReport>
        do {
            let venue = makeVenue(latency: 0)
            first = venue.reports()
            second = venue.reports()
            let bad = OrderRequest(clientOrderID: "bad", coin: "BTC", venue: .binance, side: .buy, type: .market,
                                   quantity: Fixtures.decimal("0.0001"))
            try await venue.placeOrder(bad)
            venue.advance(to: Fixtures.time(ms: 1))
        }
        let a = await drain(first), b = await drain(second)
        #expect(a == b && a.count == 1)
        if case .rejected(_, let reason, _) = a.first { #expect(reason.contains("lot size 0.001")) } else { Issue.record("expected a rejection, got \(a)") }
    }
}
