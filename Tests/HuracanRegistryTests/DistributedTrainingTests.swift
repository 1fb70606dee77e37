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
        guard let python = PythonTrainer.python(requiring: ["xgboost", "ray", "pyarrow", "numpy"]) else {
            if ExternalTool.required { Issue.record("python3 with xgboost, ray, pyarrow and numpy is required (HURACAN_REQUIRE_SERVERS=1)") }
            return
        }
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
        let watcher = ModelWatcher(registry: reopened, engine: engine, fallback: try BaselineModelLoader.load(path: ""), logger: quietLogger)
        try await watcher.refresh(coin: nil)
        engine.entriesSuspended = true
        engine.run(until: Timestamp(nanoseconds: now), pacing: .asFastAsPossible)
        engine.entriesSuspended = false
        for name in names { #expect(engine.modelNames[name]?.contains("xgb \(name) v") == true, "\(name) runs \(engine.modelNames[name] ?? "nothing")") }
        try await whileRunning(engine) { try await Task.sleep(for: .seconds(4)) }
        let status2 = engine.status()
        #expect(status2.totals.events > 1_000)
        print("paper run on trained models: \(status2.totals.events) events, \(status2.totals.signals) signals, \(status2.totals.ordersSent) orders, models \(engine.modelNames)")
        try await reopened.close()
    }
}
