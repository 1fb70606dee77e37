import ArgumentParser
import Foundation
import HuracanConfig
import HuracanRuntime

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Inspect and control the risk of a running engine.",
        subcommands: [Status.self, KillSwitch.self]
    )

    struct Connection: ParsableArguments {
        @Option(help: "The running engine's HTTP address (engine.observability.prometheus.port).")
        var url = "http://127.0.0.1:9090"
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exposure against limits by coin, sector, exchange and global; breaker states; the active set.")

        @OptionGroup var connection: Connection
        @Flag(help: "Print the raw JSON.")
        var json = false

        func run() async throws {
            let data = try await EngineClient(base: connection.url).get("/risk")
            if json {
                print(String(decoding: data, as: UTF8.self), terminator: "")
                return
            }
            guard let report = try? JSONDecoder().decode(RiskReport.self, from: data) else {
                throw ValidationError("the engine is still starting; try again in a second")
            }
            print(report.render())
        }
    }

    struct KillSwitch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kill-switch",
            abstract: "Stop all new entries (on) or allow them again (off); exits always continue.",
            discussion: "Needs the admin token in the variable named by engine.observability.admin_token_env (HURACAN_ADMIN_TOKEN).")

        @Argument(help: "on or off")
        var state: String
        @OptionGroup var connection: Connection
        @Option(help: "Environment variable holding the admin token.")
        var tokenEnv = "HURACAN_ADMIN_TOKEN"

        func run() async throws {
            guard state == "on" || state == "off" else { throw ValidationError("say on or off, not \(state)") }
            let token = ProcessInfo.processInfo.environment[tokenEnv]
            guard let token, !token.isEmpty else { throw ValidationError("set \(tokenEnv) to the engine's admin token") }
            let data = try await EngineClient(base: connection.url).post("/admin/kill-switch", json: "{\"on\": \(state == "on")}", token: token)
            print(String(decoding: data, as: UTF8.self), terminator: "")
        }
    }
}
