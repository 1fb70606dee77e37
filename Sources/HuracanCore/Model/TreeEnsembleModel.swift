#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A trained per-coin model: an XGBoost tree ensemble over the engine's features (schema
/// `Features.schemaVersion`). A `reg:squarederror` ensemble predicts the forward return over
/// `horizonSeconds`, in bps or in units of the coin's volatility over the horizon (`Target`); a
/// `binary:logistic` one the probability of a rise. The confidence is derived as for the
/// baseline: Phi(|edge| / (volatility x sqrt(horizon))).
public struct TreeEnsembleModel: Model {
    /// What a `reg:squarederror` ensemble's output means (the trainer's `huracan_target`).
    public enum Target: String, Sendable, Hashable, CaseIterable {
        /// The forward return in bps.
        case basisPoints = "bps"
        /// The forward return divided by volatility x sqrt(horizon): one model fits coins of any
        /// volatility, and the edge in bps follows the coin's current volatility.
        case volatilityUnits = "volatility_units"
    }

    public var name: String
    public let ensemble: TreeEnsemble
    public var horizonSeconds: Double
    public var target: Target
    /// Calibration of a `reg:squarederror` output to realised moves (the trainer's
    /// `huracan_edge_scale`: the out-of-sample slope of return on prediction); 1 keeps it as is.
    public var edgeScale: Double

    public init(name: String, ensemble: TreeEnsemble, horizonSeconds: Double, target: Target = .basisPoints, edgeScale: Double = 1) throws(ModelError) {
        guard ensemble.featureCount == Features.count else {
            throw ModelError(message: "\(name): the ensemble has \(ensemble.featureCount) features, the engine's schema \(Features.count)")
        }
        guard horizonSeconds > 0, horizonSeconds.isFinite else { throw ModelError(message: "\(name): horizon_seconds must be positive") }
        guard edgeScale >= 0, edgeScale.isFinite else { throw ModelError(message: "\(name): edge scale must be a finite number >= 0, got \(edgeScale)") }
        self.name = name
        self.ensemble = ensemble
        self.horizonSeconds = horizonSeconds
        self.target = target
        self.edgeScale = edgeScale
    }

    @inlinable public func predict(_ features: Features) -> Prediction {
        let output = Double(ensemble.predict(features))
        let spread = max(features.volatilityBps * horizonSeconds.squareRoot(), 1e-9)
        switch ensemble.objective {
        case .squaredError:
            let edge = (target == .volatilityUnits ? output * spread : output) * edgeScale
            let confidence = 1 / (1 + exp(-1.702 * abs(edge) / spread))
            return Prediction(edgeBps: edge, confidence: confidence)
        case .logistic:
            // Expected move given the probability of a rise: (2p - 1) x E|r|, E|r| = sigma sqrt(2/pi).
            let edge = (2 * output - 1) * spread * 0.797_884_560_8
            return Prediction(edgeBps: edge, confidence: max(output, 1 - output))
        }
    }
}
