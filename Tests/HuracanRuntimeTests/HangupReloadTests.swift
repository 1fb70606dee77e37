import Foundation
import HuracanTestSupport
import Testing

/// `kill -HUP` re-reads the configuration every time, in every start (it was lost in some):
/// 20 hangups in a row in the first start, two in each of two more.
@Suite(.serialized) struct HangupReloadTests {
    @Test func everyHangupReloadsTheConfiguration() async throws {
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let folder = TestPaths.temporaryDirectory("hangup")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("engine.yaml")
        func write(activeCoins: Int) throws {
            try """
            engine:
              active_coins: \(activeCoins)
              data_dir: "\(folder.path)/data"
              message_bus:
                type: in_process
              model_registry:
                metadata_db: "sqlite:\(folder.path)/registry.sqlite"
              observability:
                prometheus:
                  enabled: false
            """.write(to: config, atomically: true, encoding: .utf8)
        }
        for start in 1...3 {
            try write(activeCoins: 5)
            let log = folder.appendingPathComponent("run-\(start).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: huracan)
            process.arguments = ["run", "-c", config.path, "--duration", "60s", "--log-level", "notice"]
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            func text() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
            // Signals are trapped before the engine's first round; wait for it to run.
            #expect(await eventually(.seconds(30)) { text().contains("start") || text().contains("shard") }, "\(text().suffix(1_000))")
            let hangups = start == 1 ? 20 : 2
            for (n, coins) in (0..<hangups).map({ 6 + $0 }).enumerated() {
                try write(activeCoins: coins)
                kill(process.processIdentifier, SIGHUP)
                #expect(await eventually(.seconds(15)) { text().contains("configuration reloaded: active_coins \(coins)") },
                        "start \(start), hangup \(n + 1): \(text().suffix(1_500))")
            }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            try? handle.close()
            #expect(process.terminationStatus == 0, "start \(start): \(text().suffix(1_000))")
        }
    }
}
