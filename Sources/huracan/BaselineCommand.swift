import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Fit the built-in baseline model to the simulated market.",
        subcommands: [Fit.self]
    )

    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regress forward returns on the streaming features and write the model file.")

        @Option(name: .shortAndLong, help: "Configuration file (YAML).")
        var config: String?
        @Option(help: "Coins to sample (most liquid first).")
        var coins = 40
        @Option(help: "Simulated hours per coin.")
        var hours = 12.0
        @Option(help: "Forward horizon in seconds (default: engine.strategy.scalp.timeout_seconds, how long a scalp lasts at most).")
        var horizon: Double?
        @Option(help: "Seed of the simulated market used for fitting (use another than for testing).")
        var seed = 1_000
        @Option(help: "Where to write the model JSON (default: print it).")
        var out: String?

        func run() throws {
            let engineConfig = try loadOrExit(config)
            let universe = try UniverseLoader.load(for: engineConfig)
            let venues = engineConfig.simulator.venues.compactMap(VenueID.init(rawValue:))
            let start = UTCDate(parsing: engineConfig.simulator.startDate)!.start
            guard let result = BaselineFitter.fit(universe: universe, seed: UInt64(seed), start: start, coins: min(coins, universe.count),
                                                  hours: hours, horizonSeconds: horizon ?? engineConfig.strategy.scalp.timeoutSeconds, venues: venues,
                                                  updateIntervalMs: engineConfig.simulator.updateIntervalMs,
                                                  progress: { FileHandle.standardError.write(Data("fitting \(Int($0 * 100))%\n".utf8)) }) else {
                throw ValidationError("not enough data to fit: raise --hours or --coins")
            }
            let text = BaselineFitter.json(result.model)
            FileHandle.standardError.write(Data("rows \(result.rows), R^2 \(String(format: "%.4f", result.rSquared)), hit rate \(String(format: "%.3f", result.hitRate)) over \(result.confidentRows) rows with |edge| >= 10 bps\n".utf8))
            if let out {
                try text.write(toFile: out, atomically: true, encoding: .utf8)
                print("model written to \(out)")
            } else {
                print(text, terminator: "")
            }
        }
    }
}
