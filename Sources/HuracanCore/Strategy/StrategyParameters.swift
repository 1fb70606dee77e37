/// The two trading styles: quick scalps with fixed targets, and runners with a trailing stop.
public enum TradeStyle: String, Sendable, Hashable, CaseIterable, Codable {
    case scalp, runner
    public var index: Int { self == .scalp ? 0 : 1 }
}

/// Parameters of the strategy, from `engine.strategy.*`.
public struct StrategyParameters: Sendable, Hashable {
    public struct Scalp: Sendable, Hashable {
        public var enabled = true
        public var minConfidence = 0.65
        // Tuned by walk-forward on the simulated market (docs/models.md): the signal (order-book
        // and trade-flow pressure) fades within minutes, so a scalp lives on its time-out; the
        // take-profit and stop sit about five and three standard deviations of a 3-minute move
        // away and catch jumps, not noise.
        public var takeProfitBps = 100.0
        public var stopLossBps = 60.0
        public var timeoutSeconds = 180.0
        public var expectedHoldingSeconds = 180.0
        public init() {}
    }

    public struct Runner: Sendable, Hashable {
        public var enabled = true
        public var minConfidence = 0.75
        public var minEdgeBps = 25.0
        public var initialStopBps = 40.0
        public var trailingStopBps = 30.0
        public var maxHoldSeconds = 14_400.0
        public var expectedHoldingSeconds = 3_600.0
        public init() {}
    }

    public var scalp = Scalp()
    public var runner = Runner()
    public var maxTradesPerCoin = 1
    public var entryCooldownSeconds = 600.0
    /// Seconds of market data a coin needs before its features are used (returns over up to 60 s).
    public var warmupSeconds = 60.0
    /// Share of equity risked between entry and stop (0.0002 = 0.02 %).
    public var riskPerTrade = 0.0002
    public init() {}

    /// The stop distance a style starts with, for sizing.
    public func stopDistanceBps(_ style: TradeStyle) -> Double {
        style == .scalp ? scalp.stopLossBps : runner.initialStopBps
    }

    public func expectedHoldingSeconds(_ style: TradeStyle) -> Double {
        style == .scalp ? scalp.expectedHoldingSeconds : runner.expectedHoldingSeconds
    }
}
