import Foundation
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanJournal
import HuracanTestSupport
import HuracanVenues
import Testing

/// `huracan run --mode live` on each fake venue while the venue produces, one after the other,
/// the faults real venues produce: a reset, a hang and a plain-text 503 after it accepted an
/// order, the private stream down while orders fill, an order reported EXPIRED before its fills,
/// WebSocket drops. Afterwards the journal is held against the venue's own books.
@Suite(.serialized) struct LiveFaultMatrixTests {
    /// One fault and how to switch it on and off.
    struct Fault: Sendable {
        let name: String
        let on: @Sendable (FakeVenueServer) -> Void
        let off: @Sendable (FakeVenueServer) -> Void
        /// Orders the venue should see while the fault is on.
        let orders: Int
    }

    static let faults: [Fault] = [
        Fault(name: "reset after accept", on: { s in s.faults { $0.failAcceptedOrderReplies = 3; $0.afterAccept = .reset } },
              off: { s in s.faults { $0.failAcceptedOrderReplies = 0 } }, orders: 4),
        Fault(name: "hang after accept", on: { s in s.faults { $0.failAcceptedOrderReplies = 2; $0.afterAccept = .hang(.seconds(7)) } },
              off: { s in s.faults { $0.failAcceptedOrderReplies = 0 } }, orders: 3),
        Fault(name: "plain-text 503 after accept", on: { s in s.faults { $0.failAcceptedOrderReplies = 3; $0.afterAccept = .serviceUnavailable } },
              off: { s in s.faults { $0.failAcceptedOrderReplies = 0 } }, orders: 4),
        Fault(name: "private stream down during fills", on: { s in s.setPrivateStreamsDown(true) }, off: { s in s.setPrivateStreamsDown(false) }, orders: 4),
        Fault(name: "expired reported before its fills", on: { s in s.faults { $0.expiredBeforeFills = true } },
              off: { s in s.faults { $0.expiredBeforeFills = false } }, orders: 4),
        Fault(name: "WebSocket drops", on: { s in s.disconnectAll() }, off: { s in s.disconnectAll() }, orders: 3),
    ]

    @Test func everyFaultOnEveryVenueLeavesTheJournalEqualToTheVenue() async throws {
        let folder = TestPaths.temporaryDirectory("live-faults")
        var rigs: [(server: FakeVenueServer, folder: URL, engine: EngineProcess)] = []
        defer { for rig in rigs where rig.engine.process.isRunning { rig.engine.process.terminate() } }
        for venue in VenueID.allCases {
            let server = FakeVenueServer(venue: venue, instruments: try EngineProcess.instruments(venue), tickInterval: .milliseconds(100))
            // Not the fake's default fees: the engine must take the account's from the venue.
            server.setFees(maker: FixedDecimal(units: 1, exponent: 4), taker: FixedDecimal(units: 75, exponent: 5))
            try await server.start()
            let runFolder = folder.appendingPathComponent("\(venue)")
            try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
            let config = try EngineProcess.writeConfig(folder: runFolder, server: server, warmupSeconds: 3, reconcileSeconds: 5)
            let engine = try EngineProcess.start(["run", "-c", config.path, "--mode", "live", "--venue", venue.rawValue, "--confirm-live", "--log-level", "info"],
                                                 server: server, output: runFolder.appendingPathComponent("run.txt"))
            rigs.append((server, runFolder, engine))
        }
        var log: [String] = []
        for rig in rigs {
            #expect(await eventually(.seconds(90)) { rig.server.totalSubmissions >= 3 }, "\(rig.server.venue) never traded: \(rig.engine.text.suffix(2_000))")
        }
        // The faults one after the other, on all three venues at once.
        for fault in Self.faults {
            // Each fault starts with the private streams up (the one before may have left them reconnecting).
            for rig in rigs { _ = await eventually(.seconds(40)) { rig.server.authenticatedPrivateSessions >= 1 } }
            let before = rigs.map(\.server.totalSubmissions)
            for rig in rigs { fault.on(rig.server) }
            let servers = rigs.map(\.server)
            let dropper = fault.name == "WebSocket drops" ? Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(3))   // the fault: drop every 3 s
                    for server in servers { server.disconnectAll() }
                }
            } : nil
            for (n, rig) in rigs.enumerated() {
                let reached = await eventually(.seconds(60)) { rig.server.totalSubmissions >= before[n] + fault.orders }
                #expect(reached, "\(rig.server.venue) \(fault.name): no orders (\(rig.server.totalSubmissions - before[n])): \(rig.engine.text.suffix(2_000))")
            }
            dropper?.cancel()
            for rig in rigs { fault.off(rig.server) }
            log.append("\(fault.name): " + rigs.enumerated().map { "\($1.server.venue) +\($1.server.totalSubmissions - before[$0])" }.joined(separator: ", "))
        }
        // A quiet minute's tail: orders chased by query settle, then a graceful stop (which waits
        // for orders in flight).
        try await Task.sleep(for: .seconds(6))
        for rig in rigs { rig.engine.process.interrupt() }
        for rig in rigs {
            let status = await rig.engine.waitForExit(timeout: .seconds(60))
            #expect(status == 0, "\(rig.server.venue): \(rig.engine.text.suffix(3_000))")
        }
        for rig in rigs {
            let audit = try await VenueJournalAudit.run(server: rig.server, journalURL: "sqlite:\(rig.folder.path)/journal.sqlite")
            #expect(audit.problems.isEmpty, "\(rig.server.venue): \(audit.summary)\n\(audit.problems.joined(separator: "\n"))\n\(rig.engine.text.suffix(4_000))")
            #expect(audit.venueOrders >= 20, "\(rig.server.venue): \(audit.summary)")
            log.append("\(rig.server.venue): \(audit.summary), \(audit.problems.count) problems")
            let text = rig.engine.text
            if let line = text.split(separator: "\n").first(where: { $0.contains("live summary") }), let at = line.range(of: "live summary") {
                log.append(String(line[at.lowerBound...]))
            }
            #expect(text.contains("reply lost"), "\(rig.server.venue): no lost reply was noticed")
            #expect(text.contains("market: \(rig.server.venue) feed, live orders, no simulated market"), "\(rig.server.venue): \(text.prefix(3_000))")
            #expect(text.contains("fees from \(rig.server.venue) for 3 coins: maker 1.00 bps, taker 7.50 bps"), "\(rig.server.venue): the venue's fees were not used")
            #expect(text.contains("arrived after its final state"), "\(rig.server.venue): no late fill was applied")
            #expect(text.contains("periodic reconciliation"), "\(rig.server.venue): no periodic reconciliation ran")
            await rig.server.stop()
        }
        print("fault matrix:\n  " + log.joined(separator: "\n  "))
    }
}
