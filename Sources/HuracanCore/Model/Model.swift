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
}

/// The built-in baseline: logistic regression for the probability that price rises over
/// `horizonSeconds`; the edge is that probability's lean times the expected absolute move
/// (volatility x sqrt(horizon) x sqrt(2/pi)).
public struct LogisticBaselineModel: Model {
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
        self.init(name: name, intercept: intercept, weights: weights, horizonSeconds: horizonSeconds)
    }

    @inlinable public func predict(_ features: Features) -> Prediction {
        let z = intercept + weights.dot(features)
        let probability = 1 / (1 + exp(-z))
        let expectedMove = features.volatilityBps * horizonSeconds.squareRoot() * 0.797_884_560_8
        return Prediction(edgeBps: (2 * probability - 1) * expectedMove, confidence: max(probability, 1 - probability))
    }
}

public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
