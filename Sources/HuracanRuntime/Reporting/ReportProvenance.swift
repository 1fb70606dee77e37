import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry

/// What produced a report, so a figure can be traced back and reproduced: the engine version,
/// the configuration (its digest), the strategy, the data and its range, the seed and the models.
public struct ReportProvenance: Sendable {
    public var engineVersion = EngineVersion.current
    /// First 16 hex digits of the SHA-256 of the effective configuration as `huracan config show`
    /// prints it (secrets redacted).
    public var configDigest: String
    public var strategy: String
    /// "simulated market, seed 42" or "stored data /data/lake (1140 files)".
    public var data: String
    public var seed: Int?
    /// Coin -> model name, for coins not on the baseline.
    public var models: [String: String]
    public var baselineModel: String

    public init(config: EngineConfig, data: String, seed: Int?, models: [String: String], baselineModel: String) {
        configDigest = String(ModelArtifactStore.sha256(Data(ConfigRenderer.yaml(config).utf8)).prefix(16))
        let selection = config.strategy.selection
        strategy = selection.name + (selection.perCoin.isEmpty ? "" : " (" + selection.perCoin.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")")
        self.data = data
        self.seed = seed
        self.models = models
        self.baselineModel = baselineModel
    }

    /// Label and value pairs, in display order.
    public var rows: [(String, String)] {
        var rows = [("Engine", "huracan \(engineVersion)"), ("Configuration digest", configDigest), ("Strategy", strategy), ("Data", data)]
        if let seed { rows.append(("Seed", String(seed))) }
        let trained = models.isEmpty ? "none (every coin on \(baselineModel))"
            : models.sorted { $0.key < $1.key }.prefix(12).map { "\($0.key): \($0.value)" }.joined(separator: ", ") + (models.count > 12 ? " and \(models.count - 12) more" : "")
        rows.append(("Models", trained))
        return rows
    }
}

/// The engine's version, as `huracan --version` prints it.
public enum EngineVersion {
    public static let current = "0.1.0"
}
