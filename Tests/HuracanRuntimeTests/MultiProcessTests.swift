import Foundation
import HuracanRedis
import HuracanTestSupport
import Testing

/// Four engine processes, each trading its share of the coins, publishing to one Redis and
/// sharing one risk ledger there.
@Suite(.serialized) struct MultiProcessTests {
    @Test func fourEngineProcessesNeverExceedTheGlobalLimitTogether() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let folder = TestPaths.temporaryDirectory("multi-process")
        let config = folder.appendingPathComponent("engine.yaml")
        try """
        engine:
          active_coins: 60
          data_dir: "\(folder.path)"
          message_bus:
            type: redis_streams
            host: 127.0.0.1
            port: \(server.port)
            stream_prefix: mp
          risk:
            global_max_exposure_pct: 30
            per_coin_max_exposure_pct: 10
            per_sector_max_exposure_pct: 30
            per_exchange_max_exposure_pct: 30
          model_registry:
            metadata_db: "sqlite:\(folder.path)/huracan.sqlite"
          observability:
            prometheus:
              enabled: false
        """.write(to: config, atomically: true, encoding: .utf8)

        let processes = try (1...4).map { i -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: huracan)
            process.arguments = ["run", "-c", config.path, "--process", "\(i)/4", "--duration", "12s", "--log-level", "warning"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return (process, output)
        }
        var summaries: [String] = []
        for (process, output) in processes {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text.suffix(2_000))")
            summaries.append(text)
        }
        // "risk approve/throttle/block A/T/B" per process.
        let counts = summaries.compactMap { text -> [Int]? in
            guard let range = text.range(of: #"risk approve/throttle/block (\d+)/(\d+)/(\d+)"#, options: .regularExpression) else { return nil }
            return text[range].split(separator: " ").last!.split(separator: "/").compactMap { Int($0) }
        }
        #expect(counts.count == 4)
        let approved = counts.map { $0[0] + $0[1] }.reduce(0, +)
        let blocked = counts.map { $0[2] }.reduce(0, +)
        #expect(approved >= 2, "the processes opened trades: \(counts)")
        #expect(blocked > 0, "the shared limits were reached: \(counts)")
        #expect(counts.filter { $0[0] + $0[1] > 0 }.count >= 2, "more than one process traded: \(counts)")

        let client = RedisClient(RedisConfiguration(port: server.port))
        defer { client.shutdown() }
        let ledger = try await client.send(["HGET", "mp:risk:ledger", "high_water_global_pct"])
        let highWater = try #require(ledger.string.flatMap(Double.init))
        #expect(highWater <= 30 + 1e-9, "global exposure across the four processes peaked at \(highWater)% of equity (limit 30%)")
        #expect(highWater > 10, "the limit was approached: \(highWater)%")
        let orders = try await client.send(["XLEN", "mp:orders:global"])
        #expect((orders.int ?? 0) >= Int64(approved), "every process published its orders to Redis")
    }
}
