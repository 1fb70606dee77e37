import Foundation
import HuracanCore

/// What traders expect from a backtest: per-coin and per-style tables, exit reasons, risk-adjusted
/// returns, drawdown with dates, costs, and rejected entries by reason. The equity curve and the
/// risk figures come from the run's equity sampled on a fixed grid, marked to market
/// (`EquityMetrics`); without samples, from the closed trades' cumulative net P&L.
public struct BacktestReport: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var trades = 0
        public var wins = 0
        public var netPnL = 0.0
        public var durationSeconds = 0.0
        public var winRate: Double { trades > 0 ? Double(wins) / Double(trades) : 0 }
        public var averageNetPnL: Double { trades > 0 ? netPnL / Double(trades) : 0 }
        public var averageDurationSeconds: Double { trades > 0 ? durationSeconds / Double(trades) : 0 }

        mutating func add(net: Double, durationSeconds duration: Double) {
            trades += 1
            if net > 0 { wins += 1 }
            netPnL += net
            durationSeconds += duration
        }
    }

    public var title: String
    public var startingEquity: Double
    public var endingEquity: Double
    public var from: Timestamp
    public var to: Timestamp
    public var coins: [Group] = []
    public var styles: [Group] = []
    public var exitReasons: [(String, Int)] = []
    public var equity: [(time: Timestamp, equity: Double)] = []
    /// Sharpe, Sortino, volatility, Calmar, probabilistic Sharpe and drawdown of `equity`.
    public var metrics: EquityMetrics
    public var profitFactor = 0.0
    public var expectancy = 0.0
    public var fees = 0.0
    public var funding = 0.0
    public var rejected: [(String, Int)] = []
    public var summary: RunSummary
    /// The closed trades' figures (groups, results, per-coin lines).
    public var tally: TradeTally
    /// What produced the run (engine, configuration digest, data, seed, models); shown in the header.
    public var provenance: ReportProvenance?

    /// The report of `trades` (the closed ones, by close time).
    public init(title: String, summary: RunSummary, trades: [Trade], from: Timestamp, to: Timestamp) {
        var tally = TradeTally()
        tally.add(trades.filter { $0.closedAt != nil }.sorted { $0.closedAt! < $1.closedAt! })
        self.init(title: title, summary: summary, tally: tally, from: from, to: to)
    }

    /// The report of trades gathered as they closed (`TradeTally`), for runs that do not keep them.
    public init(title: String, summary: RunSummary, tally: TradeTally, from: Timestamp, to: Timestamp) {
        self.title = title
        self.summary = summary
        self.from = from
        self.to = to
        self.tally = tally
        startingEquity = summary.startingEquity
        endingEquity = summary.endingEquity
        coins = tally.coins
        styles = tally.styles
        exitReasons = tally.exitReasons
        fees = tally.fees
        funding = tally.funding
        profitFactor = tally.profitFactor
        expectancy = tally.expectancy
        if summary.equity.points.count >= 2 {
            equity = summary.equity.points
            metrics = summary.equity.metrics
        } else {
            let start = startingEquity
            equity = [(from, start)] + tally.closes().map { ($0.time, start + $0.net) } + [(to, start + tally.net)]
            metrics = EquityMetrics(equity: equity, intervalSeconds: summary.equity.intervalSeconds)
            metrics.unavailable = "no equity samples: figures need a run's sampled equity"
            metrics.sharpe = nil
            metrics.sortino = nil
            metrics.volatility = nil
            metrics.calmar = nil
            metrics.probabilisticSharpe = nil
        }
        let s = summary.stats
        rejected = [("skipped by cost (edge after costs too small)", s.skippedByCost), ("stale cost data", s.skippedStaleCost),
                    ("below minimum size", s.skippedBySize)]
        // Risk gate and breakers by the limit or breaker that decided (totals when no breakdown).
        func byReason(_ label: String, _ total: Int, _ counts: [RiskReason: Int]) -> [(String, Int)] {
            let known = counts.values.reduce(0, +)
            var rows = counts.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }.map { ("\(label): \($0.key.rawValue)", $0.value) }
            if total > known { rows.append((label, total - known)) }
            return rows
        }
        rejected += byReason("risk blocked", s.riskBlocked, s.riskBlockedBy) + byReason("risk throttled (half size)", s.riskThrottled, s.riskThrottledBy)
            + byReason("circuit breaker", s.breakerBlocked, s.breakerBlockedBy)
        rejected += [("venue rejects", s.rejects), ("order errors", s.orderErrors)]
    }

    /// "2026-01-01 00:00 to 2026-01-01 12:00 UTC".
    public static func period(from: Timestamp, to: Timestamp) -> String { "\(date(from)) to \(date(to)) UTC" }

    static func date(_ t: Timestamp?) -> String {
        guard let t else { return "-" }
        let day = UTCDate(daysSinceEpoch: t.dayNumber)
        let seconds = (t.nanoseconds / 1_000_000_000) % 86_400
        return "\(day) \(String(format: "%02d:%02d", seconds / 3_600, seconds % 3_600 / 60))"
    }

    static func f2(_ v: Double) -> String { v.isFinite ? String(format: "%.2f", v) : "inf" }

    /// The risk figures on one line; "n/a" with the reason when they cannot be computed.
    var riskLine: String {
        let m = metrics
        var line = "Sharpe \(EquityMetrics.format(m.sharpe)), Sortino \(EquityMetrics.format(m.sortino)), Calmar \(EquityMetrics.format(m.calmar)), "
            + "volatility \(m.volatility.map { Self.f2($0 * 100) + "%" } ?? "n/a"), probabilistic Sharpe \(m.probabilisticSharpe.map { Self.f2($0 * 100) + "%" } ?? "n/a")"
        line += " (from \(m.returns) returns of equity sampled every \(EquityMetrics.interval(m.intervalSeconds)), annualised over 365 days)"
        if let why = m.unavailable ?? m.calmarUnavailable { line += "; n/a: \(why)" }
        return line
    }

    /// Key figures and tables as plain text.
    public func renderText() -> String {
        var lines: [String] = []
        lines.append("equity \(Self.f2(startingEquity)) -> \(Self.f2(endingEquity))")
        lines.append(riskLine)
        lines.append("max drawdown \(Self.f2(metrics.maxDrawdown * 100))% (peak \(Self.date(metrics.maxDrawdownPeak)), trough \(Self.date(metrics.maxDrawdownTrough))); profit factor \(Self.f2(profitFactor)); expectancy \(Self.f2(expectancy)) per trade")
        lines.append("fees paid \(Self.f2(fees)), funding paid \(Self.f2(funding))")
        for (title, groups) in [("coin", coins), ("style", styles)] {
            lines.append("\(title.padding(toLength: 10, withPad: " ", startingAt: 0)) trades  win rate  avg net P&L  total net P&L  avg duration")
            for g in groups {
                lines.append("\(g.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%6d  %7.1f%%  %11.2f  %13.2f  %10.0fs", g.trades, g.winRate * 100, g.averageNetPnL, g.netPnL, g.averageDurationSeconds))")
            }
        }
        lines.append("exit reasons: " + (exitReasons.isEmpty ? "-" : exitReasons.map { "\($0.0) \($0.1)" }.joined(separator: ", ")))
        lines.append("rejected entries: " + rejected.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
