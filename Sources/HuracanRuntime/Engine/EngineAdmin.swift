import Foundation
import HuracanHTTP
import Logging

/// Connects the admin interface to a running engine.
struct EngineAdmin: AdminBackend {
    let engine: EngineHandle
    let maxCoins: Int
    let maxConcurrentTrades: Int
    var health: HealthChecks?

    func statusJSON() -> String { encode(engine.telemetry.latestStatus) }

    func riskJSON() -> String { encode(engine.telemetry.latestRiskReport) }

    func metricsText() -> String { engine.telemetry.metricsText }

    func readiness() -> (ready: Bool, json: String) {
        guard let health, var report = health.report else { return (false, "{\"ready\": false, \"message\": \"starting\"}\n") }
        // The engine's own state (kill switch, HALTED or REDUCING, models) as of this request,
        // not the last round of checks.
        let fresh = health.engineChecks()
        report.checks.removeAll { check in fresh.contains { $0.name == check.name } }
        report.checks += fresh
        report.ready = report.checks.allSatisfy { $0.status != .failing }
        return (report.ready, encode(report))
    }

    private func encode<Value: Encodable>(_ value: Value?) -> String {
        guard let value else { return "{\"message\": \"starting\"}\n" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    func scale(activeCoins: Int?, maxActiveTrades: Int?) throws(AdminError) -> String {
        if let activeCoins, !(1...maxCoins).contains(activeCoins) {
            throw AdminError("active_coins must be between 1 and max_coins (\(maxCoins)), got \(activeCoins)")
        }
        if let maxActiveTrades, !(1...maxConcurrentTrades).contains(maxActiveTrades) {
            throw AdminError("max_active_trades must be between 1 and max_concurrent_trades (\(maxConcurrentTrades)), got \(maxActiveTrades)")
        }
        engine.control.request(.init(activeCoins: activeCoins, maxActiveTrades: maxActiveTrades))
        let parts = [activeCoins.map { "active_coins -> \($0)" }, maxActiveTrades.map { "max_active_trades -> \($0)" }].compactMap { $0 }
        engine.logger.notice("admin call: \(parts.joined(separator: ", "))")
        return "applied at the next round: " + parts.joined(separator: ", ")
    }

    func setKillSwitch(_ on: Bool) -> String {
        engine.control.setKillSwitch(on)
        engine.logger.notice("admin call: kill switch \(on ? "on: no new entries" : "off")")
        return on ? "kill switch on: no new entries, exits continue" : "kill switch off"
    }
}
