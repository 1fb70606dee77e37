import Foundation
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanJournal
import HuracanRuntime
import HuracanTestSupport
import HuracanVenues
import Testing

/// `VenueReconciler` against the fake Binance, OKX and Bybit: a journal left behind by an engine
/// that went down with orders in flight is settled against the venue without sending anything.
@Suite(.serialized) struct VenueReconcilerTests {
    typealias M = ReconcileMarkets

    @Test(arguments: VenueID.allCases)
    func settlesTheJournalAndCancelsUnknownOrders(venue: VenueID) async throws {
        try await scenario(venue, policy: .cancel)
    }

    @Test(arguments: VenueID.allCases)
    func adoptsUnknownOrdersUnderTheAdoptPolicy(venue: VenueID) async throws {
        try await scenario(venue, policy: .adopt)
    }

    @Test func policyNamesMatchTheConfiguration() {
        #expect(UnknownOrderPolicy(rawValue: "adopt") == .adopt && UnknownOrderPolicy(rawValue: "cancel") == .cancel)
        #expect(UnknownOrderPolicy.allCases.map(\.rawValue) == ["adopt", "cancel"])
    }

    /// While "down" (no private stream): A market order filled (its fill missed), B filled in two
    /// executions of which only the first was seen, C's reply timed out after the venue took and
    /// filled it, D rests acknowledged, E was journaled but never sent, G was acknowledged but
    /// the venue no longer has it; by hand on the same account: M1 resting, M2 filled.
    func scenario(_ venue: VenueID, policy: UnknownOrderPolicy) async throws {
        let server = try await M.startServer(venue)
        let folder = TestPaths.temporaryDirectory("huracan-reconcile")
        let journal = try await OrderJournal.open(url: folder.appendingPathComponent("journal.sqlite").path, logger: M.logger)
        do {
            try await run(venue, policy: policy, server: server, journal: journal)
        } catch {
            try? await journal.close()
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        try await journal.close()
        await server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    func run(_ venue: VenueID, policy: UnknownOrderPolicy, server: FakeVenueServer, journal: OrderJournal) async throws {
        server.faults { $0.freezeRestingOrders = true }
        let api = M.api(server)
        _ = try await api.client.syncTime()
        let v = venue.rawValue
        func symbol(_ coin: String) -> String { M.symbol(venue, coin) }
        func now() -> Timestamp { WallClock.now() }
        func market(_ id: String, _ coin: String, _ side: Side, lots: Int) -> OrderRequest {
            OrderRequest(clientOrderID: id + v, coin: coin, venue: venue, side: side, type: .market, timeInForce: .ioc, quantity: M.lot(venue, coin) * lots)
        }
        func send(_ request: OrderRequest, tradeID: UInt64) async throws {
            try await journal.recordIntent(request, tradeID: tradeID, isEntry: true, at: now(), symbol: symbol(request.coin))
            let ack = try await api.placeOrder(request, symbol: symbol(request.coin))
            try await journal.record(.accepted(clientOrderID: request.clientOrderID, venueOrderID: ack.venueOrderID, time: now()))
        }

        let a = market("a1", "ETH", .buy, lots: 20)
        try await send(a, tradeID: 1)

        server.faults { $0.partialFills = true }
        let b = market("b1", "BTC", .sell, lots: 2)
        try await send(b, tradeID: 2)
        server.faults { $0.partialFills = false }
        let bFills = server.fills.filter { $0.clientOrderID == b.clientOrderID }.sorted { $0.tradeID < $1.tradeID }
        #expect(bFills.count == 2)
        try await journal.record(.fill(M.fill(bFills[0], venue: venue, coin: "BTC")))

        server.faults { $0.delayAcceptedOrderReplies = 1; $0.acceptedReplyDelay = .milliseconds(1_500) }
        let c = market("c1", "XRP", .buy, lots: 30)
        try await journal.recordIntent(c, tradeID: 3, isEntry: true, at: now())
        let impatient = M.api(server, timeout: .milliseconds(500))
        _ = try await impatient.client.syncTime()
        await #expect(throws: VenueTransportError.self) { _ = try await impatient.placeOrder(c, symbol: symbol("XRP")) }
        try await journal.markUnknown(clientOrderID: c.clientOrderID)

        let (ethBid, _) = try #require(server.bestBidAsk(symbol: symbol("ETH")))
        let d = OrderRequest(clientOrderID: "d1" + v, coin: "ETH", venue: venue, side: .buy, type: .limit, timeInForce: .gtc,
                             quantity: M.lot(venue, "ETH") * 10, price: ethBid - 100)
        try await send(d, tradeID: 4)

        let e = market("e1", "BTC", .buy, lots: 1)
        try await journal.recordIntent(e, tradeID: 5, isEntry: true, at: now())

        let g = market("g1", "ETH", .sell, lots: 1)
        try await journal.recordIntent(g, tradeID: 6, isEntry: false, at: now())
        try await journal.record(.accepted(clientOrderID: g.clientOrderID, venueOrderID: "1", time: now()))

        let (btcBid, _) = try #require(server.bestBidAsk(symbol: symbol("BTC")))
        let m1 = "m1" + v, m2 = "m2" + v
        #expect(server.placeDirect(clientOrderID: m1, symbol: symbol("BTC"), side: .buy, type: .limit, quantity: M.lot(venue, "BTC"), price: btcBid - 1_000) != nil)
        #expect(server.placeDirect(clientOrderID: m2, symbol: symbol("ETH"), side: .buy, type: .market, timeInForce: .ioc, quantity: M.lot(venue, "ETH") * 5) != nil)

        let submissionsBefore = server.totalSubmissions
        let reconciler = VenueReconciler(api: api, journal: journal, policy: policy, fillLookback: .seconds(3_600), logger: M.logger)
        let report = try await reconciler.reconcile()

        // Nothing was sent, nothing failed, and the journal's positions are the venue's.
        #expect(server.totalSubmissions == submissionsBefore)
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.positionDifferences.isEmpty, "\(report.render())")
        #expect(report.isClean)
        var venuePositions: [String: Quantity] = [:]
        for (symbol, position) in server.positions { venuePositions[server.directory.coin(symbol)] = position.quantity }
        #expect(try await journal.positions(venue: venue) == venuePositions)
        #expect(venuePositions["ETH"] == M.lot(venue, "ETH") * 25 && venuePositions["BTC"] == -(M.lot(venue, "BTC") * 2))

        // Each journal order settled as the venue says.
        #expect(report.ordersChecked == 6)
        let resolved = Dictionary(uniqueKeysWithValues: report.resolved.map { ($0.clientOrderID, ($0.from, $0.to)) })
        #expect(resolved[a.clientOrderID]! == (.acknowledged, .filled))
        #expect(resolved[b.clientOrderID]! == (.partiallyFilled, .filled))
        #expect(resolved[c.clientOrderID]! == (.unknown, .filled))
        #expect(resolved[e.clientOrderID]! == (.new, .rejected))
        #expect(resolved[g.clientOrderID]! == (.acknowledged, .expired))
        #expect(resolved[d.clientOrderID] == nil)
        for request in [a, b, c] {
            let order = try #require(try await journal.order(clientOrderID: request.clientOrderID))
            #expect(order.status == .filled && order.filledQuantity == request.quantity, "\(request.clientOrderID): \(order.status) \(order.filledQuantity)")
        }
        #expect(try await journal.order(clientOrderID: c.clientOrderID)?.venueOrderID == server.order(clientOrderID: c.clientOrderID)?.orderID.description)
        #expect(try await journal.order(clientOrderID: d.clientOrderID)?.status == .acknowledged)
        #expect(server.order(clientOrderID: d.clientOrderID)?.status == .acknowledged)
        let never = try #require(try await journal.order(clientOrderID: e.clientOrderID))
        #expect(never.status == .rejected && never.rejectReason?.contains("never reached the venue") == true)

        // Every venue fill the journal lacked was applied once and handed back for the portfolio.
        let expectedFills = Set(server.fills.map { String($0.tradeID) }).subtracting([String(bFills[0].tradeID)])
        #expect(Set(report.missingFills.map(\.tradeID)) == expectedFills)
        #expect(report.missingFills.count == expectedFills.count)
        let aFill = try #require(report.missingFills.first { $0.coin == "ETH" && $0.quantity == a.quantity })
        #expect(aFill.clientOrderID == a.clientOrderID && aFill.venue == venue && aFill.fee.isPositive)
        #expect(try await journal.fills(venue: venue).count == server.fills.count)

        // The order placed by hand: cancelled, or adopted and left working; journaled either way.
        let manual = try #require(try await journal.order(clientOrderID: m1))
        #expect(manual.origin == .venue && manual.request.coin == "BTC")
        switch policy {
        case .cancel:
            #expect(report.cancelled.map(\.clientOrderID) == [m1] && report.adopted.isEmpty)
            #expect(server.order(clientOrderID: m1)?.status == .cancelled)
            #expect(manual.status == .cancelled)
        case .adopt:
            #expect(report.adopted.map(\.clientOrderID) == [m1] && report.cancelled.isEmpty)
            #expect(server.order(clientOrderID: m1)?.status == .acknowledged)
            #expect(manual.status == .acknowledged && manual.origin == .venue)
        }

        // Orders are sent at most once; the one that never reached the venue not at all.
        for request in [a, b, c, d] { #expect(server.submissions(clientOrderID: request.clientOrderID) == 1, "\(request.clientOrderID)") }
        #expect(server.submissions(clientOrderID: e.clientOrderID) == 0 && server.submissions(clientOrderID: g.clientOrderID) == 0)
        #expect(server.submissions(clientOrderID: m1) == 1 && server.submissions(clientOrderID: m2) == 1)

        // The run is in the journal; the text for the terminal names what happened.
        #expect(try await journal.reconciliations(venue: venue).first?.summary == report.summary)
        #expect(report.summary.contains("6 orders checked") && report.summary.contains("positions match"))
        let text = report.render()
        #expect(text.contains(e.clientOrderID) && text.contains("never reached the venue") && text.contains(m1))

        // A second run finds nothing left to do.
        let again = try await reconciler.reconcile()
        #expect(again.resolved.isEmpty && again.missingFills.isEmpty && again.cancelled.isEmpty && again.adopted.isEmpty, "\(again.render())")
        #expect(again.isClean)
        #expect(again.ordersChecked == (policy == .adopt ? 2 : 1))
        #expect(server.totalSubmissions == submissionsBefore)
    }
}
