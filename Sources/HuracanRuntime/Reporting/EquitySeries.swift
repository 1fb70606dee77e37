import HuracanCore

/// The engine's equity, marked to market (open trades at mid), sampled on a fixed time grid:
/// what Sharpe, Sortino, volatility and drawdown are computed from, and what `--equity` writes
/// so anyone can recompute them.
public struct EquitySeries: Sendable {
    /// Grid spacing in seconds.
    public var intervalSeconds: Double
    /// Samples in time order, the first at the run's start.
    public var points: [(time: Timestamp, equity: Double)] = []

    public init(intervalSeconds: Double, points: [(time: Timestamp, equity: Double)] = []) {
        self.intervalSeconds = intervalSeconds
        self.points = points
    }

    /// The figures of `EquityMetrics` for this series.
    public var metrics: EquityMetrics { EquityMetrics(equity: points, intervalSeconds: intervalSeconds) }

    /// "time,equity" then one line per sample: ISO-8601 UTC time and the equity with every
    /// digit needed to read the same Double back.
    public func csv() -> String {
        var out = "time,equity\n"
        out.reserveCapacity(points.count * 40)
        for point in points { out += "\(point.time),\(point.equity)\n" }
        return out
    }
}
