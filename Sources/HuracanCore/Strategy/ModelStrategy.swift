/// The engine's ML strategy (`ml`): the coin's model predicts the edge and a confidence in the
/// current regime; a confident enough prediction opens a runner (strong edge) or a scalp, with
/// the style's exits. The edge goes through the cost gate.
public struct ModelStrategy: Strategy {
    public var name: String { "ml" }

    public init() {}

    public mutating func decide(_ market: StrategyMarket, features: FeatureState, model: any Model) -> StrategyDecision {
        guard market.canEnter else { return .none }
        let prediction = model.predict(features.features(), regime: market.regime)
        let p = market.parameters
        let style: TradeStyle
        if p.runner.enabled, prediction.confidence >= p.runner.minConfidence, abs(prediction.edgeBps) >= p.runner.minEdgeBps {
            style = .runner
        } else if p.scalp.enabled, prediction.confidence >= p.scalp.minConfidence {
            style = .scalp
        } else {
            return .none
        }
        return StrategyDecision(entry: EntryIntent(side: prediction.side, style: style, edgeBps: prediction.edgeBps, confidence: prediction.confidence,
                                                   reason: "\(style.rawValue) edge \(Int(prediction.edgeBps.rounded()))bps conf \(Int((prediction.confidence * 100).rounded()))%"))
    }
}
