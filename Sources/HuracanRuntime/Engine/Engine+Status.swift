import HuracanBus
import HuracanCore
import Histogram
import HuracanSimVenue
import Synchronization

/// Status, risk report and latency of a running engine.
extension Engine {
    /// Tripped breakers, leaving out coins that are not traded (they have no data by design).
    func activeBreakerLines() -> [String] {
        let traded = Set(shards.flatMap { $0.slots.map(\.pipeline.instrument.coin) })
        return breakers.describe(at: now).filter { line in
            guard line.hasPrefix("stale_data ") else { return true }
            let coin = line.dropFirst("stale_data ".count).prefix { $0 != ":" }
            return traded.contains(String(coin))
        }
    }

    /// Moves the shards' latency records into the engine's interval histogram (between rounds;
    /// at status time, not every round: a histogram's whole bucket array is added and cleared).
    func collectLatency() {
        for shard in shards { collectLatency(of: shard) }
    }

    func collectLatency(of shard: Shard) {
        guard shard.latency.totalCount > 0 else { return }
        intervalLatency.add(shard.latency)
        shard.latency.reset()
    }

    /// Tick-to-decision latency over the whole run so far, in nanoseconds.
    public func latencySummary() -> LatencySummary {
        collectLatency()
        var all = totalLatency
        all.add(intervalLatency)
        return LatencySummary(count: all.totalCount, p50: all.valueAtPercentile(50), p99: all.valueAtPercentile(99),
                              p999: all.valueAtPercentile(99.9), max: all.max)
    }

    func totals() -> PipelineStats { shards.reduce(retiredStats) { $0 + $1.context.stats } }

    /// Open trades by style across all shards.
    public func openTrades() -> [Trade] { shards.flatMap { $0.slots.flatMap(\.pipeline.trades) } }

    public func status() -> EngineStatus {
        collectLatency()
        let now = MonotonicClock.nanoseconds()
        let totals = totals()
        let seconds = max(Double(now - lastStatsAt.wall) / 1e9, 1e-9)
        let eventsPerSecond = Double(totals.events - lastStatsAt.events) / seconds
        let signalsPerSecond = Double(totals.signals - lastStatsAt.signals) / seconds
        lastStatsAt = (now, totals.events, totals.signals)
        var open: [String: Int] = ["scalp": 0, "runner": 0]
        for trade in openTrades() { open[trade.style.rawValue, default: 0] += 1 }
        let snapshot = risk.snapshot()
        var trips: [String: Int] = [:]
        for (kind, count) in breakers.tripCounts { trips[kind.rawValue] = count }
        var status = EngineStatus(
            engineTime: self.now,
            marketSource: marketSource,
            wallSeconds: Double(now) / 1e9,
            activeCoins: settings.activeCoins,
            shards: shards.map { .init(id: $0.id, coins: $0.coins.map { universe[$0].coin }, healthy: $0.isHealthy) },
            threads: pool.count, totals: totals, eventsPerSecond: eventsPerSecond, signalsPerSecond: signalsPerSecond,
            openTrades: open, closedTrades: tradeLog.count, exposurePct: snapshot.globalExposurePct,
            equity: snapshot.equity, pnl: snapshot.equity - settings.startingEquity,
            latencyP50: intervalLatency.valueAtPercentile(50), latencyP99: intervalLatency.valueAtPercentile(99),
            latencyP999: intervalLatency.valueAtPercentile(99.9),
            tradingState: breakers.globalState.rawValue, breakers: activeBreakerLines(), breakerTrips: trips)
        status.live = liveStatus?()
        let report = riskReport(snapshot: snapshot, status: status)
        let text = metrics.update(status: status, risk: report, closed: tradeLog.trades(since: metricsTradesSeen),
                       latency: intervalLatency, intervalSeconds: seconds,
                       bus: engineBus.statistics(signalCoins: shards.flatMap { $0.slots.map(\.pipeline.instrument.coin) }),
                       busWaiting: engineBus.waiting, spreads: averageSpreads())
        metricsTradesSeen = tradeLog.count
        totalLatency.add(intervalLatency)
        intervalLatency.reset()
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
                active.append(.init(coin: slot.pipeline.instrument.coin, shard: shard.id, costRank: costRanks[slot.index], active: slot.pipeline.isActive))
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
