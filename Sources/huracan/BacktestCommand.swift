import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanRuntime
import HuracanStorage
import Logging

struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run the same core on the simulated market, or on stored data with --data, with a simulated clock, as fast as possible.",
        discussion: "The same seed (or stored data) and configuration give identical trades, on any number of --threads. With --data DIR the data lake's book tops, trades and funding of --coins are replayed, each coin's in time order, read ahead on one more thread; --report writes an HTML report."
    )

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String?

    @Option(help: "Seed of the simulated market (default: engine.simulator.seed).")
    var seed: Int?

    @Option(help: "Start: a date YYYY-MM-DD or an instant YYYY-MM-DDTHH:MM[:SS[.fff]]Z (default: engine.simulator.start_date; with --data the first stored event).")
    var from: String?

    @Option(help: "End, exclusive: a date or instant as --from (default: one day after --from; with --data just after the last stored event).")
    var to: String?

    @Option(help: "Log level: trace, debug (every throttle and block with its reason), info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: "A number overrides engine.active_coins; with --data, coin names (BTC,ETH,...; default: every stored coin).")
    var coins: String?

    @Option(help: "Backtest on the data lake in this directory instead of the simulated market.")
    var data: String?

    @Option(help: "Write an HTML report (equity curve, drawdown, tables) to this file.")
    var report: String?

    @Option(help: "Write the equity sampled every engine.simulator.equity_interval_seconds (marked to market) as CSV (time,equity) to this file.")
    var equity: String?

    @Option(help: "Write every closed trade as CSV to this file.")
    var trades: String?

    @Flag(help: "With --data: step every coin through every 100 ms step (the slower reference path; same trades).")
    var stepEveryCoin = false

    @Option(help: "Threads for the shards (default: engine.threads, one per core); the trades are the same for any number.")
    var threads: Int?

    func run() async throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
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
        let (start, end) = try range(config: engineConfig, coins: coinNames)
        // The files asked for are checked before the run, not after it.
        try startupCheck { () throws(StartupChecks.Failure) in
            for (option, path) in [("--report", report), ("--equity", equity), ("--trades", trades)] {
                if let path { try StartupChecks.writableFile(path, option: option) }
            }
        }
        // Log lines carry the simulated time of what they report.
        let logClock = SimulatedLogClock()
        LoggingSystem.bootstrap { SimulatedTimeLogHandler(label: $0, clock: logClock) }
        var logger = Logger(label: "huracan")
        logger.logLevel = logLevel == "info" ? .notice : try parseLogLevel(logLevel)
        let clock = ContinuousClock()
        let began = clock.now
        let total = Double(end.nanoseconds - start.nanoseconds)
        // Closed trades are tallied for the report and written to --trades as they close, not kept.
        let sink = try BacktestTradeSink(csvPath: trades)
        defer { sink.discard() }
        if let data {
            let run: EngineRunner.StoredRun
            do {
                run = try EngineRunner.backtest(config: engineConfig, data: data, coins: coinNames, from: start, to: end, logger: logger,
                                               stepEveryCoin: stepEveryCoin, threads: threads, logClock: logClock, tradeSink: sink) { status in
                    let done = Double(status.engineTime.nanoseconds - start.nanoseconds) / total
                    FileHandle.standardError.write(Data("backtest \(Int(done * 100))% at \(status.engineTime), \(Int(status.eventsPerSecond)) events/s, \(status.closedTrades) trades\n".utf8))
                }
            } catch {
                printError(ReadableError.describe(error))
                throw ExitCode(1)
            }
            let elapsed = clock.now - began
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("backtest on \(data) \(start) to \(end), \(run.coins.count) coins, \(run.files) files: \(run.events) stored events in \(String(format: "%.2f", seconds))s (\(Int(Double(run.events) / max(seconds, 1e-9))) events/s), at most \(run.maxBufferedEvents) events in memory")
            let provenance = ReportProvenance(config: engineConfig, data: "stored data \(data) (\(run.files) files, coins \(Self.coinList(run.coins)))", seed: nil,
                                              models: [:], baselineModel: try BaselineModelLoader.load(path: engineConfig.strategy.modelFile).name)
            try writeResults(title: "Backtest: \(run.coins.count) coins on stored data, \(BacktestReport.period(from: start, to: end)), strategy \(provenance.strategy)", summary: run.summary,
                             trades: sink, from: start, to: end, provenance: provenance)
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
        let (summary, _) = try EngineRunner.backtest(config: engineConfig, from: start, to: end, logger: logger, models: models,
                                                     threads: threads, logClock: logClock, tradeSink: sink) { status in
            let done = Double(status.engineTime.nanoseconds - start.nanoseconds) / total
            FileHandle.standardError.write(Data("backtest \(Int(done * 100))% at \(status.engineTime), \(Int(status.eventsPerSecond)) events/s, \(status.closedTrades) trades\n".utf8))
        }
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("backtest \(start) to \(end), seed \(engineConfig.simulator.seed), \(engineConfig.activeCoins) coins: \(summary.events) events in \(String(format: "%.1f", seconds))s (\(Int(Double(summary.events) / max(seconds, 1e-9))) events/s)")
        let provenance = ReportProvenance(config: engineConfig, data: "simulated market", seed: engineConfig.simulator.seed,
                                          models: models.mapValues(\.name), baselineModel: try BaselineModelLoader.load(path: engineConfig.strategy.modelFile).name)
        try writeResults(title: "Backtest: \(engineConfig.activeCoins) coins on the simulated market, \(BacktestReport.period(from: start, to: end)), strategy \(provenance.strategy)",
                         summary: summary, trades: sink, from: start, to: end, provenance: provenance)
    }

    /// The summary and report on the terminal, then the files asked for.
    private func writeResults(title: String, summary: RunSummary, trades sink: BacktestTradeSink, from start: Timestamp, to end: Timestamp,
                              provenance: ReportProvenance) throws {
        let tally = try sink.finish()
        print(summary.render())
        var report = BacktestReport(title: title, summary: summary, tally: tally, from: start, to: end)
        report.provenance = provenance
        print(report.renderText())
        if let path = self.report {
            try report.renderHTML().write(toFile: path, atomically: true, encoding: .utf8)
            print("report written to \(path)")
        }
        if let equity {
            try summary.equity.csv().write(toFile: equity, atomically: true, encoding: .utf8)
            print("equity (\(summary.equity.points.count) samples every \(String(format: "%g", summary.equity.intervalSeconds)) s) written to \(equity)")
        }
        if let trades { print("trades written to \(trades)") }
    }

    /// "BTC, ETH, SOL and 377 more".
    static func coinList(_ coins: [String]) -> String {
        coins.count <= 5 ? coins.joined(separator: ", ") : coins.prefix(3).joined(separator: ", ") + " and \(coins.count - 3) more"
    }

    /// The backtest's time range from --from/--to, the configured start date, or the stored data's span.
    private func range(config: EngineConfig, coins: [String]?) throws -> (Timestamp, Timestamp) {
        func instant(_ text: String, _ option: String) throws -> Timestamp {
            guard let t = Timestamp(parsingInstant: text) else {
                throw ValidationError("\(option) must be a date YYYY-MM-DD or an instant like 2026-01-01T12:30:00Z, got \(text)")
            }
            return t
        }
        var start = try from.map { try instant($0, "--from") }
        var end = try to.map { try instant($0, "--to") }
        if let data, start == nil || end == nil {
            // The stored data's own span.
            guard let span = try StoredMarketReplay.span(lake: DataLake(path: data), coins: coins.map(Set.init)) else {
                throw ValidationError("no book, trade or funding data under \(data)\(coins.map { " for " + $0.joined(separator: ",") } ?? "")")
            }
            start = start ?? span.from
            end = end ?? max(span.to, start! + .nanoseconds(1))
        }
        let from = try start ?? instant(config.simulator.startDate, "engine.simulator.start_date")
        let to = end ?? from + .seconds(86_400)
        guard to > from else { throw ValidationError("--to (\(to)) must be after --from (\(from))") }
        return (from, to)
    }
}
