import HuracanCore

/// Latency percentiles in nanoseconds.
public struct LatencySummary: Sendable, Hashable, Codable {
    public var count: UInt64
    public var p50: UInt64
    public var p99: UInt64
    public var p999: UInt64
    public var max: UInt64
}

/// What the terminal view, logs and status calls show about a running engine.
public struct EngineStatus: Sendable, Codable {
    public struct ShardStatus: Sendable, Hashable, Codable {
        public var id: Int
        public var coins: [String]
        public var healthy: Bool
    }

    /// The engine's trading time: simulated or stored-data time in backtests, the wall clock
    /// at the last round on a real venue's feed.
    public var engineTime: Timestamp
    /// What drives the engine: "simulated market", "stored data", or a venue's feed with
    /// simulated ("paper") or real ("live") orders.
    public var marketSource: String
    public var wallSeconds: Double
    public var activeCoins: Int
    public var shards: [ShardStatus]
    public var threads: Int
    public var totals: PipelineStats
    public var eventsPerSecond: Double
    public var signalsPerSecond: Double
    public var openTrades: [String: Int]
    public var closedTrades: Int
    public var exposurePct: Double
    public var equity: Double
    public var pnl: Double
    /// Tick-to-decision latency over the last interval, nanoseconds.
    public var latencyP50: UInt64
    public var latencyP99: UInt64
    public var latencyP999: UInt64
    /// ACTIVE, REDUCING or HALTED.
    public var tradingState: String
    /// One line per tripped breaker, with its values.
    public var breakers: [String]
    public var breakerTrips: [String: Int]
    /// Live trading only: repairs, reconciliations and drift against the venue.
    public var live: LiveTradingStatus? = nil
}
