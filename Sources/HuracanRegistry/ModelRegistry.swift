import Foundation
import HuracanCore
import HuracanSQL
import Logging
import SQLKit

/// The model registry: `model_registry` rows in SQLite or PostgreSQL (one code path), model
/// files in the artifact store, activation with best-N per regime, rollback, and a change
/// signal for running engines (NOTIFY `huracan_models` on PostgreSQL; engines on SQLite poll).
public final class ModelRegistry: Sendable {
    public let database: SQLDatabaseHandle
    public let store: ModelArtifactStore
    let logger: Logger
    /// The PostgreSQL channel notified with the coin name when its active models change.
    public static let channel = "huracan_models"

    public init(database: SQLDatabaseHandle, storagePath: String, logger: Logger = Logger(label: "huracan.registry")) {
        self.database = database
        store = ModelArtifactStore(root: storagePath)
        self.logger = logger
    }

    /// Opens the database, applies migrations and returns the registry.
    public static func open(metadataDB: String, password: String? = nil, storagePath: String,
                            logger: Logger = Logger(label: "huracan.registry")) async throws -> ModelRegistry {
        let database = try await SQLDatabaseHandle.open(metadataDB, password: password, logger: logger)
        do {
            try await SQLMigrator.migrate(database, component: "model_registry", migrations: migrations)
        } catch {
            try? await database.close()
            throw error
        }
        return ModelRegistry(database: database, storagePath: storagePath, logger: logger)
    }

    public func close() async throws { try await database.close() }

    static let columns = """
        coin, version, sharpe_ratio, regime, last_retrain_date, is_active, CAST(performance_metrics AS TEXT) AS performance_metrics, \
        style, horizon_seconds, artifact_path, checksum_sha256, feature_schema_version, training_start, training_end, \
        trainer_version, created_at, activated_at
        """

    // MARK: registering

    /// Checks the model file (XGBoost JSON, feature schema), stores it as
    /// `{coin}/{version}.json` with its checksum and adds an inactive row.
    @discardableResult
    public func register(_ registration: ModelRegistration, artifact: Data) async throws -> ModelRecord {
        let coin = registration.coin
        guard !coin.isEmpty, coin.count <= 20, coin.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw RegistryError(.invalidRequest, "coin \"\(coin)\": must be 1 to 20 letters or digits")
        }
        guard registration.regime == "all" || Regime(rawValue: registration.regime) != nil else {
            throw RegistryError(.invalidRequest, "\(coin): regime \"\(registration.regime)\" is not one of \(Regime.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard registration.featureSchemaVersion == Features.schemaVersion else {
            throw RegistryError(.schemaMismatch, "\(coin): feature schema version \(registration.featureSchemaVersion) does not match the engine's \(Features.schemaVersion)")
        }
        do {
            let (ensemble, metadata) = try XGBoostJSON.load(artifact, source: "\(coin) model")
            try FeatureSchema.check(metadata, featureCount: ensemble.featureCount, source: "\(coin) model")
        } catch {
            throw RegistryError(.invalidModel, "refused to register: \(error.message)")
        }
        let checksum = ModelArtifactStore.sha256(artifact)
        let now = Date()
        for _ in 0..<20 {
            let latest = try await database.sql.raw("SELECT MAX(version) AS v FROM model_registry WHERE coin = \(bind: coin)").first()
            let version = (try latest?.decodeNil(column: "v") == false ? try latest?.decode(column: "v", as: Int.self) : nil).map { $0 + 1 } ?? 1
            let path = ModelArtifactStore.relativePath(coin: coin, version: version)
            do {
                try await database.sql.raw("""
                    INSERT INTO model_registry (coin, version, sharpe_ratio, regime, last_retrain_date, is_active, performance_metrics,
                        style, horizon_seconds, artifact_path, checksum_sha256, feature_schema_version, training_start, training_end,
                        trainer_version, created_at)
                    VALUES (\(bind: coin), \(bind: version), \(bind: registration.sharpeRatio), \(bind: registration.regime),
                        \(bind: registration.lastRetrainDate), \(bind: false), \(database.json(Self.encode(registration.performanceMetrics))),
                        \(bind: registration.style), \(bind: registration.horizonSeconds), \(bind: path), \(bind: checksum),
                        \(bind: registration.featureSchemaVersion), \(bind: registration.trainingStart), \(bind: registration.trainingEnd),
                        \(bind: registration.trainerVersion), \(bind: now))
                    """).run()
            } catch {
                // Another registration of the same coin took this version: take the next.
                if try await record(coin: coin, version: version) != nil { continue }
                throw RegistryError(.database, "\(coin) v\(version): cannot insert the registry row: \(String(reflecting: error))")
            }
            do {
                try store.write(artifact, to: path)
            } catch {
                try? await database.sql.raw("DELETE FROM model_registry WHERE coin = \(bind: coin) AND version = \(bind: version)").run()
                throw error
            }
            try await logEvent(coin: coin, version: version, action: "register", detail: "regime \(registration.regime), sharpe \(registration.sharpeRatio)")
            guard let stored = try await record(coin: coin, version: version) else { throw RegistryError(.database, "\(coin) v\(version): row vanished after insert") }
            return stored
        }
        throw RegistryError(.database, "\(coin): could not allocate a version (too many concurrent registrations)")
    }

    // MARK: queries

    public func list(coin: String? = nil) async throws -> [ModelRecord] {
        let rows: [any SQLRow]
        if let coin {
            rows = try await database.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM model_registry WHERE coin = \(bind: coin) ORDER BY coin, version").all()
        } else {
            rows = try await database.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM model_registry ORDER BY coin, version").all()
        }
        return try rows.map(Self.decode)
    }

    public func record(coin: String, version: Int) async throws -> ModelRecord? {
        try await database.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM model_registry WHERE coin = \(bind: coin) AND version = \(bind: version)")
            .first().map(Self.decode)
    }

    /// Active models, best Sharpe first within each coin and regime.
    public func activeModels(coin: String? = nil) async throws -> [ModelRecord] {
        let rows: [any SQLRow]
        if let coin {
            rows = try await database.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM model_registry WHERE is_active = \(bind: true) AND coin = \(bind: coin) ORDER BY coin, regime, sharpe_ratio DESC, version DESC").all()
        } else {
            rows = try await database.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM model_registry WHERE is_active = \(bind: true) ORDER BY coin, regime, sharpe_ratio DESC, version DESC").all()
        }
        return try rows.map(Self.decode)
    }

    /// The model the engine uses per regime of `coin`: the active one with the best Sharpe.
    public func selection(coin: String) async throws -> [String: ModelRecord] {
        var chosen: [String: ModelRecord] = [:]
        for record in try await activeModels(coin: coin) where chosen[record.regime] == nil { chosen[record.regime] = record }
        return chosen
    }

    // MARK: activation

    /// Makes `version` the active model of its regime (others of that regime are deactivated).
    public func activate(coin: String, version: Int) async throws {
        guard let record = try await record(coin: coin, version: version) else {
            throw RegistryError(.notFound, "\(coin) v\(version) is not in the registry (see huracan models list --coin \(coin))")
        }
        // One statement: a reader (the engine's model watcher) sees the old model or the new
        // one, never a regime with none (which would swap the coin to the baseline model).
        try await database.sql.raw("""
            UPDATE model_registry SET is_active = CASE WHEN version = \(bind: version) THEN \(bind: true) ELSE \(bind: false) END,
                activated_at = CASE WHEN version = \(bind: version) THEN \(bind: Date()) ELSE activated_at END
            WHERE coin = \(bind: coin) AND (regime = \(bind: record.regime) OR version = \(bind: version))
            """).run()
        try await logEvent(coin: coin, version: version, action: "activate", detail: "regime \(record.regime)")
        try await notify(coin)
    }

    /// Activates the best `count` models of `coin` in `regime` by Sharpe (at least
    /// `minimumSharpe`) and deactivates the rest of that regime. Returns the active versions.
    @discardableResult
    public func promoteBest(coin: String, regime: String, count: Int, minimumSharpe: Double = -.infinity) async throws -> [Int] {
        let rows = try await list(coin: coin).filter { $0.regime == regime }
        let best = rows.filter { $0.sharpeRatio >= minimumSharpe && $0.sharpeRatio.isFinite }
            .sorted { ($0.sharpeRatio, $0.version) > ($1.sharpeRatio, $1.version) }.prefix(max(count, 0))
        let keep = Set(best.map(\.version))
        let now = Date()
        // Activations first, then deactivations: a reader in between sees more active models
        // (and picks the best), never a regime with none.
        let activations = rows.filter { keep.contains($0.version) && !$0.isActive }
        let deactivations = rows.filter { !keep.contains($0.version) && $0.isActive }
        for row in activations {
            try await database.sql.raw("UPDATE model_registry SET is_active = \(bind: true), activated_at = \(bind: now) WHERE coin = \(bind: coin) AND version = \(bind: row.version)").run()
            try await logEvent(coin: coin, version: row.version, action: "activate", detail: "best \(count) in \(regime), sharpe \(row.sharpeRatio)")
        }
        for row in deactivations {
            try await database.sql.raw("UPDATE model_registry SET is_active = \(bind: false) WHERE coin = \(bind: coin) AND version = \(bind: row.version)").run()
            try await logEvent(coin: coin, version: row.version, action: "deactivate", detail: "outranked in \(regime)")
        }
        let changed = !activations.isEmpty || !deactivations.isEmpty
        if changed { try await notify(coin) }
        return best.map(\.version).sorted()
    }

    public func deactivate(coin: String, version: Int) async throws {
        try await database.sql.raw("UPDATE model_registry SET is_active = \(bind: false) WHERE coin = \(bind: coin) AND version = \(bind: version)").run()
        try await logEvent(coin: coin, version: version, action: "deactivate", detail: "")
        try await notify(coin)
    }

    /// Undoes the coin's latest activation: the most recently activated active model is
    /// deactivated and the models active in its regime before it (the previous activation, all
    /// models activated together) are reactivated. Returns the versions switched off and on.
    @discardableResult
    public func rollback(coin: String) async throws -> (deactivated: Int, reactivated: [Int]) {
        let rows = try await list(coin: coin)
        guard let latest = rows.filter({ $0.isActive && $0.activatedAt != nil }).max(by: { ($0.activatedAt!, $0.version) < ($1.activatedAt!, $1.version) }),
              let latestTime = latest.activatedAt else {
            throw RegistryError(.notFound, "\(coin): no active model to roll back")
        }
        let earlier = rows.filter { $0.regime == latest.regime && !$0.isActive && $0.activatedAt.map { $0 <= latestTime } == true && $0.version != latest.version }
        let previousTime = earlier.compactMap(\.activatedAt).max()
        let previous = earlier.filter { $0.activatedAt == previousTime }.map(\.version).sorted()
        try await database.sql.raw("UPDATE model_registry SET is_active = \(bind: false) WHERE coin = \(bind: coin) AND version = \(bind: latest.version)").run()
        for version in previous {
            try await database.sql.raw("UPDATE model_registry SET is_active = \(bind: true) WHERE coin = \(bind: coin) AND version = \(bind: version)").run()
        }
        let detail = previous.isEmpty ? "no earlier model in \(latest.regime)" : "back to " + previous.map { "v\($0)" }.joined(separator: ", ")
        try await logEvent(coin: coin, version: latest.version, action: "rollback", detail: detail)
        try await notify(coin)
        return (latest.version, previous)
    }

    // MARK: change signal and audit

    /// Tells listening engines that `coin`'s active models changed (PostgreSQL NOTIFY; SQLite
    /// engines see the change at their next poll).
    public func notify(_ coin: String) async throws {
        guard database.dialect == .postgresql else { return }
        try await database.sql.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: coin))").run()
    }

    /// Records an operation or refusal in `model_events` (audit trail).
    public func logEvent(coin: String, version: Int, action: String, detail: String) async throws {
        try await database.sql.raw("INSERT INTO model_events (coin, version, action, detail, at) VALUES (\(bind: coin), \(bind: version), \(bind: action), \(bind: String(detail.prefix(500))), \(bind: Date()))").run()
    }

    public func events(coin: String) async throws -> [(version: Int, action: String, detail: String, at: Date)] {
        try await database.sql.raw("SELECT version, action, detail, at FROM model_events WHERE coin = \(bind: coin) ORDER BY id").all().map {
            (try $0.decode(column: "version", as: Int.self), try $0.decode(column: "action", as: String.self),
             try $0.decode(column: "detail", as: String.self), try $0.decode(column: "at", as: Date.self))
        }
    }

    // MARK: encoding

    static func encode(_ metrics: [String: Double]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let finite = metrics.filter { $0.value.isFinite }
        return String(decoding: (try? encoder.encode(finite)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decode(_ row: any SQLRow) throws -> ModelRecord {
        let metricsText = try row.decodeNil(column: "performance_metrics") ? "{}" : try row.decode(column: "performance_metrics", as: String.self)
        let metrics = (try? JSONDecoder().decode([String: Double].self, from: Data(metricsText.utf8))) ?? [:]
        return ModelRecord(
            coin: try row.decode(column: "coin", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            sharpeRatio: try row.decode(column: "sharpe_ratio", as: Double.self),
            regime: try row.decode(column: "regime", as: String.self),
            lastRetrainDate: try row.decode(column: "last_retrain_date", as: Date.self),
            isActive: try row.decode(column: "is_active", as: Bool.self),
            performanceMetrics: metrics,
            style: try row.decode(column: "style", as: String.self),
            horizonSeconds: try row.decode(column: "horizon_seconds", as: Double.self),
            artifactPath: try row.decode(column: "artifact_path", as: String.self),
            checksum: try row.decode(column: "checksum_sha256", as: String.self),
            featureSchemaVersion: try row.decode(column: "feature_schema_version", as: Int.self),
            trainingStart: try row.decode(column: "training_start", as: Date.self),
            trainingEnd: try row.decode(column: "training_end", as: Date.self),
            trainerVersion: try row.decode(column: "trainer_version", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            activatedAt: try row.decodeNil(column: "activated_at") ? nil : try row.decode(column: "activated_at", as: Date.self))
    }
}
