import HuracanCore
import HuracanExchanges
import HuracanVenues
import Logging
import Synchronization

/// The venue's 24 h statistics and quotes of every universe coin, refreshed every ranking
/// interval, as the cost snapshots the active set is ranked on: spread from the best bid and
/// ask, volatility from the day's high and low, the account's fees when read (else the venue's
/// standard schedule), funding from the venue when it publishes it with the statistics.
final class LiveDayStatistics: Sendable {
    let api: VenueAPI
    let universe: Universe
    let logger: Logger
    private let latest = Locked<(statistics: [String: VenueDayStatistics], at: Timestamp)>(([:], .epoch))
    /// The account's fees by coin once a live run read them.
    private let feeLookup = Locked<(@Sendable (String) -> FeeSchedule?)?>(nil)

    init(api: VenueAPI, universe: Universe, logger: Logger) {
        self.api = api
        self.universe = universe
        self.logger = logger
    }

    /// Ranks with the account's fees from now on (live runs; paper runs use the standard schedule).
    func useFees(_ lookup: @escaping @Sendable (String) -> FeeSchedule?) { feeLookup.withLock { $0 = lookup } }

    /// Reads the statistics again; keeps the previous ones when the venue does not answer.
    func refresh() async {
        do {
            let all = try await api.dayStatistics()
            let bySymbol = Dictionary(all.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
            latest.withLock { $0 = (bySymbol, WallClock.now()) }
        } catch {
            logger.warning("\(api.venue) 24 h statistics could not be read (ranking keeps the last ones): \(error)")
        }
    }

    /// Refreshes every `interval` until cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            await refresh()
        }
    }

    /// Cost snapshots of the coins the venue has statistics for.
    func snapshots() -> [CoinIndex: CostSnapshot] {
        let (statistics, at) = latest.withLock { $0 }
        let venue = api.venue
        let fees = feeLookup.withLock { $0 }
        var out: [CoinIndex: CostSnapshot] = [:]
        for (i, instrument) in universe.instruments.enumerated() {
            guard let symbol = instrument.venueSymbols[venue], let s = statistics[symbol], let spread = s.spreadBps, let volatility = s.volatilityBps else { continue }
            let schedule = fees?(instrument.coin) ?? VenueFeeProfiles.standard(venue)
            out[CoinIndex(i)] = CostSnapshot(coin: CoinIndex(i), venue: venue, spreadBps: spread, takerFeeBps: schedule.takerBps, makerFeeBps: schedule.makerBps,
                                             fundingRateBps: (s.fundingRate?.doubleValue ?? 0) * 10_000, volatilityBps: volatility, updatedAt: at)
        }
        return out
    }
}
