import Foundation
import HuracanConfig
import HuracanCore
import HuracanTestSupport
@testable import HuracanRuntime
import Testing

/// The risk figures a trader reads, checked against an independent implementation (Python,
/// standard library only) on the very series `--equity` writes.
@Suite struct EquityMetricsTests {
    /// The reference: the same definitions written again, from the CSV.
    static let reference = #"""
    import csv, math, sys
    rows = list(csv.DictReader(open(sys.argv[1])))
    interval = float(sys.argv[2])
    e = [float(r["equity"]) for r in rows]
    r = [e[i] / e[i - 1] - 1 for i in range(1, len(e))]
    n = len(r)
    k = 365 * 86400 / interval
    mean = math.fsum(r) / n
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in r) / (n - 1))
    sharpe = mean / sd * math.sqrt(k)
    sortino = mean / math.sqrt(math.fsum(min(x, 0) ** 2 for x in r) / n) * math.sqrt(k)
    vol = sd * math.sqrt(k)
    peak, mdd = -math.inf, 0.0
    for v in e:
        peak = max(peak, v)
        mdd = max(mdd, (peak - v) / peak)
    years = n * interval / (365 * 86400)
    calmar = ((e[-1] / e[0]) ** (1 / years) - 1) / mdd if years * 365 >= 30 else float("nan")
    m2 = math.fsum((x - mean) ** 2 for x in r) / n
    skew = math.fsum((x - mean) ** 3 for x in r) / n / m2 ** 1.5
    kurt = math.fsum((x - mean) ** 4 for x in r) / n / m2 ** 2
    sr = mean / sd
    z = sr * math.sqrt(n - 1) / math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr * sr)
    psr = 0.5 * math.erfc(-z / math.sqrt(2))
    print(repr(sharpe), repr(sortino), repr(vol), repr(mdd), repr(calmar), repr(psr), n)
    """#

    /// Our figures for `series` against the reference's, to 1e-9 relative.
    static func compareWithReference(_ series: EquitySeries, python: String) throws {
        let folder = TestPaths.temporaryDirectory("equity-metrics")
        let csv = folder.appendingPathComponent("equity.csv"), script = folder.appendingPathComponent("reference.py")
        try series.csv().write(to: csv, atomically: true, encoding: .utf8)
        try Self.reference.write(to: script, atomically: true, encoding: .utf8)
        let result = try ExternalTool.run(python, [script.path, csv.path, String(series.intervalSeconds)])
        #expect(result.status == 0, "\(result.output)")
        let figures = result.output.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        let m = series.metrics
        #expect(m.unavailable == nil && m.returns == Int(figures[6]))
        let ours = [m.sharpe!, m.sortino!, m.volatility!, m.maxDrawdown, m.calmar ?? .nan, m.probabilisticSharpe!]
        for (name, (a, b)) in zip(["Sharpe", "Sortino", "volatility", "max drawdown", "Calmar", "probabilistic Sharpe"], zip(ours, figures)) {
            if b.isNaN {
                #expect(a.isNaN && m.calmarUnavailable != nil, "\(name): n/a in both")
            } else {
                #expect(abs(a - b) <= 1e-9 * max(abs(b), 1e-12), "\(name): ours \(a), reference \(b)")
            }
        }
    }

    @Test func figuresMatchAnIndependentImplementation() throws {
        let python = try MissingTool.path("python3", install: "apt-get install python3")
        var config = try testConfig(activeCoins: 8, perLoop: 4)
        config.simulator.equityIntervalSeconds = 30
        let (summary, trades) = try EngineRunner.backtest(config: config, from: day, to: day + .seconds(3 * 3_600), logger: quiet)
        #expect(trades.count > 20)
        let series = summary.equity
        #expect(series.points.count == 3 * 120 + 1 && series.points[1].time == day + .seconds(30), "samples on the 30 s grid from the start")
        try Self.compareWithReference(series, python: python)
        #expect(series.metrics.calmar == nil, "3 hours are too short for Calmar")
        // Forty days of hourly equity (a seeded random walk): Calmar too.
        var random = SplitMix(seed: 11)
        var value = 100_000.0
        let long = EquitySeries(intervalSeconds: 3_600, points: (0...(40 * 24)).map { k in
            if k > 0 { value *= 1 + (Double(random.next() % 2_001) - 980) / 1_000_000 }
            return (time: day + .seconds(Int64(k) * 3_600), equity: value)
        })
        #expect(long.metrics.calmar != nil)
        try Self.compareWithReference(long, python: python)
        let m = series.metrics
        // The report shows the same figures, and says on what they rest.
        let report = BacktestReport(title: "t", summary: summary, trades: trades, from: day, to: day + .seconds(3 * 3_600)).renderText()
        #expect(report.contains("Sharpe \(EquityMetrics.format(m.sharpe))") && report.contains("from 360 returns of equity sampled every 30 s"))
    }

    @Test func tooFewSamplesSayNotAvailableAndWhy() throws {
        let start = day
        let points = (0...10).map { (time: start + .seconds(Int64($0) * 60), equity: 100_000 + Double($0 % 3) * 10) }
        let m = EquityMetrics(equity: points, intervalSeconds: 60)
        #expect(m.sharpe == nil && m.sortino == nil && m.probabilisticSharpe == nil)
        #expect(m.unavailable?.contains("10 equity returns at 1 min intervals, fewer than 30") == true, "\(m.unavailable ?? "")")
        #expect(EquityMetrics.format(m.sharpe) == "n/a")
        let flat = EquityMetrics(equity: (0...100).map { (time: start + .seconds(Int64($0) * 60), equity: 100_000) }, intervalSeconds: 60)
        #expect(flat.sharpe == nil && flat.unavailable?.contains("did not change") == true)
    }

    @Test func instantsParseToTheNanosecond() {
        #expect(Timestamp(parsingInstant: "2026-01-02") == UTCDate(year: 2026, month: 1, day: 2).start)
        #expect(Timestamp(parsingInstant: "2026-01-02T03:04Z") == UTCDate(year: 2026, month: 1, day: 2).start + .seconds(3 * 3_600 + 4 * 60))
        #expect(Timestamp(parsingInstant: "2026-01-02T03:04:05.25Z") == UTCDate(year: 2026, month: 1, day: 2).start + .seconds(11_045) + .nanoseconds(250_000_000))
        #expect(Timestamp(parsingInstant: "2026-01-02 00:00:01") == UTCDate(year: 2026, month: 1, day: 2).start + .seconds(1))
        for bad in ["2026-01-02T24:00Z", "2026-01-02T3:04Z", "2026-13-01", "2026-01-02T03:04:05.Z", "yesterday", "2026-01-02X03:04"] {
            #expect(Timestamp(parsingInstant: bad) == nil, "\(bad)")
        }
    }
}
