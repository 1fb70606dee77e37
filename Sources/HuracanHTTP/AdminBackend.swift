/// What the admin interface can ask of a running engine. The runtime implements it; the HTTP
/// layer knows nothing else about the engine.
public protocol AdminBackend: Sendable {
    /// The latest engine status as JSON.
    func statusJSON() -> String
    /// The readiness checks as JSON, and whether the engine is ready (else `/ready` is 503).
    func readiness() -> (ready: Bool, json: String)
    /// Prometheus text exposition of the engine's metrics.
    func metricsText() -> String
    /// The latest risk report (exposures against limits, breakers, active set) as JSON.
    func riskJSON() -> String
    /// Asks for a new active coin count and/or soft trade limit; returns what will change, or
    /// throws `AdminError` naming what is not allowed.
    func scale(activeCoins: Int?, maxActiveTrades: Int?) throws(AdminError) -> String
    /// The manual kill switch: no new entries anywhere while on; exits continue.
    func setKillSwitch(_ on: Bool) -> String
}

/// A refused admin request, with the reason shown to the caller.
public struct AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
