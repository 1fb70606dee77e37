import HuracanBus
import HuracanCore

/// What a run connects to the engine besides its market, given at init and fixed for the
/// engine's life: stored data, real-venue hooks (book gate, venue health, costs), the live order
/// path, and how many closed trades to keep. The defaults are a backtest on the simulated market.
public struct EngineWiring {
    /// Stored market data replacing the simulated market's events (backtests on stored data).
    public var storedData: ReplayFeed?
    /// Backtests: the simulated time for log lines (`SimulatedTimeLogHandler`), set every round.
    public var logClock: SimulatedLogClock?
    /// Closed trades kept in memory: all (nil, backtests) or the newest
    /// (`Engine.realTimeTradeRetention` in paper and live runs).
    public var tradeRetention: Int?
    /// Real venues: why a coin may not open trades now (its book is resyncing), checked before
    /// every round; nil means no objection.
    public var coinGate: (@Sendable (CoinIndex) -> RiskReason?)?
    /// Real venues' request and failure counts, fed to the venue error-rate breaker after every round.
    public var venueHealthSources: [VenueHealthSource] = []
    /// Real venues: each coin's costs from the venue's 24 h statistics and quotes, which the
    /// active set is ranked on instead of the simulated market's coin profiles.
    public var costSource: (@Sendable (Timestamp) -> [CoinIndex: CostSnapshot])?
    /// Live trading: every shard's orders go through this router to the real venue.
    public var router: LiveOrderRouter?
    /// Starts every client order id (see `PipelineContext.orderIDPrefix`).
    public var orderIDPrefix = "h"
    /// Called by the coordinator with every round's closed trades (live runs write them to the
    /// trade history); must not block.
    public var onClosedTrades: (@Sendable ([Trade]) -> Void)?
    /// Live runs: the live-trading part of the status (reconciliation, drift, repairs).
    public var liveStatus: (@Sendable () -> LiveTradingStatus)?
    /// Statistics of the Redis streams, when the engine publishes to Redis (`RedisLink`).
    public var remoteBusStatistics: (@Sendable () -> [(stream: String, stats: StreamStats)])?

    public init() {}

    /// A backtest's wiring: every closed trade kept, or, with a sink, handed to it as it closes
    /// and only the newest kept (memory does not grow with the run's length).
    public static func backtest(tradeSink: BacktestTradeSink?) -> EngineWiring {
        var wiring = EngineWiring()
        if let tradeSink {
            wiring.onClosedTrades = { tradeSink.take($0) }
            wiring.tradeRetention = tradeSink.keep
        }
        return wiring
    }
}
