import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanRuntime
import HuracanSQL
import HuracanTestSupport
import Logging
import SQLKit
import Testing

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

func engineConfig(coins: Int = 4, folder: URL, metadataDB: String) throws -> EngineConfig {
    var config = try ConfigLoader(environment: [:]).load(path: nil)
    config.activeCoins = coins
    config.coinsPerEventLoop = 2
    config.costModel.rankActiveSet = false
    config.costModel.minEdgeAfterCostBps = -1_000
    config.strategy.entryCooldownSeconds = 5
    config.strategy.scalp.minConfidence = 0.5
    config.modelRegistry.storagePath = folder.appendingPathComponent("models").path
    config.modelRegistry.metadataDB = metadataDB
    config.dataDir = folder.path
    return config
}

/// Runs `engine` in real time (as `huracan run` does) on its own thread until `body` returns.
func whileRunning<T>(_ engine: Engine, _ body: () async throws -> T) async throws -> T {
    let running = ThreadHandOff(engine) // the engine is the thread's until `stop` ends its run
    let ended = Locked(false)
    let thread = Thread {
        running.value.run(until: nil, pacing: .realTime, stepsPerRound: 1, statusInterval: 0.2)
        ended.withLock { $0 = true }
    }
    thread.start()
    defer { engine.control.stop() }
    let result = try await body()
    engine.control.stop()
    #expect(await eventually(.seconds(10)) { ended.withLock { $0 } }, "the engine's run ends when stopped")
    return result
}

/// Hot swap during a paper run: a newly activated model is picked up without a restart; a
/// corrupt file or another feature schema is refused and the previous model stays.
@Suite(.serialized) struct HotSwapTests {
    @Test(arguments: Backend.allCases)
    func runningEngineSwapsModelsAndRefusesBadOnes(backend: Backend) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-hotswap")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try backend.makeURL(folder: folder)
        let config = try engineConfig(folder: folder, metadataDB: url)
        let registry = try await RegistryConnection.open(config, logger: quietLogger)
        let v1 = try await registry.register(TestModels.registration(coin: "BTC", sharpe: 1), artifact: TestModels.stump(low: 20, high: 20))
        try await registry.activate(coin: "BTC", version: v1.version)

        let engine = try EngineRunner.makeEngine(config: config, start: Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970) * 1_000_000_000),
                                                 threads: 1, logger: quietLogger)
        let baseline = try BaselineModelLoader.load(path: "")
        let watcher = ModelWatcher(registry: registry, engine: engine.handle, fallback: baseline, pollInterval: .milliseconds(200), logger: quietLogger)
        try await watcher.refresh(coin: nil)
        let watching = Task { try await watcher.run() }
        defer { watching.cancel() }

        try await whileRunning(engine) {
            #expect(await eventually { engine.handle.models.modelNames["BTC"] == "all: xgb BTC v1" })
            // Activate v2 while the engine runs: swapped in between rounds.
            let v2 = try await registry.register(TestModels.registration(coin: "BTC", sharpe: 2), artifact: TestModels.stump(low: -20, high: -20))
            try await registry.activate(coin: "BTC", version: v2.version)
            #expect(await eventually { engine.handle.models.modelNames["BTC"] == "all: xgb BTC v2" })

            // v3's file is corrupted after registration: refused, v2 stays.
            let v3 = try await registry.register(TestModels.registration(coin: "BTC", sharpe: 3), artifact: TestModels.stump())
            try TestModels.stump(high: 99).write(to: registry.store.url(relativePath: v3.artifactPath))
            try await registry.activate(coin: "BTC", version: v3.version)
            #expect(try await eventually { try await registry.events(coin: "BTC").contains { $0.action == "refused" && $0.version == v3.version } })
            #expect(engine.handle.models.modelNames["BTC"] == "all: xgb BTC v2")
            let refusal = try await registry.events(coin: "BTC").first { $0.action == "refused" }
            #expect(refusal?.detail.contains("checksum") == true)

            // v4 claims another feature schema: refused, v2 stays.
            let v4 = try await registry.register(TestModels.registration(coin: "BTC", sharpe: 4), artifact: TestModels.stump())
            try await registry.database.sql.raw("UPDATE model_registry SET feature_schema_version = 99 WHERE coin = 'BTC' AND version = \(bind: v4.version)").run()
            try await registry.activate(coin: "BTC", version: v4.version)
            #expect(try await eventually { try await registry.events(coin: "BTC").contains { $0.action == "refused" && $0.version == v4.version } })
            #expect(engine.handle.models.modelNames["BTC"] == "all: xgb BTC v2")

            // Rolling back to a good model is picked up again.
            try await registry.activate(coin: "BTC", version: v2.version)
            try await registry.activate(coin: "BTC", version: v1.version)
            #expect(await eventually { engine.handle.models.modelNames["BTC"] == "all: xgb BTC v1" })
        }
        // The watcher stops before its registry closes (a poll on a closed SQLite handle crashes).
        watching.cancel()
        _ = try? await watching.value
        try await registry.close()
    }

    /// PostgreSQL: an activation reaches a running engine through NOTIFY, not polling (the poll
    /// interval here is far longer than the test).
    @Test func postgresNotificationSwapsWithoutPolling() async throws {
        let folder = TestPaths.temporaryDirectory("huracan-notify")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Backend.postgresql.makeURL(folder: folder)
        let config = try engineConfig(folder: folder, metadataDB: url)
        let registry = try await RegistryConnection.open(config, logger: quietLogger)
        let (engine, watcher, watching) = try Self.watchedEngine(config: config, registry: registry)
        defer { watching.cancel() }
        try await whileRunning(engine) {
            #expect(await eventually(.seconds(10)) { watcher.listenSessions == 1 }, "LISTEN is set up")
            let v1 = try await registry.register(TestModels.registration(coin: "ETH"), artifact: TestModels.stump(low: 5, high: 5))
            try await registry.activate(coin: "ETH", version: v1.version)
            #expect(await eventually(.seconds(10)) { engine.handle.models.modelNames["ETH"] == "all: xgb ETH v1" })
        }
        // The watcher stops before its registry closes (a poll on a closed SQLite handle crashes).
        watching.cancel()
        _ = try? await watching.value
        try await registry.close()
    }

    /// PostgreSQL restarted under a running engine: the watcher's connection comes back by
    /// itself, LISTEN is set up again, and the next activation is swapped in by notification.
    @Test func postgresRestartIsSurvivedAndNotificationsResume() async throws {
        let folder = TestPaths.temporaryDirectory("huracan-pg-restart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try PostgresServer.startOwn()
        defer { try? server.stop() }
        let config = try engineConfig(folder: folder, metadataDB: try server.makeDatabase("restart"))
        let registry = try await RegistryConnection.open(config, logger: quietLogger)
        let (engine, watcher, watching) = try Self.watchedEngine(config: config, registry: registry)
        defer { watching.cancel() }
        try await whileRunning(engine) {
            #expect(await eventually(.seconds(10)) { watcher.listenSessions == 1 }, "LISTEN is set up")
            let writer = try await RegistryConnection.open(config, logger: quietLogger)
            let v1 = try await writer.register(TestModels.registration(coin: "ETH"), artifact: TestModels.stump(low: 5, high: 5))
            try await writer.activate(coin: "ETH", version: v1.version)
            #expect(await eventually(.seconds(10)) { engine.handle.models.modelNames["ETH"] == "all: xgb ETH v1" })
            try? await writer.close()

            try server.stop()
            try await Task.sleep(for: .seconds(2))   // the outage: the watcher's LISTEN connection is lost
            try server.restart()
            // A new connection for the writer; the watcher's own must come back by itself.
            let again = try await RegistryConnection.open(config, logger: quietLogger)
            #expect(await eventually(.seconds(20)) { watcher.listenSessions == 2 }, "LISTEN is set up again after the restart")
            let v2 = try await again.register(TestModels.registration(coin: "ETH", sharpe: 2), artifact: TestModels.stump(low: -5, high: -5))
            try await again.activate(coin: "ETH", version: v2.version)
            #expect(await eventually(.seconds(10)) { engine.handle.models.modelNames["ETH"] == "all: xgb ETH v2" }, "swapped by notification after the restart")
            // The watcher's registry connection answers again too.
            #expect(try await registry.activeModels(coin: "ETH").first?.version == v2.version)
            try? await again.close()
        }
        watching.cancel()
        _ = try? await watching.value
        try await registry.close()
    }

    /// An engine starting now with a model watcher on `registry` that polls only hourly, so a
    /// swap within a test comes by notification; the caller cancels the watcher's task.
    static func watchedEngine(config: EngineConfig, registry: ModelRegistry) throws -> (Engine, ModelWatcher, Task<Void, any Error>) {
        let engine = try EngineRunner.makeEngine(config: config, start: Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970) * 1_000_000_000),
                                                 threads: 1, logger: quietLogger)
        let watcher = ModelWatcher(registry: registry, engine: engine.handle, fallback: try BaselineModelLoader.load(path: ""),
                                   pollInterval: .seconds(3_600), logger: quietLogger)
        return (engine, watcher, Task { try await watcher.run() })
    }
}
