import HuracanCore

/// An order as published on `orders:global` for risk monitoring: the request plus which trade,
/// style and reason it belongs to. Quantity and price travel as exact decimal strings.
public struct OrderMessage: Sendable, Hashable {
    public var clientOrderID: String
    public var coin: String
    public var venue: VenueID
    public var side: Side
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var quantity: Quantity
    /// Limit price; nil for market orders (omitted on the wire).
    public var price: Price?
    public var reduceOnly: Bool
    /// The engine trade (`Trade.id`) this order opens or closes, if any.
    public var tradeID: UInt64?
    /// The trade's style, if the order belongs to a trade.
    public var style: TradeStyle?
    /// Free text: why the order was sent ("entry", "take_profit", ...).
    public var reason: String
    public var time: Timestamp

    public init(
        clientOrderID: String, coin: String, venue: VenueID, side: Side, type: OrderType, timeInForce: TimeInForce = .gtc,
        quantity: Quantity, price: Price? = nil, reduceOnly: Bool = false, tradeID: UInt64? = nil,
        style: TradeStyle? = nil, reason: String = "", time: Timestamp
    ) {
        self.clientOrderID = clientOrderID
        self.coin = coin
        self.venue = venue
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.price = price
        self.reduceOnly = reduceOnly
        self.tradeID = tradeID
        self.style = style
        self.reason = reason
        self.time = time
    }

    /// The message for an order request.
    public init(_ request: OrderRequest, tradeID: UInt64? = nil, style: TradeStyle? = nil, reason: String = "", time: Timestamp) {
        self.init(
            clientOrderID: request.clientOrderID, coin: request.coin, venue: request.venue, side: request.side,
            type: request.type, timeInForce: request.timeInForce, quantity: request.quantity, price: request.price,
            reduceOnly: request.reduceOnly, tradeID: tradeID, style: style, reason: reason, time: time
        )
    }

    /// The order request this message describes.
    public var request: OrderRequest {
        OrderRequest(
            clientOrderID: clientOrderID, coin: coin, venue: venue, side: side, type: type,
            timeInForce: timeInForce, quantity: quantity, price: price, reduceOnly: reduceOnly
        )
    }
}

extension OrderMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        self.init(
            clientOrderID: try r.string("client_order_id"), coin: try r.string("coin"),
            venue: try r.choice("venue", VenueID.allCases), side: try r.choice("side", [Side.buy, .sell]),
            type: try r.choice("order_type", [OrderType.market, .limit]),
            timeInForce: try r.choice("time_in_force", [TimeInForce.gtc, .ioc, .postOnly]),
            quantity: try r.decimal("quantity"), price: try r.optionalDecimal("price"),
            reduceOnly: try r.bool("reduce_only"), tradeID: try r.optionalUInt64("trade_id"),
            style: try r.optionalChoice("style", TradeStyle.allCases), reason: try r.string("reason"),
            time: try r.time()
        )
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("client_order_id", clientOrderID)
        try w.set("coin", coin)
        try w.set("venue", venue.rawValue)
        try w.set("side", side.rawValue)
        try w.set("order_type", type.rawValue)
        try w.set("time_in_force", timeInForce.rawValue)
        try w.set("quantity", decimal: quantity)
        try w.setIfPresent("price", decimal: price)
        try w.set("reduce_only", reduceOnly)
        try w.setIfPresent("trade_id", tradeID)
        try w.setIfPresent("style", style?.rawValue)
        try w.set("reason", reason)
        try w.set("time_ns", time: time)
    }
}
