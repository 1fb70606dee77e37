import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Trade in real time with a live terminal view: on paper (simulated or live market data) or live.",
        discussion: """
        Uses the embedded defaults when --config is not given: 20 of 400 coins on the simulated venue.
        --mode paper --venue binance|okx|bybit trades on paper against the venue's live public feed
        (no keys needed). --mode live sends real orders: it needs the venue's API keys (from the
        environment variables or files named in engine.venues.<venue>) and --confirm-live; it
        reconciles open orders, positions and fills with the order journal before trading.
        engine.venues.<venue>.testnet switches to the venue's testnet/demo endpoints.
        Ctrl-C or SIGTERM stops cleanly and prints a summary per style. SIGHUP re-reads the config
        file and applies active_coins and max_active_trades without a restart.
        """
    )

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String?

    @Option(help: "Stop after this long, e.g. 90s, 10m, 2h.")
    var duration: String?

    @Option(help: "Log level: trace, debug (every throttle and block with its reason), info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: "Override engine.active_coins.")
    var coins: Int?

    @Option(help: "Run as process I of N (e.g. 2/4; 1-based) beside other engine processes sharing Redis: overrides engine.process_index and process_count.")
    var process: String?

    @Option(help: "paper or live; overrides engine.mode.")
    var mode: String?

    @Option(help: "Trade on this real venue (binance, okx, bybit) instead of the simulated one; live mode defaults to engine.live.venue.")
    var venue: String?

    @Flag(help: "Required with --mode live: confirms that real orders with real money are intended.")
    var confirmLive = false

    func run() async throws {
        var engineConfig = try loadOrExit(config)
        if let mode {
            guard let parsed = RunMode(rawValue: mode), parsed != .backtest else {
                throw ValidationError("--mode \(mode): use paper or live (backtests run with huracan backtest)")
            }
            engineConfig.mode = parsed
        }
        if let coins { engineConfig.activeCoins = coins }
        if let process {
            let parts = process.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
                throw ValidationError("--process \(process): use I/N with 1 <= I <= N, e.g. 2/4")
            }
            engineConfig.processIndex = parts[0] - 1
            engineConfig.processCount = parts[1]
            if parts[1] > 1, engineConfig.messageBus.type != "redis_streams" {
                throw ValidationError("--process \(process): engine processes share their risk ledger through Redis; set engine.message_bus.type: redis_streams")
            }
        }
        let seconds = try duration.map(parseDuration)
        guard engineConfig.mode != .backtest else {
            throw ValidationError("engine.mode is backtest: use huracan backtest, or --mode paper|live")
        }
        let venueName = venue ?? (engineConfig.mode == .live ? engineConfig.live.venue : nil)
        let venueID = try venueName.map { name in
            guard let id = VenueID(rawValue: name.lowercased()) else { throw ValidationError("--venue \(name): use binance, okx or bybit") }
            return id
        }
        if engineConfig.mode == .live {
            guard confirmLive else {
                throw ValidationError("--mode live sends real orders with real money; add --confirm-live to proceed (or use --mode paper --venue \(venueID?.rawValue ?? "binance"))")
            }
        }
        if venueID != nil, engineConfig.processCount > 1 {
            throw ValidationError("a run on a real venue is one process per account (its start-up reconciliation owns every open order); set process_count: 1 or leave out --process")
        }
        try startupCheck { () throws(StartupChecks.Failure) in try StartupChecks.forRun(engineConfig) }
        // Warnings also stay on the live screen, which redraws every second.
        let warnings = RecentWarnings()
        LoggingSystem.bootstrap { WarningRecordingLogHandler(StreamLogHandler.standardError(label: $0), warnings: warnings) }
        var logger = Logger(label: "huracan")
        logger.logLevel = try parseLogLevel(logLevel)
        let view = StatusView(warnings: warnings)
        let summary: RunSummary
        if let venueID {
            let live = engineConfig.mode == .live
            let options = EngineRunner.LiveOptions(venue: venueID, sendsOrders: live, credentials: live ? try EngineRunner.credentials(venueID, config: engineConfig) : nil)
            summary = try await EngineRunner.live(config: engineConfig, options: options, configPath: config, duration: seconds, view: view, logger: logger)
        } else {
            summary = try await EngineRunner.paper(config: engineConfig, configPath: config, duration: seconds, view: view, logger: logger)
        }
        print("\n" + summary.render())
    }
}

func parseLogLevel(_ text: String) throws -> Logger.Level {
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
        throw ValidationError("unknown log level \(text); use trace, debug, info, notice, warning, error or critical")
    }
    return level
}

/// "90s", "10m", "2h", "1d" or plain seconds.
func parseDuration(_ text: String) throws -> Double {
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
    if let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()), value > 0 { return value * scale }
    if let value = Double(text), value > 0 { return value }
    throw ValidationError("invalid duration \"\(text)\": use e.g. 90s, 10m, 2h")
}
