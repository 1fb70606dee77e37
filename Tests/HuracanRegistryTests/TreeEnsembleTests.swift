import Foundation
import HuracanCore
import HuracanRegistry
import HuracanTestSupport
import Testing

@Suite struct TreeEnsembleTests {
    @Test func stumpFollowsThresholdAndMissingDefault() throws {
        let (ensemble, metadata) = try XGBoostJSON.load(TestModels.stump(baseScore: "[5E-1]"), source: "stump")
        #expect(metadata.attributes["huracan_feature_schema_version"] == "1")
        var f = Features()
        f.return1sBps = 0.2
        #expect(ensemble.predict(f) == 0.5 - 3)
        f.return1sBps = 0.5   // not below the threshold: right
        #expect(ensemble.predict(f) == 0.5 + 7)
        f.return1sBps = .nan  // missing: default left
        #expect(ensemble.predict(f) == 0.5 - 3)
    }

    @Test func logisticTakesTheLogitOfTheBaseScore() throws {
        let (ensemble, _) = try XGBoostJSON.load(TestModels.stump(low: 0, high: 0, baseScore: "0.8", objective: "binary:logistic"), source: "stump")
        #expect(abs(ensemble.predict(Features()) - 0.8) < 1e-6)
    }

    @Test func refusesWhatItCannotEvaluate() throws {
        #expect(throws: ModelError.self) { try XGBoostJSON.load(Data([0x80, 0x04, 0x95]), source: "pickle") }
        #expect(throws: ModelError.self) { try XGBoostJSON.load(TestModels.stump(objective: "multi:softprob"), source: "multi") }
        #expect(throws: ModelError.self) { try XGBoostJSON.load(TestModels.stump(feature: 12), source: "feature 12") }
        let other = try XGBoostJSON.load(TestModels.stump(schemaVersion: 99), source: "v99")
        #expect(throws: ModelError.self) { try FeatureSchema.check(other.metadata, featureCount: other.ensemble.featureCount, source: "v99") }
        let renamed = try XGBoostJSON.load(TestModels.stump(names: Features.names.reversed()), source: "renamed")
        #expect(throws: ModelError.self) { try FeatureSchema.check(renamed.metadata, featureCount: renamed.ensemble.featureCount, source: "renamed") }
    }

    /// A pooled model predicts in units of the coin's volatility over the horizon, calibrated by
    /// the trainer's edge scale: edge = output x volatility x sqrt(horizon) x scale.
    @Test func volatilityUnitsAndEdgeScaleGiveTheEdgeInBps() throws {
        let file = TestModels.stump(low: 0.5, high: 0.5, attributes: #","huracan_target":"volatility_units","huracan_edge_scale":"0.8""#)
        let (ensemble, metadata) = try XGBoostJSON.load(file, source: "pooled")
        let model = try TreeEnsembleModel(name: "pooled", ensemble: ensemble, horizonSeconds: 100,
                                          target: FeatureSchema.target(metadata, source: "pooled"), edgeScale: FeatureSchema.edgeScale(metadata, source: "pooled"))
        #expect(model.target == .volatilityUnits && model.edgeScale == 0.8)
        var f = Features()
        f.volatilityBps = 2      // 2 bps per sqrt(s) over 100 s: 20 bps
        let prediction = model.predict(f)
        #expect(abs(prediction.edgeBps - 0.5 * 20 * 0.8) < 1e-9)
        #expect(abs(prediction.confidence - 1 / (1 + exp(-1.702 * 8 / 20))) < 1e-12)
        f.volatilityBps = 4      // the same output is a larger move on a more volatile coin
        #expect(abs(model.predict(f).edgeBps - 16) < 1e-9)

        // Without the attributes: bps, unscaled (files of earlier trainers).
        let plain = try XGBoostJSON.load(TestModels.stump(), source: "plain").metadata
        #expect(try FeatureSchema.target(plain, source: "plain") == .basisPoints && FeatureSchema.edgeScale(plain, source: "plain") == 1)
        // Values it cannot use are refused with the attribute named.
        let percent = try XGBoostJSON.load(TestModels.stump(attributes: #","huracan_target":"percent""#), source: "p").metadata
        #expect { try FeatureSchema.target(percent, source: "p") } throws: { ($0 as? ModelError)?.message.contains("huracan_target \"percent\"") == true }
        let negative = try XGBoostJSON.load(TestModels.stump(attributes: #","huracan_edge_scale":"-1""#), source: "n").metadata
        #expect { try FeatureSchema.edgeScale(negative, source: "n") } throws: { ($0 as? ModelError)?.message.contains("huracan_edge_scale") == true }
    }

    @Test func regimeModelSetUsesTheRegimesModel() throws {
        let trend = try TreeEnsembleModel(name: "trend", ensemble: XGBoostJSON.load(TestModels.stump(low: 10, high: 10), source: "t").ensemble, horizonSeconds: 300)
        let all = try TreeEnsembleModel(name: "all", ensemble: XGBoostJSON.load(TestModels.stump(low: -10, high: -10), source: "a").ensemble, horizonSeconds: 300)
        let baseline = LinearBaselineModel(intercept: 1, weights: Features(), horizonSeconds: 300)
        var f = Features()
        f.volatilityBps = 1
        let set = RegimeModelSet(fallback: baseline, models: [.trendHighVol: trend, .all: all])
        #expect(set.predict(f, regime: .trendHighVol).edgeBps == 10)
        #expect(set.predict(f, regime: .rangeLowVol).edgeBps == -10)
        #expect(RegimeModelSet(fallback: baseline).predict(f, regime: .rangeLowVol).edgeBps == 1)
    }

    @Test func regimeClassifierSeesTrendAndVolatility() {
        var classifier = RegimeClassifier()
        var f = Features()
        f.volatilityBps = 1
        f.return60sBps = 0.5
        for s in 0..<600 { classifier.update(f, at: Timestamp(nanoseconds: Int64(s) * 1_000_000_000)) }
        #expect(classifier.current == .rangeLowVol)
        f.return60sBps = 30    // 30 bps in a minute with 7.7 bps one-minute sigma: a trend
        f.volatilityBps = 2    // twice its half-hour average: high volatility
        for s in 600..<900 { classifier.update(f, at: Timestamp(nanoseconds: Int64(s) * 1_000_000_000)) }
        #expect(classifier.current == .trendHighVol)
    }

    /// The trainer reads the schema from trainer/huracan_trainer/feature_schema.json; it must be
    /// what `huracan models schema` writes from `Features` (regenerate it when this fails).
    @Test func trainerSchemaFileIsCurrent() throws {
        let file = PythonTrainer.trainerFolder.appendingPathComponent("huracan_trainer/feature_schema.json")
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(committed == FeatureSchema.json, "run: huracan models schema > trainer/huracan_trainer/feature_schema.json")
    }
}

/// Our evaluator against xgboost's own predict on 10,000 rows with missing values.
@Suite struct XGBoostParityTests {
    @Test(arguments: ["reg:squarederror", "binary:logistic"])
    func swiftPredictionsEqualXGBoost(objective: String) throws {
        let python = try PythonTrainer.python(requiring: ["xgboost", "numpy"])
        let folder = TestPaths.temporaryDirectory("huracan-parity")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try PythonTrainer.run(python, ["parity-fixture", "--out", folder.path, "--rows", "10000", "--trees", "200", "--depth", "6", "--objective", objective])
        try #require(result.status == 0, "parity-fixture failed: \(result.output)")
        let model = try Data(contentsOf: folder.appendingPathComponent("model.json"))
        let (ensemble, metadata) = try XGBoostJSON.load(model, source: "parity")
        try FeatureSchema.check(metadata, featureCount: ensemble.featureCount, source: "parity")
        #expect(ensemble.treeCount == 200)
        let features = try Data(contentsOf: folder.appendingPathComponent("features.f64"))
        let expected = try Data(contentsOf: folder.appendingPathComponent("predictions.f32"))
        let rows = expected.count / 4
        #expect(rows == 10_000)
        #expect(features.count == rows * Features.count * 8)
        var maxDiff = 0.0
        var missing = 0
        for r in 0..<rows {
            var f = Features()
            for i in 0..<Features.count {
                let bits = features.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: (r * Features.count + i) * 8, as: UInt64.self) }
                f[i] = Double(bitPattern: UInt64(littleEndian: bits))
                if f[i].isNaN { missing += 1 }
            }
            let want = expected.withUnsafeBytes { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: r * 4, as: UInt32.self))) }
            maxDiff = max(maxDiff, abs(Double(ensemble.predict(f)) - Double(want)))
        }
        #expect(missing > 1_000, "the fixture should exercise missing values")
        #expect(maxDiff < 1e-6, "max abs diff \(maxDiff) over \(rows) rows (\(objective))")
        print("parity \(objective): \(rows) rows, 200 trees, max abs diff \(maxDiff)")
    }
}
