import Foundation
import HuracanCore

/// The feature schema shared by the engine and the trainer. The source of truth is
/// `Features.names` and `Features.schemaVersion`; `huracan models schema` writes this JSON to
/// `trainer/huracan_trainer/feature_schema.json`, which the trainer reads (a test checks the
/// committed file is current).
public enum FeatureSchema {
    public static var json: String {
        let names = Features.names.map { "    \"\($0)\"" }.joined(separator: ",\n")
        return """
            {
              "schema_version": \(Features.schemaVersion),
              "features": [
            \(names)
              ],
              "regimes": [\(Regime.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))]
            }

            """
    }

    /// Attribute names the trainer stores in the XGBoost file (`booster.set_attr`).
    public enum Attribute {
        public static let schemaVersion = "huracan_feature_schema_version"
        public static let horizonSeconds = "huracan_horizon_seconds"
        public static let style = "huracan_style"
        public static let regime = "huracan_regime"
        /// What the output means: `bps` (the default when absent) or `volatility_units`.
        public static let target = "huracan_target"
        /// Calibration factor of the output (1 when absent).
        public static let edgeScale = "huracan_edge_scale"
    }

    /// The output's calibration factor from `huracan_edge_scale` (1 when absent).
    public static func edgeScale(_ metadata: XGBoostJSON.Metadata, source: String) throws(ModelError) -> Double {
        guard let text = metadata.attributes[Attribute.edgeScale] else { return 1 }
        guard let scale = Double(text), scale.isFinite, scale >= 0 else {
            throw ModelError(message: "\(source): \(Attribute.edgeScale) \"\(text)\" is not a finite number >= 0")
        }
        return scale
    }

    /// The output's meaning from the file's `huracan_target` attribute (bps when absent).
    public static func target(_ metadata: XGBoostJSON.Metadata, source: String) throws(ModelError) -> TreeEnsembleModel.Target {
        guard let text = metadata.attributes[Attribute.target] else { return .basisPoints }
        guard let target = TreeEnsembleModel.Target(rawValue: text) else {
            let known = TreeEnsembleModel.Target.allCases.map(\.rawValue).joined(separator: ", ")
            throw ModelError(message: "\(source): \(Attribute.target) \"\(text)\" is not one of \(known)")
        }
        return target
    }

    /// Checks a model file against the engine's schema: the schema version attribute and, when
    /// the file names its features, the names in order.
    public static func check(_ metadata: XGBoostJSON.Metadata, featureCount: Int, source: String) throws(ModelError) {
        guard let text = metadata.attributes[Attribute.schemaVersion], let version = Int(text) else {
            throw ModelError(message: "\(source): no \(Attribute.schemaVersion) attribute; the file was not written by huracan_trainer")
        }
        guard version == Features.schemaVersion else {
            throw ModelError(message: "\(source): feature schema version \(version) does not match the engine's \(Features.schemaVersion); retrain the model")
        }
        guard featureCount == Features.count else {
            throw ModelError(message: "\(source): \(featureCount) features, the engine's schema has \(Features.count)")
        }
        if !metadata.featureNames.isEmpty, metadata.featureNames != Features.names {
            throw ModelError(message: "\(source): feature names \(metadata.featureNames) differ from the engine's \(Features.names)")
        }
    }
}
