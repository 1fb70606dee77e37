import ArgumentParser
import Foundation
import HuracanRuntime

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Readiness of a running engine: database, message bus, exchange API, models, risk limits.",
        discussion: "Exits 0 when ready, 1 when not ready or no engine answers."
    )

    @OptionGroup var connection: RiskCommand.Connection
    @Flag(help: "Print the raw JSON.")
    var json = false

    func run() async throws {
        let (status, data) = try await EngineClient(base: connection.url).getWithStatus("/ready")
        if json {
            print(String(decoding: data, as: UTF8.self), terminator: "")
        } else if let report = try? JSONDecoder().decode(ReadinessReport.self, from: data) {
            print(report.render())
        } else {
            print(String(decoding: data, as: UTF8.self), terminator: "")
        }
        if status != 200 { throw ExitCode(1) }
    }
}
