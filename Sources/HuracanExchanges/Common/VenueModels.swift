import HuracanCore

/// Trading status of an instrument as a venue reports it, normalised.
public enum InstrumentStatus: String, Sendable, Hashable {
    /// Open for trading.
    case trading
    /// Listed but not tradable now (pre-launch, halted, settling, delisted).
    case halted
}

/// A venue's definition of one contract, read from exchangeInfo / instruments.
public struct VenueInstrument: Sendable, Hashable {
    public var venue: VenueID
    /// Native symbol ("BTCUSDT", "BTC-USDT-SWAP").
    public var symbol: String
    public var baseAsset: String
    public var quoteAsset: String
    public var settleAsset: String
    public var status: InstrumentStatus
    /// The venue's own status text ("TRADING", "live", "Trading").
    public var venueStatus: String
    /// Whether it is a USDT-margined linear perpetual (what the engine trades).
    public var isLinearPerpetual: Bool
    public var tickSize: FixedDecimal
    /// Order size step in the venue's order unit (contracts on OKX, base coin elsewhere).
    public var lotSize: FixedDecimal
    public var minQuantity: FixedDecimal
    /// Minimum order value in quote currency; zero when the venue has none.
    public var minNotional: FixedDecimal
    /// Base units per order unit: the OKX `ctVal` (times `ctMult`); 1 on Binance and Bybit.
    public var contractValue: FixedDecimal

    public init(
        venue: VenueID, symbol: String, baseAsset: String, quoteAsset: String, settleAsset: String,
        status: InstrumentStatus, venueStatus: String, isLinearPerpetual: Bool, tickSize: FixedDecimal,
        lotSize: FixedDecimal, minQuantity: FixedDecimal, minNotional: FixedDecimal, contractValue: FixedDecimal = 1
    ) {
        self.venue = venue
        self.symbol = symbol
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.settleAsset = settleAsset
        self.status = status
        self.venueStatus = venueStatus
        self.isLinearPerpetual = isLinearPerpetual
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minQuantity = minQuantity
        self.minNotional = minNotional
        self.contractValue = contractValue
    }

    /// Lot size in base units (OKX: `lotSz * ctVal`).
    public var baseLotSize: FixedDecimal { lotSize * contractValue }
}

/// Fee rates of one symbol (or instrument family, on OKX) for this account.
public struct VenueFeeRate: Sendable, Hashable {
    public var symbol: String
    /// Fractions, positive when paid (OKX reports charges as negatives; they are flipped here).
    public var schedule: FeeSchedule

    public init(symbol: String, schedule: FeeSchedule) {
        self.symbol = symbol
        self.schedule = schedule
    }
}

/// Best bid and ask with sizes.
public struct BookTicker: Sendable, Hashable {
    public var symbol: String
    public var bidPrice: FixedDecimal
    public var bidSize: FixedDecimal
    public var askPrice: FixedDecimal
    public var askSize: FixedDecimal
    public var updateID: Int64
    public var time: Timestamp

    public init(symbol: String, bidPrice: FixedDecimal, bidSize: FixedDecimal, askPrice: FixedDecimal, askSize: FixedDecimal,
                updateID: Int64 = 0, time: Timestamp) {
        self.symbol = symbol
        self.bidPrice = bidPrice
        self.bidSize = bidSize
        self.askPrice = askPrice
        self.askSize = askSize
        self.updateID = updateID
        self.time = time
    }

    public var top: BookTop {
        BookTop(bidPrice: bidPrice.doubleValue, bidSize: bidSize.doubleValue, askPrice: askPrice.doubleValue, askSize: askSize.doubleValue)
    }
}

/// One public trade print.
public struct PublicTrade: Sendable, Hashable {
    public var symbol: String
    public var tradeID: String
    public var price: FixedDecimal
    public var size: FixedDecimal
    /// The taker's side.
    public var aggressor: Side
    public var time: Timestamp

    public init(symbol: String, tradeID: String, price: FixedDecimal, size: FixedDecimal, aggressor: Side, time: Timestamp) {
        self.symbol = symbol
        self.tradeID = tradeID
        self.price = price
        self.size = size
        self.aggressor = aggressor
        self.time = time
    }
}

/// A book message: a full snapshot or an incremental update with the venue's sequence numbers.
///
/// - Binance: `firstID` = U, `finalID` = u, `previousID` = pu (snapshot: lastUpdateId).
/// - OKX: `finalID` = seqId, `previousID` = prevSeqId, `checksum` when non-zero.
/// - Bybit: `finalID` = u, `crossSequence` = seq.
public struct DepthUpdate: Sendable, Hashable {
    public var symbol: String
    public var isSnapshot: Bool
    public var firstID: Int64
    public var finalID: Int64
    public var previousID: Int64
    public var crossSequence: Int64
    public var checksum: Int32
    public var bids: [PriceLevel]
    public var asks: [PriceLevel]
    public var time: Timestamp

    public init(symbol: String, isSnapshot: Bool, firstID: Int64 = 0, finalID: Int64, previousID: Int64 = 0, crossSequence: Int64 = 0,
                checksum: Int32 = 0, bids: [PriceLevel], asks: [PriceLevel], time: Timestamp) {
        self.symbol = symbol
        self.isSnapshot = isSnapshot
        self.firstID = firstID
        self.finalID = finalID
        self.previousID = previousID
        self.crossSequence = crossSequence
        self.checksum = checksum
        self.bids = bids
        self.asks = asks
        self.time = time
    }
}

/// Mark price and funding of a perpetual. Fields a venue left out of a delta are nil.
public struct MarkFunding: Sendable, Hashable {
    public var symbol: String
    public var markPrice: FixedDecimal?
    public var indexPrice: FixedDecimal?
    public var fundingRate: FixedDecimal?
    public var nextFundingTime: Timestamp?
    public var time: Timestamp

    public init(symbol: String, markPrice: FixedDecimal?, indexPrice: FixedDecimal?, fundingRate: FixedDecimal?,
                nextFundingTime: Timestamp?, time: Timestamp) {
        self.symbol = symbol
        self.markPrice = markPrice
        self.indexPrice = indexPrice
        self.fundingRate = fundingRate
        self.nextFundingTime = nextFundingTime
        self.time = time
    }
}

/// A finished candle or a running one.
public struct Candle: Sendable, Hashable {
    public var symbol: String
    public var interval: String
    public var open: FixedDecimal
    public var high: FixedDecimal
    public var low: FixedDecimal
    public var close: FixedDecimal
    public var volume: FixedDecimal
    public var openTime: Timestamp
    public var isClosed: Bool
}

/// A rolling 24-hour ticker (last price and volumes).
public struct DayTicker: Sendable, Hashable {
    public var symbol: String
    public var lastPrice: FixedDecimal
    public var baseVolume: FixedDecimal
    public var quoteVolume: FixedDecimal
    public var time: Timestamp
}

/// A forced liquidation print on the public stream.
public struct LiquidationPrint: Sendable, Hashable {
    public var symbol: String
    public var side: Side
    public var price: FixedDecimal
    public var size: FixedDecimal
    public var time: Timestamp
}

/// How an order update arose, beyond its status.
public enum OrderUpdateOrigin: String, Sendable, Hashable {
    /// An order this account placed.
    case account
    /// The venue's liquidation engine closed (part of) the position.
    case liquidation
    /// Auto-deleveraging by the venue.
    case autoDeleverage
    /// Contract settlement or delivery.
    case settlement
}

/// One state change of one of our orders, from a user stream or a REST query, normalised.
public struct VenueOrderUpdate: Sendable, Hashable {
    public var venue: VenueID
    public var symbol: String
    public var clientOrderID: String
    public var venueOrderID: String
    /// Our state machine's status.
    public var status: OrderStatus
    /// The venue's own status text, for logs.
    public var venueStatus: String
    public var side: Side
    public var type: OrderType?
    public var timeInForce: TimeInForce?
    /// Ordered quantity in base units.
    public var quantity: FixedDecimal
    public var price: FixedDecimal?
    /// Cumulative filled quantity in base units.
    public var filledQuantity: FixedDecimal
    public var averagePrice: FixedDecimal?
    public var reduceOnly: Bool
    /// The execution this update reports, if any (last fill quantity/price, fee, liquidity).
    public var fill: Fill?
    /// Why the venue rejected or cancelled it, when it says.
    public var reason: String?
    public var origin: OrderUpdateOrigin
    public var time: Timestamp

    public init(venue: VenueID, symbol: String, clientOrderID: String, venueOrderID: String, status: OrderStatus, venueStatus: String,
                side: Side, type: OrderType?, timeInForce: TimeInForce?, quantity: FixedDecimal, price: FixedDecimal?,
                filledQuantity: FixedDecimal, averagePrice: FixedDecimal?, reduceOnly: Bool, fill: Fill?, reason: String?,
                origin: OrderUpdateOrigin = .account, time: Timestamp) {
        self.venue = venue
        self.symbol = symbol
        self.clientOrderID = clientOrderID
        self.venueOrderID = venueOrderID
        self.status = status
        self.venueStatus = venueStatus
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.price = price
        self.filledQuantity = filledQuantity
        self.averagePrice = averagePrice
        self.reduceOnly = reduceOnly
        self.fill = fill
        self.reason = reason
        self.origin = origin
        self.time = time
    }

    /// The reports the engine applies for this update, in order (fill first, then the final state).
    public var reports: [VenueReport] {
        var out: [VenueReport] = []
        switch status {
        case .acknowledged: out.append(.accepted(clientOrderID: clientOrderID, venueOrderID: venueOrderID, time: time))
        case .rejected: out.append(.rejected(clientOrderID: clientOrderID, reason: reason ?? venueStatus, time: time))
        default: break
        }
        if let fill { out.append(.fill(fill)) }
        switch status {
        case .cancelled: out.append(.cancelled(clientOrderID: clientOrderID, time: time))
        case .expired: out.append(.expired(clientOrderID: clientOrderID, time: time))
        default: break
        }
        return out
    }
}

/// A fill reported on its own (Bybit `execution`, Binance `TRADE_LITE`, REST trade history).
public struct VenueExecution: Sendable, Hashable {
    public var venue: VenueID
    public var symbol: String
    public var venueOrderID: String
    public var fill: Fill
    /// Fee asset ("USDT", "BNB"); the fee in `fill` is in this asset.
    public var feeAsset: String
}

/// An open position as the venue reports it; `quantity` is signed (short < 0), in base units.
public struct VenuePosition: Sendable, Hashable {
    public var venue: VenueID
    public var symbol: String
    public var quantity: FixedDecimal
    public var entryPrice: FixedDecimal
    public var markPrice: FixedDecimal?
    public var unrealizedPnL: FixedDecimal?
    /// "BOTH"/"net" in one-way mode; "LONG"/"SHORT" or "long"/"short" in hedge mode.
    public var positionSide: String
    public var time: Timestamp
}

/// A balance of one asset.
public struct VenueBalance: Sendable, Hashable {
    public var venue: VenueID
    public var asset: String
    public var walletBalance: FixedDecimal
    public var availableBalance: FixedDecimal?
    public var equity: FixedDecimal?
    public var time: Timestamp
}

/// What the venue says in reply to a new, cancel or amend request.
public struct OrderAck: Sendable, Hashable {
    public var clientOrderID: String
    public var venueOrderID: String
    public var status: OrderStatus?

    public init(clientOrderID: String, venueOrderID: String, status: OrderStatus?) {
        self.clientOrderID = clientOrderID
        self.venueOrderID = venueOrderID
        self.status = status
    }
}
