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
        /// A shard's round view (`beginRound`): the most it may reach under each shared limit
        /// this round, and the engine ledger's state the round started from.
        var caps: RoundCaps?
        var base: RiskRoundDelta?
    }

    /// Absolute notionals (and a trade count) a round view may reach in each shared scope.
    struct RoundCaps {
        var sector: [Double]
        var exchange: [Double]
        var global: Double
        var trades: Int
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
        // A round view may not go past its share of the room in the shared scopes (the coin is
        // the shard's own); the soft threshold still looks at the real limit.
        let scopes: [(RiskReason, Double, Double, Double)] = [
            (.coinExposure, s.coin[Int(request.coin)], limits.perCoinMaxExposurePct, .infinity),
            (.sectorExposure, s.sector[request.sector.index], limits.perSectorMaxExposurePct, s.caps?.sector[request.sector.index] ?? .infinity),
            (.exchangeExposure, s.exchange[request.venue.index], limits.perExchangeMaxExposurePct, s.caps?.exchange[request.venue.index] ?? .infinity),
            (.globalExposure, s.global, limits.globalMaxExposurePct, s.caps?.global ?? .infinity),
        ]
        func pct(_ notional: Double) -> Double { notional / equity * 100 }
        if s.openTrades >= min(limits.maxConcurrentTrades, s.caps?.trades ?? .max) {
            return RiskCheck(decision: .block, reason: .concurrentTrades, approvedNotional: 0,
                             exposurePct: Double(s.openTrades), limitPct: Double(limits.maxConcurrentTrades))
        }
        let soft = limits.softThrottleThresholdPct / 100
        var throttleReason: RiskReason?
        var throttleScope = (0.0, 0.0)
        var room = Double.infinity
        var binding = (RiskReason.withinLimits, 0.0, 0.0)
        for (reason, exposure, limitPct, cap) in scopes {
            let limit = limitPct / 100 * equity
            let scopeRoom = min(limit, cap) - exposure
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
            min(s.limits.perExchangeMaxExposurePct / 100 * s.equity, s.caps?.exchange[venue.index] ?? .infinity) - s.exchange[venue.index] < notional
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

    // MARK: round views

    /// Makes this ledger a shard's view of `engine` for one round of a simulated-clock run:
    /// the engine ledger's state now, with `share` of the room left under each shared limit
    /// (sector, exchange, global) and `tradeSlots` of the free trade slots. Shards then decide
    /// on their own view during the round and the engine applies what each changed at the
    /// barrier, in shard order (`endRound`, `apply`): the same trades whatever the number of
    /// threads, and the shards together never pass a limit.
    public func beginRound(_ g: RoundStart, share: Double, tradeSlots: Int) {
        let e = g.equity
        func cap(_ exposure: Double, _ limitPct: Double) -> Double { exposure + share * max(0, limitPct / 100 * e - exposure) }
        state.withLock { s in
            s.limits = g.limits
            s.equity = e
            s.coin = g.base.coin
            s.sector = g.base.sector
            s.exchange = g.base.exchange
            s.global = g.base.global
            s.openTrades = g.base.openTrades
            s.highestApprovedPct = g.base.highestApprovedPct
            s.decisions = [Int](repeating: 0, count: s.decisions.count)
            s.caps = RoundCaps(sector: g.base.sector.map { cap($0, g.limits.perSectorMaxExposurePct) },
                               exchange: g.base.exchange.map { cap($0, g.limits.perExchangeMaxExposurePct) },
                               global: cap(g.base.global, g.limits.globalMaxExposurePct), trades: g.base.openTrades + max(0, tradeSlots))
            s.base = g.base
        }
    }

    /// The engine ledger's state at a round start, read once and handed to every shard's view.
    public struct RoundStart: Sendable {
        let limits: RiskLimits
        let equity: Double
        /// The whole state (a delta from zero).
        let base: RiskRoundDelta
        public var openTrades: Int { base.openTrades }
        public var maxConcurrentTrades: Int { limits.maxConcurrentTrades }
    }

    public func roundStart() -> RoundStart {
        state.withLock { s in
            RoundStart(limits: s.limits, equity: s.equity,
                       base: RiskRoundDelta(coin: s.coin, sector: s.sector, exchange: s.exchange, global: s.global, openTrades: s.openTrades,
                                            decisions: s.decisions, highestApprovedPct: s.highestApprovedPct))
        }
    }

    /// What this round view changed since `beginRound`.
    public func endRound() -> RiskRoundDelta {
        state.withLock { s in
            guard let base = s.base else { return RiskRoundDelta(coinCount: s.coin.count, decisionCount: s.decisions.count) }
            return RiskRoundDelta(coin: zip(s.coin, base.coin).map { $0 - $1 }, sector: zip(s.sector, base.sector).map { $0 - $1 },
                                  exchange: zip(s.exchange, base.exchange).map { $0 - $1 }, global: s.global - base.global,
                                  openTrades: s.openTrades - base.openTrades, decisions: s.decisions, highestApprovedPct: s.highestApprovedPct)
        }
    }

    /// Applies a shard's round (the engine's ledger, at the barrier).
    public func apply(_ delta: RiskRoundDelta) {
        state.withLock { s in
            for i in s.coin.indices { s.coin[i] += delta.coin[i] }
            for i in s.sector.indices { s.sector[i] += delta.sector[i] }
            for i in s.exchange.indices { s.exchange[i] += delta.exchange[i] }
            s.global += delta.global
            s.openTrades += delta.openTrades
            for i in s.decisions.indices { s.decisions[i] += delta.decisions[i] }
            var h = s.highestApprovedPct
            h.coin = max(h.coin, delta.highestApprovedPct.coin)
            h.sector = max(h.sector, delta.highestApprovedPct.sector)
            h.exchange = max(h.exchange, delta.highestApprovedPct.exchange)
            // The levels a view's approvals left, against the round's start and its own changes;
            // the caps keep the shards' sum within every limit.
            h.global = max(h.global, delta.highestApprovedPct.global)
            s.highestApprovedPct = h
        }
    }

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

/// What a shard's round view of the risk ledger changed in one round (or, as the start of a
/// round, the whole state): exposure per coin, sector and exchange and in total, open trades,
/// decisions counted, and the highest exposure an approval left.
public struct RiskRoundDelta: Sendable {
    var coin: [Double]
    var sector: [Double]
    var exchange: [Double]
    var global: Double
    var openTrades: Int
    var decisions: [Int]
    var highestApprovedPct: HighestApproved
}

extension RiskRoundDelta {
    /// No change.
    init(coinCount: Int, decisionCount: Int) {
        self.init(coin: [Double](repeating: 0, count: coinCount), sector: [Double](repeating: 0, count: Sector.allCases.count),
                  exchange: [Double](repeating: 0, count: VenueID.allCases.count), global: 0, openTrades: 0,
                  decisions: [Int](repeating: 0, count: decisionCount), highestApprovedPct: HighestApproved())
    }
}

/// The highest exposure per scope, in percent of equity, that any approved trade has left.
public struct HighestApproved: Sendable, Hashable, Codable {
    public var coin = 0.0
    public var sector = 0.0
    public var exchange = 0.0
    public var global = 0.0
    public init() {}
}
