import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanTestSupport
import Testing

/// The account's key, secret and passphrase never leave the engine except as signatures: a live
/// run on a fake OKX (which signs with all three), logging at the most verbose level through
/// rate limits, rejects and 5xx replies after accept, is read whole (every log line, every
/// /metrics, /status, /risk, /health and /ready answer), and so is the error output of a run
/// whose secret the venue refuses.
@Suite(.serialized) struct SecretLeakTests {
    static func credentials(_ tag: String) -> VenueCredentials {
        VenueCredentials(apiKey: "key\(tag)\(UInt64.random(in: 1...UInt64.max))", secret: "sec\(tag)\(UInt64.random(in: 1...UInt64.max))",
                         passphrase: "pass\(tag)\(UInt64.random(in: 1...UInt64.max))", origin: "test")
    }

    static func leaks(of credentials: VenueCredentials, in text: String) -> [String] {
        [("API key", credentials.apiKey), ("secret", credentials.secret), ("passphrase", credentials.passphrase ?? "")]
            .filter { !$0.1.isEmpty && text.contains($0.1) }.map(\.0)
    }

    @Test func noSecretInLogsMetricsOrStatus() async throws {
        let folder = TestPaths.temporaryDirectory("secret-leaks")
        let credentials = Self.credentials("A")
        let server = FakeVenueServer(venue: .okx, instruments: try EngineProcess.instruments(.okx), credentials: credentials)
        try await server.start()
        let port = try FreePorts.take()
        let config = try EngineProcess.writeConfig(folder: folder, server: server, warmupSeconds: 20)
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "prometheus:\n      enabled: false", with: "prometheus:\n      enabled: true\n      port: \(port)")
        #expect(text.contains("port: \(port)"))
        try text.write(to: config, atomically: true, encoding: .utf8)
        let engine = try EngineProcess.start(["run", "-c", config.path, "--venue", "okx", "--mode", "live", "--confirm-live", "--duration", "50s", "--log-level", "trace"],
                                             server: server, output: folder.appendingPathComponent("output.txt"))
        defer { if engine.process.isRunning { engine.process.terminate() } }
        var answers = ""
        var reads = 0
        let started = ContinuousClock.now
        var faulted = false
        while engine.process.isRunning {
            try await Task.sleep(for: .seconds(2))   // poll interval while the engine runs
            if !faulted, ContinuousClock.now - started > .seconds(30) {
                faulted = true
                // Trading has started: the error paths now log requests and replies.
                server.faults { faults in
                    faults.rateLimitNext = 2
                    faults.rejectNext = 2
                    faults.failAcceptedOrderReplies = 2
                    faults.afterAccept = .serviceUnavailable
                }
            }
            for path in ["metrics", "status", "risk", "health", "ready"] {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/\(path)")!)
                request.timeoutInterval = 2
                if let (data, _) = try? await URLSession.shared.data(for: request) {
                    answers += String(decoding: data, as: UTF8.self)
                    reads += 1
                }
            }
        }
        let status = await engine.waitForExit()
        await server.stop()
        let output = engine.text
        #expect(status == 0, "\(output.suffix(2_000))")
        #expect(engine.ordersSent ?? 0 > 0, "the run must sign orders for the test to mean anything: \(output.suffix(1_500))")
        #expect(reads > 20 && answers.contains("huracan_"), "status answers read: \(reads)")
        #expect(output.count > 10_000, "trace logging wrote \(output.count) characters")
        #expect(Self.leaks(of: credentials, in: output).isEmpty, "leaked into the log: \(Self.leaks(of: credentials, in: output))")
        #expect(Self.leaks(of: credentials, in: answers).isEmpty, "leaked into status answers: \(Self.leaks(of: credentials, in: answers))")
    }

    @Test func noSecretInTheErrorOfARefusedKey() async throws {
        let folder = TestPaths.temporaryDirectory("secret-refused")
        let server = FakeVenueServer(venue: .okx, instruments: try EngineProcess.instruments(.okx), credentials: Self.credentials("B"))
        try await server.start()
        let config = try EngineProcess.writeConfig(folder: folder, server: server)
        let wrong = Self.credentials("C")
        let engine = try EngineProcess.start(["run", "-c", config.path, "--venue", "okx", "--mode", "live", "--confirm-live", "--duration", "20s", "--log-level", "trace"],
                                             server: server, output: folder.appendingPathComponent("output.txt"),
                                             environment: ["HURACAN_OKX_API_KEY": wrong.apiKey, "HURACAN_OKX_API_SECRET": wrong.secret,
                                                           "HURACAN_OKX_PASSPHRASE": wrong.passphrase ?? ""])
        let status = await engine.waitForExit(timeout: .seconds(60))
        await server.stop()
        let output = engine.text
        #expect(status != 0, "a refused key stops the run: \(output.suffix(1_500))")
        #expect(output.contains("50113") || output.contains("signature") || output.contains("Invalid"), "the venue's refusal is shown: \(output.suffix(1_500))")
        #expect(Self.leaks(of: wrong, in: output).isEmpty, "leaked into the error: \(Self.leaks(of: wrong, in: output))")
    }
}
