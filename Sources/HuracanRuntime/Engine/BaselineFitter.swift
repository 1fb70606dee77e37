import Foundation
import HuracanCore
import HuracanSimVenue

/// Fits the baseline model to the simulated market: features sampled once per second per coin,
/// regressed on the log return over the following `horizonSeconds`.
public enum BaselineFitter {
    public struct Result: Sendable {
        public var model: LinearBaselineModel
        public var rows: Int
        /// Share of variance of the forward return explained (in sample).
        public var rSquared: Double
        /// Share of rows whose forward return had the predicted sign, among |edge| >= 10 bps.
        public var hitRate: Double
        public var confidentRows: Int
    }

    /// Features with a direction (the sign says up or down). Levels such as volatility or spread
    /// carry no direction and would only fit the sample's drift, so they get no coefficient.
    public static let directionalFeatures = ["return_1s_bps", "return_10s_bps", "return_60s_bps", "book_imbalance",
                                             "flow_imbalance", "vwap_distance_bps", "funding_rate_bps"]

    static func directional(_ features: Features) -> Features {
        var x = Features()
        for name in directionalFeatures {
            let i = Features.names.firstIndex(of: name)!
            x[i] = features[i]
        }
        return x
    }

    public static func fit(universe: Universe, seed: UInt64, start: Timestamp, coins: Int, hours: Double, horizonSeconds: Double,
                           venues: [VenueID], updateIntervalMs: Double, progress: (Double) -> Void = { _ in }) -> Result? {
        let parameters = SimulationParameters(seed: seed, start: start, updateIntervalMs: updateIntervalMs)
        let market = SimulatedMarket(universe: universe, parameters: parameters, venues: venues)
        let steps = Int64(hours * 3_600e9) / parameters.stepNanoseconds
        let horizon = Int64(horizonSeconds * 1e9)
        var fit = LeastSquares(count: Features.count)
        var samples: [(x: Features, y: Double)] = []
        var events: [MarketEvent] = []
        for c in 0..<coins {
            var coin = market.makeCoin(CoinIndex(c))
            var state = FeatureState()
            var pending: [(time: Int64, mid: Double, x: Features)] = []
            var head = 0
            var nextSample: Int64 = 0
            for step in 0..<steps {
                events.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &coin, into: &events)
                for event in events {
                    state.update(event)
                    guard event.kind == .book, state.isWarm else { continue }
                    let t = event.time.nanoseconds
                    while head < pending.count, pending[head].time + horizon <= t {
                        let y = log(state.mid / pending[head].mid) * 10_000
                        fit.add(pending[head].x, y)
                        if samples.count < 2_000_000 { samples.append((pending[head].x, y)) }
                        head += 1
                    }
                    if t >= nextSample {
                        pending.append((t, state.mid, directional(state.features())))
                        nextSample = t + 1_000_000_000
                    }
                }
                if head > 4_096 {
                    pending.removeFirst(head)
                    head = 0
                }
            }
            progress(Double(c + 1) / Double(coins))
        }
        guard fit.rows > Features.count * 10, let (intercept, weights) = fit.solve() else { return nil }
        // No directional prior: the sample's average drift is not a forecast.
        _ = intercept
        let model = LinearBaselineModel(name: "baseline-v1", intercept: 0, weights: weights, horizonSeconds: horizonSeconds)
        var residual = 0.0, total = 0.0, mean = 0.0, hits = 0, confident = 0
        for s in samples { mean += s.y }
        mean /= Double(max(samples.count, 1))
        for s in samples {
            let edge = model.predict(s.x).edgeBps
            residual += (s.y - edge) * (s.y - edge)
            total += (s.y - mean) * (s.y - mean)
            if abs(edge) >= 10 {
                confident += 1
                if (edge > 0) == (s.y > 0) { hits += 1 }
            }
        }
        return Result(model: model, rows: fit.rows, rSquared: total > 0 ? 1 - residual / total : 0,
                      hitRate: confident > 0 ? Double(hits) / Double(confident) : 0, confidentRows: confident)
    }

    /// The model file format read by `BaselineModelLoader`.
    public static func json(_ model: LinearBaselineModel) -> String {
        var lines = ["{", "  \"format\": \"huracan-baseline\",", "  \"feature_schema_version\": \(Features.schemaVersion),",
                     "  \"name\": \"\(model.name)\",", "  \"horizon_seconds\": \(model.horizonSeconds),",
                     "  \"intercept\": \(model.intercept),", "  \"coefficients\": {"]
        let entries = Features.names.enumerated().map { "    \"\($1)\": \(model.weights[$0])" }
        lines.append(entries.joined(separator: ",\n"))
        lines += ["  }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
