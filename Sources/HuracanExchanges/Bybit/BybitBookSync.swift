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
        if message.isSnapshot || message.finalID == 1 {
            book.reset(message)
            state = .live(lastUpdateID: message.finalID)
            lastCrossSequence = message.crossSequence
            return .applied
        }
        guard case .live(let last) = state else { return .ignored }
        guard message.finalID == last + 1 else {
            return dropBook("update id \(message.finalID) does not follow \(last)")
        }
        book.apply(message)
        state = .live(lastUpdateID: message.finalID)
        lastCrossSequence = message.crossSequence
        return .applied
    }

    mutating func dropBook(_ reason: String) -> BookSyncResult {
        book.clear()
        state = .awaitingSnapshot
        resyncCount += 1
        return .resync(reason: reason)
    }
}
