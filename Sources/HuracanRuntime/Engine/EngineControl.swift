import Synchronization
import HuracanCore

/// Requests to a running engine from signals, the admin interface or tests; applied by the
/// coordinator between rounds, never in the middle of a decision.
public final class EngineControl: Sendable {
    public struct Changes: Sendable, Equatable {
        public var activeCoins: Int?
        public var maxActiveTrades: Int?
        public init(activeCoins: Int? = nil, maxActiveTrades: Int? = nil) {
            self.activeCoins = activeCoins
            self.maxActiveTrades = maxActiveTrades
        }
    }

    private let pending = Locked(Changes())
    private let stopRequested = Atomic<Bool>(false)
    private let killSwitch = Atomic<Bool>(false)

    public init() {}

    /// Asks for a new active coin count and/or soft trade limit.
    public func request(_ changes: Changes) {
        pending.withLock { p in
            if let value = changes.activeCoins { p.activeCoins = value }
            if let value = changes.maxActiveTrades { p.maxActiveTrades = value }
        }
    }

    func takeChanges() -> Changes? {
        pending.withLock { p in
            guard p != Changes() else { return nil }
            defer { p = Changes() }
            return p
        }
    }

    /// Stops the engine at the end of the current round.
    public func stop() { stopRequested.store(true, ordering: .relaxed) }
    public var isStopRequested: Bool { stopRequested.load(ordering: .relaxed) }

    /// Manual kill switch: no new entries anywhere; exits continue.
    public func setKillSwitch(_ on: Bool) { killSwitch.store(on, ordering: .relaxed) }
    public var isKilled: Bool { killSwitch.load(ordering: .relaxed) }
}
