import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import Logging
import ServiceLifecycle

/// `retraining.enabled`: retrains the coins the engine trades, per coin, when their models are
/// older than `interval_hours` (or missing) and on drift (live win rate more than
/// `drift_tolerance_pct` points below the model's validation win rate over at least
/// `drift_min_trades` closed trades). Training runs in the trainer's own processes (Ray or local
/// workers); trading never waits for it. New models are registered and the best per regime
/// activated; the model watcher then swaps them in.
///
/// Data: `{data_dir}/features/{coin}/` when the data lake has it, otherwise a fresh data set
/// from the simulated market (`{data_dir}/training`).
public final class RetrainingService: Service, Sendable {
    let config: EngineConfig
    let registry: ModelRegistry
    let engine: EngineHandle
    let logger: Logger
    let checkInterval: Duration

    public init(config: EngineConfig, registry: ModelRegistry, engine: EngineHandle, logger: Logger, checkInterval: Duration = .seconds(60)) {
        self.config = config
        self.registry = registry
        self.engine = engine
        self.logger = logger
        self.checkInterval = checkInterval
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let due = try await dueCoins()
                // Shutdown stops a training run in progress instead of waiting for it.
                if !due.isEmpty { try await cancelWhenGracefulShutdown { try await self.retrain(due) } }
            } catch {
                logger.error("retraining failed (trading goes on with the current models): \(String(reflecting: error))")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.checkInterval) }
        }
    }

    /// Coins to retrain now, with the reason.
    public func dueCoins(now: Date = Date()) async throws -> [(coin: String, reason: String)] {
        let trading = engine.telemetry.latestStatus?.shards.flatMap(\.coins) ?? []
        let outcomes = engine.models.liveOutcomes
        var due: [(String, String)] = []
        for coin in trading {
            let active = try await registry.activeModels(coin: coin)
            if let reason = Self.reason(active: active, live: outcomes[coin], now: now, settings: config.modelRegistry.retraining) {
                due.append((coin, reason))
            }
        }
        return due
    }

    /// Why a coin with these active models and live results needs retraining, or nil: no model,
    /// the newest older than `interval_hours`, or drift (live win rate more than
    /// `drift_tolerance_pct` points below the best validation win rate, over at least
    /// `drift_min_trades` closed trades).
    public static func reason(active: [ModelRecord], live: LiveOutcome?, now: Date, settings: EngineConfig.ModelRegistry.Retraining) -> String? {
        guard let newest = active.map(\.lastRetrainDate).max() else { return "no trained model" }
        let age = now.timeIntervalSince(newest) / 3_600
        if age >= settings.intervalHours { return "last retrained \(String(format: "%.1f", age)) h ago" }
        if let live, live.trades >= settings.driftMinTrades,
           let validation = active.compactMap({ $0.performanceMetrics["win_rate"] }).max(),
           live.winRate * 100 < validation * 100 - settings.driftTolerancePct {
            return "drift: live win rate \(String(format: "%.1f", live.winRate * 100))% over \(live.trades) trades, validation \(String(format: "%.1f", validation * 100))%"
        }
        return nil
    }

    func retrain(_ due: [(coin: String, reason: String)]) async throws {
        for item in due { logger.notice("retraining \(item.coin): \(item.reason)") }
        let coins = due.map(\.coin)
        let config = config, logger = logger
        let dataRoot = URL(fileURLWithPath: config.dataDir)
        let lake = dataRoot.appendingPathComponent("features")
        let haveLake = coins.allSatisfy { FileManager.default.fileExists(atPath: lake.appendingPathComponent($0).path) }
        let dataDir = haveLake ? lake : dataRoot.appendingPathComponent("training")
        let outDir = dataRoot.appendingPathComponent("trainer-out")
        let universe = engine.universe
        // The trainer and data generation run on their own thread: nothing here touches the
        // engine's shards.
        let trainer = TrainerStop()
        let status = try await trainer.stoppingOnCancel {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
                let thread = Thread {
                    do {
                        if !haveLake {
                            let indices = coins.compactMap { name in universe.instruments.firstIndex { $0.coin == name }.map { CoinIndex($0) } }
                            let venues = config.simulator.venues.compactMap(VenueID.init(rawValue:))
                            let start = UTCDate(parsing: config.simulator.startDate)?.start ?? .epoch
                            try? FileManager.default.removeItem(at: dataDir)
                            try TrainingDataExporter.export(universe: universe, coins: indices, seed: UInt64(config.simulator.seed) &+ 1_000,
                                                            start: start, hours: 4, venues: venues, updateIntervalMs: config.simulator.updateIntervalMs, to: dataDir)
                        }
                        let plan = ModelTraining.Plan(config: config, dataDir: dataDir.path, outDir: outDir.path, coins: coins)
                        let status = try ModelTraining.runTrainer(plan, python: config.modelRegistry.retraining.python,
                                                                  trainerPath: config.modelRegistry.retraining.trainerPath, lowPriority: true,
                                                                  started: trainer.started) { logger.info("trainer: \($0)") }
                        continuation.resume(returning: status)
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "huracan-retraining"
                thread.start()
            }
        }
        if Task.isCancelled {
            logger.notice("retraining of \(coins.joined(separator: ", ")) stopped at shutdown; nothing registered")
            return
        }
        let finished = coins.filter { FileManager.default.fileExists(atPath: outDir.appendingPathComponent($0).appendingPathComponent("manifest.json").path) }
        if status != 0 { logger.error("trainer exited with \(status); registering the coins that finished (\(finished.count) of \(coins.count))") }
        let records = try await ModelTraining.register(outDir: outDir.path, coins: finished, registry: registry,
                                                       modelsPerRegime: config.modelRegistry.modelsPerRegime, minimumSharpe: config.modelRegistry.minSharpe, logger: logger)
        logger.notice("retraining registered \(records.count) models for \(finished.joined(separator: ", "))")
    }
}
