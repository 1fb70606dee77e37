import HuracanConfig
import HuracanCore

/// The parts of `EngineConfig` the core uses, converted once at start and on reload.
public struct EngineSettings: Sendable {
    public var strategy: StrategyParameters
    /// Which strategy each coin runs.
    public var strategySelection: StrategySelection
    public var limits: RiskLimits
    public var breakers: BreakerSettings
    public var minEdgeAfterCostBps: Double
    public var costUpdateIntervalSeconds: Double
    public var streamPrefix: String
    public var busCapacity: Int
    public var maxConsumersPerGroup: Int
    public var rankActiveSet: Bool
    public var rankingIntervalSeconds: Double
    public var rankingHysteresis: Double
    public var activeCoins: Int
    public var coinsPerEventLoop: Int
    public var threads: Int
    public var watchdogSeconds: Double
    public var startingEquity: Double
    public var seed: UInt64
    public var updateIntervalMs: Double
    public var latencyNanoseconds: Int64
    public var venues: [VenueID]
    /// Grid of the equity samples behind Sharpe, Sortino, volatility and drawdown.
    public var equityIntervalSeconds: Double

    public init(_ config: EngineConfig) {
        var strategy = StrategyParameters()
        strategy.maxTradesPerCoin = config.strategy.maxTradesPerCoin
        strategy.entryCooldownSeconds = config.strategy.entryCooldownSeconds
        strategy.warmupSeconds = config.strategy.warmupSeconds
        strategy.riskPerTrade = config.risk.riskPerTradePct / 100
        strategy.scalp = config.strategy.scalp
        strategy.runner = config.strategy.runner
        self.strategy = strategy
        strategySelection = config.strategy.selection

        var limits = RiskLimits()
        limits.globalMaxExposurePct = config.risk.globalMaxExposurePct
        limits.perCoinMaxExposurePct = config.risk.perCoinMaxExposurePct
        limits.perSectorMaxExposurePct = config.risk.perSectorMaxExposurePct
        limits.perExchangeMaxExposurePct = config.risk.perExchangeMaxExposurePct
        limits.softThrottleThresholdPct = config.risk.softThrottleThresholdPct
        limits.maxActiveTrades = config.maxActiveTrades
        limits.maxConcurrentTrades = config.maxConcurrentTrades
        self.limits = limits

        var breakers = BreakerSettings()
        breakers.maxDrawdownPct = config.risk.maxDrawdownPct
        breakers.dailyLossLimitPct = config.risk.dailyLossLimitPct
        breakers.maxConsecutiveLosses = config.risk.maxConsecutiveLosses
        breakers.lossCooldownSeconds = config.risk.lossCooldownSeconds
        breakers.staleDataSeconds = config.risk.staleDataSeconds
        breakers.staleDataGraceSeconds = config.risk.staleDataGraceSeconds
        breakers.venueErrorRatePct = config.risk.venueErrorRatePct
        breakers.venueErrorWindowSeconds = config.risk.venueErrorWindowSeconds
        breakers.venueMinimumRequests = config.risk.venueErrorMinRequests
        self.breakers = breakers

        minEdgeAfterCostBps = config.costModel.minEdgeAfterCostBps
        costUpdateIntervalSeconds = config.costModel.updateIntervalSeconds
        streamPrefix = config.messageBus.streamPrefix
        busCapacity = config.messageBus.queueCapacity
        maxConsumersPerGroup = config.messageBus.maxConsumersPerGroup
        rankActiveSet = config.costModel.rankActiveSet
        rankingIntervalSeconds = config.costModel.rankingIntervalSeconds
        rankingHysteresis = config.costModel.rankingHysteresisPct / 100
        activeCoins = config.activeCoins
        coinsPerEventLoop = config.coinsPerEventLoop
        threads = config.eventLoopThreads
        watchdogSeconds = config.eventLoopTimeoutSeconds
        startingEquity = config.startingEquity
        seed = UInt64(config.simulator.seed)
        updateIntervalMs = config.simulator.updateIntervalMs
        latencyNanoseconds = Int64(config.simulator.latencyMs * 1_000_000)
        venues = config.simulator.venues.compactMap(VenueID.init(rawValue:))
        equityIntervalSeconds = config.simulator.equityIntervalSeconds
    }

    /// ceil(active_coins / coins_per_event_loop).
    public var shardCount: Int { max(1, (activeCoins + coinsPerEventLoop - 1) / coinsPerEventLoop) }
}
