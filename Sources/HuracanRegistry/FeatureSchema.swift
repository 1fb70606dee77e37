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
