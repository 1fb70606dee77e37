import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanRuntime
import HuracanTestSupport
import Testing

@Suite struct RetrainingTests {
    func record(retrainedHoursAgo hours: Double, winRate: Double, now: Date) -> ModelRecord {
        ModelRecord(coin: "BTC", version: 1, sharpeRatio: 1, regime: "all", lastRetrainDate: now.addingTimeInterval(-hours * 3_600), isActive: true,
                    performanceMetrics: ["win_rate": winRate], style: "scalp", horizonSeconds: 300, artifactPath: "BTC/1.json", checksum: "",
                    featureSchemaVersion: Features.schemaVersion, trainingStart: now, trainingEnd: now, trainerVersion: "t", createdAt: now, activatedAt: now)
    }

    @Test func scheduleAndDriftDecideWhenToRetrain() {
        let now = Date()
        var settings = EngineConfig().modelRegistry.retraining
        settings.intervalHours = 24
        settings.driftTolerancePct = 10
        settings.driftMinTrades = 30
        #expect(RetrainingService.reason(active: [], live: nil, now: now, settings: settings) == "no trained model")
        #expect(RetrainingService.reason(active: [record(retrainedHoursAgo: 30, winRate: 0.6, now: now)], live: nil, now: now, settings: settings)?.hasPrefix("last retrained 30.0 h") == true)
        let fresh = [record(retrainedHoursAgo: 2, winRate: 0.6, now: now)]
        #expect(RetrainingService.reason(active: fresh, live: nil, now: now, settings: settings) == nil)
        // 45% live against 60% in validation: 15 points below, beyond the 10-point tolerance.
        #expect(RetrainingService.reason(active: fresh, live: LiveOutcome(trades: 40, wins: 18), now: now, settings: settings)?.hasPrefix("drift") == true)
        // Within tolerance, or too few trades to judge: no retraining.
        #expect(RetrainingService.reason(active: fresh, live: LiveOutcome(trades: 40, wins: 22), now: now, settings: settings) == nil)
        #expect(RetrainingService.reason(active: fresh, live: LiveOutcome(trades: 10, wins: 0), now: now, settings: settings) == nil)
    }
}
