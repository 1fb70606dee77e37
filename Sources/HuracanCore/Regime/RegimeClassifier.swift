#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Classifies a coin's regime from its streaming features, sampled once per second (the
/// pipeline and the training data set use the same cadence and this same code).
///
/// - Trend: the one-minute move relative to one-minute volatility, |r60| / (sigma x sqrt(60)),
///   smoothed exponentially (`trendTimeConstant`). A random walk averages about 0.8; above
///   `trendThreshold` the coin trends, below it ranges.
/// - Volatility: current volatility against its own slow average (`volatilityTimeConstant`);
///   above `volatilityRatio` times the average is high volatility.
/// Averages decay with elapsed time, so irregular sampling only blurs, never biases, them.
public struct RegimeClassifier: Sendable, Hashable {
    public static let trendTimeConstant = 120.0
    public static let volatilityTimeConstant = 1_800.0
    public static let trendThreshold = 1.0
    public static let volatilityRatio = 1.0

    public private(set) var trendScore = 0.0
    public private(set) var volatilityAverage = 0.0
    public private(set) var current = Regime.rangeLowVol
    private var lastTime: Int64 = 0
    private var samples = 0

    public init() {}

    /// Folds in the features at `time` and returns the regime now.
    @discardableResult
    public mutating func update(_ features: Features, at time: Timestamp) -> Regime {
        update(return60sBps: features.return60sBps, volatilityBps: features.volatilityBps, at: time)
    }

    /// The same from the two figures it reads (`FeatureState.regimeInputs`).
    @discardableResult
    public mutating func update(return60sBps: Double, volatilityBps: Double, at time: Timestamp) -> Regime {
        let sigmaMinute = max(volatilityBps * 60.0.squareRoot(), 1e-9)
        let score = abs(return60sBps) / sigmaMinute
        let volatility = volatilityBps
        if samples == 0 {
            trendScore = score
            volatilityAverage = volatility
        } else {
            let dt = max(Double(time.nanoseconds - lastTime) / 1e9, 0)
            trendScore += (1 - exp(-dt / Self.trendTimeConstant)) * (score - trendScore)
            volatilityAverage += (1 - exp(-dt / Self.volatilityTimeConstant)) * (volatility - volatilityAverage)
        }
        lastTime = time.nanoseconds
        samples += 1
        current = Regime(trending: trendScore > Self.trendThreshold, highVolatility: volatility > volatilityAverage * Self.volatilityRatio)
        return current
    }
}
