import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Testing

/// Amend of a resting limit order (price and quantity), checked at the fake venue: Binance
/// `PUT /fapi/v1/order`, OKX `amend-order` (contracts), Bybit `/v5/order/amend`.
///
/// These once crashed the test process ("a job resumed at a null address"): the old
/// `amendOrder(clientOrderID:symbol:side:quantity:price:)` put `Int128` arguments on the stack of
/// an async call, which Swift 6.3.1 debug builds miscompile (see `VenueAPI.amendOrder`). Keep
/// them running in debug builds: they are the regression test.
@Suite(.serialized) struct VenueAmendTests {
    /// A fake venue, its API client with the clock synchronised, and its ETH symbol.
    func withETH(_ venue: VenueID, _ body: (FakeVenueServer, VenueAPI, String) async throws -> Void) async throws {
        try await TestMarkets.withServer(venue) { server in
            let api = TestMarkets.api(server)
            _ = try await api.client.syncTime()
            try await body(server, api, TestMarkets.symbol(venue, "ETH"))
        }
    }

    @Test(arguments: VenueID.allCases)
    func amendChangesPriceAndQuantityAtTheVenue(venue: VenueID) async throws {
        try await withETH(venue) { server, api, symbol in
            let (bid, _) = try #require(server.bestBidAsk(symbol: symbol))
            let quantity = FixedDecimal(units: 1, exponent: 1)
            let id = "am1\(venue.rawValue)"
            _ = try await api.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .limit, timeInForce: .gtc,
                                                      quantity: quantity, price: bid - 50), symbol: symbol)
            try await api.amendOrder(OrderAmendment(clientOrderID: id, side: .buy, quantity: quantity * 2, price: bid - 60), symbol: symbol)
            let order = try #require(server.order(clientOrderID: id))
            #expect(order.price == bid - 60)
            #expect(order.quantity == quantity * 2)
            #expect(order.isOpen)
            // The venue's own view, read back through the adapter.
            let queried = try #require(try await api.queryOrder(clientOrderID: id, symbol: symbol))
            #expect(queried.status == .acknowledged)
            #expect(server.submissions(clientOrderID: id) == 1)
        }
    }

    @Test(arguments: VenueID.allCases)
    func amendOfAnUnknownOrderIsAClearVenueError(venue: VenueID) async throws {
        try await withETH(venue) { _, api, symbol in
            await #expect {
                try await api.amendOrder(OrderAmendment(clientOrderID: "nosuch\(venue.rawValue)", side: .sell, quantity: 1, price: 3_100), symbol: symbol)
            } throws: { error in
                (error as? VenueAPIError)?.action == .orderNotFoundOrFinal
            }
        }
    }

    /// `LiveVenue.amendOrder` finds the side of its own order and amends it through the REST API.
    @Test(arguments: VenueID.allCases)
    func liveVenueAmendsItsOwnRestingOrder(venue: VenueID) async throws {
        try await withETH(venue) { server, api, symbol in
            let live = LiveVenue(api: api, logger: TestMarkets.logger)
            let (_, ask) = try #require(server.bestBidAsk(symbol: symbol))
            let quantity = FixedDecimal(units: 2, exponent: 1)
            let id = "lam\(venue.rawValue)"
            try await live.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .sell, type: .limit, timeInForce: .gtc,
                                                   quantity: quantity, price: ask + 40))
            try await live.amendOrder(clientOrderID: id, coin: "ETH", quantity: quantity / 2, price: ask + 45)
            let order = try #require(server.order(clientOrderID: id))
            #expect(order.side == .sell && order.price == ask + 45 && order.quantity == quantity / 2)
            await #expect(throws: LiveVenueError.unknownOrder("other", venue: venue)) {
                try await live.amendOrder(clientOrderID: "other", coin: "ETH", quantity: quantity, price: ask + 45)
            }
        }
    }
}
