import HuracanCore
import HuracanSimVenue
import Logging

/// The circuit breakers and what the engine does with them: fed with what each round produced
/// (market data times, venue request outcomes, closed trades, equity), and applied to the shards
/// before the next round (kill switch, REDUCING/HALTED, per-coin and per-venue blocks). Owned by
/// the engine's coordinator; touched between rounds only.
struct BreakerSupervisor {
    private(set) var breakers: CircuitBreakers
    /// The most recent breaker trips and resets, newest last (bounded).
    private(set) var events: [BreakerEvent] = []
    /// Real venues: why a coin may not open trades now (its book is resyncing); nil means no objection.
    let coinGate: (@Sendable (CoinIndex) -> RiskReason?)?
    /// Real venues' request and failure counts since the last call.
    let venueHealthSources: [VenueHealthSource]
    let logger: Logger
    private var killSwitchSeen = false
    private var flattenedForHalt = false
    /// Closed trades (by `ClosedTradeLog` count) already given to the breakers.
    private(set) var tradesRead = 0

    init(breakers: CircuitBreakers, coinGate: (@Sendable (CoinIndex) -> RiskReason?)?, venueHealthSources: [VenueHealthSource], logger: Logger) {
        self.breakers = breakers
        self.coinGate = coinGate
        self.venueHealthSources = venueHealthSources
        self.logger = logger
    }

    mutating func watch(only coins: [CoinIndex], at time: Timestamp) { breakers.watch(only: coins, at: time) }

    /// Gives the breakers what the round produced: market data times, trade results, venue
    /// request outcomes, equity.
    mutating func feed(shards: [Shard], trades: ClosedTradeLog, universe: Universe, equity: Double, at time: Timestamp) {
        var events: [BreakerEvent] = []
        for shard in shards {
            shard.forEachCoin { coin, lastEvent in
                if lastEvent > .epoch { breakers.recordMarketData(coin: coin, at: lastEvent) }
            }
            for venue in VenueID.allCases {
                let sent = shard.venueRequests[venue.index], failed = shard.venueFailures[venue.index]
                for i in 0..<sent { events += breakers.recordVenueRequest(venue, failed: i < failed, at: time) }
                shard.venueRequests[venue.index] = 0
                shard.venueFailures[venue.index] = 0
            }
        }
        for source in venueHealthSources {
            let (sent, failed) = source.drain()
            for i in 0..<sent { events += breakers.recordVenueRequest(source.venue, failed: i < failed, at: time) }
        }
        for trade in trades.trades(since: tradesRead) {
            if let coin = universe.index(of: trade.coin) {
                events += breakers.recordTradeResult(coin: coin, coinName: trade.coin, netPnL: trade.netPnL.doubleValue, at: trade.closedAt ?? time)
            }
        }
        tradesRead = trades.count
        events += breakers.updateEquity(equity, at: time)
        record(events)
    }

    /// Applies breaker states to the shards before a round: the kill switch, global state
    /// (REDUCING/HALTED stop entries; HALTED also closes open trades), and per-coin and
    /// per-venue blocks. `entriesSuspended`: no new entries for another reason (a warm-up).
    mutating func apply(to shards: [Shard], killed: Bool, entriesSuspended: Bool, at time: Timestamp) {
        var events: [BreakerEvent] = []
        if killed != killSwitchSeen {
            events += breakers.setKillSwitch(killed, at: time)
            killSwitchSeen = killed
        }
        events += breakers.tick(at: time)
        record(events)
        let state = breakers.globalState
        let blockedVenues = VenueID.allCases.map { breakers.state(of: $0) != .active }
        for shard in shards {
            shard.entriesEnabled = state == .active && !entriesSuspended
            shard.context.blockedVenues = blockedVenues
            shard.forEachCoin { c, _ in
                shard.context.blockedCoins[Int(c)] = breakers.isStale(coin: c, at: time) ? .staleData
                    : (breakers.isCoolingDown(coin: c, at: time) ? .lossCooldown : coinGate?(c))
            }
        }
        if state == .halted, !flattenedForHalt {
            logger.critical("trading HALTED: closing every open trade")
            for shard in shards { shard.flattenAll() }
            flattenedForHalt = true
        } else if state != .halted {
            flattenedForHalt = false
        }
    }

    /// Tripped breakers, leaving out coins that are not `traded` (they have no data by design).
    func activeLines(traded: Set<String>, at time: Timestamp) -> [String] {
        breakers.describe(at: time).filter { line in
            guard line.hasPrefix("stale_data ") else { return true }
            let coin = line.dropFirst("stale_data ".count).prefix { $0 != ":" }
            return traded.contains(String(coin))
        }
    }

    private mutating func record(_ new: [BreakerEvent]) {
        guard !new.isEmpty else { return }
        // Many coins going stale (or fresh) at once, as when a feed drops, are one line each way.
        let stale = new.filter { $0.kind == .staleData }
        let trips = stale.filter(\.tripped).map(\.scope), resets = stale.filter { !$0.tripped }.map(\.scope)
        let summarizeTrips = trips.count > Self.staleLinesBeforeSummary, summarizeResets = resets.count > Self.staleLinesBeforeSummary
        if summarizeTrips {
            logger.warning("breaker stale_data tripped on \(trips.count) coins: \(Self.summarize(trips)): no entries on them until their market data is fresh")
        }
        if summarizeResets { logger.notice("breaker stale_data reset on \(resets.count) coins: \(Self.summarize(resets))") }
        for event in new {
            if event.kind == .staleData, event.tripped ? summarizeTrips : summarizeResets { continue }
            if event.tripped {
                logger.warning("breaker \(event.kind.rawValue) tripped (\(event.scope)): \(event.message)")
            } else {
                logger.notice("breaker \(event.kind.rawValue) reset (\(event.scope)): \(event.message)")
            }
        }
        events += new
        if events.count > 200 { events.removeFirst(events.count - 200) }
    }

    /// Stale-data events in one batch beyond which they are logged as one summary line.
    static let staleLinesBeforeSummary = 3

    /// "A, B, C, D, E and 7 more".
    static func summarize(_ names: [String], showing count: Int = 8) -> String {
        names.count <= count ? names.joined(separator: ", ") : names.prefix(count).joined(separator: ", ") + " and \(names.count - count) more"
    }
}

/// A real venue's request and failure counts since the last `drain`, for the venue error-rate breaker.
public struct VenueHealthSource: Sendable {
    public var venue: VenueID
    public var drain: @Sendable () -> (requests: Int, failures: Int)

    public init(venue: VenueID, drain: @escaping @Sendable () -> (requests: Int, failures: Int)) {
        self.venue = venue
        self.drain = drain
    }
}
