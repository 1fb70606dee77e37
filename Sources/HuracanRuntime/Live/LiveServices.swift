import Foundation
import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanJournal
import HuracanVenues
import Logging
import Synchronization

/// The parts of a live run that send orders: the venue adapter, its private stream, the order
/// router, the order journal and the periodic reconciliation. They start before the engine
/// (start-up reconciliation and closing leftovers need them) and stop after it, so orders queued
/// at shutdown are still sent and their reports journaled.
final class LiveServices: Sendable {
    let venue: LiveVenue
    let router: LiveOrderRouter
    let journal: OrderJournal
    let userStream: VenueUserStream
    let reconciler: VenueReconciler
    let trades: AsyncStream<[Trade]>.Continuation
    /// Seconds between reconciliations while trading; 0: only at start.
    let reconcileInterval: Double
    /// How long `stop` waits for orders in flight to become final.
    let shutdownWait: Duration
    private let status: Locked<LiveTradingStatus>
    private let routerTask: Task<Void, Never>
    private let userStreamTask: Task<Void, Never>
    private let tradeWriterTask: Task<Void, Never>
    /// Periodic reconciliation, readiness probes and fee reads; cancelled at `stop`.
    private let background = Locked<[Task<Void, Never>]>([])
    /// The public market feed, for its disconnect count (set once it is built).
    let marketFeed = Locked<VenueMarketFeed?>(nil)
    private let logger: Logger

    init(venue: LiveVenue, router: LiveOrderRouter, journal: OrderJournal, userStream: VenueUserStream, reconciler: VenueReconciler,
         reconcileInterval: Double, shutdownWait: Duration, logger: Logger) {
        self.venue = venue
        self.router = router
        self.journal = journal
        self.userStream = userStream
        self.reconciler = reconciler
        self.reconcileInterval = reconcileInterval
        self.shutdownWait = shutdownWait
        self.logger = logger
        status = Locked(LiveTradingStatus(venue: venue.venue.rawValue))
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

    /// The live part of `/status`, as of now.
    var currentStatus: LiveTradingStatus {
        var s = status.withLock { $0 }
        s.venueCounters = Dictionary(uniqueKeysWithValues: venue.counters.values.map { ($0.name, $0.value) })
        s.userStreamConnected = userStream.authenticated.load(ordering: .relaxed)
        s.ordersInFlight = venue.unfinishedCount
        s.streamDisconnects = userStream.connection.disconnects.load(ordering: .relaxed) + (marketFeed.withLock { $0?.disconnects } ?? 0)
        let books = venue.bookHealth.resyncTimes
        s.bookResyncs = books.count
        s.bookResyncMedianSeconds = books.median
        s.bookResyncMaxSeconds = books.max
        return s
    }

    /// Reconciles once and records the outcome for `/status`. `recheckFinishedSince` picks the
    /// final orders checked again. Periodic runs skip the orders this process is still settling,
    /// hand the fills the journal lacked to the venue adapter (so the coins apply them; the fill
    /// history is read once, by the reconciler) and read back unfinished orders no chase follows.
    @discardableResult
    func reconcile(recheckFinishedSince: Timestamp, periodic: Bool) async throws -> ReconciliationReport {
        let skip = periodic ? Set(venue.unfinishedOrders) : []
        let report = try await reconciler.reconcile(recheckFinishedSince: recheckFinishedSince, skip: skip)
        if periodic {
            for fill in report.missingFills { venue.deliverFill(fill) }
            await venue.settleUnfinished()
        }
        status.withLock { s in
            s.reconciliations += 1
            s.lastReconciliation = report.summary
            s.ordersCorrected += report.resolved.count
            s.drift = report.positionDifferences.map { "\($0.coin) venue \($0.venueQuantity) journal \($0.journalQuantity)" }
            if !report.positionDifferences.isEmpty { s.driftsFound += 1 }
        }
        if periodic {
            if report.isClean, report.resolved.isEmpty, report.missingFills.isEmpty {
                logger.info("periodic reconciliation: \(report.summary)")
            } else {
                for line in report.render().split(separator: "\n") { logger.warning("periodic reconciliation: \(line)") }
            }
        }
        return report
    }

    /// Starts reconciling every `reconcileInterval` seconds (each run rechecks the orders that
    /// finished since the one before).
    func startPeriodicReconciliation() {
        guard reconcileInterval > 0 else { return }
        let interval = Duration.milliseconds(Int64(reconcileInterval * 1_000))
        let task = Task {
            var last = WallClock.now()
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                let started = WallClock.now()
                do {
                    try await reconcile(recheckFinishedSince: last - .seconds(30), periodic: true)
                    last = started
                } catch {
                    logger.warning("periodic reconciliation with \(venue.venue) failed (retried in \(reconcileInterval) s): \(error)")
                }
            }
        }
        background.withLock { $0.append(task) }
    }

    /// Reads the account's maker/taker fees of `coins` from the venue (Binance commissionRate,
    /// OKX trade-fee, Bybit fee-rate), in that order (the active coins first), each once, paced
    /// by the rate limiter, and logs what they are. A coin trades once its fees are read; those
    /// that fail are tried again (5 s, doubling to 5 minutes) until they are read.
    func readFees(coins: [String]) {
        let venue = self.venue, logger = self.logger
        var seen = Set<String>()
        let ordered = coins.filter { seen.insert($0).inserted }
        let task = Task {
            var pending = ordered
            var schedules: [FeeSchedule] = []
            var wait = Duration.seconds(5)
            while !pending.isEmpty, !Task.isCancelled {
                var failed: [String] = []
                for coin in pending {
                    do {
                        schedules.append(try await venue.fees(coin: coin))
                    } catch {
                        failed.append(coin)
                        logger.warning("\(venue.venue) fees of \(coin) could not be read (the coin opens no trade until they are; retried in \(wait)): \(error)")
                    }
                }
                if schedules.count + failed.count == ordered.count {
                    let distinct = Set(schedules.map { "maker \(String(format: "%.2f", $0.makerBps)) bps, taker \(String(format: "%.2f", $0.takerBps)) bps" })
                    logger.notice("fees from \(venue.venue) for \(schedules.count) coins: \(distinct.sorted().joined(separator: "; "))")
                }
                pending = failed
                if !pending.isEmpty { try? await Task.sleep(for: wait) }
                wait = min(wait * 2, .seconds(300))
            }
        }
        background.withLock { $0.append(task) }
    }

    /// Probes the venue, stream, books and journal for `/ready` every `interval`.
    func startReadinessProbes(_ readiness: LiveReadiness, every interval: Duration) {
        background.withLock { $0.append(Task { await readiness.run(every: interval) }) }
    }

    /// Sends what is queued, waits (up to `shutdownWait`) until every order in flight is final
    /// and reports those that are not, then stops the streams and closes the journal.
    func stop() async {
        router.finish()
        trades.finish()
        for task in background.withLock({ $0 }) { task.cancel() }
        let clock = ContinuousClock()
        let deadline = clock.now + shutdownWait
        while clock.now < deadline, !router.allSent || !venue.unfinishedOrders.isEmpty {
            try? await Task.sleep(for: .milliseconds(100))
        }
        let summary = currentStatus
        let repairs = summary.venueCounters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        logger.notice("""
            live summary \(venue.venue): \(repairs); reconciliations \(summary.reconciliations), drifts \(summary.driftsFound), \
            orders corrected \(summary.ordersCorrected); stream disconnects \(summary.streamDisconnects); book resyncs \(summary.bookResyncs), \
            median \(String(format: "%.2f", summary.bookResyncMedianSeconds)) s, max \(String(format: "%.2f", summary.bookResyncMaxSeconds)) s
            """)
        let left = venue.unfinishedOrders
        if left.isEmpty {
            logger.notice("shutdown: every order sent to \(venue.venue) is final")
        } else {
            logger.error("shutdown: \(left.count) orders at \(venue.venue) not final after \(shutdownWait): \(left.joined(separator: ", ")); the next start's reconciliation settles them")
        }
        // Reports already received are journaled before the router stops.
        try? await Task.sleep(for: .milliseconds(200))
        routerTask.cancel()
        await routerTask.value
        // The trade writer ends once the stream is drained.
        await tradeWriterTask.value
        userStreamTask.cancel()
        do { try await journal.close() } catch { logger.error("order journal did not close cleanly: \(error)") }
    }
}

extension EngineRunner {
    /// Opens the order journal, starts the private stream and the router, reconciles the venue
    /// with the journal and deals with positions left by an earlier run, before the engine is
    /// built on them (`liveWiring`, then `startLiveChecks`).
    static func startLiveTrading(config: EngineConfig, api: VenueAPI, credentials: VenueCredentials, universe: Universe, bookHealth: BookHealth,
                                 control: EngineControl, start: Timestamp, logger: Logger) async throws -> LiveServices {
        let venueID = api.venue
        let url = config.live.journalDB.isEmpty ? "sqlite:\(config.dataDir)/journal.sqlite" : config.live.journalDB
        let password = try Secret.resolve(environmentVariable: config.live.journalDBPasswordEnv, file: config.live.journalDBPasswordFile)
        let journal: OrderJournal
        do { journal = try await OrderJournal.open(url: url, password: password?.value, logger: logger) } catch {
            throw LiveRunError("order journal \(url) cannot be opened (no live order is sent without it): \(error)")
        }
        let venue = LiveVenue(api: api, bookHealth: bookHealth, logger: logger)
        venue.onFatalCredentials { reason in
            logger.critical("\(reason): no new orders; the engine stops. Fix the key and restart (reconciliation settles what is open).")
            control.setKillSwitch(true)
            control.stop()
        }
        let directory = api.directory
        let router = LiveOrderRouter(venue: venue, coinCount: universe.count, logger: logger, beforeSend: { request, tradeID in
            try await journal.recordIntent(request, tradeID: tradeID, isEntry: !request.reduceOnly, at: WallClock.now(),
                                           symbol: directory.symbol(forCoin: request.coin))
            try LiveCrashHook.afterIntent(request)
        }, onReport: { report in
            do { try await journal.record(report) } catch { logger.error("order journal: report not written (\(report)): \(error)") }
        })
        let userStream = VenueUserStream(api: api, credentials: credentials, logger: logger) { venue.apply($0) }
        let policy = UnknownOrderPolicy(rawValue: config.live.unknownOrders) ?? .cancel
        let reconciler = VenueReconciler(api: api, journal: journal, policy: policy,
                                         fillLookback: .milliseconds(Int64(config.live.fillLookbackHours * 3_600_000)), logger: logger)
        let services = LiveServices(venue: venue, router: router, journal: journal, userStream: userStream, reconciler: reconciler,
                                    reconcileInterval: config.live.reconcileIntervalSeconds,
                                    shutdownWait: .milliseconds(Int64(config.live.shutdownWaitSeconds * 1_000)), logger: logger)
        do {
            let report = try await services.reconcile(recheckFinishedSince: start - .milliseconds(Int64(config.live.recheckFinishedMinutes * 60_000)), periodic: false)
            for line in report.render().split(separator: "\n") { logger.notice("reconciliation: \(line)") }
            if config.live.leftoverPositions == "close" {
                try await closeLeftoverPositions(api: api, router: router, universe: universe, prefix: orderIDPrefix(startSeconds: start.nanoseconds / 1_000_000_000) + "f",
                                                 logger: logger)
            }
        } catch {
            await services.stop()
            throw LiveRunError("\(venueID): start-up reconciliation failed, nothing traded: \(error)")
        }
        return services
    }

    /// What the engine of a live run is given: its orders go through the router, client order
    /// ids start with the run's prefix, closed trades go to the trade history, and the status
    /// carries the live part.
    static func liveWiring(_ services: LiveServices, start: Timestamp, into wiring: inout EngineWiring) {
        wiring.router = services.router
        wiring.orderIDPrefix = orderIDPrefix(startSeconds: start.nanoseconds / 1_000_000_000)
        wiring.liveStatus = { services.currentStatus }
        let trades = services.trades
        wiring.onClosedTrades = { trades.yield($0) }
    }

    /// Once the engine has its active set: reads fees (its coins first), starts the periodic
    /// reconciliation and the readiness probes behind `/ready`.
    static func startLiveChecks(_ services: LiveServices, engine: Engine, config: EngineConfig, api: VenueAPI, bookHealth: BookHealth) {
        let universe = engine.universe
        services.readFees(coins: engine.activeSet.map { universe[$0].coin } + universe.instruments.map(\.coin))
        services.startPeriodicReconciliation()
        let readiness = LiveReadiness(api: api, journal: services.journal, userStream: services.userStream, bookHealth: bookHealth,
                                      coins: universe.instruments.map(\.coin))
        services.startReadinessProbes(readiness, every: .milliseconds(Int64(max(config.observability.healthCheckIntervalSeconds, 1) * 1_000)))
        engine.handle.liveChecks = { readiness.checks }
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
