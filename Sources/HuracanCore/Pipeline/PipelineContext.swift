/// Everything a coin pipeline shares with its shard: the clock reading, the order outbox, the
/// global risk ledger, closed trades and counters. Owned by one shard; passed `inout`.
public struct PipelineContext: Sendable {
    public let parameters: StrategyParameters
    public let minEdgeAfterCostBps: Double
    /// `cost_model.update_interval_seconds`: fees and funding are refreshed this often.
    public var costUpdateIntervalSeconds = 60.0
    public let risk: RiskLedger
    /// Identifies the shard in client order ids and trade ids.
    public let shardID: Int
    /// Starts every client order id. Live runs make it unique per run (a restarted engine never
    /// reuses an id the venue has seen); ids stay alphanumeric, as OKX requires.
    public var orderIDPrefix = "h"
    public var now = Timestamp.epoch
    /// False while the shard is unhealthy or trading is halted: exits only.
    public var entriesAllowed = true
    /// Coins that may not open trades now and the breaker that says so (cool-down, stale
    /// data), by CoinIndex; nil when the coin may trade.
    public var blockedCoins: [RiskReason?] = []
    /// Venues no entries may be routed to now (venue error breaker), by `VenueID.index`.
    public var blockedVenues = [Bool](repeating: false, count: VenueID.allCases.count)
    /// Equity as last aggregated across shards, for sizing.
    public var equity: Double
    /// Orders to send, drained by the shard after each event.
    public var outbox: [OrderRequest] = []
    /// Throttle and block decisions since the shard last collected them (bounded; counts of all
    /// decisions are in the risk ledger).
    public var riskDecisions: [RiskDecisionRecord] = []
    public static let riskDecisionCapacity = 256
    /// Orders sent since the shard last collected them, with the trade and reason behind each.
    public var orderIntents: [OrderIntent] = []
    /// Signals that reached the cost gate since the shard last collected them (bounded).
    public var signals: [SignalRecord] = []
    public static let signalCapacity = 1_024
    /// Trades closed since the shard last collected them.
    public var closedTrades: [Trade] = []
    public var stats = PipelineStats()
    private var tradeCounter: UInt64 = 0

    public init(parameters: StrategyParameters, minEdgeAfterCostBps: Double, risk: RiskLedger, shardID: Int, equity: Double) {
        self.parameters = parameters
        self.minEdgeAfterCostBps = minEdgeAfterCostBps
        self.risk = risk
        self.shardID = shardID
        self.equity = equity
        outbox.reserveCapacity(64)
        closedTrades.reserveCapacity(64)
    }

    /// Unique across shards: shard id in the top 16 bits.
    mutating func nextTradeID() -> UInt64 {
        tradeCounter += 1
        return UInt64(shardID) << 48 | tradeCounter
    }
}

/// Counters of one shard's decisions.
public struct PipelineStats: Sendable, Hashable, Codable {
    public var events = 0
    /// Model outputs confident enough for a style.
    public var signals = 0
    public var skippedByCost = 0
    /// Entry candidates skipped because the coin's fees or funding are stale.
    public var skippedStaleCost = 0
    public var skippedBySize = 0
    public var riskApproved = 0
    public var riskThrottled = 0
    public var riskBlocked = 0
    public var ordersSent = 0
    /// Entry candidates stopped by a circuit breaker (coin or venue).
    public var breakerBlocked = 0
    public var orderErrors = 0
    public var rejects = 0
    /// Exit orders refused by the venue (each backs the trade's next exit off; an alert metric).
    public var exitRejects = 0
    /// Fills that arrived after their order was final (applied to the trade, never dropped).
    public var lateFills = 0
    /// Entries throttled, blocked by the risk gate, or blocked by a breaker, per limit or breaker.
    public var riskThrottledBy: [RiskReason: Int] = [:]
    public var riskBlockedBy: [RiskReason: Int] = [:]
    public var breakerBlockedBy: [RiskReason: Int] = [:]
    public init() {}

    public static func + (a: PipelineStats, b: PipelineStats) -> PipelineStats {
        var s = a
        s.events += b.events
        s.signals += b.signals
        s.skippedByCost += b.skippedByCost
        s.skippedStaleCost += b.skippedStaleCost
        s.skippedBySize += b.skippedBySize
        s.riskApproved += b.riskApproved
        s.riskThrottled += b.riskThrottled
        s.riskBlocked += b.riskBlocked
        s.ordersSent += b.ordersSent
        s.breakerBlocked += b.breakerBlocked
        s.orderErrors += b.orderErrors
        s.rejects += b.rejects
        s.exitRejects += b.exitRejects
        s.lateFills += b.lateFills
        s.riskThrottledBy.merge(b.riskThrottledBy, uniquingKeysWith: +)
        s.riskBlockedBy.merge(b.riskBlockedBy, uniquingKeysWith: +)
        s.breakerBlockedBy.merge(b.breakerBlockedBy, uniquingKeysWith: +)
        return s
    }
}

/// One THROTTLE or BLOCK of the risk gate, with the limit and numbers that decided it.
public struct RiskDecisionRecord: Sendable, Hashable {
    public var coin: CoinIndex
    public var venue: VenueID
    public var time: Timestamp
    public var requestedNotional: Double
    public var check: RiskCheck

    public init(coin: CoinIndex, venue: VenueID, time: Timestamp, requestedNotional: Double, check: RiskCheck) {
        self.coin = coin
        self.venue = venue
        self.time = time
        self.requestedNotional = requestedNotional
        self.check = check
    }
}

/// An order as the pipeline sent it: the request, its trade, and why.
public struct OrderIntent: Sendable, Hashable {
    public var request: OrderRequest
    public var tradeID: UInt64
    public var style: TradeStyle
    /// Entry: style, edge, confidence and risk decision. Exit: the exit reason.
    public var reason: String
    public var time: Timestamp
}

/// A model output confident enough for a style, with its edge after cost.
public struct SignalRecord: Sendable, Hashable {
    public var coin: CoinIndex
    public var style: TradeStyle
    public var side: Side
    public var edgeBps: Double
    public var confidence: Double
    public var edgeAfterCostBps: Double
    public var time: Timestamp
}
