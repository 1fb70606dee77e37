#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

/// The system's wall clock (CLOCK_REALTIME): trading time of paper and live runs, and the time
/// stamped on journal rows and venue requests. The one reading of the wall clock in the code.
public struct WallClock: TradingClock {
    public init() {}

    public func now() -> Timestamp { Self.now() }

    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }
}

/// Monotonic time (CLOCK_MONOTONIC) for timeouts, intervals, latency and the watchdog: it never
/// jumps when the wall clock is set. Not a trading time.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary start; cheap enough to read per event.
    @inline(__always) public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
