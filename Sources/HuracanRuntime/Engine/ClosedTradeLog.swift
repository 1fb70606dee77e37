import HuracanCore

/// The engine's closed trades: every one counted and summed per style, the trades themselves
/// kept in full for a backtest run from code, and only the newest `retention` in a real-time
/// run or a `huracan backtest` (whose trades go to a `BacktestTradeSink` as they close), whose
/// memory must not grow with its length (a paper run of 400 coins closes about 30 trades a
/// minute). Readers that take the trades closed since their
/// last visit (breakers, metrics) pass their position, so trimming never drops a trade one of
/// them has not read.
public struct ClosedTradeLog: Sendable {
    /// Every trade closed since the start.
    public private(set) var count = 0
    /// Figures per style over every closed trade (the run summary).
    public private(set) var figures: [TradeStyle: RunSummary.StyleFigures] = [:]
    /// The kept trades, oldest first: all of them, or the newest `retention`.
    public private(set) var kept: [Trade] = []
    /// How many trades a real-time engine keeps; nil keeps all (backtests).
    public var retention: Int?
    /// Number (since the start) of the first kept trade.
    private var firstKept = 0

    public init(retention: Int? = nil) { self.retention = retention }

    mutating func append(_ trades: [Trade]) {
        for trade in trades { figures[trade.style, default: RunSummary.StyleFigures()].add(trade) }
        kept += trades
        count += trades.count
    }

    /// The trades closed since trade number `position` (a reader's count at its last visit).
    func trades(since position: Int) -> ArraySlice<Trade> {
        kept[(max(position, firstKept) - firstKept)...]
    }

    /// Drops the oldest trades beyond `retention`, but none at or after `oldestUnread`.
    mutating func trim(oldestUnread: Int) {
        guard let retention, kept.count > retention + retention / 4 else { return }   // trim in batches, not per trade
        let drop = min(kept.count - retention, oldestUnread - firstKept)
        guard drop > 0 else { return }
        kept.removeFirst(drop)
        firstKept += drop
    }
}
