import Foundation
import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanJournal
import HuracanVenues
import HuracanTestSupport
import Logging
import Testing

/// Coins and clients for the live-trading tests against the fake venues.
enum LiveTestMarkets {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func instruments(_ venue: VenueID) -> [FakeInstrument] { FakeInstrument.sample(venue) }

    static func api(_ server: FakeVenueServer) -> VenueAPI { server.api(timeout: .seconds(5), logger: logger) }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}


/// `huracan run` on a real venue's protocol (a fake venue on 127.0.0.1), as a user starts it.
struct EngineProcess {
    let process: Process
    let output: URL

    /// A universe of BTC, ETH and XRP (rows of config/universe.csv) and a configuration that
    /// points `venue` at `server` and trades eagerly (any confidence, short scalps), so a
    /// minute-long run opens and closes trades once the features are warm (60 s).
    static func writeConfig(folder: URL, server: FakeVenueServer, journal: String? = nil, warmupSeconds: Double = 60, reconcileSeconds: Double = 60,
                            activeCoins: Int = 3) throws -> URL {
        let rows = try String(contentsOf: TestPaths.repository.appendingPathComponent("config/universe.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("rank,") || $0.contains(",BTC,") || $0.contains(",ETH,") || $0.contains(",XRP,") }
        let universe = folder.appendingPathComponent("universe.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: universe, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("engine.yaml")
        try """
        engine:
          active_coins: \(activeCoins)
          max_coins: 3
          data_dir: "\(folder.path)/data"
          universe_file: "\(universe.path)"
          message_bus:
            type: in_process
          model_registry:
            metadata_db: "sqlite:\(folder.path)/registry.sqlite"
          observability:
            prometheus:
              enabled: false
          cost_model:
            min_edge_after_cost_bps: -1000
          risk:
            max_consecutive_losses: 1000
            max_drawdown_pct: 100
            daily_loss_limit_pct: 100
            venue_error_rate_pct: 100
          strategy:
            entry_cooldown_seconds: 1
            warmup_seconds: \(warmupSeconds)
            runner:
              enabled: false
            scalp:
              min_confidence: 0
              timeout_seconds: 3
          live:
            journal_db: "\(journal ?? "sqlite:\(folder.path)/journal.sqlite")"
            reconcile_interval_seconds: \(reconcileSeconds)
          venues:
            \(server.venue.rawValue):
              testnet: false
              rest_url: \(server.restURL)
              ws_url: \(server.webSocketURL)
        """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The fake venue's instruments for the same three coins.
    static func instruments(_ venue: VenueID) throws -> [FakeInstrument] {
        FakeInstrument.fromUniverse(try universe(["BTC", "ETH", "XRP"]), venue: venue)
    }

    /// The rows of config/universe.csv for `coins`.
    static func universe(_ coins: [String]) throws -> Universe {
        let universe = try UniverseLoader.load(path: TestPaths.repository.appendingPathComponent("config/universe.csv").path)
        return Universe(instruments: universe.instruments.filter { coins.contains($0.coin) })
    }

    static func start(_ arguments: [String], server: FakeVenueServer, output: URL, environment extra: [String: String] = [:]) throws -> EngineProcess {
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        let prefix = "HURACAN_\(server.venue.rawValue.uppercased())_"
        environment[prefix + "API_KEY"] = server.credentials.apiKey
        environment[prefix + "API_SECRET"] = server.credentials.secret
        if let passphrase = server.credentials.passphrase { environment[prefix + "PASSPHRASE"] = passphrase }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return EngineProcess(process: process, output: output)
    }

    var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits without blocking a thread (the fake venue serves from this process).
    func waitForExit(timeout: Duration = .seconds(180)) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning, clock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }   // poll interval
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    /// The summary's "orders N" count.
    var ordersSent: Int? {
        guard let range = text.range(of: #"orders (\d+), rejects"#, options: .regularExpression) else { return nil }
        return Int(text[range].split(separator: " ")[1].dropLast())
    }
}


/// The journal held against the venue's own books after a run: every order the venue accepted is
/// journaled with the venue's final state and filled quantity, every venue fill is journaled,
/// positions are equal, no client order id was submitted twice, and the journal holds no more
/// orders than a small multiple of the venue's (no storms).
struct VenueJournalAudit {
    var problems: [String] = []
    var venueOrders = 0
    var venueFills = 0
    var journalOrders = 0
    var submissions = 0

    static func run(server: FakeVenueServer, journalURL: String, coins: [String] = ["BTC", "ETH", "XRP"]) async throws -> VenueJournalAudit {
        let venue = server.venue
        var audit = VenueJournalAudit()
        let journal = try await OrderJournal.open(url: journalURL, logger: LiveTestMarkets.logger)
        return try await awaitingStop({ try? await journal.close() }) {
            let orders = server.orders
            let fills = server.fills
            let journaled = Dictionary(try await journal.orders(venue: venue).map { ($0.clientOrderID, $0) }, uniquingKeysWith: { a, _ in a })
            let journalFills = try await journal.fills(venue: venue)
            audit.venueOrders = orders.count
            audit.venueFills = fills.count
            audit.journalOrders = journaled.count
            audit.submissions = server.totalSubmissions
            var journalFilled: [String: FixedDecimal] = [:]
            var journalFillCount: [String: Int] = [:]
            for f in journalFills {
                var id = f.fill.clientOrderID
                if id.isEmpty, let venueOrderID = f.venueOrderID { id = orders.first { String($0.orderID) == venueOrderID }?.clientOrderID ?? "" }
                journalFilled[id, default: .zero] += f.fill.quantity
                journalFillCount[id, default: 0] += 1
            }
            for order in orders where !order.clientOrderID.hasPrefix("manual") {
                let id = order.clientOrderID
                if server.submissions(clientOrderID: id) != 1 { audit.problems.append("\(id) submitted \(server.submissions(clientOrderID: id)) times") }
                guard let j = journaled[id] else {
                    audit.problems.append("\(id) (\(order.status), filled \(order.filled)) is at the venue but not in the journal")
                    continue
                }
                let statusMatches = j.status == order.status
                if !statusMatches || j.filledQuantity != order.filled {
                    audit.problems.append("\(id): venue \(order.status) filled \(order.filled), journal \(j.status) filled \(j.filledQuantity)")
                }
                let venueCount = fills.filter { $0.clientOrderID == id }.count
                if journalFillCount[id, default: 0] != venueCount || journalFilled[id, default: .zero] != order.filled {
                    audit.problems.append("\(id): venue \(venueCount) fills (\(order.filled)), journal \(journalFillCount[id, default: 0]) fills (\(journalFilled[id, default: .zero]))")
                }
            }
            // Orders the journal thinks reached the venue must be there.
            for (id, j) in journaled where j.origin == .engine && j.status != .rejected && j.status != .new && !orders.contains(where: { $0.clientOrderID == id }) {
                audit.problems.append("\(id) is journaled \(j.status) but the venue never had it")
            }
            let journalPositions = try await journal.positions(venue: venue)
            for instrument in FakeInstrument.fromUniverse(try EngineProcess.universe(coins), venue: venue) {
                let atVenue = server.position(symbol: instrument.symbol).quantity
                let inJournal = journalPositions[instrument.coin] ?? .zero
                if atVenue != inJournal { audit.problems.append("\(instrument.coin): venue position \(atVenue), journal \(inJournal)") }
            }
            if audit.journalOrders > 3 * max(audit.venueOrders, 1) + 10 {
                audit.problems.append("order storm: \(audit.journalOrders) journaled orders for \(audit.venueOrders) venue orders")
            }
            return audit
        }
    }

    var summary: String { "venue \(venueOrders) orders / \(venueFills) fills, journal \(journalOrders) orders, \(submissions) submissions" }
}
