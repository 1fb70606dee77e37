/// Index of a coin in the universe (its rank minus one); dense, for arrays on hot paths.
public typealias CoinIndex = Int32

/// Best bid and offer with sizes.
public struct BookTop: Sendable, Hashable {
    public var bidPrice: Double
    public var bidSize: Double
    public var askPrice: Double
    public var askSize: Double

    @inlinable public init(bidPrice: Double, bidSize: Double, askPrice: Double, askSize: Double) {
        self.bidPrice = bidPrice
        self.bidSize = bidSize
        self.askPrice = askPrice
        self.askSize = askSize
    }

    @inlinable public var mid: Double { (bidPrice + askPrice) * 0.5 }
    @inlinable public var spreadBps: Double { mid > 0 ? (askPrice - bidPrice) / mid * 10_000 : 0 }
    /// (bid size - ask size) / (bid size + ask size), in [-1, 1].
    @inlinable public var imbalance: Double {
        let total = bidSize + askSize
        return total > 0 ? (bidSize - askSize) / total : 0
    }
}

/// One market data event for one coin. A fixed-size value so queues of them never allocate.
///
/// Market data is Double: it drives features and models. Orders and fills use `FixedDecimal`.
public struct MarketEvent: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, Hashable {
        /// Best bid/offer changed: `top` is valid.
        case book
        /// A trade printed: `price`, `size`, `aggressor` are valid.
        case trade
        /// Funding rate and mark price update: `price` is the mark, `size` the rate per interval.
        case funding
        /// Funding settles now (every 8 hours): `price` is the mark, `size` the rate applied.
        case fundingSettlement
    }

    public var coin: CoinIndex
    public var venue: VenueID
    public var kind: Kind
    public var time: Timestamp
    public var top: BookTop
    public var price: Double
    public var size: Double
    public var aggressor: Side

    @inlinable public init(
        coin: CoinIndex, venue: VenueID, kind: Kind, time: Timestamp, top: BookTop = BookTop(bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0),
        price: Double = 0, size: Double = 0, aggressor: Side = .buy
    ) {
        self.coin = coin
        self.venue = venue
        self.kind = kind
        self.time = time
        self.top = top
        self.price = price
        self.size = size
        self.aggressor = aggressor
    }

    @inlinable public static func book(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, _ top: BookTop) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, kind: .book, time: time, top: top)
    }

    @inlinable public static func trade(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, price: Double, size: Double, aggressor: Side) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, kind: .trade, time: time, price: price, size: size, aggressor: aggressor)
    }

    @inlinable public static func funding(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, rate: Double, markPrice: Double) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, kind: .funding, time: time, price: markPrice, size: rate)
    }
}
