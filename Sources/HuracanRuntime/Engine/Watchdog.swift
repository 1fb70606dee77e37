import Foundation
import HuracanCore
import Logging
import Synchronization

/// Watches the shards' event loops: a shard whose current run has lasted longer than
/// `event_loop_timeout_seconds` is reported unhealthy and its coins stop opening trades; it is
/// healthy again once it has run normally for another full timeout.
final class Watchdog: Sendable {
    private let shards = Locked<[ShardHealth]>([])
    private let stopped = Atomic<Bool>(false)
    private let timeout: Int64
    private let logger: Logger

    init(timeoutSeconds: Double, logger: Logger) {
        timeout = Int64(timeoutSeconds * 1e9)
        self.logger = logger
    }

    func watch(_ list: [Shard]) { shards.withLock { $0 = list.map(\.health) } }

    func start() {
        let interval = max(0.01, min(1.0, Double(timeout) / 1e9 / 10))
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                check(now: Int64(MonotonicClock.nanoseconds()))
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.name = "huracan-watchdog"
        thread.start()
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    /// One pass over the shards; also called directly by tests.
    func check(now: Int64) {
        for shard in shards.withLock({ $0 }) {
            let since = shard.runningSince.load(ordering: .relaxed)
            let stalled = since != 0 && now - since > timeout
            let healthy = shard.healthy.load(ordering: .relaxed)
            if stalled, healthy {
                shard.healthy.store(false, ordering: .relaxed)
                logger.error("shard \(shard.shardID) stalled for \(String(format: "%.1f", Double(now - since) / 1e9))s (event_loop_timeout_seconds \(Double(timeout) / 1e9)): unhealthy, its coins stop opening trades")
            } else if !stalled, !healthy, now - shard.lastStallEnd.load(ordering: .relaxed) > timeout {
                shard.healthy.store(true, ordering: .relaxed)
                logger.notice("shard \(shard.shardID) healthy again; its coins may open trades")
            }
        }
    }
}
