import ArgumentParser
import Foundation
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

    /// Runs the command; an error that escapes is printed readably (file errors name the path and
    /// the reason) and sets the exit code: 64 for usage, the given code for `ExitCode`, else 1.
    static func main() async {
        do {
            let command = try parseAsRoot()
            if command is RunCommand || command is VenuesCommand.Fake {
                try await execute(command)   // their own service groups handle signals
            } else {
                // The command's own task parses the (same) arguments again: a parsed command is
                // not Sendable, so it cannot be handed over.
                try await CommandLifecycle.supervise(Task { try await execute(try parseAsRoot()) })
            }
        } catch {
            exit(withError: error is CocoaError ? ReadableFailure(message: ReadableError.describe(error)) : error)
        }
    }
}

extension Huracan {
    static func execute(_ command: sending any ParsableCommand) async throws {
        var command = command
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
}

/// An error whose text is already written for a person.
struct ReadableFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
