import HuracanCore
import Synchronization

/// A shard's liveness, shared between the thread running the shard and the watchdog thread:
/// when its current run began, when it last finished one, and whether it is healthy (monotonic
/// nanoseconds, `MonotonicClock`). Atomics only; the shard's trading state stays with the shard.
final class ShardHealth: Sendable {
    let shardID: Int
    let healthy = Atomic<Bool>(true)
    /// Monotonic nanoseconds when the current run began; 0 while parked.
    let runningSince = Atomic<Int64>(0)
    /// Monotonic nanoseconds when the last run that exceeded the watchdog timeout ended.
    let lastStallEnd = Atomic<Int64>(0)
    /// Test hook: sleep this long (ns) once at the next run, to simulate a stalled loop.
    private let injectedStall = Atomic<Int64>(0)
    let watchdogNanoseconds: Int64

    init(shardID: Int, watchdogNanoseconds: Int64) {
        self.shardID = shardID
        self.watchdogNanoseconds = watchdogNanoseconds
    }

    var isHealthy: Bool { healthy.load(ordering: .relaxed) }

    /// Makes the next run sleep first, as if the loop had stalled (tests and drills).
    func injectStall(nanoseconds: Int64) { injectedStall.store(nanoseconds, ordering: .relaxed) }

    /// Marks a run begun and applies an injected stall.
    func runBegins() {
        runningSince.store(Int64(MonotonicClock.nanoseconds()), ordering: .relaxed)
        let stall = injectedStall.exchange(0, ordering: .relaxed)
        if stall > 0 { sleepNanoseconds(stall) }
    }

    /// Records the end of a run; a run longer than the watchdog timeout marks the shard unhealthy.
    func runEnds() {
        let began = runningSince.load(ordering: .relaxed)
        let ended = Int64(MonotonicClock.nanoseconds())
        if ended - began > watchdogNanoseconds {
            lastStallEnd.store(ended, ordering: .relaxed)
            healthy.store(false, ordering: .relaxed)
        }
        runningSince.store(0, ordering: .relaxed)
    }
}
