import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Synchronization
import HuracanTestSupport
import Testing

/// `LiveVenue` with its private stream against the fake venues: acknowledgements, fills with fee
/// and liquidity, partial fills, rejects, and the UNKNOWN path after a timeout.
@Suite(.serialized) struct LiveVenueTests {
    struct Rig {
        let server: FakeVenueServer
        let venue: LiveVenue
        let collector: ReportCollector
        let stream: VenueUserStream
        let tasks: [Task<Void, Never>]
        func stop() async {
            for task in tasks { task.cancel() }
            collector.task.cancel()
            await server.stop()
        }
    }

    static func rig(_ venueID: VenueID, timeout: Duration = .seconds(2)) async throws -> Rig {
        let server = try await TestMarkets.startServer(venueID)
        let api = TestMarkets.api(server, timeout: timeout)
        _ = try await api.client.syncTime()
        let venue = LiveVenue(api: api, timing: .init(firstQuery: .milliseconds(300), streamGrace: .milliseconds(500)), logger: TestMarkets.logger)
        let collector = ReportCollector(venue)
        let stream = VenueUserStream(api: api, credentials: server.credentials, logger: TestMarkets.logger) { venue.apply($0) }
        let feed = VenueMarketFeed(api: api, symbols: TestMarkets.instruments(venueID).map(\.symbol), health: venue.bookHealth, logger: TestMarkets.logger) { venue.apply($0) }
        let tasks = [Task { await stream.run() }, Task { await feed.run() }]
        #expect(await eventually { stream.authenticated.load(ordering: .relaxed) })
        return Rig(server: server, venue: venue, collector: collector, stream: stream, tasks: tasks)
    }

    @Test(arguments: VenueID.allCases)
    func fillsLostOnThePrivateStreamAreReadOverREST(venue: VenueID) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            // Every account event of the next order is lost on the way to the stream.
            rig.server.faults { $0.dropAccountEvents = 100 }
            let id = "lost1\(venue.rawValue)"
            let quantity = FixedDecimal(units: 2, exponent: 1)
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity))
            #expect(await eventually(.seconds(10)) { rig.collector.filled(id) == quantity })
            #expect(await eventually { rig.venue.status(of: id)?.isTerminal == true })
            #expect(rig.collector.fills(id).allSatisfy { $0.clientOrderID == id && $0.fee.isPositive })
            #expect(rig.collector.accepted(id) == 1)
            #expect(rig.server.submissions(clientOrderID: id) == 1)
        }
    }

    @Test(arguments: VenueID.allCases)
    func marketOrderIsAcknowledgedAndFilledWithFeeAndLiquidity(venue: VenueID) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            rig.server.faults { $0.partialFills = true }
            let id = "m1\(venue.rawValue)"
            let quantity = FixedDecimal(units: 2, exponent: 1)
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity))
            #expect(await eventually { rig.collector.fills(id).count == 2 })
            let fills = rig.collector.fills(id)
            #expect(fills.reduce(FixedDecimal.zero) { $0 + $1.quantity } == quantity)
            #expect(fills.allSatisfy { $0.liquidity == .taker && $0.fee.isPositive && $0.coin == "ETH" })
            #expect(rig.collector.accepted(id) == 1)
            #expect(rig.server.submissions(clientOrderID: id) == 1)
            #expect(await eventually { rig.venue.streamPosition(coin: "ETH")?.quantity == quantity })
        }
    }

    @Test(arguments: VenueID.allCases)
    func restingOrderFillsAsMakerAndCancelIsReported(venue: VenueID) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            let symbol = TestMarkets.symbol(venue, "BTC")
            let (bid, ask) = try #require(rig.server.bestBidAsk(symbol: symbol))
            let quantity = venue == .okx ? FixedDecimal(units: 1, exponent: 2) : FixedDecimal(units: 1, exponent: 3)
            // Far below the market: rests, then is cancelled.
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: "r1\(venue.rawValue)", coin: "BTC", venue: venue, side: .buy, type: .limit,
                                                        timeInForce: .postOnly, quantity: quantity, price: bid - 1000))
            try await rig.venue.cancelOrder(clientOrderID: "r1\(venue.rawValue)", coin: "BTC")
            #expect(await eventually { rig.collector.cancelled("r1\(venue.rawValue)") })
            // A post-only buy at the ask would take: the venue removes it.
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: "p1\(venue.rawValue)", coin: "BTC", venue: venue, side: .buy, type: .limit,
                                                        timeInForce: .postOnly, quantity: quantity, price: ask + 10))
            #expect(await eventually { rig.collector.all.contains { if case .expired(let c, _) = $0 { c == "p1\(venue.rawValue)" } else { false } } })
            // A resting sell just above the market fills as maker once the market walks up to it.
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: "g1\(venue.rawValue)", coin: "BTC", venue: venue, side: .sell, type: .limit,
                                                        timeInForce: .gtc, quantity: quantity, price: ask))
            #expect(await eventually(.seconds(20)) { !rig.collector.fills("g1\(venue.rawValue)").isEmpty })
            #expect(rig.collector.fills("g1\(venue.rawValue)").allSatisfy { $0.liquidity == .maker })
        }
    }

    @Test(arguments: VenueID.allCases)
    func rejectIsReported(venue: VenueID) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            rig.server.faults { $0.rejectNext = 1 }
            let id = "x1\(venue.rawValue)"
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "XRP", venue: venue, side: .buy, type: .market, timeInForce: .ioc,
                                                        quantity: venue == .okx ? 100 : 10))
            #expect(await eventually { rig.collector.rejected(id) })
            #expect(rig.collector.fills(id).isEmpty)
        }
    }

    @Test(arguments: VenueID.allCases)
    func timeoutAfterAcceptLeavesOrderUnknownUntilFoundAndNeverResends(venue: VenueID) async throws {
        let rig = try await Self.rig(venue, timeout: .seconds(1))
        try await awaitingStop({ await rig.stop() }) {
            rig.server.faults { $0.delayAcceptedOrderReplies = 1; $0.acceptedReplyDelay = .seconds(4) }
            let id = "t1\(venue.rawValue)"
            let symbol = TestMarkets.symbol(venue, "ETH")
            let (bid, _) = try #require(rig.server.bestBidAsk(symbol: symbol))
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .limit, timeInForce: .postOnly,
                                                        quantity: FixedDecimal(units: 1, exponent: 1), price: bid - 100))
            // The reply timed out but the venue has the order: it is found by client order id (or its stream update arrives first).
            #expect(await eventually { rig.venue.status(of: id)?.isWorking == true })
            #expect(rig.collector.accepted(id) == 1)
            #expect(!rig.collector.rejected(id))
            #expect(rig.server.submissions(clientOrderID: id) == 1)
            // Sending the same client order id again is refused locally.
            await #expect(throws: LiveVenueError.self) {
                try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .limit, timeInForce: .postOnly,
                                                            quantity: FixedDecimal(units: 1, exponent: 1), price: bid - 100))
            }
            #expect(rig.server.submissions(clientOrderID: id) == 1)
        }
    }

    /// The venue took the order, then the connection was reset (or a gateway answered 503 in
    /// plain text): the order is UNKNOWN, found by query, and its fills are reported; it is
    /// neither rejected nor sent again.
    @Test(arguments: VenueID.allCases, [FakeAcceptedReplyFault.reset, .serviceUnavailable])
    func replyLostAfterAcceptIsResolvedByQueryWithItsFills(venue: VenueID, fault: FakeAcceptedReplyFault) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            rig.server.faults { $0.failAcceptedOrderReplies = 1; $0.afterAccept = fault; $0.dropAccountEvents = 100 }
            let id = "lost\(fault == .reset ? "r" : "s")\(venue.rawValue)"
            let quantity = FixedDecimal(units: 2, exponent: 1)
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity))
            #expect(await eventually(.seconds(10)) { rig.collector.filled(id) == quantity })
            #expect(await eventually { rig.venue.status(of: id)?.isTerminal == true })
            #expect(!rig.collector.rejected(id))
            #expect(rig.server.submissions(clientOrderID: id) == 1)
            #expect(rig.venue.counters.unknownOrders.load(ordering: .relaxed) == 1)
        }
    }

    /// A resting order fills while the private stream is down: the reconnect reads its fills
    /// back over REST, and the stream stays up afterwards.
    @Test(arguments: VenueID.allCases)
    func fillsWhileThePrivateStreamIsDownAreReadBackOnReconnect(venue: VenueID) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            let symbol = TestMarkets.symbol(venue, "BTC")
            let (_, ask) = try #require(rig.server.bestBidAsk(symbol: symbol))
            let quantity = venue == .okx ? FixedDecimal(units: 1, exponent: 2) : FixedDecimal(units: 1, exponent: 3)
            let id = "down\(venue.rawValue)"
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "BTC", venue: venue, side: .sell, type: .limit, timeInForce: .gtc,
                                                        quantity: quantity, price: ask))
            #expect(await eventually { rig.collector.accepted(id) == 1 })
            rig.server.setPrivateStreamsDown(true)
            #expect(await eventually(.seconds(20)) { rig.server.order(clientOrderID: id)?.status == .filled })
            rig.server.setPrivateStreamsDown(false)
            #expect(await eventually(.seconds(20)) { rig.collector.filled(id) == quantity })
            #expect(await eventually { rig.venue.status(of: id)?.isTerminal == true })
            #expect(rig.venue.counters.streamReadBacks.load(ordering: .relaxed) >= 1)
            // Connected again, it stays connected.
            #expect(await eventually { rig.stream.authenticated.load(ordering: .relaxed) })
            let connects = rig.stream.connection.connects.load(ordering: .relaxed)
            try await Task.sleep(for: .seconds(3))   // a window in which a reconnect would show
            #expect(rig.stream.connection.connects.load(ordering: .relaxed) == connects, "the private stream keeps reconnecting")
        }
    }

    /// The stream says EXPIRED with nothing filled, then the fill arrives: the fill is reported
    /// after the final state, never dropped.
    @Test(arguments: VenueID.allCases)
    func aFillAfterTheFinalStateIsReported(venue: VenueID) async throws {
        let rig = try await Self.rig(venue)
        try await awaitingStop({ await rig.stop() }) {
            rig.server.faults { $0.expiredBeforeFills = true }
            let id = "late\(venue.rawValue)"
            let quantity = FixedDecimal(units: 2, exponent: 1)
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity))
            #expect(await eventually(.seconds(10)) { rig.collector.filled(id) == quantity })
            let kinds = rig.collector.all.compactMap { report -> String? in
                switch report {
                case .expired(let c, _) where c == id: "expired"
                case .fill(let f) where f.clientOrderID == id: "fill"
                default: nil
                }
            }
            #expect(kinds.first == "expired" && kinds.dropFirst().allSatisfy { $0 == "fill" }, "\(kinds)")
            #expect(rig.venue.counters.lateFills.load(ordering: .relaxed) >= 1)
        }
    }

    /// The venue refuses the key: the order is rejected and the engine is told to stop trading.
    @Test(arguments: VenueID.allCases)
    func aRefusedKeyRejectsTheOrderAndCallsTheFatalHandler(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue)
        try await awaitingStop({ await server.stop() }) {
            let api = TestMarkets.wrongSecretAPI(server)
            _ = try await api.client.syncTime()
            let live = LiveVenue(api: api, logger: TestMarkets.logger)
            let collector = ReportCollector(live)
            defer { collector.task.cancel() }
            let halted = Locked<[String]>([])
            live.onFatalCredentials { reason in halted.withLock { $0.append(reason) } }
            let id = "key\(venue.rawValue)"
            try await live.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc,
                                                   quantity: FixedDecimal(units: 1, exponent: 1)))
            #expect(await eventually { collector.rejected(id) })
            #expect(halted.withLock { $0.count } == 1, "\(halted.withLock { $0 })")
            #expect(live.status(of: id)?.isTerminal == true)
            #expect(server.totalSubmissions == 0, "a request with a bad signature never reaches the matching engine")
        }
    }

    /// Binance user data is silent while the account is idle: the stream must stay up (ping
    /// frames, not silence, tell a dead connection), or fills sent during a reconnect are lost.
    @Test func quietBinanceUserStreamStaysConnectedAndDeliversLaterFills() async throws {
        let server = try await TestMarkets.startServer(.binance)
        try await awaitingStop({ await server.stop() }) {
            let api = TestMarkets.api(server)
            _ = try await api.client.syncTime()
            let venue = LiveVenue(api: api, timing: .init(streamGrace: .seconds(60)), logger: TestMarkets.logger)
            let collector = ReportCollector(venue)
            var configuration = VenueUserStream.Configuration()
            configuration.connection.idleTimeout = .seconds(1)
            let stream = VenueUserStream(api: api, credentials: server.credentials, configuration: configuration, logger: TestMarkets.logger) { venue.apply($0) }
            let task = Task { await stream.run() }
            defer { task.cancel() }
            #expect(await eventually { stream.authenticated.load(ordering: .relaxed) })
            try await Task.sleep(for: .seconds(3))   // a window in which a reconnect would show
            #expect(stream.connection.connects.load(ordering: .relaxed) == 1, "three quiet seconds with a 1 s idle timeout: no reconnect")
            let id = "afterquiet"
            try await venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: .binance, side: .buy, type: .market, timeInForce: .ioc,
                                                    quantity: FixedDecimal(units: 1, exponent: 1)))
            #expect(await eventually(.seconds(5)) { !collector.fills(id).isEmpty }, "the fill came on the stream (REST completion is 60 s away)")
            collector.task.cancel()
        }
    }

    @Test func binanceListenKeyExpiryReconnectsWithANewKey() async throws {
        let rig = try await Self.rig(.binance)
        try await awaitingStop({ await rig.stop() }) {
            rig.server.expireListenKeys()
            #expect(await eventually { rig.server.webSocketSessionCount >= 2 })
            let id = "afterexpiry"
            try await rig.venue.placeOrder(OrderRequest(clientOrderID: id, coin: "ETH", venue: .binance, side: .buy, type: .market, timeInForce: .ioc,
                                                        quantity: FixedDecimal(units: 1, exponent: 1)))
            #expect(await eventually { !rig.collector.fills(id).isEmpty })
        }
    }
}
