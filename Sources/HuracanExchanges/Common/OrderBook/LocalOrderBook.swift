import HuracanCore

/// A venue's order book for one symbol as maintained locally from snapshots and updates.
public struct LocalOrderBook: Sendable {
    public var bids: BookSide
    public var asks: BookSide
    public private(set) var time: Timestamp = .epoch

    public init(keepsText: Bool = false) {
        bids = BookSide(isBid: true, keepsText: keepsText)
        asks = BookSide(isBid: false, keepsText: keepsText)
    }

    public mutating func clear() {
        bids.removeAll()
        asks.removeAll()
    }

    /// Replaces the book with a snapshot's levels.
    public mutating func reset(_ snapshot: DepthUpdate) {
        bids.load(snapshot.bids)
        asks.load(snapshot.asks)
        time = snapshot.time
    }

    /// Replaces the book with a snapshot's levels (hot-path form).
    public mutating func reset(_ snapshot: CompactDepthUpdate) {
        bids.load(snapshot.bids)
        asks.load(snapshot.asks)
        time = snapshot.time
    }

    /// Applies absolute sizes per level (size 0 deletes).
    public mutating func apply(_ update: DepthUpdate) {
        if bids.keepsText {
            for level in update.bids { bids.set(level) }
            for level in update.asks { asks.set(level) }
        } else {
            for level in update.bids { bids.set(price: level.price.mantissa, size: level.size.mantissa) }
            for level in update.asks { asks.set(price: level.price.mantissa, size: level.size.mantissa) }
        }
        time = update.time
    }

    /// Applies absolute sizes per level (size 0 deletes), hot-path form.
    public mutating func apply(_ update: CompactDepthUpdate) {
        update.bidStorage.withUnsafeBufferPointer { bids.apply(UnsafeBufferPointer(rebasing: $0[..<update.bidCount])) }
        update.askStorage.withUnsafeBufferPointer { asks.apply(UnsafeBufferPointer(rebasing: $0[..<update.askCount])) }
        time = update.time
    }

    public var bestBid: FixedDecimal? { bids.isEmpty ? nil : bids.price(at: 0) }
    public var bestAsk: FixedDecimal? { asks.isEmpty ? nil : asks.price(at: 0) }

    /// A crossed or locked book means something was missed.
    public var isCrossed: Bool {
        guard let bid = bestBid, let ask = bestAsk else { return false }
        return bid >= ask
    }

    public var top: BookTop? {
        guard !bids.isEmpty, !asks.isEmpty else { return nil }
        return BookTop(bidPrice: bids.price(at: 0).doubleValue, bidSize: bids.size(at: 0).doubleValue,
                       askPrice: asks.price(at: 0).doubleValue, askSize: asks.size(at: 0).doubleValue)
    }

    public func snapshot(coin: String, venue: VenueID, depth: Int = 20) -> OrderBookSnapshot {
        OrderBookSnapshot(coin: coin, venue: venue, time: time, bids: bids.levels(depth), asks: asks.levels(depth))
    }
}

/// What a book synchroniser did with a message.
public enum BookSyncResult: Sendable, Equatable {
    /// Applied; the book is in sync.
    case applied
    /// Kept until the snapshot arrives.
    case buffered
    /// Not needed (older than the snapshot, or an idle heartbeat).
    case ignored
    /// The book is out of sync and was dropped: fetch a snapshot / resubscribe. The coin opens no
    /// trade until it is back in sync.
    case resync(reason: String)
}
