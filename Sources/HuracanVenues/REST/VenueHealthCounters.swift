import HuracanCore
import Synchronization

/// Requests sent to a venue and how many failed in a way that counts against the venue (see
/// `VenueAPIError.countsAsVenueFailure`, timeouts, connection errors). The engine drains these
/// into `CircuitBreakers.recordVenueRequest` — the venue error-rate breaker.
public final class VenueHealthCounters: Sendable {
    private let requests = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let totalRequests = Atomic<Int>(0)
    private let totalFailures = Atomic<Int>(0)

    public init() {}

    public func record(failed: Bool) {
        requests.add(1, ordering: .relaxed)
        totalRequests.add(1, ordering: .relaxed)
        if failed {
            failures.add(1, ordering: .relaxed)
            totalFailures.add(1, ordering: .relaxed)
        }
    }

    /// Requests and failures since the last drain.
    public func drain() -> (requests: Int, failures: Int) {
        (requests.exchange(0, ordering: .relaxed), failures.exchange(0, ordering: .relaxed))
    }

    public var lifetime: (requests: Int, failures: Int) { (totalRequests.load(ordering: .relaxed), totalFailures.load(ordering: .relaxed)) }
}
