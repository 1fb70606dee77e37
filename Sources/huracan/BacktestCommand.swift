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
        abstract: "Run the same core on the simulated market with a simulated clock, as fast as possible.",
        discussion: "The same seed and configuration give identical trades."
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

    @Option(help: "Override engine.active_coins.")
    var coins: Int?

    @Option(help: "Write every closed trade as CSV to this file.")
    var trades: String?

    func run() async throws {
        var engineConfig = try loadOrExit(config)
        if let seed { engineConfig.simulator.seed = seed }
        if let coins {
            guard (1...engineConfig.maxCoins).contains(coins) else { throw ValidationError("--coins must be between 1 and \(engineConfig.maxCoins)") }
            engineConfig.activeCoins = coins
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
        // The registry's active models, as `huracan run` uses them (none: baseline models).
        var models: [String: any Model] = [:]
        if let registry = try await RegistryConnection.openIfPresent(engineConfig, logger: logger) {
            let baseline = try BaselineModelLoader.load(path: engineConfig.strategy.modelFile)
            for (coin, loaded) in try await RegistryConnection.loadActive(registry, fallback: baseline, logger: logger) { models[coin] = loaded.set }
            try? await registry.close()
            if !models.isEmpty { printError("trained models from the registry for \(models.count) coins") }
        }
        let (summary, closed) = try EngineRunner.backtest(config: engineConfig, from: start.start, to: end.start, logger: logger, models: models) { status in
            let done = Double(status.simulatedTime.nanoseconds - start.start.nanoseconds) / total
            FileHandle.standardError.write(Data("backtest \(Int(done * 100))% at \(status.simulatedTime), \(Int(status.eventsPerSecond)) events/s, \(status.closedTrades) trades\n".utf8))
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
