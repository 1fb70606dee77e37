import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanRuntime
import Logging

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run the same core on the simulated market, or on stored data with --data, with a simulated clock, as fast as possible.",
        discussion: "The same seed and configuration give identical trades. With --data DIR the data lake's book tops, trades and funding of --coins are merged in time order across coins and replayed; --report writes an HTML report."
    )

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String?

    @Option(help: "Seed of the simulated market (default: engine.simulator.seed).")
    var seed: Int?

    @Option(help: "First day, YYYY-MM-DD (default: engine.simulator.start_date).")
    var from: String?

    @Option(help: "Day after the last, YYYY-MM-DD (default: one day after --from).")
    var to: String?

    @Option(help: "Log level: trace, debug (every throttle and block with its reason), info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: "A number overrides engine.active_coins; with --data, coin names (BTC,ETH,...; default: every stored coin).")
    var coins: String?

    @Option(help: "Backtest on the data lake in this directory instead of the simulated market.")
    var data: String?

    @Option(help: "Write an HTML report (equity curve, drawdown, tables) to this file.")
    var report: String?

    @Option(help: "Write every closed trade as CSV to this file.")
    var trades: String?

    @Flag(help: "With --data: step every coin through every 100 ms step (the slower reference path; same trades).")
    var stepEveryCoin = false

    func run() async throws {
        var engineConfig = try loadOrExit(config)
        if let seed { engineConfig.simulator.seed = seed }
        var coinNames: [String]?
        if let coins {
            if let count = Int(coins) {
                guard (1...engineConfig.maxCoins).contains(count) else { throw ValidationError("--coins must be between 1 and \(engineConfig.maxCoins)") }
                engineConfig.activeCoins = count
            } else {
                coinNames = coins.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces).uppercased() }
                guard data != nil else { throw ValidationError("--coins with names needs --data (stored data)") }
            }
        }
        guard let start = UTCDate(parsing: from ?? engineConfig.simulator.startDate) else {
            throw ValidationError("--from must be a date YYYY-MM-DD, got \(from ?? "")")
        }
        let end: UTCDate
        if let to {
            guard let parsed = UTCDate(parsing: to) else { throw ValidationError("--to must be a date YYYY-MM-DD, got \(to)") }
            end = parsed
        } else {
            end = UTCDate(daysSinceEpoch: start.daysSinceEpoch + 1)
        }
        guard end > start else { throw ValidationError("--to (\(end)) must be after --from (\(start))") }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "huracan")
        logger.logLevel = logLevel == "info" ? .notice : try parseLogLevel(logLevel)
        let clock = ContinuousClock()
        let began = clock.now
        let total = Double(end.start.nanoseconds - start.start.nanoseconds)
        if let data {
            let run: EngineRunner.StoredRun
            do {
                run = try EngineRunner.backtest(config: engineConfig, data: data, coins: coinNames, from: start.start, to: end.start, logger: logger,
                                               stepEveryCoin: stepEveryCoin) { status in
                    let done = Double(status.engineTime.nanoseconds - start.start.nanoseconds) / total
                    FileHandle.standardError.write(Data("backtest \(Int(done * 100))% at \(status.engineTime), \(Int(status.eventsPerSecond)) events/s, \(status.closedTrades) trades\n".utf8))
                }
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            let elapsed = clock.now - began
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("backtest on \(data) \(start) to \(end), \(run.coins.count) coins, \(run.files) files: \(run.events) stored events in \(String(format: "%.2f", seconds))s (\(Int(Double(run.events) / max(seconds, 1e-9))) events/s), at most \(run.maxBufferedEvents) events in memory")
            print(run.summary.render())
            let report = BacktestReport(title: "Backtest \(run.coins.joined(separator: ", ")) \(start) to \(end)", summary: run.summary, trades: run.trades,
                                        from: start.start, to: end.start)
            print(report.renderText())
            if let path = self.report {
                try report.renderHTML().write(toFile: path, atomically: true, encoding: .utf8)
                print("report written to \(path)")
            }
            if let trades {
                try TradeCSV.write(run.trades, to: trades)
                print("trades written to \(trades)")
            }
            return
        }
        // The registry's active models, as `huracan run` uses them (none: baseline models).
        var models: [String: any Model] = [:]
        if let registry = try await RegistryConnection.openIfPresent(engineConfig, logger: logger) {
            let baseline = try BaselineModelLoader.load(path: engineConfig.strategy.modelFile)
            for (coin, loaded) in try await RegistryConnection.loadActive(registry, fallback: baseline, logger: logger) { models[coin] = loaded.set }
            try? await registry.close()
            if !models.isEmpty { printError("trained models from the registry for \(models.count) coins") }
        }
        let (summary, closed) = try EngineRunner.backtest(config: engineConfig, from: start.start, to: end.start, logger: logger, models: models) { status in
            let done = Double(status.engineTime.nanoseconds - start.start.nanoseconds) / total
            FileHandle.standardError.write(Data("backtest \(Int(done * 100))% at \(status.engineTime), \(Int(status.eventsPerSecond)) events/s, \(status.closedTrades) trades\n".utf8))
        }
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("backtest \(start) to \(end), seed \(engineConfig.simulator.seed), \(engineConfig.activeCoins) coins: \(summary.events) events in \(String(format: "%.1f", seconds))s (\(Int(Double(summary.events) / max(seconds, 1e-9))) events/s)")
        print(summary.render())
        if let trades {
            try TradeCSV.write(closed, to: trades)
            print("trades written to \(trades)")
        }
    }
}
