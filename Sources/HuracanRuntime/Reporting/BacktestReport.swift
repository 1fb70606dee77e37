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
    /// The closed trades, by close time.
    public var closedTrades: [Trade] = []
    /// What produced the run (engine, configuration digest, data, seed, models); shown in the header.
    public var provenance: ReportProvenance?

    public init(title: String, summary: RunSummary, trades: [Trade], from: Timestamp, to: Timestamp) {
        self.title = title
        self.summary = summary
        self.from = from
        self.to = to
        startingEquity = summary.startingEquity
        endingEquity = summary.endingEquity
        let closed = trades.filter { $0.closedAt != nil }.sorted { $0.closedAt! < $1.closedAt! }
        closedTrades = closed
        func group(_ key: (Trade) -> String) -> [Group] {
            var groups: [String: Group] = [:]
            for t in closed {
                var g = groups[key(t)] ?? Group(name: key(t))
                g.trades += 1
                let net = t.netPnL.doubleValue
                if net > 0 { g.wins += 1 }
                g.netPnL += net
                g.durationSeconds += Double(t.closedAt! - t.openedAt) / 1e9
                groups[key(t)] = g
            }
            return groups.values.sorted { $0.name < $1.name }
        }
        coins = group(\.coin)
        styles = group(\.style.rawValue)
        var reasons: [String: Int] = [:]
        for t in closed { reasons[t.exitReason?.rawValue ?? "open", default: 0] += 1 }
        exitReasons = reasons.sorted { $0.value > $1.value }
        fees = closed.reduce(0) { $0 + $1.fees.doubleValue }
        funding = closed.reduce(0) { $0 + $1.funding.doubleValue }
        let nets = closed.map(\.netPnL.doubleValue)
        let gains = nets.filter { $0 > 0 }.reduce(0, +), losses = -nets.filter { $0 < 0 }.reduce(0, +)
        profitFactor = losses > 0 ? gains / losses : (gains > 0 ? .infinity : 0)
        expectancy = nets.isEmpty ? 0 : nets.reduce(0, +) / Double(nets.count)
        if summary.equity.points.count >= 2 {
            equity = summary.equity.points
            metrics = summary.equity.metrics
        } else {
            var value = startingEquity
            equity = [(from, value)] + closed.map { trade in
                value += trade.netPnL.doubleValue
                return (trade.closedAt!, value)
            } + [(to, value)]
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
