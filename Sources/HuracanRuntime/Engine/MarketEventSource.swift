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

/// The data lake's merged, time-ordered events as a `MarketEventSource`.
final class StoredEventSource: MarketEventSource {
    private let replay: StoredMarketReplay
    private var lookahead: MarketEvent?
    private var finished = false

    init(_ replay: StoredMarketReplay) { self.replay = replay }

    var fileCount: Int { replay.fileCount }
    var isExhausted: Bool { finished && lookahead == nil }

    func nextEventTime() throws -> Timestamp? {
        if lookahead == nil, !finished {
            lookahead = try replay.next()
            if lookahead == nil { finished = true }
        }
        return lookahead?.time
    }

    func load(until end: Timestamp, into sink: (MarketEvent) -> Void) throws {
        while !finished {
            let event: MarketEvent
            if let held = lookahead {
                event = held
                lookahead = nil
            } else if let next = try replay.next() {
                event = next
            } else {
                finished = true
                break
            }
            if event.time >= end {
                lookahead = event
                break
            }
            sink(event)
        }
    }
}
