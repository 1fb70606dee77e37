import HuracanCore

/// What the coordinator publishes after each status for other threads to read (the admin
/// server, readiness checks, the retraining service): the last status, risk report and
/// Prometheus text. Readers get the last complete publication, never a half-updated one.
public final class EngineTelemetry: Sendable {
    private let status = Locked<EngineStatus?>(nil)
    private let risk = Locked<RiskReport?>(nil)
    private let metrics = Locked("")

    init() {}

    /// The status last computed by the coordinator (nil before the first).
    public var latestStatus: EngineStatus? { status.withLock { $0 } }
    /// The risk report last computed by the coordinator (nil before the first).
    public var latestRiskReport: RiskReport? { risk.withLock { $0 } }
    /// Prometheus text exposition as of the last status.
    public var metricsText: String { metrics.withLock { $0 } }

    func publish(status: EngineStatus, risk report: RiskReport) {
        self.status.withLock { $0 = status }
        risk.withLock { $0 = report }
    }

    func publish(metrics text: String) { metrics.withLock { $0 = text } }
}
