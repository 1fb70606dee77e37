/// `ema_cross`: the rule trading engines are benchmarked with. EMA(fast) and EMA(slow) of the
/// mid price, updated on every quote (alpha = 2 / (n + 1), both starting at the first mid). When
/// the fast EMA crosses the slow one, the open trade (if any) is closed and a market order of a
/// fixed notional is sent in the direction of the cross: long above, short below. No cost gate
/// (the rule states no edge); the engine's risk gate and breakers still apply.
public struct EMACrossStrategy: Strategy {
    public var name: String { "ema_cross" }
    public let fastPeriod: Int
    public let slowPeriod: Int
    public let notional: Double
    public private(set) var fast = 0.0
    public private(set) var slow = 0.0
    /// +1 while fast > slow, -1 while below, 0 before the first difference.
    public private(set) var sign = 0
    private var started = false

    public init(fastPeriod: Int = 10, slowPeriod: Int = 30, notional: Double = 1_000) {
        precondition(fastPeriod >= 1 && slowPeriod > fastPeriod, "ema_cross needs 1 <= fast < slow, got \(fastPeriod) and \(slowPeriod)")
        self.fastPeriod = fastPeriod
        self.slowPeriod = slowPeriod
        self.notional = notional
    }

    public mutating func decide(_ market: StrategyMarket, features: FeatureState, model: any Model) -> StrategyDecision {
        let mid = market.top.mid
        guard mid > 0 else { return .none }
        if !started {
            fast = mid
            slow = mid
            started = true
            return .none
        }
        fast += 2 / Double(fastPeriod + 1) * (mid - fast)
        slow += 2 / Double(slowPeriod + 1) * (mid - slow)
        let now = fast > slow ? 1 : (fast < slow ? -1 : 0)
        guard now != 0, now != sign else { return .none }
        let crossed = sign != 0
        sign = now
        // The first difference only sets the side; a trade opens on a cross.
        guard crossed else { return .none }
        let side: Side = now > 0 ? .buy : .sell
        return StrategyDecision(exitOpenTrades: market.position != nil && market.position != side,
                                entry: EntryIntent(side: side, style: .scalp, edgeBps: nil, notional: notional, strategyExits: true,
                                                   reason: "ema_cross \(fastPeriod)/\(slowPeriod) \(now > 0 ? "up" : "down")"))
    }
}
