import HuracanCore
import HuracanRuntime
import Testing

@Suite struct BacktestReportTests {
    /// Rejected entries are listed by the limit or breaker that stopped them, in the terminal and HTML.
    @Test func rejectedEntriesByReason() {
        var stats = PipelineStats()
        stats.skippedByCost = 40
        stats.riskBlocked = 7
        stats.riskBlockedBy = [.coinExposure: 5, .concurrentTrades: 2]
        stats.riskThrottled = 3
        stats.riskThrottledBy = [.sectorExposure: 3]
        stats.breakerBlocked = 4
        stats.breakerBlockedBy = [.staleData: 1, .lossCooldown: 3]
        let summary = RunSummary(closed: [], open: 0, startingEquity: 100_000, endingEquity: 100_000, stats: stats)
        let start = UTCDate(year: 2025, month: 1, day: 27).start
        let report = BacktestReport(title: "t", summary: summary, trades: [], from: start, to: start + .seconds(86_400))
        #expect(report.rejected.map(\.0).prefix(6) == ["skipped by cost (edge after costs too small)", "stale cost data", "below minimum size",
                                                      "risk blocked: coin_exposure", "risk blocked: max_concurrent_trades", "risk throttled (half size): sector_exposure"])
        let text = report.renderText()
        #expect(text.contains("risk blocked: coin_exposure 5") && text.contains("circuit breaker: consecutive_losses 3") && text.contains("circuit breaker: stale_data 1"))
        #expect(report.renderHTML().contains("<td>risk blocked: max_concurrent_trades</td><td>2</td>"))
        // Counts merge across shards.
        #expect((stats + stats).riskBlockedBy[.coinExposure] == 10)
    }
}
