import Foundation
import HuracanCore

/// Turns registry rows into engine models, refusing (with the reason) a model whose file is
/// missing, fails its checksum, is not a valid XGBoost JSON ensemble, or has another feature
/// schema.
public struct ModelLoader: Sendable {
    public let store: ModelArtifactStore

    public init(store: ModelArtifactStore) { self.store = store }

    public func load(_ record: ModelRecord) throws(RegistryError) -> TreeEnsembleModel {
        let source = "\(record.label) (\(record.regime))"
        guard record.featureSchemaVersion == Features.schemaVersion else {
            throw RegistryError(.schemaMismatch, "\(source) refused: feature schema version \(record.featureSchemaVersion), the engine's is \(Features.schemaVersion); retrain it")
        }
        let data: Data
        do {
            data = try store.read(record.artifactPath, checksum: record.checksum)
        } catch {
            throw RegistryError(error.cause, "\(source) refused: \(error.message)")
        }
        do {
            let (ensemble, metadata) = try XGBoostJSON.load(data, source: source)
            try FeatureSchema.check(metadata, featureCount: ensemble.featureCount, source: source)
            return try TreeEnsembleModel(name: "xgb \(record.coin) v\(record.version)", ensemble: ensemble, horizonSeconds: record.horizonSeconds,
                                         target: FeatureSchema.target(metadata, source: source),
                                         edgeScale: FeatureSchema.edgeScale(metadata, source: source))
        } catch {
            throw RegistryError(.invalidModel, "\(error.message.hasPrefix(source) ? "" : source + " ")refused: \(error.message)")
        }
    }

    /// The coin's model set from its selection (best active model per regime); models that fail
    /// to load are left out and reported in `refused`.
    public func modelSet(selection: [String: ModelRecord], fallback: any Model) -> (set: RegimeModelSet, loaded: [ModelRecord], refused: [(ModelRecord, RegistryError)]) {
        var models: [Regime: any Model] = [:]
        var loaded: [ModelRecord] = [], refused: [(ModelRecord, RegistryError)] = []
        for (regimeName, record) in selection.sorted(by: { $0.key < $1.key }) {
            guard let regime = Regime(rawValue: regimeName) else { continue }
            do {
                models[regime] = try load(record)
                loaded.append(record)
            } catch {
                refused.append((record, error))
            }
        }
        return (RegimeModelSet(fallback: fallback, models: models), loaded, refused)
    }
}
