import HuracanCore
import Logging

/// The engine as other threads see it while its coordinator runs it: operator control, model
/// hand-over, the published status and metrics, and the live readiness probe. Everything here
/// is lock-protected or immutable; the `Engine` itself belongs to the thread running it.
public final class EngineHandle: Sendable {
    public let universe: Universe
    public let control: EngineControl
    public let logger: Logger
    public let models: ModelSwaps
    public let telemetry: EngineTelemetry
    private let liveProbe = Locked<(@Sendable () -> [HealthCheckResult])?>(nil)

    init(universe: Universe, control: EngineControl, logger: Logger) {
        self.universe = universe
        self.control = control
        self.logger = logger
        models = ModelSwaps(universe: universe)
        telemetry = EngineTelemetry()
    }

    /// Live runs: the venue readiness checks of `/ready` (last probe).
    public var liveChecks: (@Sendable () -> [HealthCheckResult])? {
        get { liveProbe.withLock { $0 } }
        set { liveProbe.withLock { $0 = newValue } }
    }
}
