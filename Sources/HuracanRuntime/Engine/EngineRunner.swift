import Foundation
import HuracanHTTP
import HuracanConfig
import HuracanCore
import HuracanRegistry
import Logging
import ServiceLifecycle
import UnixSignals

/// Builds an engine from configuration and runs it as `huracan run` (paper, real time) or
/// `huracan backtest` (simulated clock, as fast as possible, deterministic).
public enum EngineRunner {
    /// Creates the engine with the configured universe and per-coin baseline models.
    public static func makeEngine(config: EngineConfig, start: Timestamp, threads: Int? = nil,
                                  control: EngineControl = EngineControl(), redis: RedisLink? = nil, wiring: EngineWiring = EngineWiring(),
                                  logger: Logger) throws -> Engine {
        let (universe, activeCoins) = try processUniverse(config)
        var settings = EngineSettings(config)
        settings.activeCoins = activeCoins
        let model = try BaselineModelLoader.load(path: config.strategy.modelFile)
        var wiring = wiring
        if let redis { wiring.remoteBusStatistics = { redis.statistics } }
        return Engine(settings: settings, universe: universe, start: start, threads: threads, control: control, logger: logger,
                      remote: redis?.outbox, sharedRisk: redis?.gate, wiring: wiring) { _ in model }
    }

    /// The coins this process trades: the whole universe, or with `process_count` > 1 the share
    /// consistent hashing gives process `process_index`, and how many of them are active (those
    /// among the universe's first `active_coins`).
    public static func processUniverse(_ config: EngineConfig) throws -> (Universe, activeCoins: Int) {
        let universe = try UniverseLoader.load(for: config)
        guard config.processCount > 1 else { return (universe, config.activeCoins) }
        let assignment = CoinAssignment(index: config.processIndex, count: config.processCount)
        let mine = universe.instruments.filter { assignment.owns($0.coin) }
        let active = universe.instruments.prefix(config.activeCoins).filter { assignment.owns($0.coin) }.count
        return (Universe(instruments: mine), max(1, active))
    }

    /// Runs a backtest's engine as fast as possible to `end`, reporting progress every second;
    /// stops within a second when the calling task is cancelled (Ctrl-C) and throws
    /// `CancellationError` instead of returning a partial result.
    static func runBacktest(_ engine: Engine, until end: Timestamp, progress: ((EngineStatus) -> Void)?) throws {
        engine.run(until: end, pacing: .asFastAsPossible, stepsPerRound: 50, statusInterval: 1) { status in
            if Task.isCancelled { engine.control.stop() }
            progress?(status)
        }
        try Task.checkCancellation()
    }

    /// Runs the simulated market on a simulated clock from `from` (inclusive) to `to` (exclusive):
    /// the same seed and configuration give identical trades, whatever the number of `threads`
    /// (nil: `engine.threads`, one per core by default), since shards decide on their own round
    /// view of the risk ledger (`RiskLedger.beginRound`).
    /// `models`: trained models by coin name (`RegistryConnection.loadActive`), replacing the
    /// baseline for those coins, as in paper mode. With a `tradeSink` the closed trades go to it
    /// as they close and only the newest (`BacktestTradeSink.keep`) are returned.
    public static func backtest(config: EngineConfig, from: Timestamp, to: Timestamp, logger: Logger, models: [String: any Model] = [:],
                                threads: Int? = nil, logClock: SimulatedLogClock? = nil, tradeSink: BacktestTradeSink? = nil,
                                progress: ((EngineStatus) -> Void)? = nil) throws -> (RunSummary, [Trade]) {
        var wiring = EngineWiring.backtest(tradeSink: tradeSink)
        wiring.logClock = logClock
        let engine = try makeEngine(config: config, start: from, threads: threads, wiring: wiring, logger: logger)
        for (coin, model) in models { engine.handle.models.install(model, coinNamed: coin) }
        try runBacktest(engine, until: to, progress: progress)
        return (summary(engine), engine.closedTrades)
    }

    public static func summary(_ engine: Engine) -> RunSummary {
        let snapshot = engine.risk.snapshot()
        return RunSummary(styles: engine.tradeLog.figures, open: engine.openTrades().count, startingEquity: engine.settings.startingEquity,
                          endingEquity: snapshot.equity, stats: engine.totals(), equity: engine.equityCurve)
    }

    /// The registry watcher of a paper or live engine, with the coins' active models already
    /// installed; nil (baseline models) when there is no registry or it cannot be opened.
    static func makeModelWatcher(config: EngineConfig, engine: Engine, logger: Logger) async -> ModelWatcher? {
        do {
            guard let registry = try await RegistryConnection.openIfPresent(config, logger: logger) else { return nil }
            let baseline = try BaselineModelLoader.load(path: config.strategy.modelFile)
            let watcher = ModelWatcher(registry: registry, engine: engine.handle, fallback: baseline,
                                       pollInterval: .milliseconds(Int64(config.modelRegistry.pollSeconds * 1_000)), logger: logger)
            try await watcher.refresh(coin: nil)
            return watcher
        } catch {
            logger.error("model registry \(config.modelRegistry.metadataDB) unavailable, trading on baseline models: \(error)")
            return nil
        }
    }

    /// Simulated history replayed before real time starts in paper mode.
    public static let warmUpSeconds = 90.0

    /// Paper trading in real time until `duration` passes or SIGINT/SIGTERM; SIGHUP reloads
    /// `configPath` and applies `active_coins` and `max_active_trades` without a restart.
    public static func paper(config: EngineConfig, configPath: String?, duration: Double?, view: StatusView,
                             logger: Logger) async throws -> RunSummary {
        let control = EngineControl()
        let now = WallClock.now().nanoseconds
        let second = now - now % 1_000_000_000
        // Start the simulated market a little in the past and replay that history quickly with
        // entries off, so features are warm when real-time trading begins.
        let start = Timestamp(nanoseconds: second - Int64(warmUpSeconds * 1e9))
        var redis: RedisLink?
        if config.messageBus.type == "redis_streams" {
            redis = try await RedisLink.connect(config: config, universe: try processUniverse(config).0, logger: logger)
        }
        defer { redis?.shutdown() }
        var wiring = EngineWiring()
        wiring.tradeRetention = Engine.realTimeTradeRetention
        let engine = try makeEngine(config: config, start: start, control: control, redis: redis, wiring: wiring, logger: logger)
        // Trained models from the registry replace the baseline per coin, and are hot-swapped
        // when another model is activated.
        let watcher = await makeModelWatcher(config: config, engine: engine, logger: logger)
        engine.run(until: Timestamp(nanoseconds: second), pacing: .asFastAsPossible, statusInterval: 3_600, entriesSuspended: true)
        let end = duration.map { Timestamp(nanoseconds: second) + .nanoseconds(Int64($0 * 1e9)) }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // First in the list, so it stops last: the engine's final messages are sent before it ends
        // (the link sends what is left when cancelled).
        if let redis { services.append(.init(service: TaskService { await redis.run() })) }
        // First of all: the recorder stops after the Redis link has sent the engine's last messages.
        services.insert(contentsOf: recordingServices(config: config, engine: engine, logger: logger), at: 0)
        try await serve(engine: engine, end: end, view: view, config: config, configPath: configPath, control: control, redis: redis,
                        watcher: watcher, before: services, logger: logger)
        return summary(engine)
    }

    /// Runs `engine` in real time with the services every real-time run has (SIGHUP reload,
    /// status and admin server, model hot swap, retraining) after `before` (started first,
    /// stopped last), until `end`, SIGINT or SIGTERM.
    static func serve(engine: Engine, end: Timestamp?, view: StatusView, config: EngineConfig, configPath: String?, control: EngineControl,
                      redis: RedisLink?, watcher: ModelWatcher?, before: [ServiceGroupConfiguration.ServiceConfiguration], logger: Logger) async throws {
        var services = before
        services.append(.init(service: await ReloadOnHangup(path: configPath, control: control, logger: logger), successTerminationBehavior: .ignore))
        services.append(.init(service: EngineService(engine: ThreadHandOff(engine), control: engine.control, end: end, view: view), successTerminationBehavior: .gracefullyShutdownGroup))
        let observability = config.observability
        if observability.prometheusEnabled {
            let token = try? Secret.resolve(environmentVariable: observability.adminTokenEnv, file: "")
            let health = HealthChecks(config: config, engine: engine.handle, redis: redis)
            health.start()
            let admin = EngineAdmin(engine: engine.handle, maxCoins: config.maxCoins, maxConcurrentTrades: config.maxConcurrentTrades, health: health)
            let server = AdminServer(backend: admin, token: token?.value)
            let note = token == nil ? " (admin calls disabled: \(observability.adminTokenEnv) is not set)" : ""
            logger.info("status and admin calls on http://\(observability.prometheusBindAddress):\(observability.prometheusPort)\(note)")
            // A server that cannot serve (its port taken after the start-up check) stops the run:
            // an engine whose kill switch and status nobody can reach must not trade on.
            services.append(.init(service: server.application(host: observability.prometheusBindAddress, port: observability.prometheusPort),
                                  failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        if let watcher {
            services.append(.init(service: watcher, failureTerminationBehavior: .ignore))
            if config.modelRegistry.retraining.enabled {
                services.append(.init(service: RetrainingService(config: config, registry: watcher.registry, engine: engine.handle, logger: logger),
                                      failureTerminationBehavior: .ignore))
            }
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try? await watcher?.registry.close()
    }
}

/// The engine as a long-running service: its loop runs on its own threads; graceful shutdown
/// asks it to stop at the end of the current round.
struct EngineService: Service {
    /// Handed to the coordinator thread for the run; the runner touches the engine again only
    /// after the service group has ended, which waits for that thread to finish.
    let engine: ThreadHandOff<Engine>
    let control: EngineControl
    let end: Timestamp?
    let view: StatusView

    func run() async throws {
        let engine = engine, control = control, end = end, view = view
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    engine.value.run(until: end, pacing: .realTime, stepsPerRound: 1, statusInterval: 1) { view.show($0) }
                    continuation.resume()
                }
                thread.name = "huracan-coordinator"
                thread.start()
            }
        } onGracefulShutdown: {
            control.stop()
        }
    }
}

/// SIGHUP: re-read the configuration file and apply what can change at runtime. A service of
/// the run's `ServiceGroup`: the signal is trapped (through swift-service-lifecycle's
/// `UnixSignalsSequence`) before the engine starts and handled for as long as the run lasts.
/// (It used to be a dispatch source in an object the optimiser could release right after
/// start-up, which left SIGHUP ignored in some runs.)
struct ReloadOnHangup: Service {
    let path: String?
    let control: EngineControl
    let logger: Logger
    let signals: UnixSignalsSequence

    init(path: String?, control: EngineControl, logger: Logger) async {
        self.path = path
        self.control = control
        self.logger = logger
        signals = await UnixSignalsSequence(trapping: .sighup)
    }

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() { reload() }
    }

    func reload() {
        do {
            let config = try ConfigLoader().load(path: path)
            control.request(.init(activeCoins: config.activeCoins, maxActiveTrades: config.maxActiveTrades))
            logger.notice("configuration reloaded: active_coins \(config.activeCoins), max_active_trades \(config.maxActiveTrades)")
        } catch {
            logger.error("configuration reload refused, engine keeps running unchanged: \(error)")
        }
    }
}
