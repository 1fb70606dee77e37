import HuracanConfig
import HuracanCore
import HuracanSimVenue
import HuracanStorage

/// Writes the simulated market (the same generator as paper and simulated backtests) into the
/// data lake as book, trade and funding partitions: realistic multi-coin data sets for stored-data
/// backtests, benchmarks and tests without exchange downloads.
public enum SimulatedDataSet {
    public struct Summary: Sendable, Hashable {
        public var coins = 0
        public var books = 0
        public var trades = 0
        public var funding = 0
        public var files = 0
        public var rows: Int { books + trades + funding }
    }

    /// Generates `coins` (the first coins of the configured universe) from `from` to `to` with the
    /// configured seed and update interval, one coin at a time (memory: one coin's rows).
    /// - Parameter bookEvery: keep one book top in this many (thins the quote stream, 1 keeps all).
    public static func generate(config: EngineConfig, lake: DataLake, coins: Int, from: Timestamp, to: Timestamp, bookEvery: Int = 1,
                                progress: ((Int, Summary) -> Void)? = nil) throws -> Summary {
        let universe = try UniverseLoader.load(for: config)
        let settings = EngineSettings(config)
        let parameters = SimulationParameters(seed: settings.seed, start: from, updateIntervalMs: settings.updateIntervalMs)
        let market = SimulatedMarket(universe: universe, parameters: parameters, venues: settings.venues)
        let steps = (to.nanoseconds - from.nanoseconds + parameters.stepNanoseconds - 1) / parameters.stepNanoseconds
        var summary = Summary()
        var events: [MarketEvent] = []
        events.reserveCapacity(64)
        for c in 0..<min(coins, universe.count) {
            try Task.checkCancellation()   // Ctrl-C: stop between coins (files are written whole or not at all)
            let index = CoinIndex(c)
            let name = universe[index].coin
            var coin = market.makeCoin(index)
            var books: [BookRecord] = [], trades: [TradeRecord] = [], funding: [FundingRecord] = []
            var bookCount = 0
            var tradeID: Int64 = 0
            for step in 0..<steps {
                events.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &coin, into: &events)
                for event in events where event.time < to {
                    switch event.payload {
                    case .book(let top):
                        bookCount += 1
                        if bookCount % max(1, bookEvery) == 0 { books.append(BookRecord(time: event.time, coin: name, venue: event.venue, top: top)) }
                    case .trade(let price, let size, let aggressor):
                        tradeID += 1
                        trades.append(TradeRecord(time: event.time, coin: name, venue: event.venue, price: price, size: size,
                                                  side: aggressor, tradeID: tradeID))
                    case .funding(let rate, let mark), .fundingSettlement(let rate, let mark):
                        funding.append(FundingRecord(time: event.time, coin: name, venue: event.venue, rate: rate, markPrice: mark,
                                                     isSettlement: event.kind == .fundingSettlement))
                    }
                }
            }
            summary.files += try lake.append(books).count + lake.append(trades).count + lake.append(funding).count
            summary.books += books.count
            summary.trades += trades.count
            summary.funding += funding.count
            summary.coins += 1
            progress?(c + 1, summary)
        }
        return summary
    }
}
