/// Something a venue tells the engine about an account: the same shape for the simulated venue
/// and for real venues' user streams, so one code path applies them.
public enum VenueReport: Sendable, Hashable {
    /// The venue accepted the order.
    case accepted(clientOrderID: String, venueOrderID: String, time: Timestamp)
    /// The venue refused the order (post-only would take, reduce-only would increase, size...).
    case rejected(clientOrderID: String, reason: String, time: Timestamp)
    /// (Part of) an order executed.
    case fill(Fill)
    /// The order was cancelled (by request, or the unfilled rest of an IOC/market order).
    case cancelled(clientOrderID: String, time: Timestamp)
    case expired(clientOrderID: String, time: Timestamp)
    /// A funding settlement: `rate` per interval applied at `markPrice` to the open position.
    case funding(coin: String, venue: VenueID, rate: FixedDecimal, markPrice: Price, time: Timestamp)

    public var time: Timestamp {
        switch self {
        case .accepted(_, _, let time), .rejected(_, _, let time), .cancelled(_, let time), .expired(_, let time),
             .funding(_, _, _, _, let time):
            time
        case .fill(let fill):
            fill.time
        }
    }

    /// Funding rates as venues settle them: 1e-8 steps.
    public static let fundingRateIncrement = FixedDecimal(units: 1, exponent: 8)

    /// The funding settlement of `instrument` on `venue` at `rate` and `mark` (from a market
    /// event), exact as a venue books it: the rate in 1e-8 steps, the mark on the tick grid. Nil
    /// when the rate or the mark is unusable.
    public static func fundingSettlement(_ instrument: Instrument, venue: VenueID, rate: Double, mark: Double, time: Timestamp) -> VenueReport? {
        guard rate.isFinite, mark.isFinite, mark > 0 else { return nil }
        return .funding(coin: instrument.coin, venue: venue, rate: FixedDecimal(approximating: rate).rounded(toMultipleOf: fundingRateIncrement, .nearest),
                        markPrice: instrument.roundPrice(FixedDecimal(approximating: mark)), time: time)
    }
}

/// Maker and taker fee rates of a venue for a symbol, as fractions (0.0002 = 2 bps).
public struct FeeSchedule: Sendable, Hashable {
    public var maker: FixedDecimal
    public var taker: FixedDecimal

    public init(maker: FixedDecimal, taker: FixedDecimal) {
        self.maker = maker
        self.taker = taker
    }

    public var makerBps: Double { maker.doubleValue * 10_000 }
    public var takerBps: Double { taker.doubleValue * 10_000 }
}

/// Current and next funding of a perpetual.
public struct FundingInfo: Sendable, Hashable {
    /// Rate per funding interval (0.0001 = 1 bp per 8 hours).
    public var rate: Double
    public var markPrice: Double
    public var nextFundingTime: Timestamp
    public var intervalHours: Double

    public init(rate: Double, markPrice: Double, nextFundingTime: Timestamp, intervalHours: Double = 8) {
        self.rate = rate
        self.markPrice = markPrice
        self.nextFundingTime = nextFundingTime
        self.intervalHours = intervalHours
    }
}

/// One price level of an order book.
public struct BookLevel: Sendable, Hashable {
    public var price: Price
    public var quantity: Quantity
    public init(price: Price, quantity: Quantity) {
        self.price = price
        self.quantity = quantity
    }
}

/// An order book snapshot, best levels first.
public struct OrderBookSnapshot: Sendable, Hashable {
    public var coin: String
    public var venue: VenueID
    public var time: Timestamp
    public var bids: [BookLevel]
    public var asks: [BookLevel]
    public init(coin: String, venue: VenueID, time: Timestamp, bids: [BookLevel], asks: [BookLevel]) {
        self.coin = coin
        self.venue = venue
        self.time = time
        self.bids = bids
        self.asks = asks
    }
}
