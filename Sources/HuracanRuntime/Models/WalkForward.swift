import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanStorage
import Logging

/// Walk-forward evaluation on stored data: for each fold, models are trained per coin on the
/// train window only (the Python trainer, registered in the fold's own registry), then the test
/// window after it (and after an embargo) is backtested out of sample twice, with those models
/// and with the baseline, on the same data.
public enum WalkForward {
    public struct Options: Sendable {
        public var data: String
        public var coins: [String]?
        public var trainSeconds: Double
        public var testSeconds: Double
        public var embargoSeconds: Double = 0
        /// Folds to run; nil: as many as the data holds.
        public var folds: Int?
        public var trees = 200
        /// Where each fold's features, models and registry go.
        public var out: String
        /// Stamps the test windows' log lines with their simulated time.
        public var logClock: SimulatedLogClock?

        public init(data: String, coins: [String]?, trainSeconds: Double, testSeconds: Double, out: String) {
            self.data = data
            self.coins = coins
            self.trainSeconds = trainSeconds
            self.testSeconds = testSeconds
            self.out = out
        }
    }

    /// One side of a fold (trained models or baseline) on the test window.
    public struct Outcome: Sendable {
        public var summary: RunSummary
        public var trades: [Trade]
        public var netPnL: Double { trades.reduce(0) { $0 + $1.netPnL.doubleValue } }
        /// Net P&L (after fees and funding) per trade, in bps of entry notional.
        public var edgeAfterCostBps: Double? {
            let notional = trades.reduce(0) { $0 + $1.entryNotional.doubleValue }
            return notional > 0 ? netPnL / notional * 10_000 : nil
        }
        public func winRate(_ style: TradeStyle) -> Double? {
            let mine = trades.filter { $0.style == style }
            return mine.isEmpty ? nil : Double(mine.filter { $0.netPnL.isPositive }.count) / Double(mine.count)
        }
    }

    public struct Fold: Sendable {
        public var index: Int
        public var train: (from: Timestamp, to: Timestamp)
        public var test: (from: Timestamp, to: Timestamp)
        /// Coins that got a trained model (the others traded on the baseline in both runs).
        public var trainedCoins: [String]
        public var trained: Outcome
        public var baseline: Outcome
    }

    /// The folds' windows over `span`: train, embargo, test, rolled forward by the test length.
    public static func windows(span: (from: Timestamp, to: Timestamp), options: Options) -> [(train: (Timestamp, Timestamp), test: (Timestamp, Timestamp))] {
        var out: [(train: (Timestamp, Timestamp), test: (Timestamp, Timestamp))] = []
        func ns(_ seconds: Double) -> Duration { .nanoseconds(Int64(seconds * 1e9)) }
        var trainFrom = span.from
        while options.folds.map({ out.count < $0 }) ?? true {
            let trainTo = trainFrom + ns(options.trainSeconds)
            let testFrom = trainTo + ns(options.embargoSeconds)
            let testTo = testFrom + ns(options.testSeconds)
            guard testTo <= span.to else { break }
            out.append(((trainFrom, trainTo), (testFrom, testTo)))
            trainFrom = trainFrom + ns(options.testSeconds)
        }
        return out
    }

    public static func run(config: EngineConfig, options: Options, logger: Logger, progress: (String) -> Void) async throws -> [Fold] {
        let lake = DataLake(path: options.data)
        guard let span = try StoredMarketReplay.span(lake: lake, coins: options.coins.map(Set.init)) else {
            throw StoredBacktestError("no book, trade or funding data under \(options.data)")
        }
        let windows = windows(span: span, options: options)
        guard !windows.isEmpty else {
            throw StoredBacktestError("the data (\(span.from) to \(span.to)) is shorter than one fold: train \(options.trainSeconds) s + embargo \(options.embargoSeconds) s + test \(options.testSeconds) s")
        }
        let coins = try options.coins ?? StoredMarketReplay.storedCoins(lake: lake, from: span.from.date, through: span.to.date)
        let baselineModel = try BaselineModelLoader.load(path: config.strategy.modelFile)
        var folds: [Fold] = []
        for (k, window) in windows.enumerated() {
            let folder = URL(fileURLWithPath: options.out).appendingPathComponent("fold-\(k + 1)")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            progress("fold \(k + 1)/\(windows.count): train \(window.train.0) to \(window.train.1), test \(window.test.0) to \(window.test.1)")
            let features = folder.appendingPathComponent("features")
            let rows = try TrainingDataExporter.export(lake: lake, coins: coins, from: window.train.0, to: window.train.1, folder: features)
            progress("fold \(k + 1): \(rows.values.reduce(0, +)) feature rows for \(rows.count) coins")
            var plan = ModelTraining.Plan(config: config, dataDir: features.path, outDir: folder.appendingPathComponent("models").path,
                                          coins: coins.filter { (rows[$0] ?? 0) > 0 })
            plan.useRay = false
            plan.trees = options.trees
            var lastLines: [String] = []
            let status = try await ModelTraining.runTrainerUntilCancelled(plan, python: config.modelRegistry.retraining.python,
                                                                          trainerPath: config.modelRegistry.retraining.trainerPath) { line in
                lastLines = Array((lastLines + [line]).suffix(5))
                progress("fold \(k + 1) trainer: \(line)")
            }
            try Task.checkCancellation()
            // Exit 1 with models written: some coins could not be fitted (too few rows) and keep the baseline.
            guard status == 0 || (status == 1 && FileManager.default.fileExists(atPath: plan.outDir)) else {
                throw StoredBacktestError("fold \(k + 1): the trainer failed (exit \(status)): \(lastLines.joined(separator: " | ")) "
                                          + "(python \(config.modelRegistry.retraining.python), trainer at engine.model_registry.retraining.trainer_path = \(config.modelRegistry.retraining.trainerPath))")
            }
            var foldConfig = config
            foldConfig.modelRegistry.metadataDB = "sqlite:" + folder.appendingPathComponent("registry.sqlite").path
            foldConfig.modelRegistry.storagePath = folder.appendingPathComponent("artifacts").path
            let registry = try await RegistryConnection.open(foldConfig, logger: logger)
            var models: [String: any Model] = [:]
            do {
                _ = try await ModelTraining.register(outDir: plan.outDir, coins: nil, registry: registry,
                                                     modelsPerRegime: config.modelRegistry.modelsPerRegime, minimumSharpe: config.modelRegistry.minSharpe, logger: logger)
                for (coin, loaded) in try await RegistryConnection.loadActive(registry, fallback: baselineModel, logger: logger) { models[coin] = loaded.set }
            } catch {
                try? await registry.close()
                throw error
            }
            try? await registry.close()
            progress("fold \(k + 1): trained models for \(models.count) of \(coins.count) coins; backtesting the test window")
            let trained = try EngineRunner.backtest(config: config, data: options.data, coins: coins, from: window.test.0, to: window.test.1, logger: logger,
                                                    models: models, logClock: options.logClock)
            let baseline = try EngineRunner.backtest(config: config, data: options.data, coins: coins, from: window.test.0, to: window.test.1, logger: logger,
                                                     logClock: options.logClock)
            // The test window's trades of both runs, to look into what each model did.
            try TradeCSV.write(trained.trades, to: folder.appendingPathComponent("trades-trained.csv").path)
            try TradeCSV.write(baseline.trades, to: folder.appendingPathComponent("trades-baseline.csv").path)
            folds.append(Fold(index: k + 1, train: window.train, test: window.test, trainedCoins: models.keys.sorted(),
                              trained: Outcome(summary: trained.summary, trades: trained.trades),
                              baseline: Outcome(summary: baseline.summary, trades: baseline.trades)))
        }
        return folds
    }

    /// Per-fold and pooled figures, trained beside baseline.
    public static func render(_ folds: [Fold]) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        func bps(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "n/a" }
        func row(_ name: String, _ o: Outcome) -> String {
            let sharpe = EquityMetrics.format(o.summary.equity.metrics.sharpe)
            return name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "%7d %12.2f ", o.trades.count, o.netPnL)
                + [pct(o.winRate(.scalp)), pct(o.winRate(.runner)), bps(o.edgeAfterCostBps), sharpe].map { $0.leftPad(10) }.joined(separator: " ")
        }
        var lines = ["fold / models       trades  net P&L      scalp win runner win  edge bps     Sharpe"]
        for fold in folds {
            lines.append("fold \(fold.index): test \(fold.test.from) to \(fold.test.to), trained models for \(fold.trainedCoins.count) coins")
            lines.append(row("  trained", fold.trained))
            lines.append(row("  baseline", fold.baseline))
        }
        func pooled(_ pick: (Fold) -> Outcome) -> Outcome {
            var outcome = pick(folds[0])
            outcome.trades = folds.flatMap { pick($0).trades }
            outcome.summary.equity = EquitySeries(intervalSeconds: outcome.summary.equity.intervalSeconds)
            return outcome
        }
        if !folds.isEmpty {
            lines.append("pooled over \(folds.count) folds (Sharpe per fold only)")
            lines.append(row("  trained", pooled(\.trained)))
            lines.append(row("  baseline", pooled(\.baseline)))
        }
        lines.append("edge bps: net P&L after fees and funding per unit of entry notional")
        if !folds.isEmpty {
            let trained = pooled(\.trained)
            lines.append("seed targets (pooled, trained models): " + targets(trained).map { "\($0.name) \($0.target): \($0.achieved) \($0.met ? "met" : "NOT met")" }
                .joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}

extension WalkForward {
    /// The specification's seed targets beside what `outcome` achieved: scalp win rate above
    /// 70 %, runner win rate above 95 %, edge after cost above 5 bps, net P&L per trade above 0.
    public static func targets(_ outcome: Outcome) -> [(name: String, target: String, achieved: String, met: Bool)] {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        let perTrade = outcome.trades.isEmpty ? nil : outcome.netPnL / Double(outcome.trades.count)
        return [
            ("scalp win rate", "> 70%", pct(outcome.winRate(.scalp)), (outcome.winRate(.scalp) ?? 0) > 0.70),
            ("runner win rate", "> 95%", pct(outcome.winRate(.runner)), (outcome.winRate(.runner) ?? 0) > 0.95),
            ("edge after cost", "> 5 bps", outcome.edgeAfterCostBps.map { String(format: "%.2f bps", $0) } ?? "n/a", (outcome.edgeAfterCostBps ?? 0) > 5),
            ("net P&L per trade", "> 0", perTrade.map { String(format: "%.2f", $0) } ?? "n/a", (perTrade ?? 0) > 0),
        ]
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
