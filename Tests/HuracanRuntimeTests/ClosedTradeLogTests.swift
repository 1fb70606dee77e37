import HuracanCore
@testable import HuracanRuntime
import Testing

/// A real-time engine keeps only its newest closed trades (its memory must not grow with the
/// length of the run) while the summary still counts and sums every trade, and no trade is
/// dropped before the breakers and metrics have read it.
@Suite struct ClosedTradeLogTests {
    static func trades(_ range: Range<Int>, style: TradeStyle = .scalp) -> [Trade] {
        range.map { Trade(id: UInt64($0), coin: "BTC", venue: .binance, style: style, side: .buy, entryReason: "t\($0)",
                          signalTime: Timestamp(seconds: Int64($0)), expectedEdgeBps: 1) }
    }

    @Test func keepsTheNewestAndCountsEvery() {
        var log = ClosedTradeLog(retention: 100)
        var read = 0
        for batch in 0..<50 {
            log.append(Self.trades(batch * 10..<batch * 10 + 10, style: batch % 2 == 0 ? .scalp : .runner))
            #expect(log.trades(since: read).map(\.id) == (read..<log.count).map(UInt64.init), "batch \(batch): unread trades are all there")
            read = log.count
            log.trim(oldestUnread: read)
            #expect(log.kept.count <= 125)
        }
        #expect(log.count == 500)
        #expect(log.figures[.scalp]?.trades == 250 && log.figures[.runner]?.trades == 250)
        #expect(log.kept.last?.id == 499 && log.kept.count >= 100)
        #expect(log.kept.map(\.id) == Array(UInt64(500 - log.kept.count)..<500))
    }

    @Test func neverDropsWhatAReaderHasNotRead() {
        var log = ClosedTradeLog(retention: 10)
        log.append(Self.trades(0..<100))
        log.trim(oldestUnread: 40)          // a reader is at trade 40
        #expect(log.trades(since: 40).map(\.id) == Array(40..<100))
        #expect(log.kept.first?.id == 40)
        log.trim(oldestUnread: 100)
        #expect(log.kept.map(\.id) == Array(90..<100))
        #expect(log.trades(since: 95).map(\.id) == Array(95..<100))
    }

    @Test func backtestsKeepEveryTrade() {
        var log = ClosedTradeLog()
        log.append(Self.trades(0..<30_000))
        log.trim(oldestUnread: 30_000)
        #expect(log.kept.count == 30_000 && log.count == 30_000)
    }
}
