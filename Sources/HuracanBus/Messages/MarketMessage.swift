import HuracanCore

/// One market data event of one coin, by symbol rather than universe index so that other
/// processes can read it. Market data is Double, as in `MarketEvent`.
public struct MarketMessage: Sendable, Hashable {
    /// What the event is; which of the number fields are meaningful follows `MarketEvent.Kind`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case book, trade, funding
        case fundingSettlement = "funding_settlement"

        public init(_ kind: MarketEvent.Kind) {
            switch kind {
            case .book: self = .book
            case .trade: self = .trade
            case .funding: self = .funding
            case .fundingSettlement: self = .fundingSettlement
            }
        }

        public var eventKind: MarketEvent.Kind {
            switch self {
            case .book: .book
            case .trade: .trade
            case .funding: .funding
            case .fundingSettlement: .fundingSettlement
            }
        }
    }

    public var coin: String
    public var venue: VenueID
    public var kind: Kind
    public var time: Timestamp
    public var bid: Double
    public var bidSize: Double
    public var ask: Double
    public var askSize: Double
    /// Trade price, or mark price for funding events.
    public var price: Double
    /// Trade size, or funding rate for funding events.
    public var size: Double
    /// Aggressor side of a trade.
    public var aggressor: Side

    public init(
        coin: String, venue: VenueID, kind: Kind, time: Timestamp, bid: Double = 0, bidSize: Double = 0, ask: Double = 0,
        askSize: Double = 0, price: Double = 0, size: Double = 0, aggressor: Side = .buy
    ) {
        self.coin = coin
        self.venue = venue
        self.kind = kind
        self.time = time
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
        self.price = price
        self.size = size
        self.aggressor = aggressor
    }

    /// The message for a market event of the coin named `coin`.
    public init(_ event: MarketEvent, coin: String) {
        self.init(coin: coin, venue: event.venue, kind: Kind(event.kind), time: event.time)
        switch event.payload {
        case .book(let top):
            (bid, bidSize, ask, askSize) = (top.bidPrice, top.bidSize, top.askPrice, top.askSize)
        case .trade(let price, let size, let aggressor):
            (self.price, self.size, self.aggressor) = (price, size, aggressor)
        case .funding(let rate, let mark), .fundingSettlement(let rate, let mark):
            (price, size) = (mark, rate)
        }
    }

    /// The market event, for the coin's index in the local universe.
    public func event(coinIndex: CoinIndex) -> MarketEvent {
        let payload: MarketEvent.Payload
        switch kind {
        case .book: payload = .book(BookTop(bidPrice: bid, bidSize: bidSize, askPrice: ask, askSize: askSize))
        case .trade: payload = .trade(price: price, size: size, aggressor: aggressor)
        case .funding: payload = .funding(rate: size, markPrice: price)
        case .fundingSettlement: payload = .fundingSettlement(rate: size, markPrice: price)
        }
        return MarketEvent(coin: coinIndex, venue: venue, time: time, payload: payload)
    }
}

extension MarketMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        self.init(
            coin: try r.string("coin"), venue: try r.choice("venue", VenueID.allCases), kind: try r.choice("kind", Kind.allCases),
            time: try r.time(), bid: try r.double("bid"), bidSize: try r.double("bid_size"), ask: try r.double("ask"),
            askSize: try r.double("ask_size"), price: try r.double("price"), size: try r.double("size"),
            aggressor: try r.choice("aggressor", [Side.buy, .sell])
        )
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("coin", coin)
        try w.set("venue", venue.rawValue)
        try w.set("kind", kind.rawValue)
        try w.set("time_ns", time: time)
        try w.set("bid", bid)
        try w.set("bid_size", bidSize)
        try w.set("ask", ask)
        try w.set("ask_size", askSize)
        try w.set("price", price)
        try w.set("size", size)
        try w.set("aggressor", aggressor.rawValue)
    }
}
