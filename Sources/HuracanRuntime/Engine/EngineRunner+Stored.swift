import HuracanConfig
import HuracanCore
import HuracanStorage
import Logging

/// A problem with a backtest on stored data (missing coins, no data).
public struct StoredBacktestError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension EngineRunner {
    /// The outcome of a backtest on stored data.
    public struct StoredRun: Sendable {
        public var summary: RunSummary
        public var trades: [Trade]
        public var coins: [String]
        public var events: Int
        public var files: Int
        public var maxBufferedEvents: Int
    }

    /// Replays the data lake's book tops, trades and funding of `coins` (all stored coins when
    /// nil) from `from` to `to`, each coin's in time order, through the same engine core as paper
    /// and live, on a simulated clock: the shards on `threads` threads (nil: `engine.threads`, one
    /// per core by default; the trades do not depend on it), and one more thread reading ahead.
    /// - Parameters:
    ///   - stepEveryCoin: step every coin through every 100 ms step (the slower reference path)
    ///     instead of visiting coins only when they have an event or a timer falls due.
    ///   - tradeSink: takes the closed trades as they close; `trades` then holds only the newest
    ///     (`BacktestTradeSink.keep`).
    public static func backtest(config: EngineConfig, data: String, coins: [String]?, from: Timestamp, to: Timestamp, logger: Logger,
                                stepEveryCoin: Bool = false, models: [String: any Model] = [:], threads: Int? = nil,
                                logClock: SimulatedLogClock? = nil, tradeSink: BacktestTradeSink? = nil,
                                progress: ((EngineStatus) -> Void)? = nil) throws -> StoredRun {
        let lake = DataLake(path: data)
        let lastDay = UTCDate(daysSinceEpoch: Timestamp(nanoseconds: to.nanoseconds - 1).dayNumber)
        let names = coins ?? StoredMarketReplay.storedCoins(lake: lake, from: UTCDate(daysSinceEpoch: from.dayNumber), through: lastDay)
        guard !names.isEmpty else { throw StoredBacktestError("no book, trade or funding partitions under \(data) between \(UTCDate(daysSinceEpoch: from.dayNumber)) and \(lastDay)") }
        let full = try UniverseLoader.load(for: config)
        let missing = names.filter { full.index(of: $0) == nil }
        guard missing.isEmpty else {
            throw StoredBacktestError("coins not in the universe (\(config.universeFile.isEmpty ? "built-in" : config.universeFile)): \(missing.joined(separator: ", "))")
        }
        let universe = Universe(instruments: names.map { full[full.index(of: $0)!] })
        var settings = EngineSettings(config)
        settings.activeCoins = names.count
        settings.rankActiveSet = false
        let model = try BaselineModelLoader.load(path: config.strategy.modelFile)
        let streams = try StoredCoinStreams(lake: lake, coins: names.enumerated().map { ($1, CoinIndex($0)) }, from: from, to: to)
        let feed = ReplayFeed(source: PrefetchedStoredSource(streams), coinCount: names.count)
        feed.stepsEveryCoin = stepEveryCoin
        var wiring = EngineWiring.backtest(tradeSink: tradeSink)
        wiring.storedData = feed
        wiring.logClock = logClock
        let engine = Engine(settings: settings, universe: universe, start: from, threads: threads, logger: logger, wiring: wiring) { _ in model }
        for (coin, trained) in models { engine.handle.models.install(trained, coinNamed: coin) }
        try runBacktest(engine, until: to, progress: progress)
        if let error = engine.replayError { throw error }
        return StoredRun(summary: summary(engine), trades: engine.closedTrades, coins: names, events: feed.events, files: feed.fileCount,
                         maxBufferedEvents: feed.maxBuffered)
    }
}
