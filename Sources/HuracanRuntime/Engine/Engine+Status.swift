import HuracanBus
import HuracanCore
import Histogram
import HuracanSimVenue
import Synchronization

/// Status, risk report and latency of a running engine.
extension Engine {
    /// Tick-to-decision latency over the whole run so far, in nanoseconds.
    public func latencySummary() -> LatencySummary {
        meter.collectLatency(from: shards)
        return meter.latencySummary()
    }

    func totals() -> PipelineStats { meter.totals(shards) }

    /// Open trades by style across all shards.
    public func openTrades() -> [Trade] { shards.flatMap { $0.slots.flatMap(\.pipeline.trades) } }

    public func status() -> EngineStatus {
        meter.collectLatency(from: shards)
        let now = MonotonicClock.nanoseconds()
        let totals = totals()
        let rates = meter.rates(at: now, totals: totals)
        let traded = shards.flatMap { $0.slots.map(\.pipeline.instrument.coin) }
        var open: [String: Int] = ["scalp": 0, "runner": 0]
        for trade in openTrades() { open[trade.style.rawValue, default: 0] += 1 }
        let snapshot = risk.snapshot()
        var trips: [String: Int] = [:]
        for (kind, count) in supervisor.breakers.tripCounts { trips[kind.rawValue] = count }
        var status = EngineStatus(
            engineTime: self.now,
            marketSource: marketSource,
            wallSeconds: Double(now) / 1e9,
            activeCoins: settings.activeCoins,
            shards: shards.map { .init(id: $0.id, coins: $0.coins.map { universe[$0].coin }, healthy: $0.isHealthy) },
            threads: pool.count, totals: totals, eventsPerSecond: rates.events, signalsPerSecond: rates.signals,
            openTrades: open, closedTrades: tradeLog.count, exposurePct: snapshot.globalExposurePct,
            equity: snapshot.equity, pnl: snapshot.equity - settings.startingEquity,
            latencyP50: meter.intervalLatency.valueAtPercentile(50), latencyP99: meter.intervalLatency.valueAtPercentile(99),
            latencyP999: meter.intervalLatency.valueAtPercentile(99.9),
            tradingState: supervisor.breakers.globalState.rawValue,
            breakers: supervisor.activeLines(traded: Set(traded), at: self.now),
            breakerTrips: trips)
        status.live = meter.liveStatus?()
        let report = riskReport(snapshot: snapshot, status: status)
        let text = meter.publish(status: status, risk: report, trades: tradeLog, intervalSeconds: rates.seconds,
                                 bus: engineBus.statistics(signalCoins: traded),
                                 busWaiting: engineBus.waiting, spreads: averageSpreads())
        handle.telemetry.publish(status: status, risk: report)
        handle.telemetry.publish(metrics: text)
        return status
    }
    func riskReport(snapshot: RiskSnapshot, status: EngineStatus) -> RiskReport {
        let limits = risk.limits
        let equity = max(snapshot.equity, 1e-9)
        func pct(_ notional: Double) -> Double { notional / equity * 100 }
        var coins: [RiskReport.Exposure] = []
        for (i, notional) in snapshot.coin.enumerated() where abs(notional) > 1e-9 {
            coins.append(.init(name: universe[CoinIndex(i)].coin, exposurePct: pct(notional), limitPct: limits.perCoinMaxExposurePct))
        }
        coins.sort { $0.exposurePct > $1.exposurePct }
        var decisions: [String: [String: Int]] = [:]
        for (decision, reasons) in snapshot.decisions {
            decisions[decision.rawValue] = Dictionary(uniqueKeysWithValues: reasons.map { ($0.key.rawValue, $0.value) })
        }
        var active: [RiskReport.ActiveCoin] = []
        for shard in shards {
            for slot in shard.slots {
                active.append(.init(coin: slot.pipeline.instrument.coin, shard: shard.id, costRank: self.active.costRanks[slot.index], active: slot.pipeline.isActive))
            }
        }
        active.sort { ($0.costRank ?? Int.max, universe.index(of: $0.coin) ?? 0) < ($1.costRank ?? Int.max, universe.index(of: $1.coin) ?? 0) }
        return RiskReport(
            time: now, equity: snapshot.equity, tradingState: status.tradingState, breakers: status.breakers, breakerTrips: status.breakerTrips,
            openTrades: snapshot.openTrades, maxActiveTrades: limits.maxActiveTrades, maxConcurrentTrades: limits.maxConcurrentTrades,
            softThrottlePct: limits.softThrottleThresholdPct,
            global: .init(name: "global", exposurePct: pct(snapshot.global), limitPct: limits.globalMaxExposurePct),
            exchanges: VenueID.allCases.map { .init(name: $0.rawValue, exposurePct: pct(snapshot.exchange[$0.index]), limitPct: limits.perExchangeMaxExposurePct) },
            sectors: Sector.allCases.map { .init(name: $0.rawValue, exposurePct: pct(snapshot.sector[$0.index]), limitPct: limits.perSectorMaxExposurePct) },
            coins: coins, activeSet: active, decisions: decisions)
    }

    /// Average live spread per venue over the traded coins (for the Cost dashboard).
    func averageSpreads() -> [VenueID: Double] {
        var sum = [Double](repeating: 0, count: VenueID.allCases.count), count = [Int](repeating: 0, count: VenueID.allCases.count)
        for shard in shards {
            for slot in shard.slots {
                for venue in slot.pipeline.venues where slot.pipeline.venueCosts[venue.index].spreadBps > 0 {
                    sum[venue.index] += slot.pipeline.venueCosts[venue.index].spreadBps
                    count[venue.index] += 1
                }
            }
        }
        var result: [VenueID: Double] = [:]
        for venue in VenueID.allCases where count[venue.index] > 0 { result[venue] = sum[venue.index] / Double(count[venue.index]) }
        return result
    }
}
