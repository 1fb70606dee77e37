/// Exposure and trade-count limits of the global risk controller, from `engine.risk.*`.
/// Exposure is gross notional divided by equity, in percent.
public struct RiskLimits: Sendable, Hashable {
    public var globalMaxExposurePct = 200.0
    public var perCoinMaxExposurePct = 40.0
    public var perSectorMaxExposurePct = 60.0
    public var perExchangeMaxExposurePct = 150.0
    /// Share of any limit (percent) where new trades start being throttled.
    public var softThrottleThresholdPct = 80.0
    /// Soft limit on open trades: above it new trades are throttled.
    public var maxActiveTrades = 100
    /// Hard limit on open trades: at it new trades are blocked.
    public var maxConcurrentTrades = 500
    public init() {}
}

/// The spec's three answers to `check_trade`.
public enum RiskDecision: String, Sendable, Hashable, CaseIterable {
    /// Within every limit and below every soft threshold: full size.
    case approve = "APPROVE"
    /// In the soft zone: allowed at half size, cut to the room left under every hard limit.
    case throttle = "THROTTLE"
    /// Would breach a hard limit even at the smallest tradable size, or trading is halted.
    case block = "BLOCK"
}

/// Which limit decided, with a bounded set of values (used as a metric label).
public enum RiskReason: String, Sendable, Hashable, CaseIterable, Codable {
    case withinLimits = "within_limits"
    case coinExposure = "coin_exposure"
    case sectorExposure = "sector_exposure"
    case exchangeExposure = "exchange_exposure"
    case globalExposure = "global_exposure"
    case activeTrades = "max_active_trades"
    case concurrentTrades = "max_concurrent_trades"
    case belowMinimum = "below_minimum_size"
    case noEquity = "no_equity"
    /// Circuit breakers that stop entries on one coin or venue.
    case staleData = "stale_data"
    case lossCooldown = "consecutive_losses"
    case venueErrors = "venue_errors"
    /// Several engine processes share one ledger (Redis) and it cannot be reached: no entry
    /// may open without it, since the other processes' exposure is unknown.
    case sharedLedgerUnavailable = "shared_ledger_unavailable"
    /// A real venue's order book for the coin is not in sync (awaiting its snapshot, or a
    /// sequence gap or checksum failure being resynced): no entry on a book we cannot trust.
    case bookOutOfSync = "book_out_of_sync"
}

/// A request to open a trade: which coin, where, and how much notional (in quote currency).
public struct TradeRequest: Sendable, Hashable {
    public var coin: CoinIndex
    public var sector: Sector
    public var venue: VenueID
    public var notional: Double
    /// The smallest notional worth sending (instrument minimum).
    public var minimumNotional: Double

    public init(coin: CoinIndex, sector: Sector, venue: VenueID, notional: Double, minimumNotional: Double) {
        self.coin = coin
        self.sector = sector
        self.venue = venue
        self.notional = notional
        self.minimumNotional = minimumNotional
    }
}

/// The answer to a trade request. When not blocked, `approvedNotional` is already reserved in the
/// ledger and must be committed (on fill) or released (on reject, cancel or expiry).
public struct RiskCheck: Sendable, Hashable {
    public var decision: RiskDecision
    public var reason: RiskReason
    public var approvedNotional: Double
    /// The binding scope's exposure before the trade and its limit, in percent of equity.
    public var exposurePct: Double
    public var limitPct: Double

    public init(decision: RiskDecision, reason: RiskReason, approvedNotional: Double, exposurePct: Double, limitPct: Double) {
        self.decision = decision
        self.reason = reason
        self.approvedNotional = approvedNotional
        self.exposurePct = exposurePct
        self.limitPct = limitPct
    }

    public var explanation: String {
        switch decision {
        case .approve: "APPROVE within limits"
        case .throttle, .block:
            switch reason {
            case .staleData, .lossCooldown, .venueErrors:
                "\(decision.rawValue) \(reason.rawValue): circuit breaker"
            case .bookOutOfSync:
                "\(decision.rawValue) \(reason.rawValue): the venue's order book is being resynced"
            case .sharedLedgerUnavailable:
                "\(decision.rawValue) \(reason.rawValue): the risk ledger shared by the engine processes cannot be reached"
            case .activeTrades, .concurrentTrades:
                "\(decision.rawValue) \(reason.rawValue): \(Int(exposurePct)) open trades of limit \(Int(limitPct))"
            default:
                "\(decision.rawValue) \(reason.rawValue): exposure \(format(exposurePct))% of limit \(format(limitPct))%"
            }
        }
    }
}

func format(_ value: Double) -> String {
    let scaled = (value * 100).rounded() / 100
    return String(scaled)
}
