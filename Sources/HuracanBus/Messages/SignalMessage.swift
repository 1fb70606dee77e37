import HuracanCore

/// A trading signal of one coin's model: which style and side, the expected edge before and
/// after costs (basis points) and the model's confidence (0...1).
public struct SignalMessage: Sendable, Hashable {
    public var coin: String
    public var style: TradeStyle
    public var side: Side
    public var edgeBps: Double
    public var confidence: Double
    public var edgeAfterCostBps: Double
    public var time: Timestamp

    public init(coin: String, style: TradeStyle, side: Side, edgeBps: Double, confidence: Double, edgeAfterCostBps: Double, time: Timestamp) {
        self.coin = coin
        self.style = style
        self.side = side
        self.edgeBps = edgeBps
        self.confidence = confidence
        self.edgeAfterCostBps = edgeAfterCostBps
        self.time = time
    }
}

extension SignalMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        self.init(
            coin: try r.string("coin"), style: try r.choice("style", TradeStyle.allCases),
            side: try r.choice("side", [Side.buy, .sell]), edgeBps: try r.double("edge_bps"),
            confidence: try r.double("confidence"), edgeAfterCostBps: try r.double("edge_after_cost_bps"),
            time: try r.time()
        )
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("coin", coin)
        try w.set("style", style.rawValue)
        try w.set("side", side.rawValue)
        try w.set("edge_bps", edgeBps)
        try w.set("confidence", confidence)
        try w.set("edge_after_cost_bps", edgeAfterCostBps)
        try w.set("time_ns", time: time)
    }
}
