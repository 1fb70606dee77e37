#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a model expects: signed edge in basis points over its horizon (positive: price rises)
/// and a confidence in [0.5, 1] that the sign is right.
public struct Prediction: Sendable, Hashable {
    public var edgeBps: Double
    public var confidence: Double
    public init(edgeBps: Double, confidence: Double) {
        self.edgeBps = edgeBps
        self.confidence = confidence
    }
    public var side: Side { edgeBps >= 0 ? .buy : .sell }
}

/// A per-coin model slot. Implementations must not allocate per call.
public protocol Model: Sendable {
    /// A short identity for logs and reports ("baseline-v1", "xgb BTC v12").
    var name: String { get }
    func predict(_ features: Features) -> Prediction
    /// The prediction in the coin's current regime; models that do not depend on it ignore it.
    func predict(_ features: Features, regime: Regime) -> Prediction
}

extension Model {
    @inlinable public func predict(_ features: Features, regime: Regime) -> Prediction { predict(features) }
}

/// The built-in baseline: a linear model of the forward return over `horizonSeconds`, in bps,
/// fitted by least squares (`huracan baseline fit`). Confidence is the probability that the sign
/// is right if the return is normal around the edge with the coin's volatility over the horizon:
/// Phi(|edge| / (volatility x sqrt(horizon))), by its logistic approximation.
public struct LinearBaselineModel: Model {
    public var name: String
    public var intercept: Double
    public var weights: Features
    public var horizonSeconds: Double

    public init(name: String = "baseline-v1", intercept: Double, weights: Features, horizonSeconds: Double) {
        self.name = name
        self.intercept = intercept
        self.weights = weights
        self.horizonSeconds = horizonSeconds
    }

    /// Builds the model from named coefficients; unknown names are an error naming them.
    public init(name: String = "baseline-v1", intercept: Double, coefficients: [String: Double], horizonSeconds: Double) throws(ModelError) {
        var weights = Features()
        for (key, value) in coefficients {
            guard let index = Features.names.firstIndex(of: key) else {
                throw ModelError(message: "unknown feature \"\(key)\" (known: \(Features.names.joined(separator: ", ")))")
            }
            guard value.isFinite else { throw ModelError(message: "coefficient of \(key) is not a finite number") }
            weights[index] = value
        }
        guard horizonSeconds > 0, horizonSeconds.isFinite else { throw ModelError(message: "horizon_seconds must be positive") }
        guard intercept.isFinite else { throw ModelError(message: "intercept is not a finite number") }
        self.init(name: name, intercept: intercept, weights: weights, horizonSeconds: horizonSeconds)
    }

    /// Coefficients by feature name, for writing the model file.
    public var coefficients: [String: Double] {
        Dictionary(uniqueKeysWithValues: Features.names.enumerated().map { ($1, weights[$0]) })
    }

    @inlinable public func predict(_ features: Features) -> Prediction {
        let edge = intercept + weights.dot(features)
        let spread = max(features.volatilityBps * horizonSeconds.squareRoot(), 1e-9)
        let confidence = 1 / (1 + exp(-1.702 * abs(edge) / spread))
        return Prediction(edgeBps: edge, confidence: confidence)
    }
}

public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
