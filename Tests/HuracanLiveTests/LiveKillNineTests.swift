import Foundation
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanJournal
import HuracanTestSupport
import HuracanVenues
import Testing

/// `kill -9` of a live engine, over and over, on all three venues: at the moment an order's
/// intent is journaled, while its request is in flight (the crash hook), and at random moments
/// while replies hang. After each kill a restart settles (reconciliation, leftovers closed) and
/// the journal is held against the venue's books.
@Suite(.serialized) struct LiveKillNineTests {
    static let killsPerVenue = 17

    @Test func fiftyKillsAcrossTheVenuesLeaveTheJournalEqualToTheVenue() async throws {
        let folder = TestPaths.temporaryDirectory("live-kill")
        let figures = await withTaskGroup(of: (VenueID, Int, [String]).self) { group in
            for venue in VenueID.allCases {
                group.addTask { await Self.killLoop(venue: venue, folder: folder.appendingPathComponent("\(venue)")) }
            }
            var out: [(VenueID, Int, [String])] = []
            for await result in group { out.append(result) }
            return out
        }
        var total = 0
        for (venue, kills, problems) in figures.sorted(by: { $0.0.rawValue < $1.0.rawValue }) {
            total += kills
            #expect(problems.isEmpty, "\(venue): \(problems.prefix(30).joined(separator: "\n"))")
            print("kill -9 \(venue): \(kills) kills, \(problems.count) problems")
        }
        #expect(total >= 50)
    }

    /// Kills one venue's engine `killsPerVenue` times; returns the kills done and every problem found.
    static func killLoop(venue: VenueID, folder: URL) async -> (VenueID, Int, [String]) {
        var problems: [String] = []
        var kills = 0
        do {
            let server = FakeVenueServer(venue: venue, instruments: try EngineProcess.instruments(venue), tickInterval: .milliseconds(100))
            try await server.start()
            try await awaitingStop({ await server.stop() }) {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let config = try EngineProcess.writeConfig(folder: folder, server: server, warmupSeconds: 3, reconcileSeconds: 5)
                let live = ["run", "-c", config.path, "--mode", "live", "--venue", venue.rawValue, "--confirm-live", "--log-level", "notice"]
                for n in 0..<killsPerVenue {
                    let output = folder.appendingPathComponent("kill\(n).txt")
                    let before = server.totalSubmissions
                    switch n % 3 {
                    case 0, 1:
                        // The crash hook: SIGKILL right after the intent of order k, or with it in flight.
                        let phase = n % 3 == 0 ? "intent" : "flight"
                        let engine = try EngineProcess.start(live, server: server, output: output,
                                                             environment: ["HURACAN_CRASH_AT_ORDER": "\(1 + n % 4):\(phase)"])
                        if await engine.waitForExit(timeout: .seconds(90)) != 9 {
                            problems.append("run \(n): the crash hook did not kill the engine: \(engine.text.suffix(1_500))")
                        }
                    default:
                        // From outside, while order replies hang (orders in flight at the kill).
                        server.faults { $0.failAcceptedOrderReplies = 2; $0.afterAccept = .hang(.seconds(30)) }
                        let engine = try EngineProcess.start(live, server: server, output: output)
                        _ = await eventually(.seconds(60)) { server.totalSubmissions > before + n % 4 }
                        try? await Task.sleep(for: .milliseconds(Int64(50 * (n % 7))))   // a different moment of the send for each run
                        kill(engine.process.processIdentifier, SIGKILL)
                        _ = await engine.waitForExit(timeout: .seconds(10))
                        server.faults { $0.failAcceptedOrderReplies = 0 }
                    }
                    kills += 1
                    // Restart: reconcile, close what the killed run left open, stop.
                    let settle = try EngineProcess.start(live + ["--duration", "2s"], server: server, output: folder.appendingPathComponent("settle\(n).txt"))
                    let status = await settle.waitForExit(timeout: .seconds(90))
                    if status != 0 { problems.append("settle \(n): exit \(status.map(String.init) ?? "timeout"): \(settle.text.suffix(1_500))") }
                    let audit = try await VenueJournalAudit.run(server: server, journalURL: "sqlite:\(folder.path)/journal.sqlite")
                    problems += audit.problems.map { "after kill \(n): \($0)" }
                    let unfinished = try await unfinishedOrders(folder: folder, venue: venue)
                    if !unfinished.isEmpty { problems.append("after kill \(n): unfinished journal orders \(unfinished)") }
                    if !server.positions.isEmpty { problems.append("after kill \(n): positions left open at the venue: \(server.positions)") }
                }
            }
        } catch {
            problems.append("\(venue): \(error)")
        }
        return (venue, kills, problems)
    }

    static func unfinishedOrders(folder: URL, venue: VenueID) async throws -> [String] {
        let journal = try await OrderJournal.open(url: "sqlite:\(folder.path)/journal.sqlite", logger: LiveTestMarkets.logger)
        return try await awaitingStop({ try? await journal.close() }) {
            return try await journal.unfinishedOrders(venue: venue).map { "\($0.clientOrderID) \($0.status)" }
        }
    }

    /// An order the venue filled but the journal holds as rejected (as a reset after accept used
    /// to leave it): the next start's reconciliation rechecks it, journals the venue's final
    /// state and its fills, and the leftover position is closed.
    @Test(arguments: VenueID.allCases)
    func restartCorrectsAnOrderWronglyJournaledAsRejected(venue: VenueID) async throws {
        let folder = TestPaths.temporaryDirectory("live-wrong-reject-\(venue)")
        let server = FakeVenueServer(venue: venue, instruments: try EngineProcess.instruments(venue), tickInterval: .milliseconds(100))
        try await server.start()
        try await awaitingStop({ await server.stop() }) {
            let config = try EngineProcess.writeConfig(folder: folder, server: server, warmupSeconds: 3600)
            let journalURL = "sqlite:\(folder.path)/journal.sqlite"
            // The venue filled it; the journal says rejected, with no fill.
            let symbol = try #require(try EngineProcess.instruments(venue).first { $0.coin == "ETH" }).symbol
            let quantity = venue == .okx ? FixedDecimal(units: 1, exponent: 0) : FixedDecimal(units: 1, exponent: 1)
            let id = "hwrongrej\(venue.rawValue)"
            let journal = try await OrderJournal.open(url: journalURL, logger: LiveTestMarkets.logger)
            try await journal.recordIntent(OrderRequest(clientOrderID: id, coin: "ETH", venue: venue, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity),
                                           tradeID: 1, isEntry: true, at: WallClock.now(), symbol: symbol)
            _ = try #require(server.placeDirect(clientOrderID: id, symbol: symbol, side: .buy, type: .market, timeInForce: .ioc, quantity: quantity))
            try await journal.record(.rejected(clientOrderID: id, reason: "connection reset (seeded)", time: WallClock.now()))
            #expect(try await journal.order(clientOrderID: id)?.status == .rejected)
            try await journal.close()
            let engine = try EngineProcess.start(["run", "-c", config.path, "--mode", "live", "--venue", venue.rawValue, "--confirm-live", "--duration", "2s",
                                                  "--log-level", "notice"], server: server, output: folder.appendingPathComponent("run.txt"))
            #expect(await engine.waitForExit(timeout: .seconds(90)) == 0, "\(engine.text.suffix(3_000))")
            let audit = try await VenueJournalAudit.run(server: server, journalURL: journalURL)
            #expect(audit.problems.isEmpty, "\(audit.problems.joined(separator: "\n"))\n\(engine.text.suffix(3_000))")
            let reopened = try await OrderJournal.open(url: journalURL, logger: LiveTestMarkets.logger)
            let order = try #require(try await reopened.order(clientOrderID: id))
            #expect(order.status == .filled && order.filledQuantity == quantity)
            try await reopened.close()
            #expect(engine.text.contains("journaled rejected"), "\(engine.text.suffix(3_000))")
            #expect(server.positions.isEmpty, "the corrected order's position was closed as a leftover")
        }
    }
}
