import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanStorage
import HuracanTestSupport
import Logging
import Testing

/// Strategies chosen by configuration run through the same engine on stored data.
@Suite struct StrategyTests {
    /// BTC quotes once a second whose mid swings 1 % with a 60 s period: EMA(10) and EMA(30)
    /// cross about twice a minute.
    static func swingingQuotes(lake: DataLake, tick: Double, start: Timestamp, count: Int) throws -> [BookRecord] {
        let records = (0..<count).map { i -> BookRecord in
            let mid = 50_000 * (1 + 0.01 * sin(2 * Double.pi * Double(i) / 60))
            let bid = (mid / tick).rounded(.down) * tick, ask = bid + tick
            return BookRecord(time: start + .seconds(Int64(i)), coin: "BTC", venue: .binance, top: BookTop(bidPrice: bid, bidSize: 5, askPrice: ask, askSize: 5))
        }
        _ = try lake.append(records)
        return records
    }

    /// The crosses, computed again by hand: (time, side) of each entry the rule asks for.
    static func expectedCrosses(_ quotes: [BookRecord], fast: Int, slow: Int) -> [(Timestamp, Side)] {
        var f = 0.0, s = 0.0, sign = 0
        var out: [(Timestamp, Side)] = []
        for (i, q) in quotes.enumerated() {
            let mid = (q.top.bidPrice + q.top.askPrice) / 2
            if i == 0 {
                f = mid
                s = mid
                continue
            }
            f = f + (mid - f) * 2 / Double(fast + 1)
            s = s + (mid - s) * 2 / Double(slow + 1)
            let now = f > s ? 1 : f < s ? -1 : 0
            if now != 0 && now != sign {
                if sign != 0 { out.append((q.time, now > 0 ? .buy : .sell)) }
                sign = now
            }
        }
        return out
    }

    @Test func emaCrossTradesOnEveryCrossAsComputedByHand() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("ema-cross"))
        var config = try ConfigLoader(environment: [:]).load(path: nil)
        let btc = try #require(try UniverseLoader.load(for: config).instruments.first { $0.coin == "BTC" })
        let start = UTCDate(year: 2025, month: 3, day: 3).start
        let quotes = try Self.swingingQuotes(lake: lake, tick: btc.tickSize.doubleValue, start: start, count: 600)
        config.strategy.name = "ema_cross"
        config.strategy.emaCrossNotionalUsdt = 2_000
        config.strategy.entryCooldownSeconds = 0
        config.strategy.warmupSeconds = 1
        config.risk.maxConsecutiveLosses = 1_000
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let run = try EngineRunner.backtest(config: config, data: lake.root.path, coins: ["BTC"], from: start, to: start + .seconds(600), logger: logger)
        let expected = Self.expectedCrosses(quotes, fast: 10, slow: 30)
        #expect(expected.count >= 15, "the fixture crosses often: \(expected.count)")
        // Every cross but the last opened a trade that the next cross closed (the last is still open).
        let trades = run.trades.sorted { $0.signalTime < $1.signalTime }
        #expect(trades.count == expected.count - 1, "\(trades.count) trades for \(expected.count) crosses")
        for (trade, cross) in zip(trades, expected) {
            #expect(trade.signalTime == cross.0 && trade.side == cross.1, "trade \(trade.side) at \(trade.signalTime), cross \(cross.1) at \(cross.0)")
            #expect(trade.exitReason == .signal)
            #expect(abs(trade.entryNotional.doubleValue - 2_000) < btc.lotSize.doubleValue * 50_000 * 1.02, "fixed notional: \(trade.entryNotional)")
        }
        for (trade, next) in zip(trades, expected.dropFirst()) {
            let closed = try #require(trade.closedAt)
            #expect(closed >= next.0 && closed < next.0 + .seconds(1), "closed at the next cross: \(closed) vs \(next.0)")
        }
        #expect(run.summary.openTrades == 1)
    }

    @Test func theDocumentedExampleAndPerCoinChoiceRun() throws {
        var config = try ConfigLoader(environment: [:]).load(path: nil)
        config.strategy.name = "book_imbalance"
        config.strategy.perCoin = ["ETH=ema_cross"]
        let selection = config.strategy.selection
        #expect(selection.strategy(forCoin: "BTC").name == "book_imbalance" && selection.strategy(forCoin: "ETH").name == "ema_cross")
        // A bad per-coin entry names the key and the allowed strategies.
        let yaml = "engine:\n  strategy:\n    per_coin: [BTC=moon]\n"
        let file = TestPaths.temporaryDirectory("strategy-config").appendingPathComponent("c.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { _ = try ConfigLoader(environment: [:]).load(path: file.path) }
        do { _ = try ConfigLoader(environment: [:]).load(path: file.path) } catch {
            #expect("\(error)".contains("engine.strategy.per_coin") && "\(error)".contains("ema_cross"), "\(error)")
        }
        // The example trades on the simulated market through the same engine.
        config.activeCoins = 6
        config.costModel.rankActiveSet = false // the most liquid six, ETH among them
        config.costModel.minEdgeAfterCostBps = -1_000
        config.strategy.entryCooldownSeconds = 5
        let day = UTCDate(year: 2026, month: 1, day: 1).start
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let (_, trades) = try EngineRunner.backtest(config: config, from: day, to: day + .seconds(1_800), logger: logger)
        #expect(trades.contains { $0.entryReason.hasPrefix("book imbalance") }, "\(trades.prefix(3).map(\.entryReason))")
        #expect(trades.contains { $0.coin == "ETH" && $0.entryReason.hasPrefix("ema_cross") })
    }
}
