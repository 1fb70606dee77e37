import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HuracanBus
import HuracanCore
import HuracanRedis
import HuracanTestSupport
import Testing

/// `huracan run` in paper mode on Redis Streams and a PostgreSQL registry, as one of two engine
/// processes (so entries need the shared risk ledger in Redis), while each server is stopped for
/// 30 seconds and started again: the engine keeps running, `/ready` says what is down, no entry
/// opens while the ledger is out of reach, it recovers by itself, and every order and execution
/// it produced reaches Redis.
@Suite(.serialized) struct DependencyOutageTests {
    @Test func paperRunSurvivesRedisAndPostgresOutages() async throws {
        let redis = try RedisServer.start(label: "outage-redis")
        defer { redis.stop() }
        let postgres = try PostgresServer.startOwn()
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let folder = TestPaths.temporaryDirectory("outage")
        let statusPort = try FreePorts.take()
        let config = folder.appendingPathComponent("engine.yaml")
        try """
        engine:
          mode: paper
          active_coins: 12
          data_dir: "\(folder.path)/data"
          message_bus:
            type: redis_streams
            host: 127.0.0.1
            port: \(redis.port)
          model_registry:
            metadata_db: "\(try postgres.makeDatabase("outage"))"
            storage_path: "\(folder.path)/models"
          observability:
            prometheus:
              port: \(statusPort)
            metrics:
              health_check_interval_seconds: 2
          cost_model:
            rank_active_set: false
            min_edge_after_cost_bps: -1000
          strategy:
            warmup_seconds: 5
            entry_cooldown_seconds: 1
            scalp:
              min_confidence: 0
              timeout_seconds: 5
        """.write(to: config, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = ["run", "-c", config.path, "--process", "1/2", "--duration", "150s", "--log-level", "notice"]
        let output = folder.appendingPathComponent("output.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func log() -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        let client = RedisClient(RedisConfiguration(port: redis.port, poolSize: 1, reconnectBaseSeconds: 0.05, reconnectMaxSeconds: 0.5))
        defer { client.shutdown() }
        let names = StreamName(prefix: "huracan")
        func orders() async -> Int64 { (try? await client.send(["XLEN", .text(names.ordersGlobal)]).int) ?? 0 }

        // Trading with both servers up.
        #expect(await eventually(.seconds(60)) { await orders() > 0 }, "no order before the outages: \(log().suffix(2_000))")
        #expect(await ready(statusPort) == true, "ready with both servers up")

        // Redis away for 30 s.
        redis.kill()
        let redisDown = Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        #expect(await eventually(.seconds(10)) { await ready(statusPort) == false }, "/ready reports the bus as failing")
        try await Task.sleep(for: .seconds(30))   // the outage
        let redisUp = Timestamp(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        try redis.start()
        #expect(await eventually(.seconds(20)) { await ready(statusPort) == true }, "ready again after Redis is back: \(log().suffix(2_000))")
        #expect(process.isRunning, "the engine kept running: \(log().suffix(2_000))")

        // PostgreSQL away for 30 s.
        try postgres.stop()
        #expect(await eventually(.seconds(10)) { await ready(statusPort) == false }, "/ready reports the database as failing")
        try await Task.sleep(for: .seconds(30))   // the outage
        try postgres.restart()
        #expect(await eventually(.seconds(20)) { await ready(statusPort) == true }, "ready again after PostgreSQL is back")
        #expect(await eventually(.seconds(20)) { log().contains("model registry reachable again") }, "\(log().suffix(2_000))")
        #expect(process.isRunning, "the engine kept running: \(log().suffix(2_000))")

        process.waitUntilExit()
        let text = log()
        #expect(process.terminationStatus == 0, "\(text.suffix(3_000))")
        #expect(text.contains("listening on huracan_models again"), "LISTEN was set up again: \(text.suffix(2_000))")
        #expect(text.components(separatedBy: "message bus: Redis unreachable").count == 2 && text.contains("message bus: Redis reachable again"),
                "one line when Redis went away, one when it came back")
        #expect(text.components(separatedBy: "PostgreSQL connection lost").count == 2, "one line per outage, not one per retry")
        let summaryRange = try #require(text.range(of: #"orders (\d+), rejects"#, options: .regularExpression), "no summary: \(text.suffix(2_000))")
        let ordersSent = try #require(Int(text[summaryRange].split(separator: " ")[1].dropLast()))

        // Every order and execution reached Redis, once the outbox could send them.
        let bus = RedisStreamsBus(client: client)
        try await bus.createGroup(stream: names.ordersGlobal, group: "audit", fromStart: true)
        try await bus.createGroup(stream: names.executionsGlobal, group: "audit", fromStart: true)
        let orderMessages = try await bus.read(streams: [names.ordersGlobal], group: "audit", consumer: "a", count: 1_000_000)
            .compactMap { if case .order(let order) = $0.message { order } else { nil } }
        let executions = try await bus.read(streams: [names.executionsGlobal], group: "audit", consumer: "a", count: 1_000_000)
            .compactMap { if case .execution(let execution) = $0.message { execution } else { nil } }
        let orderIDs = Set(orderMessages.map(\.clientOrderID))
        #expect(orderIDs.count == ordersSent, "every order the engine sent is on orders:global (\(orderIDs.count) of \(ordersSent))")
        let filled = Set(executions.map(\.clientOrderID))
        #expect(orderIDs.subtracting(filled).count <= 12, "orders without an execution: \(orderIDs.subtracting(filled).count) (only those open at the end may lack one)")
        #expect(filled.isSubset(of: orderIDs), "every execution belongs to a published order")
        // No entry while the shared ledger was out of reach (a round in flight at the kill may
        // finish; order times are the simulated market's, which trails the wall clock a little).
        let entriesDuring = orderMessages.filter { !$0.request.reduceOnly && $0.time > redisDown + .seconds(2) && $0.time < redisUp - .seconds(1) }
        #expect(entriesDuring.isEmpty, "entries opened without the shared ledger: \(entriesDuring.prefix(3))")
        #expect(orderMessages.contains { !$0.request.reduceOnly && $0.time > redisUp }, "entries resumed after Redis came back")
        try? postgres.stop()
    }

    /// Whether `/ready` answers 200 (nil when the engine does not answer).
    func ready(_ port: Int) async -> Bool? {
        guard let answer = try? await http(URLRequest(url: URL(string: "http://127.0.0.1:\(port)/ready")!)) else { return nil }
        return answer.status == 200
    }
}
