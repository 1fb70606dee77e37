import Foundation
import HuracanConfig
import HuracanCore
import Synchronization

/// One readiness check: the spec's database, message bus, exchange API, model availability and
/// risk limit status.
public struct HealthCheckResult: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable { case ok, degraded, failing }
    public var name: String
    public var status: Status
    public var latencySeconds: Double
    public var message: String
}

/// The readiness report served at `/ready` and printed by `huracan health`.
public struct ReadinessReport: Sendable, Codable {
    public var ready: Bool
    public var checkedAt: String
    public var checks: [HealthCheckResult]

    public func render() -> String {
        var lines = ["\(ready ? "READY" : "NOT READY") (checked \(checkedAt))"]
        for c in checks {
            lines.append("  \(c.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(c.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%7.3f", c.latencySeconds * 1000)) ms  \(c.message)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Runs the readiness checks every `health_check_interval_seconds` and keeps the last report.
final class HealthChecks: Sendable {
    private let config: EngineConfig
    private let engine: EngineHandle
    private let latest = Locked<ReadinessReport?>(nil)
    private let stopped = Atomic<Bool>(false)

    private let redis: RedisLink?

    init(config: EngineConfig, engine: EngineHandle, redis: RedisLink? = nil) {
        self.redis = redis
        self.config = config
        self.engine = engine
    }

    var report: ReadinessReport? { latest.withLock { $0 } }

    func start() {
        let interval = config.observability.healthCheckIntervalSeconds
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                let report = runChecks()
                latest.withLock { $0 = report }
                var waited = 0.0
                while waited < interval, !stopped.load(ordering: .relaxed) {
                    Thread.sleep(forTimeInterval: 0.1)
                    waited += 0.1
                }
            }
        }
        thread.name = "huracan-health"
        thread.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func runChecks() -> ReadinessReport {
        var checks = [timed("database", database)]
        if redis == nil { checks.append(timed("message_bus", messageBus)) }
        if let live = engine.liveChecks {
            // Live: the venue's REST and clock, the private stream, books in sync, the journal.
            let probed = live()
            checks += probed.isEmpty ? [HealthCheckResult(name: "exchange_api", status: .degraded, latencySeconds: 0, message: "first venue probe running")] : probed
        } else {
            checks.append(timed("exchange_api", exchanges))
        }
        checks += engineChecks()
        let ready = checks.allSatisfy { $0.status != .failing }
        return ReadinessReport(ready: ready, checkedAt: WallClock.now().description, checks: checks)
    }

    private func timed(_ name: String, _ check: () -> (HealthCheckResult.Status, String)) -> HealthCheckResult {
        let start = MonotonicClock.nanoseconds()
        let (status, message) = check()
        return HealthCheckResult(name: name, status: status, latencySeconds: Double(MonotonicClock.nanoseconds() - start) / 1e9, message: message)
    }

    /// The start-up check, repeated: SQLite's folder can be written, PostgreSQL's port answers.
    private func database() -> (HealthCheckResult.Status, String) {
        let url = config.modelRegistry.metadataDB
        do { try StartupChecks.databaseReachable(url) } catch { return (.failing, error.message) }
        return (.ok, url.hasPrefix("sqlite:") ? "SQLite registry \(url.dropFirst("sqlite:".count)) can be written" : "PostgreSQL accepts connections")
    }

    private func messageBus() -> (HealthCheckResult.Status, String) {
        switch config.messageBus.type {
        case "in_process": return (.ok, "in-process bus")
        default:
            if let redis {
                let health = redis.health
                return (health.connected ? .ok : .failing, health.summary + (health.connected ? "" : "; no new entries until the shared risk ledger is back"))
            }
            let host = config.messageBus.host, port = config.messageBus.port
            return TCPProbe.connect(host: host, port: port, timeout: 1)
                ? (.ok, "Redis at \(host):\(port) accepts connections")
                : (.failing, "Redis at \(host):\(port) does not answer")
        }
    }

    /// The checks that read the engine's own state (models, trading state, kill switch, the Redis
    /// link): cheap, so `/ready` computes them on each request; the probes of other systems come
    /// from the last round of checks.
    func engineChecks() -> [HealthCheckResult] {
        // The Redis link's state is in memory: as fresh as the kill switch.
        (redis == nil ? [] : [timed("message_bus", messageBus)]) + [timed("models", models), timed("risk_limits", riskLimits), killSwitch()]
    }

    /// The operator's kill switch, read when the report is built (and again at each `/ready`).
    func killSwitch() -> HealthCheckResult {
        engine.control.isKilled
            ? HealthCheckResult(name: "kill_switch", status: .failing, latencySeconds: 0, message: "kill switch ON: no new entries (exits continue)")
            : HealthCheckResult(name: "kill_switch", status: .ok, latencySeconds: 0, message: "off")
    }

    private func exchanges() -> (HealthCheckResult.Status, String) {
        let venues = config.simulator.venues.joined(separator: ", ")
        return (.ok, "simulated venue (\(venues)) in process")
    }

    private func models() -> (HealthCheckResult.Status, String) {
        guard let status = engine.telemetry.latestStatus else { return (.degraded, "engine starting") }
        let names = engine.models.modelNames
        let trained = status.shards.flatMap(\.coins).filter { names[$0]?.contains("xgb") == true }.count
        return (.ok, "a model is loaded for each of the \(status.activeCoins) active coins (\(trained) from the registry, \(status.activeCoins - trained) baseline)")
    }

    private func riskLimits() -> (HealthCheckResult.Status, String) {
        guard let status = engine.telemetry.latestStatus else { return (.degraded, "engine starting") }
        switch status.tradingState {
        case "ACTIVE": return (.ok, "ACTIVE, exposure \(String(format: "%.1f", status.exposurePct))% of equity")
        case "REDUCING": return (.degraded, "REDUCING (exits only): " + status.breakers.joined(separator: "; "))
        default: return (.failing, "HALTED: " + status.breakers.joined(separator: "; "))
        }
    }
}
