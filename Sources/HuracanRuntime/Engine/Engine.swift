import Foundation
import Histogram
import HuracanCore
import HuracanSimVenue
import Logging
import Synchronization

/// The spec's Event Loop Manager and the engine around it: owns the shards, runs them on a
/// bounded pool of threads in rounds, applies configuration changes between rounds, aggregates
/// equity into the risk ledger, and reports status.
///
/// The coordinator (the thread calling `run`) is the only one that changes the shard layout,
/// and does so while every worker is parked between rounds.
public final class Engine: @unchecked Sendable {
    public enum Pacing: Sendable { case asFastAsPossible, realTime }

    public private(set) var settings: EngineSettings
    public let universe: Universe
    public let market: SimulatedMarket
    public let risk: RiskLedger
    public let control: EngineControl
    public private(set) var plan: ShardPlan
    let logger: Logger
    private(set) var shards: [Shard] = []
    private let pool: WorkerPool
    private let makeModel: @Sendable (Instrument) -> any Model
    public private(set) var step: Int64 = 0
    public private(set) var closedTrades: [Trade] = []
    private var intervalLatency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .two)
    private var totalLatency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .two)
    private var lastStatsAt = (wall: UInt64(0), events: 0, signals: 0)
    private var flatRemovals: Set<CoinIndex> = []
    /// The coins chosen to trade, best first.
    public private(set) var activeSet: [CoinIndex]
    private let ranker: CostRanker
    private var nextRanking: Timestamp
    /// Circuit breakers; only the coordinator touches them, between rounds.
    public private(set) var breakers: CircuitBreakers
    /// The most recent breaker trips and resets, newest last (bounded).
    public private(set) var breakerEvents: [BreakerEvent] = []
    private var killSwitchSeen = false
    /// No new entries while replaying history to warm up (not a breaker: nothing is tripped).
    public var entriesSuspended = false
    private var flattenedForHalt = false
    let watchdog: Watchdog

    /// - Parameters:
    ///   - threads: OS threads for shards; 0 means one per core.
    public init(settings: EngineSettings, universe: Universe, start: Timestamp, threads: Int? = nil,
                control: EngineControl = EngineControl(), logger: Logger = Logger(label: "huracan.engine"),
                makeModel: @escaping @Sendable (Instrument) -> any Model) {
        self.settings = settings
        self.universe = universe
        self.control = control
        self.logger = logger
        self.makeModel = makeModel
        watchdog = Watchdog(timeoutSeconds: settings.watchdogSeconds, logger: logger)
        let parameters = SimulationParameters(seed: settings.seed, start: start, updateIntervalMs: settings.updateIntervalMs)
        market = SimulatedMarket(universe: universe, parameters: parameters, venues: settings.venues)
        risk = RiskLedger(limits: settings.limits, equity: settings.startingEquity, coinCount: universe.count)
        breakers = CircuitBreakers(settings: settings.breakers, coinCount: universe.count, startingEquity: settings.startingEquity,
                                   now: start, coinNames: universe.instruments.map(\.coin))
        let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let threadCount = threads ?? (settings.threads > 0 ? settings.threads : coreCount)
        ranker = CostRanker(hysteresis: settings.rankingHysteresis, holdingSeconds: settings.strategy.scalp.expectedHoldingSeconds)
        nextRanking = start + .nanoseconds(Int64(settings.rankingIntervalSeconds * 1e9))
        if settings.rankActiveSet {
            let snapshots = (0..<universe.count).map { [market] in market.typicalCosts(of: CoinIndex($0), at: start) }
            let ranked = ranker.rank(snapshots)
            activeSet = Self.fill(ranker.select(count: settings.activeCoins, current: [], snapshots: snapshots), to: settings.activeCoins, universe: universe)
            costRanks = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1.coin, $0 + 1) })
        } else {
            activeSet = (0..<settings.activeCoins).map { CoinIndex($0) }
        }
        plan = ShardPlan(coins: activeSet, coinsPerShard: settings.coinsPerEventLoop)
        pool = WorkerPool(threads: min(threadCount, max(1, plan.shardCount)))
        for (id, members) in plan.assignment.enumerated() {
            let shard = Shard(id: id, settings: settings, risk: risk)
            for coin in members { shard.add(makeSlot(coin)) }
            shards.append(shard)
        }
        logAssignment("start")
        watchdog.watch(shards)
        watchdog.start()
    }

    deinit {
        watchdog.stop()
        pool.shutdown()
    }

    private func makeSlot(_ coin: CoinIndex) -> CoinSlot {
        let instrument = universe[coin]
        let venue = market.venue(of: coin)
        let fees = VenueFeeProfiles.standard(venue)
        var simulated = market.makeCoin(coin)
        if step > 0 {
            // Bring a coin added at runtime up to the current step.
            var scratch: [MarketEvent] = []
            market.generate(step: step - 1, coin: &simulated, into: &scratch)
        }
        let venues = market.venues(of: coin)
        return CoinSlot(pipeline: CoinPipeline(index: coin, instrument: instrument, venue: venue, venues: venues, model: makeModel(instrument), fees: fees),
                        market: simulated,
                        matchers: venues.map {
                            SimulatedMatcher(instrument: instrument, venue: $0, fees: VenueFeeProfiles.standard($0), latencyNanoseconds: settings.latencyNanoseconds)
                        },
                        otherVenues: market.otherVenueQuotes(of: coin))
    }

    private func logAssignment(_ why: String) {
        let summary = plan.assignment.enumerated().map { "shard \($0.offset): \($0.element.count) coins" }.joined(separator: ", ")
        logger.info("coin assignment (\(why)): \(plan.coins.count) coins on \(plan.shardCount) shards, \(pool.count) threads; \(summary)")
        for (id, members) in plan.assignment.enumerated() {
            logger.debug("shard \(id): \(members.map { universe[$0].coin }.joined(separator: " "))")
        }
    }

    public var threadCount: Int { pool.count }
    public var shardCount: Int { shards.count }

    /// Coins owned by each shard, by name.
    public var assignment: [[String]] { shards.map { $0.coins.map { universe[$0].coin } } }

    /// Runs until `end` (simulated time), a stop request, or forever.
    /// - Parameters:
    ///   - stepsPerRound: market steps each shard runs between coordinator rounds.
    ///   - statusInterval: wall seconds between `onStatus` calls.
    public func run(until end: Timestamp?, pacing: Pacing, stepsPerRound: Int64 = 10, statusInterval: Double = 1,
                    onStatus: (EngineStatus) -> Void = { _ in }) {
        let stepNanos = market.parameters.stepNanoseconds
        let start = market.parameters.start.nanoseconds
        let endStep = end.map { ($0.nanoseconds - start + stepNanos - 1) / stepNanos }
        let wallStart = MonotonicClock.nanoseconds()
        let realStart = MonotonicClock.wallNanoseconds()
        let firstStep = step
        var lastStatus = wallStart
        lastStatsAt = (wallStart, totals().events, totals().signals)
        while !control.isStopRequested {
            if let endStep, step >= endStep { break }
            if let changes = control.takeChanges() { apply(changes) }
            let upper = endStep.map { min(step + stepsPerRound, $0) } ?? step + stepsPerRound
            applyBreakers()
            runRound(step..<upper)
            step = upper
            afterRound()
            if pacing == .realTime {
                let simulatedElapsed = (step - firstStep) * stepNanos
                let wallElapsed = MonotonicClock.wallNanoseconds() - realStart
                if simulatedElapsed > wallElapsed { sleepNanoseconds(min(simulatedElapsed - wallElapsed, 1_000_000_000)) }
            }
            let now = MonotonicClock.nanoseconds()
            if Double(now - lastStatus) / 1e9 >= statusInterval {
                onStatus(status())
                lastStatus = now
            }
        }
        onStatus(status())
    }

    private func runRound(_ steps: Range<Int64>) {
        let workers = pool.count
        var jobs: [() -> Void] = []
        for w in 0..<min(workers, shards.count) {
            let mine = stride(from: w, to: shards.count, by: workers).map { shards[$0] }
            let market = market
            jobs.append { for shard in mine { shard.run(steps: steps, market: market) } }
        }
        pool.runRound(jobs)
    }

    private func afterRound() {
        var pnl = 0.0
        for shard in shards {
            pnl += shard.pnl()
            intervalLatency.add(shard.latency)
            shard.latency.reset()
            if !shard.context.riskDecisions.isEmpty {
                for record in shard.context.riskDecisions {
                    logger.debug("risk \(record.check.decision.rawValue) \(universe[record.coin].coin) on \(record.venue): requested \(Int(record.requestedNotional)), approved \(Int(record.check.approvedNotional)); \(record.check.explanation)")
                }
                shard.context.riskDecisions.removeAll(keepingCapacity: true)
            }
            if !shard.context.closedTrades.isEmpty {
                closedTrades += shard.context.closedTrades
                shard.context.closedTrades.removeAll(keepingCapacity: true)
            }
        }
        let equity = settings.startingEquity + pnl
        risk.updateEquity(equity)
        for shard in shards { shard.context.equity = equity }
        if !flatRemovals.isEmpty { removeFlatInactiveCoins() }
        feedBreakers(equity: equity)
        if settings.rankActiveSet, now >= nextRanking { rerank() }
    }

    // MARK: cost ranking

    /// Cost data for every coin: the venue's day statistics for spread and volatility (stable
    /// enough to rank on: a minute's volatility would make the set churn), with live fees and
    /// funding for traded coins.
    private func costSnapshots(at time: Timestamp) -> (snapshots: [CostSnapshot], stale: Set<CoinIndex>) {
        var live: [CoinIndex: CostSnapshot] = [:]
        var stale: Set<CoinIndex> = []
        for shard in shards {
            for slot in shard.slots {
                let p = slot.pipeline
                if p.costs.isStale(at: time, intervalSeconds: settings.costUpdateIntervalSeconds), p.costs.updatedAt > .epoch {
                    stale.insert(p.index)
                }
                guard p.costs.updatedAt > .epoch else { continue }
                var snapshot = market.typicalCosts(of: p.index, at: time)
                snapshot.takerFeeBps = p.costs.takerFeeBps
                snapshot.makerFeeBps = p.costs.makerFeeBps
                snapshot.fundingRateBps = p.costs.fundingRateBps
                snapshot.updatedAt = p.costs.updatedAt
                live[p.index] = snapshot
            }
        }
        let snapshots = (0..<universe.count).map { i in live[CoinIndex(i)] ?? market.typicalCosts(of: CoinIndex(i), at: time) }
        return (snapshots, stale)
    }

    /// The best `count` coins by cost efficiency, keeping current members within the
    /// hysteresis band; falls back to the most liquid coins when too few can be ranked.
    private func rankedSelection(count: Int, at time: Timestamp) -> [CoinIndex] {
        let (snapshots, stale) = costSnapshots(at: time)
        let chosen = Self.fill(ranker.select(count: count, current: activeSet, snapshots: snapshots, excluded: stale), to: count,
                               universe: universe, excluding: stale)
        costRanks = Dictionary(uniqueKeysWithValues: ranker.rank(snapshots).enumerated().map { ($1.coin, $0 + 1) })
        nextRanking = time + .nanoseconds(Int64(settings.rankingIntervalSeconds * 1e9))
        return chosen
    }

    /// Tops a ranked selection up with the most liquid coins when too few could be ranked.
    static func fill(_ chosen: [CoinIndex], to count: Int, universe: Universe, excluding excluded: Set<CoinIndex> = []) -> [CoinIndex] {
        guard chosen.count < count else { return chosen }
        let have = Set(chosen)
        return chosen + (0..<universe.count).map { CoinIndex($0) }.filter { !have.contains($0) && !excluded.contains($0) }.prefix(count - chosen.count)
    }

    private func rerank() {
        let chosen = rankedSelection(count: settings.activeCoins, at: now)
        guard Set(chosen) != Set(activeSet) else { return }
        let added = Set(chosen).subtracting(activeSet).map { universe[$0].coin }.sorted()
        let removed = Set(activeSet).subtracting(chosen).map { universe[$0].coin }.sorted()
        setActiveSet(chosen, why: "cost re-ranking: +\(added.joined(separator: ",")) -\(removed.joined(separator: ","))")
    }

    /// The simulated time at the end of the last completed round.
    public var now: Timestamp {
        Timestamp(nanoseconds: market.parameters.start.nanoseconds + step * market.parameters.stepNanoseconds)
    }

    private var tradesFedToBreakers = 0

    /// Gives the breakers what the round produced: market data times, trade results, venue
    /// request outcomes, equity.
    private func feedBreakers(equity: Double) {
        let time = now
        var events: [BreakerEvent] = []
        for shard in shards {
            for slot in shard.slots where slot.pipeline.features.lastEventTime > .epoch {
                breakers.recordMarketData(coin: slot.index, at: slot.pipeline.features.lastEventTime)
            }
            for venue in VenueID.allCases {
                let sent = shard.venueRequests[venue.index], failed = shard.venueFailures[venue.index]
                for i in 0..<sent { events += breakers.recordVenueRequest(venue, failed: i < failed, at: time) }
                shard.venueRequests[venue.index] = 0
                shard.venueFailures[venue.index] = 0
            }
        }
        for trade in closedTrades[tradesFedToBreakers...] {
            if let coin = universe.index(of: trade.coin) {
                events += breakers.recordTradeResult(coin: coin, coinName: trade.coin, netPnL: trade.netPnL.doubleValue, at: trade.closedAt ?? time)
            }
        }
        tradesFedToBreakers = closedTrades.count
        events += breakers.updateEquity(equity, at: time)
        record(events)
    }

    /// Applies breaker states to the shards before a round: the kill switch, global state
    /// (REDUCING/HALTED stop entries; HALTED also closes open trades), and per-coin and
    /// per-venue blocks.
    private func applyBreakers() {
        let time = now
        var events: [BreakerEvent] = []
        let killed = control.isKilled
        if killed != killSwitchSeen {
            events += breakers.setKillSwitch(killed, at: time)
            killSwitchSeen = killed
        }
        events += breakers.tick(at: time)
        record(events)
        let state = breakers.globalState
        let blockedVenues = VenueID.allCases.map { breakers.state(of: $0) != .active }
        for shard in shards {
            shard.entriesEnabled = state == .active && !entriesSuspended
            shard.context.blockedVenues = blockedVenues
            for slot in shard.slots {
                let c = slot.index
                shard.context.blockedCoins[Int(c)] = breakers.isCoolingDown(coin: c, at: time) || breakers.isStale(coin: c, at: time)
            }
        }
        if state == .halted, !flattenedForHalt {
            logger.critical("trading HALTED: closing every open trade")
            for shard in shards { shard.flattenAll() }
            flattenedForHalt = true
        } else if state != .halted {
            flattenedForHalt = false
        }
    }

    private func record(_ events: [BreakerEvent]) {
        guard !events.isEmpty else { return }
        for event in events {
            if event.tripped {
                logger.warning("breaker \(event.kind.rawValue) tripped (\(event.scope)): \(event.message)")
            } else {
                logger.notice("breaker \(event.kind.rawValue) reset (\(event.scope)): \(event.message)")
            }
        }
        breakerEvents += events
        if breakerEvents.count > 200 { breakerEvents.removeFirst(breakerEvents.count - 200) }
    }

    /// Makes a venue's fee and funding interfaces stop answering (or answer again), as in a
    /// venue outage: its coins keep their last costs, which go stale and stop new entries.
    public func setCostSource(_ venue: VenueID, available: Bool) {
        for shard in shards { shard.costSourceDown[venue.index] = !available }
    }

    // MARK: configuration changes

    private func apply(_ changes: Changes) {
        if let maxActiveTrades = changes.maxActiveTrades {
            var limits = risk.limits
            limits.maxActiveTrades = min(maxActiveTrades, limits.maxConcurrentTrades)
            risk.updateLimits(limits)
            settings.limits = limits
            logger.info("max_active_trades is now \(limits.maxActiveTrades)")
        }
        if let activeCoins = changes.activeCoins {
            let count = min(max(1, activeCoins), universe.count)
            let previous = settings.activeCoins
            settings.activeCoins = count
            let wanted = settings.rankActiveSet ? rankedSelection(count: count, at: now) : (0..<count).map { CoinIndex($0) }
            setActiveSet(wanted, why: "active_coins \(previous) -> \(count)")
        }
    }

    typealias Changes = EngineControl.Changes

    /// Adds or removes coins and rebalances shards. Removed coins stop opening trades; those
    /// with open trades stay on their shard until flat, then leave.
    private func setActiveSet(_ wanted: [CoinIndex], why: String) {
        activeSet = wanted
        let wantedSet = Set(wanted)
        var retained: Set<CoinIndex> = []
        var slots: [CoinIndex: CoinSlot] = [:]
        for shard in shards {
            for coin in shard.coins {
                guard var slot = shard.remove(coin) else { continue }
                slot.pipeline.isActive = wantedSet.contains(coin)
                if !slot.pipeline.isActive {
                    guard !slot.pipeline.isFlat else { continue }
                    retained.insert(coin)
                }
                slots[coin] = slot
            }
        }
        plan = plan.rebalanced(to: wanted, retaining: retained)
        while shards.count < plan.shardCount {
            let shard = Shard(id: shards.count, settings: settings, risk: risk)
            shard.context.equity = risk.snapshot().equity
            shards.append(shard)
        }
        for (id, members) in plan.assignment.enumerated() {
            for coin in members { shards[id].add(slots[coin] ?? makeSlot(coin)) }
        }
        // Drop shards left empty at the end (their counters are folded into the totals first).
        while shards.count > plan.shardCount, let last = shards.last, last.coins.isEmpty {
            retiredStats = retiredStats + last.context.stats
            shards.removeLast()
        }
        flatRemovals = retained
        watchdog.watch(shards)
        logAssignment(why)
    }

    private var retiredStats = PipelineStats()
    private let published = Mutex<EngineStatus?>(nil)
    private let publishedRisk = Mutex<RiskReport?>(nil)
    let metrics = EngineMetrics()
    private var metricsTradesSeen = 0

    /// Prometheus text exposition as of the last status; safe to read from any thread.
    public var metricsText: String { metrics.exposition }
    /// Cost rank of each coin (1 = best) from the last ranking, when the active set is ranked.
    var costRanks: [CoinIndex: Int] = [:]

    /// The risk report last computed by the coordinator; safe to read from any thread.
    public var latestRiskReport: RiskReport? { publishedRisk.withLock { $0 } }

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

    /// The status last computed by the coordinator; safe to read from any thread.
    public var latestStatus: EngineStatus? { published.withLock { $0 } }

    private func removeFlatInactiveCoins() {
        var removed = false
        for coin in flatRemovals {
            guard let shardID = plan.shard(of: coin) else { continue }
            let shard = shards[shardID]
            if let slot = shard.remove(coin) {
                if slot.pipeline.isFlat {
                    flatRemovals.remove(coin)
                    removed = true
                    logger.info("\(universe[coin].coin) is flat and leaves shard \(shardID)")
                } else {
                    shard.add(slot)
                }
            }
        }
        if removed {
            plan = plan.rebalanced(to: activeSet, retaining: flatRemovals)
            // Keep the shards' actual contents authoritative.
            for (id, shard) in shards.enumerated() where id < plan.shardCount { _ = shard }
        }
    }

    // MARK: status

    /// Tripped breakers, leaving out coins that are not traded (they have no data by design).
    private func activeBreakerLines() -> [String] {
        let traded = Set(shards.flatMap { $0.slots.map(\.pipeline.instrument.coin) })
        return breakers.describe(at: now).filter { line in
            guard line.hasPrefix("stale_data ") else { return true }
            let coin = line.dropFirst("stale_data ".count).prefix { $0 != ":" }
            return traded.contains(String(coin))
        }
    }

    /// Tick-to-decision latency over the whole run so far, in nanoseconds.
    public func latencySummary() -> LatencySummary {
        var all = totalLatency
        all.add(intervalLatency)
        return LatencySummary(count: all.totalCount, p50: all.valueAtPercentile(50), p99: all.valueAtPercentile(99),
                              p999: all.valueAtPercentile(99.9), max: all.max)
    }

    func totals() -> PipelineStats { shards.reduce(retiredStats) { $0 + $1.context.stats } }

    /// Open trades by style across all shards.
    public func openTrades() -> [Trade] { shards.flatMap { $0.slots.flatMap(\.pipeline.trades) } }

    public func status() -> EngineStatus {
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
        let status = EngineStatus(
            simulatedTime: Timestamp(nanoseconds: market.parameters.start.nanoseconds + step * market.parameters.stepNanoseconds),
            wallSeconds: Double(now) / 1e9,
            activeCoins: settings.activeCoins,
            shards: shards.map { .init(id: $0.id, coins: $0.coins.map { universe[$0].coin }, healthy: $0.healthy.load(ordering: .relaxed)) },
            threads: pool.count, totals: totals, eventsPerSecond: eventsPerSecond, signalsPerSecond: signalsPerSecond,
            openTrades: open, closedTrades: closedTrades.count, exposurePct: snapshot.globalExposurePct,
            equity: snapshot.equity, pnl: snapshot.equity - settings.startingEquity,
            latencyP50: intervalLatency.valueAtPercentile(50), latencyP99: intervalLatency.valueAtPercentile(99),
            latencyP999: intervalLatency.valueAtPercentile(99.9),
            tradingState: breakers.globalState.rawValue, breakers: activeBreakerLines(), breakerTrips: trips)
        let report = riskReport(snapshot: snapshot, status: status)
        metrics.update(status: status, risk: report, closed: closedTrades[metricsTradesSeen...], allClosed: closedTrades,
                       latency: intervalLatency, intervalSeconds: seconds)
        metricsTradesSeen = closedTrades.count
        totalLatency.add(intervalLatency)
        intervalLatency.reset()
        published.withLock { $0 = status }
        publishedRisk.withLock { $0 = report }
        return status
    }
}
