import Foundation
import HuracanCore
import HuracanRegistry
import HuracanSQL
import HuracanTestSupport
import SQLKit
import Testing

/// The registry suite, run against SQLite and against a real PostgreSQL started by the test.
@Suite struct ModelRegistryTests {
    @Test(arguments: Backend.allCases)
    func registersVersionsWithArtifactsAndChecksums(backend: Backend) async throws {
        try await backend.withRegistry { registry, folder in
            let first = try await registry.register(TestModels.registration(sharpe: 1.2), artifact: TestModels.stump())
            let second = try await registry.register(TestModels.registration(sharpe: 2.0), artifact: TestModels.stump(high: 9))
            let eth = try await registry.register(TestModels.registration(coin: "ETH", regime: "trend_high_vol"), artifact: TestModels.stump())
            #expect(first.version == 1 && second.version == 2 && eth.version == 1)
            #expect(second.artifactPath == "BTC/2.json")
            #expect(!second.isActive)
            #expect(second.performanceMetrics["win_rate"] == 0.55)
            #expect(second.featureSchemaVersion == Features.schemaVersion)
            #expect(second.trainingStart == Date(timeIntervalSince1970: 1_737_936_000))
            let file = folder.appendingPathComponent("models/BTC/2.json")
            let data = try Data(contentsOf: file)
            #expect(ModelArtifactStore.sha256(data) == second.checksum)
            #expect(try await registry.list().count == 3)
            #expect(try await registry.list(coin: "BTC").map(\.version) == [1, 2])
            // Registering twice from the same process keeps versions unique.
            async let a = registry.register(TestModels.registration(coin: "SOL"), artifact: TestModels.stump())
            async let b = registry.register(TestModels.registration(coin: "SOL"), artifact: TestModels.stump())
            let versions = try await [a.version, b.version].sorted()
            #expect(versions == [1, 2])
        }
    }

    @Test(arguments: Backend.allCases)
    func migrationsAreVersionedAndIdempotent(backend: Backend) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-migrate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try backend.makeURL(folder: folder)
        for _ in 0..<2 {
            let registry = try await ModelRegistry.open(metadataDB: url, storagePath: folder.path)
            #expect(try await SQLMigrator.appliedVersions(registry.database, component: "model_registry") == [1])
            try await registry.close()
        }
        // A database migrated by a newer build is refused, naming the versions.
        try await SQLDatabaseHandle.with(url) { db in
            try await db.sql.raw("INSERT INTO schema_migrations (component, version, name, applied_at) VALUES ('model_registry', 7, 'future', \(bind: Date()))").run()
        }
        let newer = await #expect(throws: SQLDatabaseError.self) { _ = try await ModelRegistry.open(metadataDB: url, storagePath: folder.path) }
        #expect(newer?.cause == .schema)
    }

    /// The engine's model watcher reads the selection while models are activated: it must see
    /// the old model or the new one, never a regime with none (that would swap the coin to the
    /// baseline model until the next change). Activation used to deactivate and activate in two
    /// statements; a reader between them saw nothing active.
    @Test(arguments: Backend.allCases)
    func aReaderNeverSeesARegimeWithoutItsActiveModel(backend: Backend) async throws {
        try await backend.withRegistry { registry, _ in
            let v1 = try await registry.register(TestModels.registration(coin: "BTC", sharpe: 1), artifact: TestModels.stump()).version
            let v2 = try await registry.register(TestModels.registration(coin: "BTC", sharpe: 2), artifact: TestModels.stump()).version
            try await registry.activate(coin: "BTC", version: v1)
            let reader = Task {
                var reads = 0, empty = 0
                while !Task.isCancelled {
                    if try await registry.selection(coin: "BTC").isEmpty { empty += 1 }
                    reads += 1
                    await Task.yield()
                }
                return (reads, empty)
            }
            for i in 0..<150 { try await registry.activate(coin: "BTC", version: i % 2 == 0 ? v2 : v1) }
            reader.cancel()
            let (reads, empty) = try await reader.value
            #expect(reads > 0)
            #expect(empty == 0, "\(empty) of \(reads) reads saw no active model")
            #expect(try await registry.selection(coin: "BTC").values.map(\.version) == [v1])
        }
    }

    @Test(arguments: Backend.allCases)
    func bestNPerRegimeActivationAndRollback(backend: Backend) async throws {
        try await backend.withRegistry { registry, _ in
            for sharpe in [0.5, 2.5, 1.5] {
                try await registry.register(TestModels.registration(regime: "trend_low_vol", sharpe: sharpe), artifact: TestModels.stump())
            }
            try await registry.register(TestModels.registration(regime: "range_low_vol", sharpe: 0.9), artifact: TestModels.stump())
            // Only models with at least the minimum Sharpe qualify.
            #expect(try await registry.promoteBest(coin: "BTC", regime: "trend_low_vol", count: 3, minimumSharpe: 1) == [2, 3])
            #expect(try await registry.promoteBest(coin: "BTC", regime: "trend_low_vol", count: 2) == [2, 3])
            #expect(try await registry.promoteBest(coin: "BTC", regime: "range_low_vol", count: 2) == [4])
            let selection = try await registry.selection(coin: "BTC")
            #expect(selection["trend_low_vol"]?.version == 2)   // best Sharpe of the active ones
            #expect(selection["range_low_vol"]?.version == 4)
            // An operator activates v1: the only active model of its regime.
            try await Task.sleep(for: .milliseconds(20))   // a later activation time than the promotions
            try await registry.activate(coin: "BTC", version: 1)
            #expect(try await registry.activeModels(coin: "BTC").map(\.version).sorted() == [1, 4])
            // Rollback undoes it: v1 off, the model activated before it in that regime back on.
            let undone = try await registry.rollback(coin: "BTC")
            #expect(undone.deactivated == 1)
            #expect(undone.reactivated == [2, 3])
            #expect(try await registry.activeModels(coin: "BTC").map(\.version).sorted() == [2, 3, 4])
            let actions = try await registry.events(coin: "BTC").map(\.action)
            #expect(actions.contains("rollback") && actions.contains("activate") && actions.contains("register"))
            let missing = await #expect(throws: RegistryError.self) { try await registry.activate(coin: "BTC", version: 99) }
            #expect(missing?.cause == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func corruptArtifactsAndOtherSchemasAreRefused(backend: Backend) async throws {
        try await backend.withRegistry { registry, folder in
            // Refused at registration: another schema version, not XGBoost JSON.
            let schema = await #expect(throws: RegistryError.self) {
                try await registry.register(TestModels.registration(), artifact: TestModels.stump(schemaVersion: Features.schemaVersion + 1))
            }
            #expect(schema?.cause == .invalidModel)
            let notJSON = await #expect(throws: RegistryError.self) { try await registry.register(TestModels.registration(), artifact: Data("not json".utf8)) }
            #expect(notJSON?.cause == .invalidModel)
            let record = try await registry.register(TestModels.registration(), artifact: TestModels.stump())
            let loader = ModelLoader(store: registry.store)
            let model = try loader.load(record)
            var f = Features()
            f.volatilityBps = 1
            #expect(model.predict(f).edgeBps == -3)
            // Refused at load: a changed file fails its checksum, with a message naming it.
            let file = folder.appendingPathComponent("models/BTC/1.json")
            try TestModels.stump(high: 8).write(to: file)
            #expect { try loader.load(record) } throws: { error in
                (error as? RegistryError)?.cause == .checksumMismatch && "\(error)".contains("checksum") && "\(error)".contains("BTC v1")
            }
            // Refused at load: a row claiming another schema version.
            var other = record
            other.featureSchemaVersion = Features.schemaVersion + 1
            #expect { try loader.load(other) } throws: { ($0 as? RegistryError)?.cause == .schemaMismatch && "\($0)".contains("feature schema version") }
            // The model set keeps the fallback for a refused model and reports why.
            let baseline = LinearBaselineModel(intercept: 0, weights: Features(), horizonSeconds: 300)
            let set = loader.modelSet(selection: ["all": record], fallback: baseline)
            #expect(set.loaded.isEmpty && set.refused.count == 1)
        }
    }

    /// PostgreSQL stores performance_metrics as JSONB (queryable); SQLite as JSON text.
    @Test func postgresStoresMetricsAsJSONB() async throws {
        try await Backend.postgresql.withRegistry { registry, _ in
            try await registry.register(TestModels.registration(sharpe: 1.25), artifact: TestModels.stump())
            let row = try await registry.database.sql.raw("SELECT pg_typeof(performance_metrics)::text AS t, (performance_metrics->>'win_rate')::float8 AS w FROM model_registry").first()
            #expect(try row?.decode(column: "t", as: String.self) == "jsonb")
            #expect(try row?.decode(column: "w", as: Double.self) == 0.55)
        }
    }
}
