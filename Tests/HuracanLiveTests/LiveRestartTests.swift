import Foundation
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanJournal
import HuracanTestSupport
import HuracanVenues
import Testing

/// `kill -9` during a live run against each fake venue, with an order whose reply never came,
/// then a restart: reconciliation settles the journal with the venue, an order placed by hand
/// meanwhile is cancelled, positions left open are closed, and no order is ever sent twice.
@Suite(.serialized) struct LiveRestartTests {
    @Test func killNineThenRestartReconcilesWithoutDuplicateOrders() async throws {
        let folder = TestPaths.temporaryDirectory("live-restart")
        var rigs: [(server: FakeVenueServer, folder: URL, config: URL, engine: EngineProcess)] = []
        defer { for rig in rigs where rig.engine.process.isRunning { rig.engine.process.terminate() } }
        for venue in VenueID.allCases {
            let server = FakeVenueServer(venue: venue, instruments: try EngineProcess.instruments(venue), tickInterval: .milliseconds(100))
            try await server.start()
            let runFolder = folder.appendingPathComponent("\(venue)")
            try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
            let config = try EngineProcess.writeConfig(folder: runFolder, server: server)
            let engine = try EngineProcess.start(["run", "-c", config.path, "--mode", "live", "--venue", venue.rawValue, "--confirm-live", "--log-level", "info"],
                                                 server: server, output: runFolder.appendingPathComponent("first.txt"))
            rigs.append((server, runFolder, config, engine))
        }
        // Trading has begun (features warm after a minute): the venues then accept orders but
        // hold their replies, and each engine is killed right after its next order arrives.
        for rig in rigs {
            #expect(await eventually(.seconds(150)) { rig.server.totalSubmissions >= 4 }, "\(rig.server.venue): \(rig.engine.text.suffix(2_000))")
            rig.server.faults {
                $0.delayAcceptedOrderReplies = 1_000
                $0.acceptedReplyDelay = .seconds(60)
            }
        }
        var killedAfter: [VenueID: Int] = [:]
        for rig in rigs {
            let before = rig.server.totalSubmissions
            #expect(await eventually(.seconds(60)) { rig.server.totalSubmissions > before })
            kill(rig.engine.process.processIdentifier, SIGKILL)
            killedAfter[rig.server.venue] = rig.server.totalSubmissions
        }
        var restarted: [(server: FakeVenueServer, folder: URL, engine: EngineProcess, manual: String)] = []
        for rig in rigs {
            _ = await rig.engine.waitForExit(timeout: .seconds(10))
            rig.server.faults { $0 = FakeVenueFaults() }
            // Placed by hand while the engine was down: unknown to the journal.
            let symbol = try #require(try EngineProcess.instruments(rig.server.venue).first { $0.coin == "ETH" }).symbol
            let (bid, _) = try #require(rig.server.bestBidAsk(symbol: symbol))
            let manual = "manual\(rig.server.venue.rawValue)"
            _ = rig.server.placeDirect(clientOrderID: manual, symbol: symbol, side: .buy, type: .limit, quantity: rig.server.venue == .okx ? 1 : FixedDecimal(units: 1, exponent: 1),
                                       price: (bid * FixedDecimal(units: 8, exponent: 1)).rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 2), .down))
            let engine = try EngineProcess.start(["run", "-c", rig.config.path, "--mode", "live", "--venue", rig.server.venue.rawValue, "--confirm-live",
                                                  "--duration", "12s", "--log-level", "notice"],
                                                 server: rig.server, output: rig.folder.appendingPathComponent("second.txt"))
            restarted.append((rig.server, rig.folder, engine, manual))
        }
        for rig in restarted {
            let venue = rig.server.venue
            let status = await rig.engine.waitForExit(timeout: .seconds(90))
            let text = rig.engine.text
            #expect(status == 0, "\(venue): \(text.suffix(3_000))")
            #expect(text.contains("reconciliation"), "\(venue): \(text.suffix(2_000))")
            // No order was ever sent twice, across both runs.
            let orders = rig.server.orders
            #expect(orders.allSatisfy { rig.server.submissions(clientOrderID: $0.clientOrderID) == 1 }, "\(venue)")
            #expect(orders.count > killedAfter[venue] ?? 0 || orders.count >= 4)
            // The order placed by hand was cancelled by the reconciliation (policy cancel).
            #expect(rig.server.order(clientOrderID: rig.manual)?.status == .cancelled, "\(venue): \(text.suffix(2_000))")
            let journal = try await OrderJournal.open(url: "sqlite:\(rig.folder.path)/journal.sqlite")
            // Every order of the killed run is settled (the held reply included).
            let unfinished = try await journal.unfinishedOrders(venue: venue)
            #expect(unfinished.isEmpty, "\(venue): \(unfinished.map { "\($0.clientOrderID) \($0.status)" })")
            // The journal's positions equal the venue's, and positions left by the killed run were closed.
            let api = rig.server.api()
            let venuePositions = try await api.positions()
            let journalPositions = try await journal.positions(venue: venue)
            for coin in ["BTC", "ETH", "XRP"] {
                let atVenue = venuePositions.first { api.directory.coin($0.symbol) == coin }?.quantity ?? .zero
                #expect((journalPositions[coin] ?? .zero) == atVenue, "\(venue) \(coin): journal \(journalPositions[coin] ?? .zero), venue \(atVenue)")
                #expect(atVenue.isZero, "\(venue) \(coin) left open: \(atVenue)")
            }
            // Every order at the venue is in the journal (the manual one adopted into it as cancelled or recorded).
            for order in orders where order.clientOrderID != rig.manual {
                #expect(try await journal.order(clientOrderID: order.clientOrderID) != nil, "\(venue): \(order.clientOrderID) missing from the journal")
            }
            try await journal.close()
            await rig.server.stop()
        }
    }
}
