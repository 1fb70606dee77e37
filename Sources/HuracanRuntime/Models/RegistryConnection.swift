import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanSQL
import Logging

/// Opens the model registry named by `engine.model_registry` (`metadata_db` with its password
/// from `metadata_db_password_env` / `_file`, artifacts under `storage_path`).
public enum RegistryConnection {
    public static func password(_ config: EngineConfig) throws -> String? {
        try Secret.resolve(environmentVariable: config.modelRegistry.metadataDBPasswordEnv, file: config.modelRegistry.metadataDBPasswordFile)?.value
    }

    /// Opens (creating the SQLite file and applying migrations when needed).
    public static func open(_ config: EngineConfig, logger: Logger = Logger(label: "huracan.registry")) async throws -> ModelRegistry {
        try await ModelRegistry.open(metadataDB: config.modelRegistry.metadataDB, password: password(config),
                                     storagePath: config.modelRegistry.storagePath, logger: logger)
    }

    /// The registry for a running engine, or nil when there is none yet: an embedded SQLite file
    /// that does not exist means no model was ever registered (the engine keeps its baseline
    /// and does not create the file). A PostgreSQL server that cannot be reached is an error.
    public static func openIfPresent(_ config: EngineConfig, logger: Logger) async throws -> ModelRegistry? {
        if case .sqlite(let path) = try DatabaseURL(config.modelRegistry.metadataDB), !FileManager.default.fileExists(atPath: path) {
            logger.info("model registry \(config.modelRegistry.metadataDB) does not exist yet: baseline models")
            return nil
        }
        return try await open(config, logger: logger)
    }

    /// The model set of every coin with active models, loaded and checked; refusals are logged
    /// (and recorded in the registry's events) and leave the coin on `fallback`.
    public static func loadActive(_ registry: ModelRegistry, fallback: any Model, logger: Logger) async throws -> [String: (set: RegimeModelSet, records: [ModelRecord])] {
        var byCoin: [String: [String: ModelRecord]] = [:]
        for record in try await registry.activeModels() where byCoin[record.coin]?[record.regime] == nil {
            byCoin[record.coin, default: [:]][record.regime] = record
        }
        let loader = ModelLoader(store: registry.store)
        var result: [String: (set: RegimeModelSet, records: [ModelRecord])] = [:]
        for (coin, selection) in byCoin {
            let (set, loaded, refused) = loader.modelSet(selection: selection, fallback: fallback)
            for (record, error) in refused {
                logger.error("\(error.message)")
                try? await registry.logEvent(coin: coin, version: record.version, action: "refused", detail: error.message)
            }
            if !loaded.isEmpty { result[coin] = (set, loaded) }
        }
        return result
    }
}
