import HuracanCore
import HuracanStorage

/// Where a `ReplayFeed` gets its events: stored data (finite, in time order) or a real venue's
/// public feed (endless, as it arrives). The coordinator calls `load` between rounds only.
public protocol MarketEventSource: AnyObject {
    /// Hands over every event before `end` that is available now, in time order.
    func load(until end: Timestamp, into sink: (MarketEvent) -> Void) throws
    /// Files read (stored data), for reports.
    var fileCount: Int { get }
    /// Time of the next event not yet handed over, when the source knows it (stored data);
    /// nil when it does not (a live feed) or no event is left.
    func nextEventTime() throws -> Timestamp?
    /// Files each event before `end` under its coin (`queues[coin]`); returns how many.
    func load(until end: Timestamp, into queues: inout [[MarketEvent]]) throws -> Int
}

extension MarketEventSource {
    public func nextEventTime() throws -> Timestamp? { nil }

    /// Appends every event before `end` that is available now to its coin's queue; returns how
    /// many. Sources that hold events grouped by coin override it to copy them in bulk.
    public func load(until end: Timestamp, into queues: inout [[MarketEvent]]) throws -> Int {
        var added = 0
        try load(until: end) { event in
            queues[Int(event.coin)].append(event)
            added += 1
        }
        return added
    }
}
