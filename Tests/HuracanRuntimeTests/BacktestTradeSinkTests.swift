import Foundation
import HuracanConfig
import HuracanCore
import HuracanTestSupport
@testable import HuracanRuntime
import Testing

/// A backtest that streams its closed trades (`BacktestTradeSink`) keeps only the newest in
/// memory, yet writes the same trades CSV and gives the same report as one that keeps them all.
@Suite struct BacktestTradeSinkTests {
    @Test func streamedTradesGiveTheSameCSVAndReportAsKeptOnes() throws {
        var config = try testConfig(activeCoins: 12, perLoop: 4)
        config.strategy.entryCooldownSeconds = 1
        let end = day + .seconds(3 * 3_600)
        let (summary, kept) = try EngineRunner.backtest(config: config, from: day, to: end, logger: quiet)
        #expect(kept.count > 300, "enough trades that the streamed run drops some: \(kept.count)")

        let folder = TestPaths.temporaryDirectory("trade-sink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("trades.csv").path
        let sink = try BacktestTradeSink(csvPath: csv, keep: 100)
        let (streamedSummary, newest) = try EngineRunner.backtest(config: config, from: day, to: end, logger: quiet, tradeSink: sink)
        #expect(!FileManager.default.fileExists(atPath: csv), "the CSV gets its name when the run is finished")
        let tally = try sink.finish()
        #expect(newest.count <= 125, "only the newest are kept: \(newest.count)")
        #expect(newest.map(\.id) == kept.suffix(newest.count).map(\.id))
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == TradeCSV.render(kept), "the same rows in the same order")
        #expect(streamedSummary.endingEquity == summary.endingEquity && streamedSummary.styles.mapValues(\.trades) == summary.styles.mapValues(\.trades))

        // The report from the tally matches one from every trade (sums in another order: equal to 1e-9).
        let all = BacktestReport(title: "t", summary: summary, trades: kept, from: day, to: end)
        let streamed = BacktestReport(title: "t", summary: streamedSummary, tally: tally, from: day, to: end)
        #expect(tally.count == kept.filter { $0.closedAt != nil }.count)
        #expect(streamed.coins.map(\.name) == all.coins.map(\.name) && streamed.coins.map(\.trades) == all.coins.map(\.trades))
        #expect(streamed.coins.map(\.wins) == all.coins.map(\.wins))
        for (a, b) in zip(streamed.coins, all.coins) { #expect(abs(a.netPnL - b.netPnL) < 1e-9 && abs(a.durationSeconds - b.durationSeconds) < 1e-6) }
        #expect(streamed.styles.map(\.trades) == all.styles.map(\.trades))
        #expect(streamed.exitReasons.map(\.0) == all.exitReasons.map(\.0) && streamed.exitReasons.map(\.1) == all.exitReasons.map(\.1))
        #expect(abs(streamed.profitFactor - all.profitFactor) < 1e-9 && abs(streamed.expectancy - all.expectancy) < 1e-9)
        #expect(abs(streamed.fees - all.fees) < 1e-6 && abs(streamed.funding - all.funding) < 1e-6)
        // Independent figures from the trades themselves.
        let nets = kept.map(\.netPnL.doubleValue)
        #expect(abs(streamed.expectancy - nets.reduce(0, +) / Double(nets.count)) < 1e-9)
        #expect(abs(tally.gains - nets.filter { $0 > 0 }.reduce(0, +)) < 1e-6)
        let btc = kept.filter { $0.coin == "BTC" }.map(\.netPnL.doubleValue)
        let curve = tally.curve(coin: "BTC")
        #expect(curve.count == btc.count && abs((curve.last ?? 0) - btc.reduce(0, +)) < 1e-9)
        #expect(streamed.renderHTML().contains("\(kept.count) closed"))
    }

    @Test func aFailedRunLeavesNoCSV() throws {
        let folder = TestPaths.temporaryDirectory("trade-sink-fail")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("trades.csv").path
        let sink = try BacktestTradeSink(csvPath: csv)
        sink.take(ClosedTradeLogTests.trades(0..<3))
        sink.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// Per-coin lines and the close curve stay bounded however many trades a run closes: thinned
    /// evenly, the first and last points kept.
    @Test func thinnedSeriesStaysBounded() {
        var series = ThinnedSeries<Int>(capacity: 100)
        for i in 0..<1_000_003 { series.append(i) }
        let points = series.points
        #expect(points.count <= 201)
        #expect(points.first == 0 && points.last == 1_000_002)
        let gaps = Set(zip(points.dropLast(), points.dropFirst().dropLast()).map { $1 - $0 })
        #expect(gaps.count == 1, "evenly spaced: \(gaps)")
        var small = ThinnedSeries<Int>(capacity: 100)
        for i in 0..<150 { small.append(i) }
        #expect(small.points == Array(0..<150), "nothing is dropped below the capacity")
    }
}
