import Foundation
import HuracanCore

/// Risk-adjusted figures from equity sampled on a fixed time grid (marked to market, open trades
/// at mid), annualised by that grid over 365 days: crypto trades every day.
///
/// Definitions (risk-free rate 0; r = simple returns between samples, n = their count,
/// k = samples per year):
/// - Sharpe = mean(r) / sd(r) x sqrt(k), sd with n - 1 (as empyrical and quantstats).
/// - Sortino = mean(r) / sqrt(sum(min(r, 0)^2) / n) x sqrt(k).
/// - Volatility = sd(r) x sqrt(k).
/// - Max drawdown = largest fall from a running peak of the sampled equity, as a fraction.
/// - Calmar = compound annual growth / max drawdown; only over 30 days or more.
/// - Probabilistic Sharpe (Bailey & Lopez de Prado, 2012): the probability that the true
///   per-sample Sharpe exceeds 0 given n, the skewness and the kurtosis of r:
///   PSR = Phi(SR sqrt(n - 1) / sqrt(1 - skew SR + (kurt - 1) / 4 SR^2)).
///
/// A figure that cannot be computed honestly is nil, and `unavailable` says why.
public struct EquityMetrics: Sendable, Equatable {
    /// Fewer returns than this and the ratios are not given: they would mostly show noise.
    public static let minimumReturns = 30

    public var intervalSeconds: Double
    /// Returns between consecutive samples.
    public var returns: Int
    public var sharpe: Double?
    public var sortino: Double?
    public var volatility: Double?
    public var calmar: Double?
    public var probabilisticSharpe: Double?
    public var maxDrawdown = 0.0
    public var maxDrawdownPeak: Timestamp?
    public var maxDrawdownTrough: Timestamp?
    /// Why the ratios are n/a; nil when they are given.
    public var unavailable: String?
    /// Why Calmar alone is n/a (a run too short to annualise its growth).
    public var calmarUnavailable: String?
    public static let minimumCalmarDays = 30.0

    public var samplesPerYear: Double { 365 * 86_400 / intervalSeconds }

    public init(equity: [(time: Timestamp, equity: Double)], intervalSeconds: Double) {
        self.intervalSeconds = intervalSeconds
        var peak = -Double.infinity, peakTime: Timestamp?
        for point in equity {
            if point.equity > peak {
                peak = point.equity
                peakTime = point.time
            }
            let drawdown = peak > 0 ? (peak - point.equity) / peak : 0
            if drawdown > maxDrawdown {
                maxDrawdown = drawdown
                maxDrawdownPeak = peakTime
                maxDrawdownTrough = point.time
            }
        }
        var r: [Double] = []
        r.reserveCapacity(max(0, equity.count - 1))
        for i in equity.indices.dropFirst() where equity[i - 1].equity > 0 {
            r.append(equity[i].equity / equity[i - 1].equity - 1)
        }
        returns = r.count
        guard r.count >= Self.minimumReturns else {
            unavailable = "\(r.count) equity returns at \(Self.interval(intervalSeconds)) intervals, fewer than \(Self.minimumReturns): "
                + "run a longer period or sample more often (engine.simulator.equity_interval_seconds)"
            return
        }
        let n = Double(r.count)
        let mean = r.reduce(0, +) / n
        let squares = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let sd = (squares / (n - 1)).squareRoot()
        guard sd > 0 else {
            unavailable = "equity did not change over \(r.count) samples: no trades to measure"
            return
        }
        let annual = samplesPerYear.squareRoot()
        sharpe = mean / sd * annual
        volatility = sd * annual
        let downside = (r.reduce(0) { $0 + min(0, $1) * min(0, $1) } / n).squareRoot()
        sortino = downside > 0 ? mean / downside * annual : nil
        let years = n * intervalSeconds / (365 * 86_400)
        if years * 365 < Self.minimumCalmarDays {
            calmarUnavailable = "Calmar needs at least \(Int(Self.minimumCalmarDays)) days: compounding a shorter run's return to a year means nothing"
        } else if let first = equity.first?.equity, let last = equity.last?.equity, first > 0, maxDrawdown > 0 {
            let growth = last > 0 ? pow(last / first, 1 / years) - 1 : -1
            calmar = growth / maxDrawdown
        }
        // Population moments for skewness and (non-excess) kurtosis.
        let m2 = squares / n
        let m3 = r.reduce(0) { $0 + pow($1 - mean, 3) } / n
        let m4 = r.reduce(0) { $0 + pow($1 - mean, 4) } / n
        let skew = m3 / pow(m2, 1.5), kurtosis = m4 / (m2 * m2)
        let perSample = mean / sd
        let spread = 1 - skew * perSample + (kurtosis - 1) / 4 * perSample * perSample
        if spread > 0 {
            probabilisticSharpe = 0.5 * erfc(-(perSample * (n - 1).squareRoot() / spread.squareRoot()) / 2.0.squareRoot())
        }
    }

    /// "1 min", "30 s", "1 h".
    static func interval(_ seconds: Double) -> String {
        if seconds >= 3_600, seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return "\(Int(seconds / 3_600)) h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60)) min" }
        return "\(String(format: "%g", seconds)) s"
    }

    /// The figure with two decimals, or "n/a".
    public static func format(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return value.isFinite ? String(format: "%.2f", value) : "inf"
    }
}
