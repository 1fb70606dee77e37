import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import HuracanTestSupport
import Testing

/// REST clients against the fake venues on 127.0.0.1: signed calls verified by the server with
/// each venue's real scheme, order lifecycle, account reads, faults.
@Suite(.serialized) struct VenueRESTTests {
    @Test(arguments: VenueID.allCases)
    func orderLifecycleAndAccountReads(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue)
        try await awaitingStop({ await server.stop() }) {
            let api = TestMarkets.api(server)
            let offset = try await api.client.syncTime()
            #expect(offset.isMeasured)
            #expect(abs(offset.skewMilliseconds) < 1000)
            let instruments = try await api.instruments()
            #expect(instruments.count == 3)
            #expect(instruments.allSatisfy { $0.status == .trading && $0.isLinearPerpetual })
            let fees = try await api.fees(symbol: TestMarkets.symbol(venue, "BTC"))
            #expect(fees.maker == FixedDecimal(units: 2, exponent: 4))
            #expect(fees.taker == FixedDecimal(units: 5, exponent: 4))

            let symbol = TestMarkets.symbol(venue, "ETH")
            let (bid, _) = try #require(server.bestBidAsk(symbol: symbol))
            let quantity = FixedDecimal(units: 1, exponent: 1)
            let rest = OrderRequest(clientOrderID: "rest1\(venue)", coin: "ETH", venue: venue, side: .buy, type: .limit, timeInForce: .postOnly,
                                    quantity: quantity, price: bid - 50)
            let ack = try await api.placeOrder(rest, symbol: symbol)
            #expect(ack.clientOrderID == rest.clientOrderID)
            let open = try await api.openOrders()
            #expect(open.contains { $0.clientOrderID == rest.clientOrderID && $0.status == .acknowledged })
            try await api.cancelOrder(clientOrderID: rest.clientOrderID, symbol: symbol)
            let queried = try #require(try await api.queryOrder(clientOrderID: rest.clientOrderID, symbol: symbol))
            #expect(queried.status == .cancelled)
            #expect(try await api.queryOrder(clientOrderID: "nosuchorder", symbol: symbol) == nil)

            let market = OrderRequest(clientOrderID: "mkt1\(venue)", coin: "ETH", venue: venue, side: .sell, type: .market, timeInForce: .ioc, quantity: quantity)
            _ = try await api.placeOrder(market, symbol: symbol)
            let positions = try await api.positions()
            #expect(positions.first { $0.symbol == symbol }?.quantity == -quantity)
            let balances = try await api.balances()
            #expect(balances.contains { $0.asset == "USDT" && $0.walletBalance < 100_000 })
            let fills = try await api.recentFills(since: Timestamp(seconds: 0), symbols: [symbol])
            #expect(fills.contains { $0.symbol == symbol && $0.fill.quantity == quantity && $0.fill.liquidity == .taker && $0.fill.fee.isPositive })
            #expect(try await api.keyPermissions().contains("trade"))
        }
    }

    @Test(arguments: VenueID.allCases)
    func badSignatureIsRefusedAsCredentialsError(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue)
        try await awaitingStop({ await server.stop() }) {
            let api = TestMarkets.wrongSecretAPI(server)
            _ = try await api.client.syncTime()
            await #expect {
                _ = try await api.balances()
            } throws: { error in
                (error as? VenueAPIError)?.action == .fatalCredentials
            }
            // Counted against the venue error-rate breaker.
            #expect(api.client.health.lifetime.failures >= 1)
        }
    }

    @Test(arguments: VenueID.allCases)
    func rateLimitReplyPausesAndIdempotentCallIsRetried(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue)
        try await awaitingStop({ await server.stop() }) {
            let api = TestMarkets.api(server)
            server.faults { $0.rateLimitNext = 1; $0.retryAfterSeconds = 1 }
            let started = ContinuousClock.now
            let instruments = try await api.instruments()
            #expect(instruments.count == 3)
            #expect(api.client.rateLimiter.throttleEvents == 1)
            // Retry-After honoured before the retry.
            #expect(ContinuousClock.now - started >= .milliseconds(900))
        }
    }

    @Test(arguments: VenueID.allCases)
    func clockSkewIsMeasuredAndApplied(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue)
        try await awaitingStop({ await server.stop() }) {
            server.setClockOffset(milliseconds: 40_000)
            let api = TestMarkets.api(server)
            // The first signed call is refused as outside the window; the client re-measures and re-signs once.
            let balances = try await api.balances()
            #expect(!balances.isEmpty)
            #expect(abs(api.client.serverTimeOffset.skewMilliseconds - 40_000) < 1_000)
        }
    }

    @Test func rateLimiterHoldsUnderA400CoinBurst() {
        for venue in VenueID.allCases {
            var limiter = VenueRateLimits.limiter(venue)
            let start = Timestamp(seconds: 1_000)
            var grants: [(Timestamp, [RateLimitCost])] = []
            for i in 0..<400 {
                let costs = VenueRateLimits.cost(.placeOrder(symbol: "S\(i % 400)"), venue: venue)
                grants.append((limiter.reserve(costs, now: start), costs))
            }
            for rule in VenueRateLimits.rules(venue) {
                // No window of the rule ever holds more than the documented limit.
                let window = Int64(rule.windowNanoseconds)
                for (t, _) in grants {
                    let inWindow = grants.filter { $0.0.nanoseconds > t.nanoseconds - window && $0.0 <= t }
                        .flatMap(\.1).filter { $0.rule == rule.name }
                    let perKey = Dictionary(grouping: inWindow, by: { rule.isPerKey ? $0.key : "" }).mapValues { $0.reduce(0) { $0 + $1.units } }
                    #expect(perKey.values.allSatisfy { $0 <= rule.limit }, "\(venue) \(rule.name)")
                }
            }
        }
    }
}
