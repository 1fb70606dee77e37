import Foundation
import HuracanCore

/// The report as one self-contained HTML file: header with the run's provenance, key figures,
/// equity and drawdown charts with time and value axes, returns per day (or hour), a sortable
/// per-coin table with a small equity line per coin, a histogram of trade results, and the
/// style, exit and rejection tables. Inline SVG and a few lines of inline script (table
/// sorting); nothing is fetched.
extension BacktestReport {
    public func renderHTML() -> String {
        let figures: [(String, String)] = [
            ("Period", "\(Self.date(from)) to \(Self.date(to)) UTC"), ("Equity", "\(Self.f2(startingEquity)) → \(Self.f2(endingEquity))"),
            ("Net P&L", "\(Self.f2(endingEquity - startingEquity)) (\(Self.f2((endingEquity / startingEquity - 1) * 100))%)"),
            ("Trades", "\(tally.count) closed, \(summary.openTrades) open"),
            ("Sharpe", EquityMetrics.format(metrics.sharpe)), ("Sortino", EquityMetrics.format(metrics.sortino)), ("Calmar", EquityMetrics.format(metrics.calmar)),
            ("Volatility (annual)", metrics.volatility.map { Self.f2($0 * 100) + "%" } ?? "n/a"),
            ("Probabilistic Sharpe", metrics.probabilisticSharpe.map { Self.f2($0 * 100) + "%" } ?? "n/a"),
            ("Risk figures from", "\(metrics.returns) returns of equity sampled every \(EquityMetrics.interval(metrics.intervalSeconds)), annualised over 365 days"
                + ((metrics.unavailable ?? metrics.calmarUnavailable).map { "; n/a: \($0)" } ?? "")),
            ("Max drawdown", "\(Self.f2(metrics.maxDrawdown * 100))% (peak \(Self.date(metrics.maxDrawdownPeak)), trough \(Self.date(metrics.maxDrawdownTrough)))"),
            ("Profit factor", Self.f2(profitFactor)), ("Expectancy", "\(Self.f2(expectancy)) per trade"),
            ("Fees paid", Self.f2(fees)), ("Funding paid", Self.f2(funding)), ("Events", String(summary.events)),
        ]
        var drawdowns: [(time: Timestamp, equity: Double)] = []
        var peak = -Double.infinity
        for point in equity {
            peak = max(peak, point.equity)
            drawdowns.append((point.time, peak > 0 ? -(peak - point.equity) / peak * 100 : 0))
        }
        let provenanceRows = provenance?.rows ?? []
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>\(Self.escape(title))</title><style>
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}table{border-collapse:collapse;margin:8px 0 20px}
        td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
        table.sortable th{cursor:pointer}table.sortable th:after{content:" \\2195";color:#999}
        .provenance td,.provenance th{font-size:13px}.neg{color:#c0392b}.pos{color:#1e7e34}svg{background:#fafafa;border:1px solid #ddd}
        svg text{font-size:11px;fill:#555}
        </style></head><body><h1>\(Self.escape(title))</h1>
        \(provenanceRows.isEmpty ? "" : "<table class=\"provenance\">" + provenanceRows.map { "<tr><th>\(Self.escape($0.0))</th><td>\(Self.escape($0.1))</td></tr>" }.joined() + "</table>")
        <h2>Key figures</h2><table>\(figures.map { "<tr><th>\($0.0)</th><td>\(Self.escape($0.1))</td></tr>" }.joined())</table>
        <h2>Equity (USDT, marked to market)</h2>\(Self.lineChart(equity, from: from, to: to, width: 1000, height: 280, color: "#1f6feb", fill: false, format: { String(format: "%.0f", $0) }))
        <h2>Drawdown (%, worst \(Self.f2(metrics.maxDrawdown * 100))%)</h2>\(Self.lineChart(drawdowns, from: from, to: to, width: 1000, height: 160, color: "#e5534b", fill: true, format: { String(format: "%.2f", $0) }))
        \(returnsTable())
        <h2>By coin</h2><table class="sortable"><tr><th>coin</th><th>trades</th><th>win rate %</th><th>avg net P&amp;L</th><th>total net P&amp;L</th><th>avg duration s</th><th>equity</th></tr>
        \(coins.map { g in "<tr><td>\(Self.escape(g.name))</td><td>\(g.trades)</td><td>\(String(format: "%.1f", g.winRate * 100))</td><td>\(Self.f2(g.averageNetPnL))</td><td class=\"\(g.netPnL < 0 ? "neg" : "pos")\">\(Self.f2(g.netPnL))</td><td>\(String(format: "%.0f", g.averageDurationSeconds))</td><td>\(sparkline(coin: g.name))</td></tr>" }.joined())</table>
        <h2>Trade results (net P&amp;L per trade, USDT)</h2>\(histogram())
        \(Self.groupTable("style", styles))
        <h2>Exit reasons</h2><table><tr><th>reason</th><th>trades</th></tr>\(exitReasons.map { "<tr><td>\(Self.escape($0.0))</td><td>\($0.1)</td></tr>" }.joined())</table>
        <h2>Rejected entries</h2><table><tr><th>reason</th><th>count</th></tr>\(rejected.map { "<tr><td>\(Self.escape($0.0))</td><td>\($0.1)</td></tr>" }.joined())</table>
        <script>
        document.querySelectorAll("table.sortable").forEach(function (table) {
          table.querySelectorAll("th").forEach(function (th, column) {
            th.addEventListener("click", function () {
              var rows = Array.from(table.querySelectorAll("tr")).slice(1), down = th.dataset.order !== "desc";
              rows.sort(function (a, b) {
                var x = a.children[column].textContent, y = b.children[column].textContent, nx = parseFloat(x), ny = parseFloat(y);
                var c = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
                return down ? c : -c;
              });
              th.dataset.order = down ? "desc" : "asc";
              rows.forEach(function (row) { table.appendChild(row); });
            });
          });
        });
        document.body.dataset.ready = "1";
        </script>
        </body></html>
        """
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func groupTable(_ title: String, _ groups: [Group]) -> String {
        "<h2>By \(title)</h2><table class=\"sortable\"><tr><th>\(title)</th><th>trades</th><th>win rate %</th><th>avg net P&amp;L</th><th>total net P&amp;L</th><th>avg duration s</th></tr>"
            + groups.map { "<tr><td>\(escape($0.name))</td><td>\($0.trades)</td><td>\(String(format: "%.1f", $0.winRate * 100))</td><td>\(f2($0.averageNetPnL))</td><td>\(f2($0.netPnL))</td><td>\(String(format: "%.0f", $0.averageDurationSeconds))</td></tr>" }.joined()
            + "</table>"
    }

    /// "01-27 08:00" (UTC).
    static func shortTime(_ t: Timestamp) -> String {
        let full = date(t) // "2025-01-27 08:00"
        return String(full.dropFirst(5))
    }

    /// A line chart with five labelled time ticks below and three value ticks on the left.
    static func lineChart(_ points: [(time: Timestamp, equity: Double)], from: Timestamp, to: Timestamp, width: Double, height: Double,
                          color: String, fill: Bool, format: (Double) -> String) -> String {
        let left = 80.0, bottom = 24.0, top = 10.0, right = 10.0
        let plotW = width - left - right, plotH = height - top - bottom
        let t0 = Double(from.nanoseconds), t1 = Double(max(to.nanoseconds, from.nanoseconds + 1))
        let values = points.map(\.equity)
        let lo = values.min() ?? 0, hi = max(values.max() ?? 1, lo + 1e-9)
        func x(_ t: Timestamp) -> Double { left + (Double(t.nanoseconds) - t0) / (t1 - t0) * plotW }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#999\"/><line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#999\"/>"
        for v in [lo, (lo + hi) / 2, hi] {
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>", left, y(v), left + plotW, y(v))
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6, y(v) + 4) + escape(format(v)) + "</text>"
        }
        for k in 0...4 {
            let t = Timestamp(nanoseconds: from.nanoseconds + (to.nanoseconds - from.nanoseconds) * Int64(k) / 4)
            let anchor = k == 0 ? "start" : (k == 4 ? "end" : "middle")
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"\(anchor)\">", x(t), height - 6) + shortTime(t) + "</text>"
        }
        let path = points.map { String(format: "%.1f,%.1f", x($0.time), y($0.equity)) }.joined(separator: " ")
        if fill, let first = points.first, let last = points.last {
            svg += String(format: "<polygon fill=\"\(color)\" fill-opacity=\"0.35\" points=\"%.1f,%.1f ", x(first.time), y(hi)) + path
                + String(format: " %.1f,%.1f\"/>", x(last.time), y(hi))
        } else {
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>"
        }
        return svg + "</svg>"
    }

    /// Returns per UTC day, or per hour when the run is shorter than two days, from the sampled equity.
    func returnsTable() -> String {
        guard equity.count >= 2 else { return "" }
        let hourly = to.nanoseconds - from.nanoseconds < 2 * 86_400_000_000_000
        let bucket: Int64 = hourly ? 3_600_000_000_000 : 86_400_000_000_000
        var rows: [(Timestamp, Double, Double)] = []
        var previous = equity[0].equity
        var current = equity[0].time.nanoseconds / bucket
        var last = previous
        for point in equity.dropFirst() {
            let b = (point.time.nanoseconds - 1) / bucket
            if b != current {
                rows.append((Timestamp(nanoseconds: current * bucket), last, previous > 0 ? last / previous - 1 : 0))
                previous = last
                current = b
            }
            last = point.equity
        }
        rows.append((Timestamp(nanoseconds: current * bucket), last, previous > 0 ? last / previous - 1 : 0))
        let shown = rows.suffix(400)
        return "<h2>Returns per \(hourly ? "hour" : "day") (UTC)</h2><table class=\"sortable\"><tr><th>\(hourly ? "hour" : "day")</th><th>equity at end</th><th>return %</th></tr>"
            + shown.map { "<tr><td>\(Self.date($0.0))</td><td>\(Self.f2($0.1))</td><td class=\"\($0.2 < 0 ? "neg" : "pos")\">\(String(format: "%.3f", $0.2 * 100))</td></tr>" }.joined()
            + "</table>" + (rows.count > shown.count ? "<p>(last \(shown.count) of \(rows.count))</p>" : "")
    }

    /// The coin's cumulative net P&L over its closed trades, as a 120 x 24 line.
    func sparkline(coin: String) -> String {
        let points = [0.0] + tally.curve(coin: coin)
        guard points.count > 1 else { return "" }
        let value = points.last!
        let lo = points.min()!, hi = max(points.max()!, lo + 1e-9)
        let path = points.enumerated().map { String(format: "%.1f,%.1f", Double($0.offset) / Double(points.count - 1) * 118 + 1, 23 - ($0.element - lo) / (hi - lo) * 22) }
            .joined(separator: " ")
        return "<svg width=\"120\" height=\"24\" viewBox=\"0 0 120 24\"><polyline fill=\"none\" stroke=\"\(value < 0 ? "#c0392b" : "#1e7e34")\" stroke-width=\"1\" points=\"\(path)\"/></svg>"
    }

    /// Net P&L per trade in 30 bins, with the count over each bar and the range below.
    func histogram() -> String {
        let values = tally.nets.map(Double.init)
        guard let lo = values.min(), let hi = values.max() else { return "<p>No closed trades.</p>" }
        let bins = 30, width = 1000.0, height = 180.0, bottom = 24.0
        let span = max(hi - lo, 1e-9)
        var counts = [Int](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int((v - lo) / span * Double(bins)))] += 1 }
        let most = max(counts.max() ?? 1, 1)
        let barW = width / Double(bins)
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        for (i, count) in counts.enumerated() where count > 0 {
            let h = Double(count) / Double(most) * (height - bottom - 16)
            let mid = lo + (Double(i) + 0.5) / Double(bins) * span
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"/>", Double(i) * barW + 1, height - bottom - h, barW - 2, h,
                          mid < 0 ? "#e5534b" : "#2da44e")
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>", Double(i) * barW + barW / 2, height - bottom - h - 3, count)
        }
        svg += "<text x=\"2\" y=\"\(height - 6)\">\(Self.f2(lo))</text><text x=\"\(width - 2)\" y=\"\(height - 6)\" text-anchor=\"end\">\(Self.f2(hi))</text>"
        if lo < 0, hi > 0 {
            let zero = (0 - lo) / span * width
            svg += String(format: "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"3,3\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">0</text>",
                          zero, zero, height - bottom, zero, height - 6)
        }
        return svg + "</svg>"
    }
}
