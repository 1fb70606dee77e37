import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanRuntime
import HuracanVenues
import Logging
import Synchronization
import HuracanTestSupport
import Testing

/// The router between shards and a real venue, against the fake venues: the intent hook runs
/// before the order leaves, reports come back to the coin that sent the order, and an order
/// whose intent cannot be recorded is never sent.
@Suite(.serialized) struct LiveOrderRouterTests {
    struct Rig {
        let server: FakeVenueServer
        let router: LiveOrderRouter
        let tasks: [Task<Void, Never>]
        func stop() async {
            router.finish()
            for task in tasks { task.cancel() }
            await server.stop()
        }
    }

    final class Log: Sendable {
        let intents = Locked<[(id: String, submittedBefore: Int)]>([])
        let reports = Locked<[VenueReport]>([])
    }

    static func rig(_ venue: VenueID, log: Log, failIntents: Bool = false) async throws -> Rig {
        let server = FakeVenueServer(venue: venue, instruments: LiveTestMarkets.instruments(venue), tickInterval: .milliseconds(50))
        try await server.start()
        let api = LiveTestMarkets.api(server)
        _ = try await api.client.syncTime()
        let liveVenue = LiveVenue(api: api, logger: LiveTestMarkets.logger)
        let stream = VenueUserStream(api: api, credentials: server.credentials, logger: LiveTestMarkets.logger) { liveVenue.apply($0) }
        let router = LiveOrderRouter(venue: liveVenue, coinCount: 3, logger: LiveTestMarkets.logger, beforeSend: { request, _ in
            log.intents.withLock { $0.append((request.clientOrderID, server.submissions(clientOrderID: request.clientOrderID))) }
            if failIntents { throw LiveTestMarkets.Failure("disk full") }
        }, onReport: { report in log.reports.withLock { $0.append(report) } })
        let tasks = [Task { await stream.run() }, Task { await router.run() }]
        #expect(await eventually { stream.authenticated.load(ordering: .relaxed) })
        return Rig(server: server, router: router, tasks: tasks)
    }

    @Test(arguments: VenueID.allCases)
    func ordersAreJournaledFirstAndTheirReportsReachTheirCoin(venue: VenueID) async throws {
        let log = Log()
        let rig = try await Self.rig(venue, log: log)
        try await awaitingStop({ await rig.stop() }) {
            let quantity = FixedDecimal(units: 2, exponent: 1)
            rig.router.submit(OrderRequest(clientOrderID: "r1\(venue.rawValue)", coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity), coin: 1)
            var eth: [VenueReport] = [], btc: [VenueReport] = []
            #expect(await eventually {
                rig.router.takeReports(coin: 1, into: &eth)
                return eth.contains { if case .fill = $0 { true } else { false } }
            })
            rig.router.takeReports(coin: 0, into: &btc)
            #expect(btc.isEmpty)
            #expect(log.intents.withLock { $0.map(\.id) } == ["r1\(venue.rawValue)"])
            #expect(log.intents.withLock { $0[0].submittedBefore } == 0)
            #expect(rig.server.submissions(clientOrderID: "r1\(venue.rawValue)") == 1)
            let filled = eth.reduce(FixedDecimal.zero) { if case .fill(let f) = $1 { $0 + f.quantity } else { $0 } }
            #expect(filled == quantity)
            // Everything the shard saw passed the journal hook first.
            #expect(log.reports.withLock { $0.count } >= eth.count)
            #expect(rig.router.counts == (sent: 1, refused: 0))
        }
    }

    @Test func anOrderWhoseIntentCannotBeRecordedIsNeverSent() async throws {
        let log = Log()
        let rig = try await Self.rig(.binance, log: log, failIntents: true)
        try await awaitingStop({ await rig.stop() }) {
            rig.router.submit(OrderRequest(clientOrderID: "nj1", coin: "BTC", venue: .binance, side: .buy, type: .market, timeInForce: .ioc,
                                           quantity: FixedDecimal(units: 1, exponent: 3)), coin: 0)
            var btc: [VenueReport] = []
            #expect(await eventually {
                rig.router.takeReports(coin: 0, into: &btc)
                return !btc.isEmpty
            })
            guard case .rejected(let id, let reason, _) = btc.first else {
                Issue.record("expected a rejection, got \(btc)")
                return
            }
            #expect(id == "nj1" && reason.contains("journal"))
            try await Task.sleep(for: .milliseconds(200))   // a window in which a late send would reach the venue
            #expect(rig.server.totalSubmissions == 0)
            #expect(rig.router.counts == (sent: 0, refused: 1))
        }
    }
}
