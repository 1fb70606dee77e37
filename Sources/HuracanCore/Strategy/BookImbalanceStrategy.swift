/// `book_imbalance`: the example of docs/strategies.md. When the best bid holds much more size
/// than the best ask (imbalance above `threshold`), buyers are pressing: buy; the mirror image
/// sells. The stated edge (imbalance x the scalp take-profit) goes through the cost gate, and the
/// trade takes the scalp's exits.
public struct BookImbalanceStrategy: Strategy {
    public var name: String { "book_imbalance" }
    /// Imbalance (bid size - ask size) / (bid size + ask size) needed to enter, 0 to 1.
    public let threshold: Double

    public init(threshold: Double = 0.6) {
        precondition(threshold > 0 && threshold < 1, "book_imbalance threshold must be between 0 and 1, got \(threshold)")
        self.threshold = threshold
    }

    public mutating func decide(_ market: StrategyMarket, features: FeatureState, model: any Model) -> StrategyDecision {
        guard market.canEnter else { return .none }
        let top = market.top
        let depth = top.bidSize + top.askSize
        guard depth > 0 else { return .none }
        let imbalance = (top.bidSize - top.askSize) / depth
        guard abs(imbalance) >= threshold else { return .none }
        let side: Side = imbalance > 0 ? .buy : .sell
        let edge = abs(imbalance) * market.parameters.scalp.takeProfitBps
        return StrategyDecision(entry: EntryIntent(side: side, style: .scalp, edgeBps: side == .buy ? edge : -edge, confidence: abs(imbalance),
                                                   reason: "book imbalance \(Int((imbalance * 100).rounded()))%"))
    }
}
