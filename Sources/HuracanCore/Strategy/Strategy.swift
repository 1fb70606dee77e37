/// A trading rule for one coin: it sees each book update of the coin's market-data venue (with
/// the coin's features, regime and model) and asks for entries and exits. Sizing, the cost gate,
/// the risk gate, breakers and order handling stay the engine's, so a strategy is the same code
/// in backtest, paper and live.
///
/// One value per coin (per-coin state lives in it); called on the coin's shard thread only.
/// `decide` runs on every book update, so it should not allocate.
public protocol Strategy: Sendable {
    /// The name `engine.strategy.name` selects it by.
    var name: String { get }
    /// One book update. `features` and `model` are the coin's; `market.canEnter` is false while
    /// the engine would refuse an entry anyway (warm-up, cool-down, trades per coin, coin
    /// inactive), so a strategy can skip work it would only do for an entry. A decision that
    /// closes the open trades and enters (a reversal) is allowed past the trades-per-coin limit.
    mutating func decide(_ market: StrategyMarket, features: FeatureState, model: any Model) -> StrategyDecision
}

/// What a strategy sees of the market and of its own trades at a book update.
public struct StrategyMarket: Sendable {
    public var time: Timestamp
    public var top: BookTop
    public var regime: Regime
    /// The side of the coin's open trade (entered, not exiting), nil when there is none.
    public var position: Side?
    public var canEnter: Bool
    public var parameters: StrategyParameters

    public init(time: Timestamp, top: BookTop, regime: Regime, position: Side?, canEnter: Bool, parameters: StrategyParameters) {
        self.time = time
        self.top = top
        self.regime = regime
        self.position = position
        self.canEnter = canEnter
        self.parameters = parameters
    }
}

/// A strategy's answer to one book update: close the coin's open trades, open one, both (a
/// reversal), or nothing.
public struct StrategyDecision: Sendable, Hashable {
    public var exitOpenTrades = false
    public var entry: EntryIntent?

    public static let none = StrategyDecision()

    public init(exitOpenTrades: Bool = false, entry: EntryIntent? = nil) {
        self.exitOpenTrades = exitOpenTrades
        self.entry = entry
    }
}

/// An entry a strategy asks for; the engine sizes, gates and sends it as a market order.
public struct EntryIntent: Sendable, Hashable {
    public var side: Side
    /// Scalp or runner: the engine's exits (take-profit, stops, time-outs) of that style, unless
    /// `strategyExits`.
    public var style: TradeStyle
    /// Expected edge before costs, in bps. With it the cost gate applies (edge after fees,
    /// spread and funding must reach `cost_model.min_edge_after_cost_bps`); nil: the strategy
    /// states no edge and the entry is not cost-gated.
    public var edgeBps: Double?
    public var confidence: Double
    /// Notional in USDT; nil: the engine sizes it (the style's stop distance risks
    /// `risk.risk_per_trade_pct` of equity).
    public var notional: Double?
    /// True: only the strategy closes the trade (`exitOpenTrades`); the style's take-profit,
    /// stops and time-outs do not apply.
    public var strategyExits: Bool
    /// Why, for the trade record and logs.
    public var reason: String

    public init(side: Side, style: TradeStyle, edgeBps: Double?, confidence: Double = 1, notional: Double? = nil, strategyExits: Bool = false,
                reason: String) {
        self.side = side
        self.style = style
        self.edgeBps = edgeBps
        self.confidence = confidence
        self.notional = notional
        self.strategyExits = strategyExits
        self.reason = reason
    }
}
