import Synchronization

/// The global risk controller's shared state: live exposure per coin, sector, exchange and in
/// total, and the number of open trades. Every shard checks and reserves through one short
/// critical section, so concurrent shards can never jointly exceed a limit.
public final class RiskLedger: Sendable {
    struct State {
        var limits: RiskLimits
        var equity: Double
        var coin: [Double]
        var sector = [Double](repeating: 0, count: Sector.allCases.count)
        var exchange = [Double](repeating: 0, count: VenueID.allCases.count)
        var global = 0.0
        var openTrades = 0
        /// Highest exposure (percent of the equity of the moment) any approval has left, per
        /// scope: the property the ledger guarantees stays within the limits.
        var highestApprovedPct = HighestApproved()
        var decisions = [Int](repeating: 0, count: RiskDecision.allCases.count * RiskReason.allCases.count)
    }

    private let state: Locked<State>
    /// The ledger shared with other engine processes, when several run (nil: this process alone).
    public let shared: (any SharedRiskGate)?

    public init(limits: RiskLimits, equity: Double, coinCount: Int, shared: (any SharedRiskGate)? = nil) {
        self.state = Locked(State(limits: limits, equity: equity, coin: [Double](repeating: 0, count: coinCount)))
        self.shared = shared
    }

    public var limits: RiskLimits { state.withLock { $0.limits } }

    /// Applies new limits (configuration reload); open trades are kept.
    public func updateLimits(_ limits: RiskLimits) { state.withLock { $0.limits = limits } }

    /// The spec's `check_trade`: decides, and reserves the approved notional atomically. With
    /// a shared ledger, what this process approves is then reserved there too, and the smaller
    /// of the two answers stands.
    public func checkTrade(_ request: TradeRequest) -> RiskCheck {
        guard let shared else {
            return state.withLock { s in
                let check = Self.decide(request, limits: s.limits, state: s)
                if check.decision != .block { Self.reserve(check.approvedNotional, for: request, in: &s) }
                Self.count(check, in: &s)
                return check
            }
        }
        let (local, limits, equity) = state.withLock { s in
            let check = Self.decide(request, limits: s.limits, state: s)
            if check.decision != .block { Self.reserve(check.approvedNotional, for: request, in: &s) }
            if check.decision == .block { Self.count(check, in: &s) }
            return (check, s.limits, s.equity)
        }
        guard local.decision != .block else { return local }
        let final = shared.reserve(request, local: local, limits: limits, equity: equity)
        state.withLock { s in
            let returned = local.approvedNotional - (final.decision == .block ? 0 : final.approvedNotional)
            if returned > 0 { Self.reserve(-returned, for: request, in: &s, trade: false) }
            if final.decision == .block { s.openTrades -= 1 }
            Self.count(final, in: &s)
        }
        return final
    }

    /// Adds `notional` to the request's scopes (and a trade to the count), tracking the highest
    /// approved exposure.
    private static func reserve(_ n: Double, for request: TradeRequest, in s: inout State, trade: Bool = true) {
        s.coin[Int(request.coin)] += n
        s.sector[request.sector.index] += n
        s.exchange[request.venue.index] += n
        s.global += n
        guard trade else { return }
        s.openTrades += 1
        let e = s.equity
        s.highestApprovedPct.coin = max(s.highestApprovedPct.coin, s.coin[Int(request.coin)] / e * 100)
        s.highestApprovedPct.sector = max(s.highestApprovedPct.sector, s.sector[request.sector.index] / e * 100)
        s.highestApprovedPct.exchange = max(s.highestApprovedPct.exchange, s.exchange[request.venue.index] / e * 100)
        s.highestApprovedPct.global = max(s.highestApprovedPct.global, s.global / e * 100)
    }

    private static func count(_ check: RiskCheck, in s: inout State) {
        let decisionIndex = RiskDecision.allCases.firstIndex(of: check.decision)!
        let reasonIndex = RiskReason.allCases.firstIndex(of: check.reason)!
        s.decisions[decisionIndex * RiskReason.allCases.count + reasonIndex] += 1
    }

    static func decide(_ request: TradeRequest, limits: RiskLimits, state s: State) -> RiskCheck {
        guard s.equity > 0 else {
            return RiskCheck(decision: .block, reason: .noEquity, approvedNotional: 0, exposurePct: 0, limitPct: 0)
        }
        let equity = s.equity
        let scopes: [(RiskReason, Double, Double)] = [
            (.coinExposure, s.coin[Int(request.coin)], limits.perCoinMaxExposurePct),
            (.sectorExposure, s.sector[request.sector.index], limits.perSectorMaxExposurePct),
            (.exchangeExposure, s.exchange[request.venue.index], limits.perExchangeMaxExposurePct),
            (.globalExposure, s.global, limits.globalMaxExposurePct),
        ]
        func pct(_ notional: Double) -> Double { notional / equity * 100 }
        if s.openTrades >= limits.maxConcurrentTrades {
            return RiskCheck(decision: .block, reason: .concurrentTrades, approvedNotional: 0,
                             exposurePct: Double(s.openTrades), limitPct: Double(limits.maxConcurrentTrades))
        }
        let soft = limits.softThrottleThresholdPct / 100
        var throttleReason: RiskReason?
        var throttleScope = (0.0, 0.0)
        var room = Double.infinity
        var binding = (RiskReason.withinLimits, 0.0, 0.0)
        for (reason, exposure, limitPct) in scopes {
            let limit = limitPct / 100 * equity
            let scopeRoom = limit - exposure
            if scopeRoom < room {
                room = scopeRoom
                binding = (reason, pct(exposure), limitPct)
            }
            if throttleReason == nil, exposure + request.notional > limit * soft {
                throttleReason = reason
                throttleScope = (pct(exposure), limitPct)
            }
        }
        if throttleReason == nil, s.openTrades >= limits.maxActiveTrades {
            throttleReason = .activeTrades
            throttleScope = (Double(s.openTrades), Double(limits.maxActiveTrades))
        }
        guard let reason = throttleReason else {
            return RiskCheck(decision: .approve, reason: .withinLimits, approvedNotional: request.notional,
                             exposurePct: pct(s.global), limitPct: limits.globalMaxExposurePct)
        }
        let allowed = min(request.notional / 2, room)
        if allowed < request.minimumNotional || allowed <= 0 {
            let blocking = room < request.minimumNotional ? binding.0 : .belowMinimum
            return RiskCheck(decision: .block, reason: blocking, approvedNotional: 0, exposurePct: binding.1, limitPct: binding.2)
        }
        return RiskCheck(decision: .throttle, reason: reason, approvedNotional: allowed,
                         exposurePct: throttleScope.0, limitPct: throttleScope.1)
    }

    /// Whether `venue`'s exchange limit leaves less than `notional` of room (for routing: a
    /// full venue is skipped in favour of the next cheapest).
    public func isExchangeFull(_ venue: VenueID, for notional: Double) -> Bool {
        state.withLock { s in
            s.limits.perExchangeMaxExposurePct / 100 * s.equity - s.exchange[venue.index] < notional
        }
    }

    /// Changes the exposure of a coin (commit a fill against its reservation, release a
    /// reservation, or remove closed notional). `delta` may be negative.
    public func adjust(coin: CoinIndex, sector: Sector, venue: VenueID, by delta: Double) {
        state.withLock { s in
            s.coin[Int(coin)] += delta
            s.sector[sector.index] += delta
            s.exchange[venue.index] += delta
            s.global += delta
        }
        shared?.adjust(coin: coin, sector: sector, venue: venue, by: delta)
    }

    /// A trade ended (closed, or its entry never filled): frees its slot in the trade count.
    public func tradeEnded() {
        state.withLock { $0.openTrades -= 1 }
        shared?.tradeEnded()
    }

    public func updateEquity(_ equity: Double) { state.withLock { $0.equity = equity } }

    /// A consistent copy of the ledger, for status and tests.
    public func snapshot() -> RiskSnapshot {
        state.withLock { s in
            var counts: [RiskDecision: [RiskReason: Int]] = [:]
            for (d, decision) in RiskDecision.allCases.enumerated() {
                for (r, reason) in RiskReason.allCases.enumerated() where s.decisions[d * RiskReason.allCases.count + r] > 0 {
                    counts[decision, default: [:]][reason] = s.decisions[d * RiskReason.allCases.count + r]
                }
            }
            return RiskSnapshot(equity: s.equity, coin: s.coin, sector: s.sector, exchange: s.exchange, global: s.global,
                                openTrades: s.openTrades, decisions: counts, highestApprovedPct: s.highestApprovedPct)
        }
    }
}

/// A point-in-time copy of the risk ledger.
public struct RiskSnapshot: Sendable {
    public var equity: Double
    public var coin: [Double]
    public var sector: [Double]
    public var exchange: [Double]
    public var global: Double
    public var openTrades: Int
    public var decisions: [RiskDecision: [RiskReason: Int]]
    public var highestApprovedPct: HighestApproved

    public var globalExposurePct: Double { equity > 0 ? global / equity * 100 : 0 }
    public func count(_ decision: RiskDecision) -> Int { decisions[decision]?.values.reduce(0, +) ?? 0 }
}

/// The highest exposure per scope, in percent of equity, that any approved trade has left.
public struct HighestApproved: Sendable, Hashable, Codable {
    public var coin = 0.0
    public var sector = 0.0
    public var exchange = 0.0
    public var global = 0.0
    public init() {}
}
