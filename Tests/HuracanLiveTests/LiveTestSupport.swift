import Foundation
import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
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
    static func writeConfig(folder: URL, server: FakeVenueServer, journal: String? = nil) throws -> URL {
        let rows = try String(contentsOf: TestPaths.repository.appendingPathComponent("config/universe.csv"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("rank,") || $0.contains(",BTC,") || $0.contains(",ETH,") || $0.contains(",XRP,") }
        let universe = folder.appendingPathComponent("universe.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: universe, atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("engine.yaml")
        try """
        engine:
          active_coins: 3
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
          strategy:
            entry_cooldown_seconds: 1
            runner:
              enabled: false
            scalp:
              min_confidence: 0
              timeout_seconds: 3
          live:
            journal_db: "\(journal ?? "sqlite:\(folder.path)/journal.sqlite")"
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
        let universe = try UniverseLoader.load(path: TestPaths.repository.appendingPathComponent("config/universe.csv").path)
        let three = Universe(instruments: universe.instruments.filter { ["BTC", "ETH", "XRP"].contains($0.coin) })
        return FakeInstrument.fromUniverse(three, venue: venue)
    }

    static func start(_ arguments: [String], server: FakeVenueServer, output: URL) throws -> EngineProcess {
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        let prefix = "HURACAN_\(server.venue.rawValue.uppercased())_"
        environment[prefix + "API_KEY"] = server.credentials.apiKey
        environment[prefix + "API_SECRET"] = server.credentials.secret
        if let passphrase = server.credentials.passphrase { environment[prefix + "PASSPHRASE"] = passphrase }
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
        while process.isRunning, clock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
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
