/// The active models of one coin by regime: the engine asks for the model of the coin's current
/// regime, falls back to an all-regime model, then to the baseline. Each slot holds the best
/// active model of that regime (ranked by walk-forward Sharpe after costs in the registry).
public struct RegimeModelSet: Model {
    /// By `Regime.index`; slot 4 is the all-regime model.
    public private(set) var slots: [(any Model)?]
    public let fallback: any Model
    public var name: String

    public init(fallback: any Model, models: [Regime: any Model] = [:]) {
        var slots = [(any Model)?](repeating: nil, count: Regime.allCases.count)
        for (regime, model) in models { slots[regime.index] = model }
        self.slots = slots
        self.fallback = fallback
        name = models.isEmpty ? fallback.name : Regime.allCases.compactMap { r in slots[r.index].map { "\(r.rawValue): \($0.name)" } }.joined(separator: ", ")
    }

    /// The model used in `regime`.
    public func model(for regime: Regime) -> any Model {
        slots[regime.index] ?? slots[Regime.all.index] ?? fallback
    }

    public func predict(_ features: Features) -> Prediction {
        model(for: .all).predict(features)
    }

    public func predict(_ features: Features, regime: Regime) -> Prediction {
        model(for: regime).predict(features)
    }
}
