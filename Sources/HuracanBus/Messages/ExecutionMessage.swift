import HuracanCore

/// A fill as published on `executions:global` for P&L tracking: the domain `Fill` itself, with
/// its wire encoding below (price, quantity and fee travel as exact decimal strings; `tradeID`
/// is the venue's trade id).
public struct ExecutionMessage: Sendable, Hashable {
    public var fill: Fill

    /// The message for a fill.
    public init(_ fill: Fill) { self.fill = fill }

    public var clientOrderID: String { fill.clientOrderID }
}

extension ExecutionMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        self.init(Fill(
            clientOrderID: try r.string("client_order_id"), tradeID: try r.string("trade_id"), coin: try r.string("coin"),
            venue: try r.choice("venue", VenueID.allCases), side: try r.choice("side", [Side.buy, .sell]),
            price: try r.decimal("price"), quantity: try r.decimal("quantity"), fee: try r.decimal("fee"),
            liquidity: try r.choice("liquidity", [Liquidity.maker, .taker]), time: try r.time()
        ))
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("client_order_id", fill.clientOrderID)
        try w.set("trade_id", fill.tradeID)
        try w.set("coin", fill.coin)
        try w.set("venue", fill.venue.rawValue)
        try w.set("side", fill.side.rawValue)
        try w.set("price", decimal: fill.price)
        try w.set("quantity", decimal: fill.quantity)
        try w.set("fee", decimal: fill.fee)
        try w.set("liquidity", fill.liquidity.rawValue)
        try w.set("time_ns", time: fill.time)
    }
}
