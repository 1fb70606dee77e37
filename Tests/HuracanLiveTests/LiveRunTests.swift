import Foundation
import HuracanCore
import HuracanFakeVenues
import HuracanTestSupport
import Testing

/// `huracan run --mode paper|live --venue X` as a user runs it, against a fake Binance, OKX and
/// Bybit on 127.0.0.1: the six runs go side by side (the features need a minute of data before
/// the first trade).
@Suite(.serialized) struct LiveRunTests {
    @Test func paperAndLiveRunsTradeOnEveryVenue() async throws {
        let folder = TestPaths.temporaryDirectory("live-runs")
        var runs: [(venue: VenueID, live: Bool, server: FakeVenueServer, engine: EngineProcess)] = []
        defer { for run in runs { if run.engine.process.isRunning { run.engine.process.terminate() } } }
        for venue in VenueID.allCases {
            for live in [false, true] {
                let server = FakeVenueServer(venue: venue, instruments: try EngineProcess.instruments(venue), tickInterval: .milliseconds(100))
                try await server.start()
                let runFolder = folder.appendingPathComponent("\(venue)-\(live ? "live" : "paper")")
                try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
                let config = try EngineProcess.writeConfig(folder: runFolder, server: server)
                var arguments = ["run", "-c", config.path, "--venue", venue.rawValue, "--duration", "75s", "--log-level", "warning"]
                arguments += live ? ["--mode", "live", "--confirm-live"] : ["--mode", "paper"]
                runs.append((venue, live, server, try EngineProcess.start(arguments, server: server, output: runFolder.appendingPathComponent("output.txt"))))
            }
        }
        for run in runs {
            let status = await run.engine.waitForExit()
            let name = "\(run.venue) \(run.live ? "live" : "paper")"
            let text = run.engine.text
            #expect(status == 0, "\(name): \(text.suffix(3_000))")
            let orders = try #require(run.engine.ordersSent, "\(name): no summary: \(text.suffix(2_000))")
            #expect(orders > 0, "\(name) traded: \(text.suffix(1_500))")
            if run.live {
                // Every order reached the venue exactly once.
                let submitted = Set(run.server.orders.map(\.clientOrderID))
                #expect(!submitted.isEmpty && submitted.count <= orders, "\(name): \(submitted.count) orders at the venue, \(orders) sent")
                #expect(submitted.allSatisfy { run.server.submissions(clientOrderID: $0) == 1 })
                #expect(!run.server.fills.isEmpty)
            } else {
                #expect(run.server.totalSubmissions == 0, "\(name): paper runs send no orders")
            }
            await run.server.stop()
        }
    }

    @Test func liveModeNeedsConfirmationAndKeys() async throws {
        let folder = TestPaths.temporaryDirectory("live-refusals")
        let server = FakeVenueServer(venue: .bybit, instruments: try EngineProcess.instruments(.bybit))
        try await server.start()
        try await awaitingStop({ await server.stop() }) {
            let config = try EngineProcess.writeConfig(folder: folder, server: server)
            let unconfirmed = try EngineProcess.start(["run", "-c", config.path, "--mode", "live", "--venue", "bybit"], server: server,
                                                      output: folder.appendingPathComponent("a.txt"))
            #expect(await unconfirmed.waitForExit(timeout: .seconds(30)) != 0)
            #expect(unconfirmed.text.contains("--confirm-live"))
            #expect(server.totalSubmissions == 0)
        }
    }
}
