import Foundation
import HuracanBus
import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanStorage
import HuracanTestSupport
import Logging
import Synchronization
import Testing

@Suite(.serialized) struct EngineRecordingTests {
    /// `huracan run` with `engine.data.record: true`: a short paper run writes the bus streams
    /// into partitions of the data lake, flushed when the run ends, and the reader reads them back.
    @Test func shortPaperRunWithRecordingWritesReadablePartitions() async throws {
        var config = try ConfigLoader(environment: [:]).load(path: nil)
        let dir = TestPaths.temporaryDirectory("paper-record")
        config.dataDir = dir.path
        config.data.record = true
        config.data.flushRows = 500
        config.data.flushIntervalSeconds = 3_600 // everything left is written at shutdown
        config.activeCoins = 6
        config.coinsPerEventLoop = 3
        config.observability.prometheusEnabled = false
        config.costModel.rankActiveSet = false
        config.costModel.minEdgeAfterCostBps = -1_000 // trade on any confident signal
        config.strategy.entryCooldownSeconds = 1
        config.strategy.scalp.timeoutSeconds = 2
        config.strategy.scalp.minConfidence = 0.5
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let summary = try await EngineRunner.paper(config: config, configPath: nil, duration: 4, view: StatusView(interactive: false), logger: logger)
        let lake = DataLake(path: dir.path)
        let orders = try lake.read(OrderRecord.self)
        let fills = try lake.read(FillRecord.self)
        #expect(!orders.isEmpty)
        #expect(!fills.isEmpty)
        // Every closed trade's entry and exit orders were recorded (exits are reduce-only).
        let closed = summary.styles.values.reduce(0) { $0 + $1.trades }
        #expect(orders.count >= closed * 2, "\(orders.count) orders recorded, \(closed) trades closed")
        #expect(Set(orders.map(\.coin)).isSubset(of: Set(try UniverseLoader.load(for: config).instruments.map(\.coin))))
        // Partitions follow {data_dir}/{kind}/{coin}/{YYYYMMDD}.parquet and open with the reader.
        for partition in lake.partitions(kinds: [.orders, .fills, .signals, .book, .trades, .features]) {
            #expect(partition.path.hasPrefix(dir.path + "/" + partition.kind.rawValue + "/" + partition.coin + "/"))
            #expect(try ParquetFile(path: partition.path).rowCount > 0)
        }
        // No temporary files left behind.
        #expect(lake.removeTemporaryFiles().isEmpty)
    }

    /// `huracan run` with recording on, stopped by SIGINT or SIGTERM: nothing is written before
    /// (flush interval an hour, flush size far away), so the rows on disk are the shutdown flush.
    @Test(arguments: [SIGINT, SIGTERM])
    func signalFlushesTheRecorder(signal: Int32) throws {
        try runAndStop(signal: signal, extra: [:]) { (lake: DataLake) throws in
            #expect(!(try lake.read(OrderRecord.self)).isEmpty, "orders flushed at shutdown")
            #expect(try lake.read(FillRecord.self).count > 0)
            // The engine publishes book tops and features while the recorder listens.
            #expect(try lake.read(BookRecord.self).count > 0)
            #expect(try lake.read(FeaturesRecord.self).count > 0)
        }
    }

    /// The same with the engine on Redis Streams: the recorder reads Redis and stops after the
    /// Redis link has sent the engine's last messages.
    @Test func redisBusIsRecorded() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        try runAndStop(signal: SIGINT, extra: ["MESSAGE_BUS__TYPE": "redis_streams", "MESSAGE_BUS__HOST": "127.0.0.1",
                                              "MESSAGE_BUS__PORT": String(server.port)]) { (lake: DataLake) throws in
            #expect(!(try lake.read(OrderRecord.self)).isEmpty)
            #expect(try lake.read(FillRecord.self).count > 0)
            #expect(try lake.read(BookRecord.self).count > 0)
            #expect(try lake.read(FeaturesRecord.self).count > 0)
        }
    }

    func runAndStop(signal: Int32, extra: [String: String], check: (DataLake) throws -> Void) throws {
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let dir = TestPaths.temporaryDirectory("run-record")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = ["run", "--log-level", "error"]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in ["DATA_DIR": dir.path, "DATA__RECORD": "true", "DATA__FLUSH_INTERVAL_SECONDS": "3600", "ACTIVE_COINS": "6",
                             "OBSERVABILITY__PROMETHEUS__ENABLED": "false", "COST_MODEL__RANK_ACTIVE_SET": "false",
                             "COST_MODEL__MIN_EDGE_AFTER_COST_BPS": "-1000", "STRATEGY__SCALP__MIN_CONFIDENCE": "0.5",
                             "STRATEGY__SCALP__TIMEOUT_SECONDS": "2", "STRATEGY__ENTRY_COOLDOWN_SECONDS": "1"].merging(extra, uniquingKeysWith: { $1 }) {
            environment["HURACAN_ENGINE__" + key] = value
        }
        process.environment = environment
        // Status lines on standard output (not a terminal) tell when trades have closed.
        let output = Pipe()
        let seen = Locked("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            seen.withLock { $0 = String(($0 + text).suffix(4_096)) }
        }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Stop once a trade has closed (so orders and fills exist), at most after a minute.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !seen.withLock({ $0.range(of: #"closed=[1-9]"#, options: .regularExpression) != nil }) {
            Thread.sleep(forTimeInterval: 0.2)   // poll interval
        }
        Thread.sleep(forTimeInterval: 1)   // a second more of trading before the signal
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0)
        let lake = DataLake(path: dir.path)
        try check(lake)
        #expect(lake.removeTemporaryFiles().isEmpty)
    }

    /// The recorder is off by default: no services, nothing written.
    @Test func recordingIsOffByDefault() throws {
        var config = try ConfigLoader(environment: [:]).load(path: nil)
        config.activeCoins = 2
        #expect(config.data.record == false)
        let engine = try EngineRunner.makeEngine(config: config, start: Timestamp(seconds: 1_800_000_000), threads: 1, logger: Logger(label: "test"))
        #expect(try RecordingService(config: config, engine: engine, logger: Logger(label: "test")) == nil)
        config.data.record = true
        config.data.recordStreams = ["orders", "executions"]
        config.data.featureBuilders = 2
        let service = try #require(try RecordingService(config: config, engine: engine, logger: Logger(label: "test")))
        #expect(service.recorder.configuration.streams.count == 2)
        #expect(service.builders?.configuration.workers == 2)
    }
}
