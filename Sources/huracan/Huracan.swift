import ArgumentParser
import HuracanRuntime

/// The `huracan` command line: a thin layer that parses, loads config and calls the runtime.
@main
struct Huracan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huracan",
        abstract: "Trade crypto perpetuals across Binance, OKX and Bybit with per-coin models.",
        discussion: "Runs on embedded defaults with no servers: `huracan run` paper-trades 20 coins on the simulated venue.",
        version: EngineVersion.current,
        subcommands: [RunCommand.self, BacktestCommand.self, BenchCommand.self, BaselineCommand.self, ModelsCommand.self, RiskCommand.self, HealthCommand.self, ConfigCommand.self, UniverseCommand.self, VenuesCommand.self, DataCommand.self, WalkForwardCommand.self, ConsumeCommand.self, BusBenchCommand.self]
    )
}
