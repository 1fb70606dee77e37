import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import Logging

struct WalkForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkforward",
        abstract: "Walk-forward evaluation on stored data: train per coin on each train window, backtest the following test window out of sample, trained models beside the baseline.",
        discussion: "Windows roll forward by --test: train [t, t+train), embargo, test [t+train+embargo, +test). The simulated data set works too: huracan data generate --data DIR --hours 48, then huracan walkforward --data DIR."
    )

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String?

    @Option(help: "Data lake with book tops, trades and funding (huracan data import or data generate).")
    var data: String

    @Option(help: "Coins, comma-separated (default: every stored coin).")
    var coins: String?

    @Option(help: "Train window, e.g. 7d, 12h.")
    var train = "7d"

    @Option(help: "Test window, e.g. 1d, 2h.")
    var test = "1d"

    @Option(help: "Gap between train and test windows, e.g. 1h (0 for none).")
    var embargo = "0"

    @Option(help: "Number of folds (default: as many as the data holds).")
    var folds: Int?

    @Option(help: "Trees per model.")
    var trees = 200

    @Option(help: "Working folder for each fold's features, models and registry (default: {data_dir}/walkforward).")
    var out: String?

    @Option(help: "Log level.")
    var logLevel = "warning"

    func run() async throws {
        let engineConfig = try loadOrExit(config)
        var options = WalkForward.Options(data: data, coins: coins.map { $0.split(separator: ",").map { String($0).uppercased() } },
                                          trainSeconds: try parseDuration(train), testSeconds: try parseDuration(test),
                                          out: out ?? URL(fileURLWithPath: engineConfig.dataDir).appendingPathComponent("walkforward").path)
        options.embargoSeconds = embargo == "0" ? 0 : try parseDuration(embargo)
        if let folds {
            guard folds >= 1 else { throw ValidationError("--folds must be at least 1") }
            options.folds = folds
        }
        guard trees >= 1 else { throw ValidationError("--trees must be at least 1") }
        options.trees = trees
        let logClock = SimulatedLogClock()
        options.logClock = logClock
        LoggingSystem.bootstrap { SimulatedTimeLogHandler(label: $0, clock: logClock) }
        var logger = Logger(label: "huracan")
        logger.logLevel = try parseLogLevel(logLevel)
        let folds: [WalkForward.Fold]
        do {
            folds = try await WalkForward.run(config: engineConfig, options: options, logger: logger) { printError($0) }
        } catch {
            printError(ReadableError.describe(error))
            throw ExitCode(1)
        }
        print(WalkForward.render(folds))
    }
}
