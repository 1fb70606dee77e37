#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A trained per-coin model: an XGBoost tree ensemble over the engine's features (schema
/// `Features.schemaVersion`). A `reg:squarederror` ensemble predicts the forward return in bps
/// over `horizonSeconds` net of costs; a `binary:logistic` one the probability of a rise. The
/// confidence is derived as for the baseline: Phi(|edge| / (volatility x sqrt(horizon))).
public struct TreeEnsembleModel: Model {
    public var name: String
    public let ensemble: TreeEnsemble
    public var horizonSeconds: Double

    public init(name: String, ensemble: TreeEnsemble, horizonSeconds: Double) throws(ModelError) {
        guard ensemble.featureCount == Features.count else {
            throw ModelError(message: "\(name): the ensemble has \(ensemble.featureCount) features, the engine's schema \(Features.count)")
        }
        guard horizonSeconds > 0, horizonSeconds.isFinite else { throw ModelError(message: "\(name): horizon_seconds must be positive") }
        self.name = name
        self.ensemble = ensemble
        self.horizonSeconds = horizonSeconds
    }

    @inlinable public func predict(_ features: Features) -> Prediction {
        let output = Double(ensemble.predict(features))
        let spread = max(features.volatilityBps * horizonSeconds.squareRoot(), 1e-9)
        switch ensemble.objective {
        case .squaredError:
            let confidence = 1 / (1 + exp(-1.702 * abs(output) / spread))
            return Prediction(edgeBps: output, confidence: confidence)
        case .logistic:
            // Expected move given the probability of a rise: (2p - 1) x E|r|, E|r| = sigma sqrt(2/pi).
            let edge = (2 * output - 1) * spread * 0.797_884_560_8
            return Prediction(edgeBps: edge, confidence: max(output, 1 - output))
        }
    }
}
