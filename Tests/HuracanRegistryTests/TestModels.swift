import Foundation
import HuracanCore
import HuracanRegistry
import HuracanSQL
import HuracanTestSupport
import Testing

/// Small XGBoost JSON models written by hand, in the format `booster.save_model` produces.
enum TestModels {
    /// One stump on `feature`: below `threshold` -> `low`, else `high`; missing goes left.
    static func stump(feature: Int = 0, threshold: Double = 0.5, low: Double = -3, high: Double = 7, baseScore: String = "[0E0]",
                      schemaVersion: Int = Features.schemaVersion, objective: String = "reg:squarederror", names: [String] = Features.names,
                      attributes: String = "") -> Data {
        let nameList = names.map { "\"\($0)\"" }.joined(separator: ",")
        return Data("""
            {"learner":{"attributes":{"huracan_feature_schema_version":"\(schemaVersion)","huracan_horizon_seconds":"300.0"\(attributes)},
             "feature_names":[\(nameList)],"feature_types":[],
             "gradient_booster":{"model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"1"},"iteration_indptr":[0,1],"tree_info":[0],
               "trees":[{"base_weights":[0,0,0],"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[],
                 "default_left":[1,0,0],"id":0,"left_children":[1,-1,-1],"loss_changes":[1,0,0],"parents":[2147483647,0,0],
                 "right_children":[2,-1,-1],"split_conditions":[\(threshold),\(low),\(high)],"split_indices":[\(feature),0,0],
                 "split_type":[0,0,0],"sum_hessian":[2,1,1],"tree_param":{"num_deleted":"0","num_feature":"10","num_nodes":"3","size_leaf_vector":"1"}}]},
               "name":"gbtree"},
             "learner_model_param":{"base_score":"\(baseScore)","boost_from_average":"1","num_class":"0","num_feature":"\(names.count)","num_target":"1"},
             "objective":{"name":"\(objective)","reg_loss_param":{"scale_pos_weight":"1"}}},
             "version":[3,2,0]}
            """.utf8)
    }

    static func registration(coin: String = "BTC", regime: String = "all", sharpe: Double = 1.5) -> ModelRegistration {
        ModelRegistration(coin: coin, regime: regime, style: "scalp", horizonSeconds: 300, sharpeRatio: sharpe,
                          performanceMetrics: ["sharpe": sharpe, "win_rate": 0.55, "hit_rate": 0.56, "edge_after_cost_bps": 2.5, "trades": 120],
                          trainingStart: Date(timeIntervalSince1970: 1_737_936_000), trainingEnd: Date(timeIntervalSince1970: 1_738_022_400),
                          trainerVersion: "test")
    }
}

/// The registry's two databases; the same tests run on both.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgresql
    var testDescription: String { rawValue }

    /// A fresh database URL; without PostgreSQL installed the test case is skipped with the
    /// reason (see `MissingTool`).
    func makeURL(folder: URL) throws -> String {
        switch self {
        case .sqlite:
            return "sqlite:" + folder.appendingPathComponent("registry.sqlite").path
        case .postgresql:
            return try PostgresServer.start().makeDatabase("registry")
        }
    }

    /// Runs `body` with a migrated registry on a fresh database and storage folder.
    func withRegistry(_ body: (ModelRegistry, URL) async throws -> Void) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-registry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try makeURL(folder: folder)
        let registry = try await ModelRegistry.open(metadataDB: url, storagePath: folder.appendingPathComponent("models").path)
        do {
            try await body(registry, folder)
        } catch {
            try? await registry.close()
            throw error
        }
        try await registry.close()
    }
}
