import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import Logging

/// Training as the engine runs it: the Python trainer (`python -m huracan_trainer train`, one
/// Ray task per coin or local worker processes) writes XGBoost JSON models and a manifest per
/// coin; this side registers them (one database code path, in Swift) and keeps the best
/// `models_per_regime` per regime active. The trainer never touches the database.
public enum ModelTraining {
    public struct Plan: Sendable {
        public var dataDir: String
        public var outDir: String
        public var coins: [String]
        public var useRay: Bool
        public var rayAddress: String
        public var workersPerCoin: Int
        public var gpuPerWorker: Int
        public var processes: Int
        public var style = "scalp"
        /// Label horizon: the scalp's time-out (trades last at most that long).
        public var horizonSeconds: Double
        /// One model over all the coins' rows (`retraining.pool_coins`).
        public var pool: Bool
        /// The cost gate the trainer's validation trades pass (`cost_model.min_edge_after_cost_bps`).
        public var minEdgeBps: Double
        public var trees = 200
        public var depth = 3
        public var minRows = 600
        /// CPUs of a local Ray instance (nil: all).
        public var rayCPUs: Int?

        public init(config: EngineConfig, dataDir: String, outDir: String, coins: [String]) {
            let retraining = config.modelRegistry.retraining
            self.dataDir = dataDir
            self.outDir = outDir
            self.coins = coins
            useRay = retraining.useRay
            rayAddress = retraining.rayAddress
            workersPerCoin = retraining.workersPerCoin
            gpuPerWorker = retraining.gpuPerWorker
            pool = retraining.poolCoins
            horizonSeconds = config.strategy.scalp.timeoutSeconds
            minEdgeBps = config.costModel.minEdgeAfterCostBps
            processes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        }

        public var arguments: [String] {
            var args = ["-m", "huracan_trainer", "train", "--data", dataDir, "--out", outDir, "--style", style, "--horizon", "\(horizonSeconds)",
                        "--min-edge-bps", "\(minEdgeBps)",
                        "--trees", "\(trees)", "--depth", "\(depth)", "--min-rows", "\(minRows)", "--workers-per-coin", "\(workersPerCoin)", "--gpu-per-worker", "\(gpuPerWorker)"]
            if !coins.isEmpty { args += ["--coins", coins.joined(separator: ",")] }
            if pool {
                args += ["--pool", "--processes", "\(processes)"]
            } else if useRay {
                args.append("--use-ray")
                if !rayAddress.isEmpty { args += ["--ray-address", rayAddress] }
                if let rayCPUs { args += ["--cpus", "\(rayCPUs)"] }
            } else {
                args += ["--processes", "\(processes)"]
            }
            return args
        }
    }

    /// Runs the trainer, passing each line it prints (progress per coin) to `onLine`; returns
    /// its exit status. `lowPriority` runs it (and the Ray workers it starts) under `nice -n 10`,
    /// so training beside a running engine never takes CPU from the trading threads.
    public static func runTrainer(_ plan: Plan, python: String, trainerPath: String, lowPriority: Bool = false,
                                  started: (pid_t) -> Void = { _ in }, onLine: (String) -> Void) throws -> Int32 {
        // Outputs of an earlier run must not be registered again if a coin fails this time.
        for coin in plan.coins { try? FileManager.default.removeItem(at: URL(fileURLWithPath: plan.outDir).appendingPathComponent(coin)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = (lowPriority ? ["nice", "-n", "10"] : []) + [python] + plan.arguments
        var environment = ProcessInfo.processInfo.environment
        let located = try TrainerLocation.resolve(configured: trainerPath, python: python)
        let trainer = located ?? "(installed package)"
        if let located { environment["PYTHONPATH"] = located + (environment["PYTHONPATH"].map { ":" + $0 } ?? "") }
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RegistryError(.trainer, "cannot start the trainer (\(python) -m huracan_trainer, PYTHONPATH \(trainer)): \(error.localizedDescription)")
        }
        started(process.processIdentifier)
        var buffer = Data()
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 0x0A) {
                onLine(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                buffer.removeSubrange(buffer.startIndex...newline)
            }
        }
        if !buffer.isEmpty { onLine(String(decoding: buffer, as: UTF8.self)) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// `runTrainer`, stopping the trainer (SIGTERM) when the calling task is cancelled.
    public static func runTrainerUntilCancelled(_ plan: Plan, python: String, trainerPath: String, lowPriority: Bool = false,
                                                onLine: (String) -> Void) async throws -> Int32 {
        let trainer = TrainerStop()
        return try await trainer.stoppingOnCancel {
            try runTrainer(plan, python: python, trainerPath: trainerPath, lowPriority: lowPriority, started: trainer.started, onLine: onLine)
        }
    }

    /// One model of a trainer manifest (`{out}/{coin}/manifest.json`).
    struct ManifestEntry: Decodable {
        var coin: String
        var regime: String
        var style: String
        var horizonSeconds: Double
        var sharpeRatio: Double
        var performanceMetrics: [String: Double]
        var featureSchemaVersion: Int
        var trainingStart: Date
        var trainingEnd: Date
        var trainerVersion: String
        var lastRetrainDate: Date
        var artifact: String

        enum CodingKeys: String, CodingKey {
            case coin, regime, style, artifact
            case horizonSeconds = "horizon_seconds", sharpeRatio = "sharpe_ratio", performanceMetrics = "performance_metrics"
            case featureSchemaVersion = "feature_schema_version", trainingStart = "training_start", trainingEnd = "training_end"
            case trainerVersion = "trainer_version", lastRetrainDate = "last_retrain_date"
        }
    }

    struct Manifest: Decodable { var models: [ManifestEntry] }

    /// Registers every model of the manifests under `outDir` (all coins, or `coins`), then keeps
    /// the best `modelsPerRegime` of each trained regime with a Sharpe of at least
    /// `minimumSharpe` active (old and new versions compete; a regime where none qualifies has no
    /// active model and the coin falls back to its `all` model or the baseline). Returns the registered rows.
    public static func register(outDir: String, coins: [String]? = nil, registry: ModelRegistry, modelsPerRegime: Int,
                                minimumSharpe: Double = 0, logger: Logger) async throws -> [ModelRecord] {
        let root = URL(fileURLWithPath: outDir)
        let folders = try coins ?? FileManager.default.contentsOfDirectory(atPath: root.path).filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent("manifest.json").path)
        }.sorted()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var registered: [ModelRecord] = []
        for coin in folders {
            let file = root.appendingPathComponent(coin).appendingPathComponent("manifest.json")
            let manifest: Manifest
            do {
                manifest = try decoder.decode(Manifest.self, from: Data(contentsOf: file))
            } catch {
                throw RegistryError(.trainer, "\(file.path): not a trainer manifest: \(error)")
            }
            var regimes: Set<String> = []
            for entry in manifest.models {
                let artifact = try Data(contentsOf: root.appendingPathComponent(entry.artifact))
                let registration = ModelRegistration(coin: entry.coin, regime: entry.regime, style: entry.style, horizonSeconds: entry.horizonSeconds,
                                                     sharpeRatio: entry.sharpeRatio, performanceMetrics: entry.performanceMetrics,
                                                     featureSchemaVersion: entry.featureSchemaVersion, trainingStart: entry.trainingStart,
                                                     trainingEnd: entry.trainingEnd, trainerVersion: entry.trainerVersion, lastRetrainDate: entry.lastRetrainDate)
                let record = try await registry.register(registration, artifact: artifact)
                registered.append(record)
                regimes.insert(entry.regime)
                logger.info("registered \(record.label) (\(record.regime), sharpe \(String(format: "%.2f", record.sharpeRatio)))")
            }
            for regime in regimes.sorted() {
                try await registry.promoteBest(coin: coin, regime: regime, count: modelsPerRegime, minimumSharpe: minimumSharpe)
            }
        }
        return registered
    }
}
