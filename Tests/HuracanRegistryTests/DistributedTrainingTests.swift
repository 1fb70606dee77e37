import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanRuntime
import HuracanTestSupport
import Testing

/// The acceptance run: a data set generated from the simulator, trained on a local Ray
/// instance (one task per coin), registered, then loaded by the engine, which paper-trades.
@Suite(.serialized) struct DistributedTrainingTests {
    @Test func rayTrainingRegistersModelsTheEnginePaperTradesWith() async throws {
        let python = try PythonTrainer.python(requiring: ["xgboost", "ray", "pyarrow", "numpy"])
        let folder = TestPaths.temporaryDirectory("huracan-ray")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = try engineConfig(coins: 3, folder: folder, metadataDB: "sqlite:" + folder.appendingPathComponent("registry.sqlite").path)
        config.modelRegistry.retraining.python = python
        config.modelRegistry.retraining.trainerPath = PythonTrainer.trainerFolder.path
        config.modelRegistry.retraining.useRay = true
        config.modelRegistry.retraining.gpuPerWorker = 0
        config.modelRegistry.retraining.workersPerCoin = 1
        let universe = try UniverseLoader.load(for: config)
        let coins = (0..<3).map { CoinIndex($0) }
        let names = coins.map { universe[$0].coin }
        let data = folder.appendingPathComponent("features")
        let rows = try TrainingDataExporter.export(universe: universe, coins: coins, seed: 2_000, start: UTCDate(year: 2026, month: 1, day: 1).start,
                                                   hours: 1.5, venues: [.binance, .okx, .bybit], updateIntervalMs: config.simulator.updateIntervalMs, to: data)
        #expect(rows.values.allSatisfy { $0 > 3_000 })
        // One coin as Parquet (the data lake's format), the others as CSV: the trainer reads both.
        let parquet = try ExternalTool.run(python, ["-c", """
            import glob, os, pyarrow.csv as c, pyarrow.parquet as p
            for f in glob.glob(os.path.join(\"\(data.appendingPathComponent(names[1]).path)\", "*.csv")):
                p.write_table(c.read_csv(f), f[:-4] + ".parquet"); os.remove(f)
            """])
        try #require(parquet.status == 0, "parquet conversion: \(parquet.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent(names[1]).path).allSatisfy { $0.hasSuffix(".parquet") })

        var plan = ModelTraining.Plan(config: config, dataDir: data.path, outDir: folder.appendingPathComponent("out").path, coins: names)
        plan.pool = false   // one Ray task per coin
        plan.trees = 40
        plan.depth = 4
        plan.rayCPUs = 2
        var lines: [String] = []
        let status = try ModelTraining.runTrainer(plan, python: python, trainerPath: PythonTrainer.trainerFolder.path, lowPriority: true) { lines.append($0) }
        try #require(status == 0, "trainer failed:\n\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("ray:") }, "ran on Ray")
        for name in names { #expect(lines.contains { $0.contains("] \(name):") }, "progress line for \(name)") }

        let registry = try await RegistryConnection.open(config, logger: quietLogger)
        let records = try await ModelTraining.register(outDir: plan.outDir, coins: names, registry: registry, modelsPerRegime: 1,
                                                           minimumSharpe: -.infinity, logger: quietLogger)
        #expect(Set(records.map(\.coin)) == Set(names))
        #expect(records.allSatisfy { $0.performanceMetrics["hit_rate"] != nil && $0.performanceMetrics["edge_after_cost_bps"] != nil })
        let active = try await registry.activeModels()
        #expect(Set(active.map(\.coin)) == Set(names))
        #expect(active.contains { $0.regime == "all" })
        try await registry.close()

        // The engine loads them and paper-trades (real time, after a warm-up replay).
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        let engine = try EngineRunner.makeEngine(config: config, start: Timestamp(nanoseconds: now - 120_000_000_000), threads: 1, logger: quietLogger)
        let reopened = try await RegistryConnection.open(config, logger: quietLogger)
        let watcher = ModelWatcher(registry: reopened, engine: engine.handle, fallback: try BaselineModelLoader.load(path: ""), logger: quietLogger)
        try await watcher.refresh(coin: nil)
        engine.run(until: Timestamp(nanoseconds: now), pacing: .asFastAsPossible, entriesSuspended: true)
        for name in names { #expect(engine.handle.models.modelNames[name]?.contains("xgb \(name) v") == true, "\(name) runs \(engine.handle.models.modelNames[name] ?? "nothing")") }
        try await whileRunning(engine) {
            #expect(await eventually { (engine.handle.telemetry.latestStatus?.totals.events ?? 0) > 1_000 }, "the paper run trades on")
        }
        let status2 = engine.status()
        #expect(status2.totals.events > 1_000)
        print("paper run on trained models: \(status2.totals.events) events, \(status2.totals.signals) signals, \(status2.totals.ordersSent) orders, models \(engine.handle.models.modelNames)")
        try await reopened.close()
    }

    /// The default training: one model over all coins' rows (in units of each coin's
    /// volatility), calibrated on its out-of-sample folds, written and validated for each coin.
    @Test func pooledTrainingWritesOneCalibratedModelForEveryCoin() async throws {
        let python = try PythonTrainer.python(requiring: ["xgboost", "pyarrow", "numpy"])
        let folder = TestPaths.temporaryDirectory("huracan-pooled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try engineConfig(coins: 3, folder: folder, metadataDB: "sqlite:" + folder.appendingPathComponent("registry.sqlite").path)
        let universe = try UniverseLoader.load(for: config)
        let coins = (0..<3).map { CoinIndex($0) }
        let names = coins.map { universe[$0].coin }
        let data = folder.appendingPathComponent("features")
        _ = try TrainingDataExporter.export(universe: universe, coins: coins, seed: 2_000, start: UTCDate(year: 2026, month: 1, day: 1).start,
                                           hours: 1.5, venues: [.binance], updateIntervalMs: config.simulator.updateIntervalMs, to: data)
        var plan = ModelTraining.Plan(config: config, dataDir: data.path, outDir: folder.appendingPathComponent("out").path, coins: names)
        #expect(plan.pool && plan.arguments.contains("--pool"), "pooled by default (retraining.pool_coins)")
        #expect(plan.horizonSeconds == config.strategy.scalp.timeoutSeconds)
        plan.trees = 40
        var lines: [String] = []
        let status = try ModelTraining.runTrainer(plan, python: python, trainerPath: PythonTrainer.trainerFolder.path) { lines.append($0) }
        try #require(status == 0, "trainer failed:\n\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("pooled over the coins") })
        var artifacts: [Data] = []
        for name in names {
            let coinFolder = folder.appendingPathComponent("out").appendingPathComponent(name)
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: coinFolder.appendingPathComponent("manifest.json"))) as? [String: Any]
            let models = try #require(manifest?["models"] as? [[String: Any]])
            #expect(models.count == 1 && models.first?["regime"] as? String == "all")
            let metrics = try #require(models.first?["performance_metrics"] as? [String: Any])
            let scale = try #require(metrics["edge_scale"] as? Double)
            #expect(scale >= 0 && scale <= 1.5)
            #expect(metrics["pooled_coins"] as? Int == 3 && metrics["coin_trades"] != nil && metrics["hit_rate"] != nil)
            let file = try Data(contentsOf: coinFolder.appendingPathComponent("all.json"))
            artifacts.append(file)
            let metadata = try XGBoostJSON.load(file, source: name).metadata
            #expect(try FeatureSchema.target(metadata, source: name) == .volatilityUnits)
            #expect(try FeatureSchema.edgeScale(metadata, source: name) == scale)
        }
        #expect(Set(artifacts).count == 1, "one model, written for each coin")
    }
}
