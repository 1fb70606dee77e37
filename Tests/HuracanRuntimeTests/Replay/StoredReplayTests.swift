import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanStorage
import HuracanTestSupport
import Logging
import Testing

@Suite struct StoredReplayTests {
    /// Three coins over two days, books and trades: the merge gives every event once, in time order.
    @Test func mergesPartitionsInTimeOrderAcrossCoins() throws {
        var options = ParquetWriterOptions()
        options.rowGroupRows = 50
        let lake = DataLake(root: TestPaths.temporaryDirectory("replay"), options: options)
        let day = UTCDate(year: 2025, month: 1, day: 27)
        var all: [(Int64, String)] = []
        for (c, coin) in ["BTC", "ETH", "SOL"].enumerated() {
            var random = SplitMix(seed: UInt64(c))
            var book: [BookRecord] = [], trades: [TradeRecord] = []
            for i in 0..<400 {
                let t = Timestamp(nanoseconds: day.start.nanoseconds + Int64(i) * 432_000_000_000 + Int64(random.next() % 1_000_000))
                book.append(BookRecord(time: t, coin: coin, venue: .binance, top: BookTop(bidPrice: 100, bidSize: 1, askPrice: 100.1, askSize: 1)))
                if i % 3 == 0 { trades.append(TradeRecord(time: t + .milliseconds(5), coin: coin, venue: .binance, price: 100, size: 1, side: .buy)) }
            }
            try lake.append(book)
            try lake.append(trades)
            all += book.map { ($0.time.nanoseconds, coin) } + trades.map { ($0.time.nanoseconds, coin) }
        }
        #expect(lake.partitions().count == 12)
        let from = day.start + .seconds(3_600), to = day.start + .seconds(86_400 + 43_200)
        let replay = try StoredMarketReplay(lake: lake, coins: [("BTC", 0), ("ETH", 1), ("SOL", 2)], from: from, to: to)
        var times: [Int64] = []
        var previous = Int64.min
        while let event = try replay.next() {
            #expect(event.time.nanoseconds >= previous)
            previous = event.time.nanoseconds
            times.append(event.time.nanoseconds)
        }
        let expected = all.map(\.0).filter { $0 >= from.nanoseconds && $0 < to.nanoseconds }.sorted()
        #expect(times == expected)
    }

    /// Read coin by coin (as backtests do), in rounds of any length, each coin's events come in
    /// the same order as in the merge across coins, ties between kinds included (book, then
    /// trades, then funding at the same instant).
    @Test func perCoinStreamsKeepEachCoinsOrder() throws {
        var options = ParquetWriterOptions()
        options.rowGroupRows = 37
        let lake = DataLake(root: TestPaths.temporaryDirectory("replay"), options: options)
        let day = UTCDate(year: 2025, month: 1, day: 27)
        let coins = ["BTC", "ETH", "SOL"]
        for (c, coin) in coins.enumerated() {
            var random = SplitMix(seed: UInt64(c + 11))
            var book: [BookRecord] = [], trades: [TradeRecord] = [], funding: [FundingRecord] = []
            for i in 0..<600 {
                // Whole seconds often: books, trades and funding share instants.
                let t = day.start + .seconds(Int64(i) * 100 + Int64(random.next() % 3))
                book.append(BookRecord(time: t, coin: coin, venue: .binance, top: BookTop(bidPrice: Double(i), bidSize: 1, askPrice: Double(i) + 1, askSize: 1)))
                if random.next() % 2 == 0 { trades.append(TradeRecord(time: t, coin: coin, venue: .binance, price: Double(i), size: 2, side: .sell)) }
                if i % 50 == 0 { funding.append(FundingRecord(time: t, coin: coin, venue: .binance, rate: 0.0001, markPrice: Double(i), isSettlement: false)) }
            }
            try lake.append(book)
            try lake.append(trades)
            try lake.append(funding)
        }
        let from = day.start + .seconds(1_000), to = day.start + .seconds(55_000)
        let indexed = coins.enumerated().map { ($1, CoinIndex($0)) }
        let merged = try StoredMarketReplay(lake: lake, coins: indexed, from: from, to: to)
        var expected = [[MarketEvent]](repeating: [], count: coins.count)
        while let event = try merged.next() { expected[Int(event.coin)].append(event) }
        #expect(expected.allSatisfy { $0.count > 500 })

        let streams = try StoredCoinStreams(lake: lake, coins: indexed, from: from, to: to)
        var got = [[MarketEvent]](repeating: [], count: coins.count)
        var end = from.nanoseconds
        var random = SplitMix(seed: 5)
        while end < to.nanoseconds {
            end += Int64(random.next() % 400) * 1_000_000_000 // rounds of 0 to 399 s, often ending on a shared instant
            for c in coins.indices { try streams.take(coin: c, before: end, into: &got[c]) }
        }
        for c in coins.indices {
            #expect(streams.nextTime(coin: c) == nil)
            #expect(got[c].map(\.time) == expected[c].map(\.time))
            #expect(got[c].map(\.payload) == expected[c].map(\.payload))
        }
    }

    /// The same engine core runs on stored data, deterministically, with a report.
    @Test func backtestOnStoredDataIsDeterministicAndReports() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("replay"))
        let day = UTCDate(year: 2025, month: 1, day: 27)
        for (c, coin) in ["BTC", "ETH"].enumerated() {
            var random = SplitMix(seed: UInt64(c + 7))
            var mid = coin == "BTC" ? 65_000.0 : 3_300.0
            var book: [BookRecord] = []
            for i in 0..<20_000 {
                mid *= 1 + (random.uniform() - 0.5) * 0.001
                let t = day.start + .milliseconds(Int64(i) * 200)
                book.append(BookRecord(time: t, coin: coin, venue: .binance,
                                       top: BookTop(bidPrice: mid - 0.05, bidSize: random.uniform() * 5, askPrice: mid + 0.05, askSize: random.uniform() * 5)))
            }
            try lake.append(book)
        }
        let config = try ConfigLoader().load(path: nil)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let run = { try EngineRunner.backtest(config: config, data: lake.root.path, coins: ["BTC", "ETH"], from: day.start, to: day.start + .seconds(4_000), logger: logger) }
        let first = try run(), second = try run()
        #expect(first.events == 40_000)
        #expect(first.summary.events == 40_000)
        #expect(first.trades.map(\.netPnL) == second.trades.map(\.netPnL))
        #expect(first.maxBufferedEvents < 40_000)
        let report = BacktestReport(title: "test", summary: first.summary, trades: first.trades, from: day.start, to: day.start + .seconds(4_000))
        let html = report.renderHTML()
        #expect(html.contains("<svg") && html.contains("Sharpe") && html.contains("Rejected entries") && !html.contains("http"))
        #expect(report.renderText().contains("max drawdown"))
        // Coins outside the universe are named.
        #expect(throws: StoredBacktestError.self) {
            try EngineRunner.backtest(config: config, data: lake.root.path, coins: ["NOPE"], from: day.start, to: day.start + .seconds(60), logger: logger)
        }
    }

    /// A stored-data backtest gives the same trades CSV on 1, 2 and 4 shard threads (six shards of
    /// two coins competing for tight limits), and stops with an error naming the file, row group
    /// and column when a file turns out damaged in the middle of the replay.
    @Test func storedBacktestIsTheSameOnAnyNumberOfThreadsAndNamesDamagedFiles() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("replay"), options: { var o = ParquetWriterOptions.lake(); o.rowGroupRows = 500; return o }())
        let day = UTCDate(year: 2025, month: 1, day: 27)
        let coins = ["BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "AVAX", "LINK", "DOT", "LTC", "BCH", "TRX"]
        for (c, coin) in coins.enumerated() {
            var random = SplitMix(seed: UInt64(c + 31))
            var mid = 100.0 * Double(c + 1)
            var book: [BookRecord] = [], trades: [TradeRecord] = []
            for i in 0..<6_000 {
                mid *= 1 + (random.uniform() - 0.5) * 0.002
                let t = day.start + .milliseconds(Int64(i) * 500 + Int64(random.next() % 400))
                book.append(BookRecord(time: t, coin: coin, venue: .binance,
                                       top: BookTop(bidPrice: mid * 0.9999, bidSize: random.uniform() * 50, askPrice: mid * 1.0001, askSize: random.uniform() * 50)))
                if i % 4 == 0 { trades.append(TradeRecord(time: t, coin: coin, venue: .binance, price: mid, size: 1, side: i % 8 == 0 ? .buy : .sell)) }
            }
            try lake.append(book)
            try lake.append(trades)
        }
        var config = try ConfigLoader().load(path: nil)
        config.coinsPerEventLoop = 2
        config.strategy.name = "ema_cross" // trades on every cross, whatever the model
        config.strategy.emaCrossNotionalUsdt = 5_000
        config.risk.globalMaxExposurePct = 30
        config.maxConcurrentTrades = 5
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let end = day.start + .seconds(3_000)
        var csvs: [String] = []
        for threads in [1, 2, 4] {
            let run = try EngineRunner.backtest(config: config, data: lake.root.path, coins: coins, from: day.start, to: end, logger: logger, threads: threads)
            #expect(run.events == 12 * 6_000 + 12 * 1_500)
            #expect(run.trades.count > 20)
            #expect(run.summary.stats.riskBlocked > 0, "the limits bind")
            csvs.append(TradeCSV.render(run.trades))
        }
        #expect(csvs[0] == csvs[1] && csvs[1] == csvs[2])

        // Damage a row group in the middle of one file.
        let damaged = try #require(lake.partitions(kinds: [.book], coins: ["SOL"]).first).path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: damaged)))
        for i in (bytes.count / 2)..<(bytes.count / 2 + 64) { bytes[i] ^= 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        do {
            _ = try EngineRunner.backtest(config: config, data: lake.root.path, coins: coins, from: day.start, to: end, logger: logger, threads: 2)
            Issue.record("a damaged file must stop the backtest")
        } catch {
            let message = "\(error)"
            #expect(message.contains(damaged) && message.contains("row group"), "\(message)")
        }
    }
}
