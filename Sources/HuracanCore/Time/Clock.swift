import Synchronization

/// The source of "now" for the core. Live runs pass the wall clock, backtests a simulated one,
/// so the same decision code runs in every mode.
public protocol TradingClock: Sendable {
    func now() -> Timestamp
}

/// A clock that only moves when told to: backtests and tests drive it from event timestamps.
public final class SimulatedClock: TradingClock {
    private let current: Atomic<Int64>

    public init(start: Timestamp = .epoch) { current = Atomic(start.nanoseconds) }

    public func now() -> Timestamp { Timestamp(nanoseconds: current.load(ordering: .relaxed)) }

    /// Moves the clock to `time`; never backwards.
    public func advance(to time: Timestamp) {
        var seen = current.load(ordering: .relaxed)
        while time.nanoseconds > seen {
            let (exchanged, original) = current.compareExchange(expected: seen, desired: time.nanoseconds, ordering: .relaxed)
            if exchanged { return }
            seen = original
        }
    }

    public func advance(by duration: Duration) { advance(to: now() + duration) }
}
