import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanJournal
import HuracanVenues
import Logging

/// The parts of a live run that send orders: the venue adapter, its private stream, the order
/// router and the order journal. They start before the engine (start-up reconciliation and
/// closing leftovers need them) and stop after it, so orders queued at shutdown are still sent
/// and their reports journaled.
final class LiveServices: Sendable {
    let venue: LiveVenue
    let router: LiveOrderRouter
    let journal: OrderJournal
    let trades: AsyncStream<[Trade]>.Continuation
    private let routerTask: Task<Void, Never>
    private let userStreamTask: Task<Void, Never>
    private let tradeWriterTask: Task<Void, Never>
    private let logger: Logger

    init(venue: LiveVenue, router: LiveOrderRouter, journal: OrderJournal, userStream: VenueUserStream, logger: Logger) {
        self.venue = venue
        self.router = router
        self.journal = journal
        self.logger = logger
        let (tradeStream, trades) = AsyncStream.makeStream(of: [Trade].self, bufferingPolicy: .unbounded)
        self.trades = trades
        routerTask = Task { await router.run() }
        userStreamTask = Task { await userStream.run() }
        tradeWriterTask = Task {
            for await batch in tradeStream {
                for trade in batch {
                    do { try await journal.recordClosedTrade(trade) } catch { logger.error("trade history: trade \(trade.id) of \(trade.coin) not written: \(error)") }
                }
            }
        }
    }

    /// Sends what is queued (up to 10 s), then stops the stream and closes the journal.
    func stop() async {
        router.finish()
        trades.finish()
        let routerTask = routerTask
        let deadline = Task {
            try? await Task.sleep(for: .seconds(10))
            routerTask.cancel()
        }
        await routerTask.value
        deadline.cancel()
        // The trade writer ends once the stream is drained.
        await tradeWriterTask.value
        userStreamTask.cancel()
        do { try await journal.close() } catch { logger.error("order journal did not close cleanly: \(error)") }
    }
}

extension EngineRunner {
    /// Opens the order journal, starts the private stream and the router, reconciles the venue
    /// with the journal, deals with positions left by an earlier run, and hooks the engine up.
    static func startLiveTrading(config: EngineConfig, api: VenueAPI, credentials: VenueCredentials, universe: Universe, bookHealth: BookHealth,
                                 engine: Engine, start: Timestamp, logger: Logger) async throws -> LiveServices {
        let venueID = api.venue
        let url = config.live.journalDB.isEmpty ? "sqlite:\(config.dataDir)/journal.sqlite" : config.live.journalDB
        let password = try Secret.resolve(environmentVariable: config.live.journalDBPasswordEnv, file: config.live.journalDBPasswordFile)
        let journal: OrderJournal
        do { journal = try await OrderJournal.open(url: url, password: password?.value, logger: logger) } catch {
            throw LiveRunError("order journal \(url) cannot be opened (no live order is sent without it): \(error)")
        }
        let venue = LiveVenue(api: api, bookHealth: bookHealth, logger: logger)
        let directory = api.directory
        let router = LiveOrderRouter(venue: venue, coinCount: universe.count, logger: logger, beforeSend: { request, tradeID in
            try await journal.recordIntent(request, tradeID: tradeID, isEntry: !request.reduceOnly, at: OrderJournal.wallClock(),
                                           symbol: directory.symbol(forCoin: request.coin))
        }, onReport: { report in
            do { try await journal.record(report) } catch { logger.error("order journal: report not written (\(report)): \(error)") }
        })
        let userStream = VenueUserStream(api: api, credentials: credentials, logger: logger) { venue.apply($0) }
        let services = LiveServices(venue: venue, router: router, journal: journal, userStream: userStream, logger: logger)
        do {
            let policy = UnknownOrderPolicy(rawValue: config.live.unknownOrders) ?? .cancel
            let reconciler = VenueReconciler(api: api, journal: journal, policy: policy,
                                             fillLookback: .milliseconds(Int64(config.live.fillLookbackHours * 3_600_000)), logger: logger)
            let report = try await reconciler.reconcile()
            for line in report.render().split(separator: "\n") { logger.notice("reconciliation: \(line)") }
            if config.live.leftoverPositions == "close" {
                try await closeLeftoverPositions(api: api, router: router, universe: universe, prefix: orderIDPrefix(startSeconds: start.nanoseconds / 1_000_000_000) + "f",
                                                 logger: logger)
            }
        } catch {
            await services.stop()
            throw LiveRunError("\(venueID): start-up reconciliation failed, nothing traded: \(error)")
        }
        engine.router = router
        engine.orderIDPrefix = orderIDPrefix(startSeconds: start.nanoseconds / 1_000_000_000)
        let trades = services.trades
        engine.onClosedTrades = { trades.yield($0) }
        return services
    }

    /// Closes the venue positions of the engine's coins with reduce-only market orders (sent
    /// through the router, so they are journaled), and waits up to 15 s for the venue to be flat.
    static func closeLeftoverPositions(api: VenueAPI, router: LiveOrderRouter, universe: Universe, prefix: String, logger: Logger) async throws {
        let coins = Set(universe.instruments.map(\.coin))
        let open = try await api.positions().filter { !$0.quantity.isZero && coins.contains(api.directory.coin($0.symbol)) }
        guard !open.isEmpty else { return }
        for (n, position) in open.enumerated() {
            let coin = api.directory.coin(position.symbol)
            let request = OrderRequest(clientOrderID: "\(prefix)\(n + 1)", coin: coin, venue: api.venue, side: position.quantity.isPositive ? .sell : .buy,
                                       type: .market, timeInForce: .ioc, quantity: position.quantity.magnitude, reduceOnly: true)
            logger.notice("closing \(position.quantity) \(coin) left open at \(api.venue) by an earlier run (engine.live.leftover_positions: close)")
            router.submit(request, coin: nil)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while clock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            let still = try await api.positions().filter { !$0.quantity.isZero && coins.contains(api.directory.coin($0.symbol)) }
            if still.isEmpty { return }
        }
        logger.warning("positions left by an earlier run are not yet flat at \(api.venue) after 15 s; trading starts anyway (see the journal)")
    }
}
