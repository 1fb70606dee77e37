import HuracanCore
import HuracanStorage

/// Where a `ReplayFeed` gets its events: stored data (finite, in time order) or a real venue's
/// public feed (endless, as it arrives). The coordinator calls `load` between rounds only.
public protocol MarketEventSource: AnyObject {
    /// Hands over every event before `end` that is available now, in time order.
    func load(until end: Timestamp, into sink: (MarketEvent) -> Void) throws
    /// True once no event will ever come again.
    var isExhausted: Bool { get }
    /// Files read (stored data), for reports.
    var fileCount: Int { get }
    /// Time of the next event not yet handed over, when the source knows it (stored data);
    /// nil when it does not (a live feed) or no event is left.
    func nextEventTime() throws -> Timestamp?
}

extension MarketEventSource {
    public func nextEventTime() throws -> Timestamp? { nil }
}
