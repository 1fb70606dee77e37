import ArgumentParser
import HuracanConfig
import HuracanRuntime

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check, show and document the configuration.",
        subcommands: [Check.self, Show.self, Reference.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file (with environment overrides); list every problem.")

        @Argument(help: "The YAML file to check.")
        var file: String

        func run() throws {
            let config = try loadOrExit(file)
            do {
                _ = try UniverseLoader.load(for: config)
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            print("\(file): ok (\(config.activeCoins) of \(config.maxCoins) coins active, mode \(config.mode.rawValue), bus \(config.messageBus.type))")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration (defaults < file < environment), secrets redacted.")

        @Argument(help: "The YAML file; the embedded defaults when omitted.")
        var file: String?

        func run() throws {
            print(ConfigRenderer.yaml(try loadOrExit(file)), terminator: "")
        }
    }

    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the reference of every configuration key as Markdown.")

        func run() { print(ConfigRenderer.reference(), terminator: "") }
    }
}

/// Loads configuration or prints every problem and exits with status 1.
/// Runs start-up checks: a failure is printed (what is wrong, where, the fix) and exits 1
/// before any work starts.
func startupCheck(_ checks: () throws(StartupChecks.Failure) -> Void) throws {
    do {
        try checks()
    } catch {
        printError("error: \(error.message)")
        throw ExitCode(1)
    }
}

func loadOrExit(_ file: String?) throws -> EngineConfig {
    do {
        return try ConfigLoader().load(path: file)
    } catch {
        printError("\(file ?? "embedded default.yaml"): \(error)")
        throw ExitCode(1)
    }
}
