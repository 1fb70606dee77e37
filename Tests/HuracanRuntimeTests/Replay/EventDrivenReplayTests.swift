import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanStorage
import HuracanTestSupport
import Logging
import Testing

@Suite struct EventDrivenReplayTests {
    /// Visiting only coins with an event or a timer gives exactly the trades of stepping every
    /// coin through every 100 ms step, on sparse simulated data with gaps.
    @Test func eventDrivenReplayMatchesSteppingEveryCoin() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("event-driven"))
        var config = try ConfigLoader().load(path: nil)
        // Short holding limits so time-outs happen within the data.
        config.strategy.scalp.timeoutSeconds = 20
        let day = UTCDate(year: 2025, month: 1, day: 27)
        let summary = try SimulatedDataSet.generate(config: config, lake: lake, coins: 8, from: day.start, to: day.start + .seconds(5_400), bookEvery: 3)
        #expect(summary.coins == 8 && summary.books > 0 && summary.trades > 0 && summary.funding > 0)
        // Half an hour without any data for every coin: the engine skips it once its trades are done.
        let holeStart = day.start + .seconds(1_800), holeEnd = day.start + .seconds(3_600)
        var removed = 0
        for coin in Set(lake.partitions(kinds: [.book]).map(\.coin)) {
            let books = try lake.read(BookRecord.self, coins: [coin]), trades = try lake.read(TradeRecord.self, coins: [coin])
            let keptBooks = books.filter { $0.time < holeStart || $0.time >= holeEnd }, keptTrades = trades.filter { $0.time < holeStart || $0.time >= holeEnd }
            removed += books.count - keptBooks.count + trades.count - keptTrades.count
            try lake.writeAtomically(BookRecord.makeTable(keptBooks), kind: .book, to: lake.path(.book, coin: coin, day: day))
            try lake.writeAtomically(TradeRecord.makeTable(keptTrades), kind: .trades, to: lake.path(.trades, coin: coin, day: day))
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let to = day.start + .seconds(7_200)
        let fast = try EngineRunner.backtest(config: config, data: lake.root.path, coins: nil, from: day.start, to: to, logger: logger)
        let slow = try EngineRunner.backtest(config: config, data: lake.root.path, coins: nil, from: day.start, to: to, logger: logger, stepEveryCoin: true)
        #expect(fast.events == summary.rows - removed && slow.events == summary.rows - removed)
        #expect(fast.summary.events == slow.summary.events)
        #expect(!fast.trades.isEmpty)
        let describe: (Trade) -> String = { "\($0.coin) \($0.side) \($0.openedAt.nanoseconds) \($0.closedAt?.nanoseconds ?? 0) \($0.netPnL) \($0.exitReason.map { "\($0)" } ?? "-")" }
        #expect(fast.trades.map(describe) == slow.trades.map(describe))
        #expect(fast.summary.endingEquity == slow.summary.endingEquity)
    }

    /// Trades of a coin whose data stops still exit on their time-out while no event arrives.
    @Test func timeOutsFireWhileACoinIsQuiet() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("event-driven"))
        var config = try ConfigLoader().load(path: nil)
        config.strategy.scalp.timeoutSeconds = 20
        config.strategy.runner.maxHoldSeconds = 60
        let day = UTCDate(year: 2025, month: 1, day: 27)
        _ = try SimulatedDataSet.generate(config: config, lake: lake, coins: 4, from: day.start, to: day.start + .seconds(3_600))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let end = day.start + .seconds(3_600)
        let before = try EngineRunner.backtest(config: config, data: lake.root.path, coins: nil, from: day.start, to: end, logger: logger)
        let chosen = try #require(before.trades.first { $0.openedAt < end - .seconds(1_000) })
        // The chosen coin's market data stops half a second after the entry, for ten minutes.
        let holeStart = chosen.openedAt + .milliseconds(500), holeEnd = holeStart + .seconds(600)
        let books = try lake.read(BookRecord.self, coins: [chosen.coin]).filter { $0.time < holeStart || $0.time >= holeEnd }
        let trades = try lake.read(TradeRecord.self, coins: [chosen.coin]).filter { $0.time < holeStart || $0.time >= holeEnd }
        try lake.writeAtomically(BookRecord.makeTable(books), kind: .book, to: lake.path(.book, coin: chosen.coin, day: day))
        try lake.writeAtomically(TradeRecord.makeTable(trades), kind: .trades, to: lake.path(.trades, coin: chosen.coin, day: day))
        for stepEveryCoin in [false, true] {
            let run = try EngineRunner.backtest(config: config, data: lake.root.path, coins: nil, from: day.start, to: end, logger: logger,
                                                stepEveryCoin: stepEveryCoin)
            let same = try #require(run.trades.first { $0.coin == chosen.coin && $0.openedAt == chosen.openedAt })
            let closed = try #require(same.closedAt)
            let limit = same.style == .scalp ? 20.0 : 60.0
            // Closed on the clock at its holding limit (plus order latency and one step), not when data returned.
            #expect(closed < holeStart + .seconds(Int64(limit) + 2), "closed \(closed), data back at \(holeEnd)")
            if closed > holeStart { #expect(same.exitReason == .timeout) }
        }
    }
}
