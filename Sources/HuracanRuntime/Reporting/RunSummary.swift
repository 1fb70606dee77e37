import HuracanCore

/// Results per trading style: what a trader reads first after a run.
public struct RunSummary: Sendable {
    public struct StyleFigures: Sendable, Hashable {
        public var trades = 0
        public var wins = 0
        public var netPnL = Money.zero
        public var fees = Money.zero
        public var funding = Money.zero
        public var entryNotional = Money.zero
        public var exitReasons: [ExitReason: Int] = [:]

        public var winRate: Double { trades > 0 ? Double(wins) / Double(trades) : 0 }
        public var averageNetPnL: Double { trades > 0 ? netPnL.doubleValue / Double(trades) : 0 }

        /// Fees, funding and their sum in bps of entry notional.
        public var feeBps: Double { bps(fees) }
        public var fundingBps: Double { bps(funding) }
        public var costBps: Double { bps(fees + funding) }
        private func bps(_ amount: Money) -> Double {
            entryNotional.isPositive ? amount.doubleValue / entryNotional.doubleValue * 10_000 : 0
        }

        /// Adds one closed trade.
        public mutating func add(_ trade: Trade) {
            trades += 1
            if trade.netPnL.isPositive { wins += 1 }
            netPnL += trade.netPnL
            fees += trade.fees
            funding += trade.funding
            entryNotional += trade.entryNotional
            if let reason = trade.exitReason { exitReasons[reason, default: 0] += 1 }
        }
    }

    public var styles: [TradeStyle: StyleFigures] = [:]
    public var openTrades: Int
    public var startingEquity: Double
    public var endingEquity: Double
    public var events: Int
    public var stats: PipelineStats
    /// Equity marked to market on the run's sampling grid (empty when not sampled).
    public var equity: EquitySeries

    public init(closed: [Trade], open: Int, startingEquity: Double, endingEquity: Double, stats: PipelineStats,
                equity: EquitySeries = EquitySeries(intervalSeconds: 60)) {
        var styles: [TradeStyle: StyleFigures] = [:]
        for trade in closed { styles[trade.style, default: StyleFigures()].add(trade) }
        self.init(styles: styles, open: open, startingEquity: startingEquity, endingEquity: endingEquity, stats: stats, equity: equity)
    }

    /// From figures already summed per style (`ClosedTradeLog.figures`).
    public init(styles: [TradeStyle: StyleFigures], open: Int, startingEquity: Double, endingEquity: Double, stats: PipelineStats,
                equity: EquitySeries = EquitySeries(intervalSeconds: 60)) {
        self.equity = equity
        self.styles = styles
        openTrades = open
        self.startingEquity = startingEquity
        self.endingEquity = endingEquity
        events = stats.events
        self.stats = stats
    }

    /// A plain-text table per style, then totals.
    public func render() -> String {
        var lines = ["style    trades  win rate   avg net P&L   total net P&L        fees     funding  exits"]
        for style in TradeStyle.allCases {
            let f = styles[style] ?? StyleFigures()
            let exits = f.exitReasons.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            lines.append(pad(style.rawValue, 8) + lpad(String(f.trades), 7) + lpad(percent(f.winRate), 10) + lpad(money(f.averageNetPnL), 14)
                         + lpad(money(f.netPnL.doubleValue), 16) + lpad(money(f.fees.doubleValue), 12) + lpad(money(f.funding.doubleValue), 12)
                         + "  " + (exits.isEmpty ? "-" : exits))
        }
        let change = endingEquity - startingEquity
        lines.append("open trades \(openTrades); equity \(money(startingEquity)) -> \(money(endingEquity)) (\(change >= 0 ? "+" : "")\(money(change)), \(percent(change / startingEquity)))")
        lines.append("events \(stats.events), signals \(stats.signals), skipped by cost \(stats.skippedByCost), risk approve/throttle/block \(stats.riskApproved)/\(stats.riskThrottled)/\(stats.riskBlocked), orders \(stats.ordersSent), rejects \(stats.rejects)")
        return lines.joined(separator: "\n")
    }
}

func money(_ value: Double) -> String {
    let cents = (value * 100).rounded()
    let sign = cents < 0 ? "-" : ""
    let magnitude = abs(cents)
    let whole = Int(magnitude / 100)
    let fraction = Int(magnitude.truncatingRemainder(dividingBy: 100))
    return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
}

func percent(_ value: Double) -> String {
    let tenths = (value * 1000).rounded() / 10
    return "\(tenths)%"
}

func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
func lpad(_ text: String, _ width: Int) -> String { text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text }
