import HuracanCore
import Testing

/// The pipeline decides with the model of the coin's current regime.
@Suite struct RegimeDecisionTests {
    @Test func pipelineUsesTheModelOfTheCurrentRegime() throws {
        // A flat, quiet market is a ranging, low-volatility one: the range model (buy) decides,
        // not the trend model (sell) nor the fallback (no edge).
        var h = PipelineHarness(prediction: Prediction(edgeBps: 0, confidence: 0.5))
        let range = FixedModel(name: "range", prediction: Prediction(edgeBps: 40, confidence: 0.6))
        let trend = FixedModel(name: "trend", prediction: Prediction(edgeBps: -40, confidence: 0.6))
        h.pipeline.model = RegimeModelSet(fallback: FixedModel(prediction: Prediction(edgeBps: 0, confidence: 0.5)),
                                          models: [.rangeLowVol: range, .trendHighVol: trend, .trendLowVol: trend])
        h.warm()
        #expect(h.pipeline.regime.current == .rangeLowVol)
        let entry = try #require(h.context.outbox.first)
        #expect(entry.side == .buy)
    }
}
