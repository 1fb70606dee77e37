import Dispatch
import HuracanCore
import Synchronization

/// Which coins' books are in sync, per venue. A coin whose book is out of sync opens no trade
/// (exits stay allowed) until its book is resynchronised. Shared between the feed tasks that
/// maintain books and the engine that asks before entering; guarded by a mutex (rare writes,
/// short reads).
public final class BookHealth: Sendable {
    private struct State: Sendable {
        var outOfSync: [VenueID: [String: String]] = [:]
        var resyncs = 0
        /// Monotonic nanoseconds at which each out-of-sync book went out of sync.
        var since: [VenueID: [String: UInt64]] = [:]
        /// How long the latest resyncs took (seconds), newest last, at most `keptDurations`.
        var durations: [Double] = []
    }
    private static let keptDurations = 512
    private let state = Locked(State())

    public init() {}

    /// Marks `coin` on `venue` out of sync with the reason (gap, checksum, disconnect, awaiting snapshot).
    public func markOutOfSync(_ coin: String, venue: VenueID, reason: String) {
        let now = MonotonicClock.nanoseconds()
        state.withLock {
            if $0.outOfSync[venue, default: [:]][coin] == nil {
                $0.resyncs += 1
                $0.since[venue, default: [:]][coin] = now
            }
            $0.outOfSync[venue, default: [:]][coin] = reason
        }
    }

    public func markInSync(_ coin: String, venue: VenueID) {
        let now = MonotonicClock.nanoseconds()
        state.withLock {
            _ = $0.outOfSync[venue]?.removeValue(forKey: coin)
            if let since = $0.since[venue]?.removeValue(forKey: coin) {
                $0.durations.append(Double(now &- since) / 1e9)
                if $0.durations.count > Self.keptDurations { $0.durations.removeFirst($0.durations.count - Self.keptDurations) }
            }
        }
    }

    /// Resyncs since start and the median and longest time a book took to come back in sync
    /// (over the latest 512), in seconds.
    public var resyncTimes: (count: Int, median: Double, max: Double) {
        state.withLock { s in
            let sorted = s.durations.sorted()
            return (s.resyncs, sorted.isEmpty ? 0 : sorted[sorted.count / 2], sorted.last ?? 0)
        }
    }

    /// Applies a synchroniser's result for `coin`.
    public func record(_ result: BookSyncResult, coin: String, venue: VenueID) {
        switch result {
        case .applied: markInSync(coin, venue: venue)
        case .resync(let reason): markOutOfSync(coin, venue: venue, reason: reason)
        case .buffered, .ignored: break
        }
    }

    /// Whether `coin` may open a new trade on `venue`.
    public func canOpen(_ coin: String, venue: VenueID) -> Bool {
        state.withLock { $0.outOfSync[venue]?[coin] == nil }
    }

    public func reason(_ coin: String, venue: VenueID) -> String? { state.withLock { $0.outOfSync[venue]?[coin] } }
    public var resyncCount: Int { state.withLock { $0.resyncs } }
}
