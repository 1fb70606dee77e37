import HuracanCore

/// What a simulated market run is seeded with: the same parameters give the same events.
public struct SimulationParameters: Sendable, Hashable {
    /// Seed of every random draw; change it for a different market path.
    public var seed: UInt64
    /// Time of step 0.
    public var start: Timestamp
    /// Length of one generation step; events of step `s` lie in [start + s*step, start + (s+1)*step).
    public var stepNanoseconds: Int64 = 100_000_000
    /// Average interval between book updates of a coin (tier 1 coins update more often,
    /// tier 4 less); trades print about half as often.
    public var updateIntervalMs: Double = 250

    public init(seed: UInt64, start: Timestamp, stepNanoseconds: Int64 = 100_000_000, updateIntervalMs: Double = 250) {
        precondition(stepNanoseconds > 0, "stepNanoseconds must be positive, got \(stepNanoseconds)")
        precondition(updateIntervalMs > 0, "updateIntervalMs must be positive, got \(updateIntervalMs)")
        self.seed = seed
        self.start = start
        self.stepNanoseconds = stepNanoseconds
        self.updateIntervalMs = updateIntervalMs
    }

    /// Start of step `step`'s window.
    @inlinable public func stepStart(_ step: Int64) -> Timestamp {
        Timestamp(nanoseconds: start.nanoseconds + step * stepNanoseconds)
    }

    /// The step whose window contains `time`.
    public func step(containing time: Timestamp) -> Int64 {
        let offset = time.nanoseconds - start.nanoseconds
        return offset >= 0 ? offset / stepNanoseconds : (offset - stepNanoseconds + 1) / stepNanoseconds
    }
}
