import HuracanCore

/// Keeps one Bybit v5 `orderbook.{depth}.{symbol}` book in sync, per bybit-exchange.github.io
/// docs/v5/websocket/public/orderbook (/work/shared/exchanges/bybit-v5.md §6):
/// - every `snapshot` replaces the book (Bybit re-sends one on its own problems);
/// - `u == 1` on a delta means a service restart: overwrite the book with that message;
/// - `u` rises by one per message per topic: a gap means resubscribe for a fresh snapshot;
/// - `seq` (cross sequence) orders messages across depths and is kept for picking the freshest.
public struct BybitBookSync: Sendable {
    public enum State: Sendable, Equatable {
        case awaitingSnapshot
        case live(lastUpdateID: Int64)
    }

    public private(set) var book = LocalOrderBook()
    public private(set) var state: State = .awaitingSnapshot
    public private(set) var lastCrossSequence: Int64 = 0
    public private(set) var resyncCount = 0
    /// Levels the subscribed depth maintains (500 for `orderbook.500`); deeper levels are trimmed.
    public var depth: Int

    public init(depth: Int = 500) { self.depth = depth }

    public var isInSync: Bool { if case .live = state { true } else { false } }

    public mutating func receive(_ message: DepthUpdate) -> BookSyncResult {
        receive(isSnapshot: message.isSnapshot, finalID: message.finalID, crossSequence: message.crossSequence,
                reset: { $0.reset(message) }, apply: { $0.apply(message) })
    }

    /// The same rules for a message in the hot-path form.
    public mutating func receive(_ message: CompactDepthUpdate) -> BookSyncResult {
        receive(isSnapshot: message.isSnapshot, finalID: message.finalID, crossSequence: message.crossSequence,
                reset: { $0.reset(message) }, apply: { $0.apply(message) })
    }

    @inline(__always)
    private mutating func receive(isSnapshot: Bool, finalID: Int64, crossSequence: Int64,
                                  reset: (inout LocalOrderBook) -> Void, apply: (inout LocalOrderBook) -> Void) -> BookSyncResult {
        if isSnapshot || finalID == 1 {
            reset(&book)
            state = .live(lastUpdateID: finalID)
            lastCrossSequence = crossSequence
            return .applied
        }
        guard case .live(let last) = state else { return .ignored }
        guard finalID == last + 1 else {
            return dropBook("update id \(finalID) does not follow \(last)")
        }
        apply(&book)
        state = .live(lastUpdateID: finalID)
        lastCrossSequence = crossSequence
        return .applied
    }

    mutating func dropBook(_ reason: String) -> BookSyncResult {
        book.clear()
        state = .awaitingSnapshot
        resyncCount += 1
        return .resync(reason: reason)
    }
}
