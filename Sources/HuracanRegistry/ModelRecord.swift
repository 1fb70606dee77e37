import Foundation
import HuracanCore

/// One row of `model_registry`: the spec's columns (coin, version, sharpe_ratio, regime,
/// last_retrain_date, is_active, performance_metrics) plus what operations need.
public struct ModelRecord: Sendable, Hashable {
    public var coin: String
    public var version: Int
    /// Walk-forward Sharpe ratio after costs (annualised), the ranking key within a regime.
    public var sharpeRatio: Double
    /// `Regime.rawValue`: the regime the model was trained for, or `all`.
    public var regime: String
    public var lastRetrainDate: Date
    public var isActive: Bool
    /// Validation figures by name: sharpe, win_rate, hit_rate, edge_after_cost_bps, trades...
    public var performanceMetrics: [String: Double]
    /// `scalp` or `runner`: the style whose horizon the labels used.
    public var style: String
    public var horizonSeconds: Double
    /// Relative to `model_registry.storage_path`: `{coin}/{version}.json`.
    public var artifactPath: String
    public var checksum: String
    public var featureSchemaVersion: Int
    public var trainingStart: Date
    public var trainingEnd: Date
    public var trainerVersion: String
    public var createdAt: Date
    /// When the model was last made active (kept after deactivation, for rollback).
    public var activatedAt: Date?

    public var label: String { "\(coin) v\(version)" }

    public init(coin: String, version: Int, sharpeRatio: Double, regime: String, lastRetrainDate: Date, isActive: Bool,
                performanceMetrics: [String: Double], style: String, horizonSeconds: Double, artifactPath: String, checksum: String,
                featureSchemaVersion: Int, trainingStart: Date, trainingEnd: Date, trainerVersion: String, createdAt: Date, activatedAt: Date?) {
        self.coin = coin
        self.version = version
        self.sharpeRatio = sharpeRatio
        self.regime = regime
        self.lastRetrainDate = lastRetrainDate
        self.isActive = isActive
        self.performanceMetrics = performanceMetrics
        self.style = style
        self.horizonSeconds = horizonSeconds
        self.artifactPath = artifactPath
        self.checksum = checksum
        self.featureSchemaVersion = featureSchemaVersion
        self.trainingStart = trainingStart
        self.trainingEnd = trainingEnd
        self.trainerVersion = trainerVersion
        self.createdAt = createdAt
        self.activatedAt = activatedAt
    }
}

/// What a trainer hands over to register a model; the registry assigns version, path, checksum.
public struct ModelRegistration: Sendable, Hashable, Codable {
    public var coin: String
    public var regime: String
    public var style: String
    public var horizonSeconds: Double
    public var sharpeRatio: Double
    public var performanceMetrics: [String: Double]
    public var featureSchemaVersion: Int
    public var trainingStart: Date
    public var trainingEnd: Date
    public var trainerVersion: String
    public var lastRetrainDate: Date

    public init(coin: String, regime: String, style: String, horizonSeconds: Double, sharpeRatio: Double, performanceMetrics: [String: Double],
                featureSchemaVersion: Int = Features.schemaVersion, trainingStart: Date, trainingEnd: Date, trainerVersion: String, lastRetrainDate: Date = Date()) {
        self.coin = coin
        self.regime = regime
        self.style = style
        self.horizonSeconds = horizonSeconds
        self.sharpeRatio = sharpeRatio
        self.performanceMetrics = performanceMetrics
        self.featureSchemaVersion = featureSchemaVersion
        self.trainingStart = trainingStart
        self.trainingEnd = trainingEnd
        self.trainerVersion = trainerVersion
        self.lastRetrainDate = lastRetrainDate
    }
}
