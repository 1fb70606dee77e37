import HuracanCore

/// A fill as published on `executions:global` for P&L tracking. Price, quantity and fee travel
/// as exact decimal strings; `tradeID` is the venue's trade id.
public struct ExecutionMessage: Sendable, Hashable {
    public var clientOrderID: String
    /// The venue's id of this execution.
    public var tradeID: String
    public var coin: String
    public var venue: VenueID
    public var side: Side
    public var price: Price
    public var quantity: Quantity
    /// Fee in quote currency; positive is paid, negative is a rebate.
    public var fee: Money
    public var liquidity: Liquidity
    public var time: Timestamp

    public init(
        clientOrderID: String, tradeID: String, coin: String, venue: VenueID, side: Side, price: Price,
        quantity: Quantity, fee: Money, liquidity: Liquidity, time: Timestamp
    ) {
        self.clientOrderID = clientOrderID
        self.tradeID = tradeID
        self.coin = coin
        self.venue = venue
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.liquidity = liquidity
        self.time = time
    }

    /// The message for a fill.
    public init(_ fill: Fill) {
        self.init(
            clientOrderID: fill.clientOrderID, tradeID: fill.tradeID, coin: fill.coin, venue: fill.venue, side: fill.side,
            price: fill.price, quantity: fill.quantity, fee: fill.fee, liquidity: fill.liquidity, time: fill.time
        )
    }

    /// The fill this message describes.
    public var fill: Fill {
        Fill(
            clientOrderID: clientOrderID, tradeID: tradeID, coin: coin, venue: venue, side: side, price: price,
            quantity: quantity, fee: fee, liquidity: liquidity, time: time
        )
    }
}

extension ExecutionMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        self.init(
            clientOrderID: try r.string("client_order_id"), tradeID: try r.string("trade_id"), coin: try r.string("coin"),
            venue: try r.choice("venue", VenueID.allCases), side: try r.choice("side", [Side.buy, .sell]),
            price: try r.decimal("price"), quantity: try r.decimal("quantity"), fee: try r.decimal("fee"),
            liquidity: try r.choice("liquidity", [Liquidity.maker, .taker]), time: try r.time()
        )
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("client_order_id", clientOrderID)
        try w.set("trade_id", tradeID)
        try w.set("coin", coin)
        try w.set("venue", venue.rawValue)
        try w.set("side", side.rawValue)
        try w.set("price", decimal: price)
        try w.set("quantity", decimal: quantity)
        try w.set("fee", decimal: fee)
        try w.set("liquidity", liquidity.rawValue)
        try w.set("time_ns", time: time)
    }
}
