import HuracanCore
import HuracanSimVenue
import Logging

/// Feeding the circuit breakers and applying their verdict to the shards.
extension Engine {
    /// Gives the breakers what the round produced: market data times, trade results, venue
    /// request outcomes, equity.
    func feedBreakers(equity: Double) {
        let time = now
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
        for trade in tradeLog.trades(since: tradesFedToBreakers) {
            if let coin = universe.index(of: trade.coin) {
                events += breakers.recordTradeResult(coin: coin, coinName: trade.coin, netPnL: trade.netPnL.doubleValue, at: trade.closedAt ?? time)
            }
        }
        tradesFedToBreakers = tradeLog.count
        tradeLog.trim(oldestUnread: min(tradesFedToBreakers, metricsTradesSeen))
        events += breakers.updateEquity(equity, at: time)
        record(events)
    }

    /// Applies breaker states to the shards before a round: the kill switch, global state
    /// (REDUCING/HALTED stop entries; HALTED also closes open trades), and per-coin and
    /// per-venue blocks.
    func applyBreakers() {
        let time = now
        var events: [BreakerEvent] = []
        let killed = control.isKilled
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

    func record(_ events: [BreakerEvent]) {
        guard !events.isEmpty else { return }
        // Many coins going stale (or fresh) at once, as when a feed drops, are one line each way.
        let stale = events.filter { $0.kind == .staleData }
        let trips = stale.filter(\.tripped).map(\.scope), resets = stale.filter { !$0.tripped }.map(\.scope)
        let summarizeTrips = trips.count > Self.staleLinesBeforeSummary, summarizeResets = resets.count > Self.staleLinesBeforeSummary
        if summarizeTrips {
            logger.warning("breaker stale_data tripped on \(trips.count) coins: \(Self.summarize(trips)): no entries on them until their market data is fresh")
        }
        if summarizeResets { logger.notice("breaker stale_data reset on \(resets.count) coins: \(Self.summarize(resets))") }
        for event in events {
            if event.kind == .staleData, event.tripped ? summarizeTrips : summarizeResets { continue }
            if event.tripped {
                logger.warning("breaker \(event.kind.rawValue) tripped (\(event.scope)): \(event.message)")
            } else {
                logger.notice("breaker \(event.kind.rawValue) reset (\(event.scope)): \(event.message)")
            }
        }
        breakerEvents += events
        if breakerEvents.count > 200 { breakerEvents.removeFirst(breakerEvents.count - 200) }
    }

    /// Stale-data events in one batch beyond which they are logged as one summary line.
    static let staleLinesBeforeSummary = 3

    /// "A, B, C, D, E and 7 more".
    static func summarize(_ names: [String], showing count: Int = 8) -> String {
        names.count <= count ? names.joined(separator: ", ") : names.prefix(count).joined(separator: ", ") + " and \(names.count - count) more"
    }
}
