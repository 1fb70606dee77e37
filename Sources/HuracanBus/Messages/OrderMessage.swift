import HuracanCore

/// An order as published on `orders:global` for risk monitoring: the domain `OrderRequest`
/// plus which trade, style and reason it belongs to. Quantity and price travel as exact decimal
/// strings (encoding below).
public struct OrderMessage: Sendable, Hashable {
    public var request: OrderRequest
    /// The engine trade (`Trade.id`) this order opens or closes, if any.
    public var tradeID: UInt64?
    /// The trade's style, if the order belongs to a trade.
    public var style: TradeStyle?
    /// Free text: why the order was sent ("entry", "take_profit", ...).
    public var reason: String
    public var time: Timestamp

    /// The message for an order request.
    public init(_ request: OrderRequest, tradeID: UInt64? = nil, style: TradeStyle? = nil, reason: String = "", time: Timestamp) {
        self.request = request
        self.tradeID = tradeID
        self.style = style
        self.reason = reason
        self.time = time
    }

    public var clientOrderID: String { request.clientOrderID }
}

extension OrderMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        let request = OrderRequest(
            clientOrderID: try r.string("client_order_id"), coin: try r.string("coin"),
            venue: try r.choice("venue", VenueID.allCases), side: try r.choice("side", [Side.buy, .sell]),
            type: try r.choice("order_type", [OrderType.market, .limit]),
            timeInForce: try r.choice("time_in_force", [TimeInForce.gtc, .ioc, .postOnly]),
            quantity: try r.decimal("quantity"), price: try r.optionalDecimal("price"), reduceOnly: try r.bool("reduce_only"))
        self.init(request, tradeID: try r.optionalUInt64("trade_id"), style: try r.optionalChoice("style", TradeStyle.allCases),
                  reason: try r.string("reason"), time: try r.time())
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("client_order_id", request.clientOrderID)
        try w.set("coin", request.coin)
        try w.set("venue", request.venue.rawValue)
        try w.set("side", request.side.rawValue)
        try w.set("order_type", request.type.rawValue)
        try w.set("time_in_force", request.timeInForce.rawValue)
        try w.set("quantity", decimal: request.quantity)
        try w.setIfPresent("price", decimal: request.price)
        try w.set("reduce_only", request.reduceOnly)
        try w.setIfPresent("trade_id", tradeID)
        try w.setIfPresent("style", style?.rawValue)
        try w.set("reason", reason)
        try w.set("time_ns", time: time)
    }
}
