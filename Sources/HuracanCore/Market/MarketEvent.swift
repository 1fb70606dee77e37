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
    /// What happened, with the fields that kind of event has.
    public enum Payload: Sendable, Hashable {
        /// Best bid/offer changed.
        case book(BookTop)
        /// A trade printed; `aggressor` is the side that took liquidity.
        case trade(price: Double, size: Double, aggressor: Side)
        /// Funding rate (per interval) and mark price update.
        case funding(rate: Double, markPrice: Double)
        /// Funding settles now (every 8 hours) at this rate and mark.
        case fundingSettlement(rate: Double, markPrice: Double)
    }

    /// The payload's case alone (counters, storage codes, quick checks).
    public enum Kind: UInt8, Sendable, Hashable {
        case book, trade, funding, fundingSettlement
    }

    public var coin: CoinIndex
    public var venue: VenueID
    public var time: Timestamp
    public var payload: Payload

    @inlinable public init(coin: CoinIndex, venue: VenueID, time: Timestamp, payload: Payload) {
        self.coin = coin
        self.venue = venue
        self.time = time
        self.payload = payload
    }

    @inlinable public var kind: Kind {
        switch payload {
        case .book: .book
        case .trade: .trade
        case .funding: .funding
        case .fundingSettlement: .fundingSettlement
        }
    }

    @inlinable public static func book(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, _ top: BookTop) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, time: time, payload: .book(top))
    }

    @inlinable public static func trade(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, price: Double, size: Double, aggressor: Side) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, time: time, payload: .trade(price: price, size: size, aggressor: aggressor))
    }

    @inlinable public static func funding(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, rate: Double, markPrice: Double) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, time: time, payload: .funding(rate: rate, markPrice: markPrice))
    }

    @inlinable public static func fundingSettlement(_ coin: CoinIndex, _ venue: VenueID, _ time: Timestamp, rate: Double, markPrice: Double) -> MarketEvent {
        MarketEvent(coin: coin, venue: venue, time: time, payload: .fundingSettlement(rate: rate, markPrice: markPrice))
    }
}
