import Foundation
import Histogram
import HuracanBus
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
public final class Engine {
    public enum Pacing: Sendable { case asFastAsPossible, realTime }

    public internal(set) var settings: EngineSettings
    public let universe: Universe
    /// The simulated market of backtests and simulated runs; nil when a real venue's feed
    /// drives the engine (`feedInput`).
    public let market: SimulatedMarket?
    /// The real venue's feed of paper and live runs; nil on the simulated market or stored data.
    public let feedInput: VenueFeedInput?
    /// Trading time at the start, and the length of one simulated step.
    let start: Timestamp
    let stepNanoseconds: Int64
    /// Trading time at the end of the last completed round: simulated or stored-data time, or
    /// the wall clock on a real venue's feed.
    public private(set) var now: Timestamp
    public let risk: RiskLedger
    public let control: EngineControl
    public internal(set) var plan: ShardPlan
    let logger: Logger
    private(set) var shards: [Shard] = []
    let pool: WorkerPool
    let makeModel: @Sendable (Instrument) -> any Model
    public internal(set) var step: Int64 = 0
    /// Closed trades a paper or live run keeps in memory (the newest; older ones are in the
    /// journal, the recorded lake and the summary's sums).
    public static let realTimeTradeRetention = 1_000
    /// Closed trades: counted and summed in full, kept in full by backtests and only the newest
    /// by real-time runs (`tradeLog.retention`).
    public private(set) var tradeLog: ClosedTradeLog
    /// The kept closed trades, oldest first (every one in a backtest).
    public var closedTrades: [Trade] { tradeLog.kept }
    /// Net P&L of every closed trade (the trades are the engine's one ledger).
    var closedNet = Money.zero
    /// Equity marked to market on a fixed grid since the start (`EngineSettings.equityIntervalSeconds`).
    public private(set) var equityCurve: EquitySeries
    private var nextEquitySample: Timestamp
    /// Latency, rates and metrics between status reports.
    var meter: StatusMeter
    /// Inactive coins with open trades: they leave their shard once flat.
    var flatRemovals: Set<CoinIndex> = []
    /// The coins chosen to trade and their cost ranking.
    var active: ActiveSet
    /// The coins chosen to trade, best first.
    public var activeSet: [CoinIndex] { active.coins }
    /// Backtests: the simulated time for log lines (`SimulatedTimeLogHandler`), set every round.
    let logClock: SimulatedLogClock?
    /// Circuit breakers, fed after and applied before every round.
    var supervisor: BreakerSupervisor
    public var breakers: CircuitBreakers { supervisor.breakers }
    /// The most recent breaker trips and resets, newest last (bounded).
    public var breakerEvents: [BreakerEvent] { supervisor.events }
    /// No new entries while replaying history to warm up (not a breaker: nothing is tripped).
    private var entriesSuspended = false
    let watchdog: Watchdog
    /// Where the engine publishes orders, risk decisions, executions and signals.
    let engineBus: EngineBus
    /// Stored market data replacing the simulated market's events (backtests on stored data);
    /// a real venue's feed when `feedInput` is set.
    public let replay: ReplayFeed?
    /// Live trading: every shard's orders go through this router to the real venue.
    let router: LiveOrderRouter?
    /// Starts every client order id (see `PipelineContext.orderIDPrefix`).
    let orderIDPrefix: String
    /// Called by the coordinator with every round's closed trades; must not block.
    let onClosedTrades: (@Sendable ([Trade]) -> Void)?
    /// The first error reading stored data; the run stops at it.
    public private(set) var replayError: (any Error)?
    /// What other threads may touch while the coordinator runs the engine.
    public let handle: EngineHandle
    /// Trading time of real-time runs: round ends on a venue's feed and real-time pacing (the
    /// wall clock, or a test's clock). Simulated runs keep their own time in `now`.
    let clock: any TradingClock
    /// Models installed by hot swap (coordinator only); coins added later start with them.
    var installedModels: [CoinIndex: any Model] = [:]
    /// Per coin (universe index): time of the last market event handed to the bus (coordinator only).
    lazy var marketSeen = [Int64](repeating: 0, count: universe.count)

    /// - Parameters:
    ///   - threads: OS threads for shards; 0 means one per core.
    ///   - feed: a real venue's feed instead of the simulated market (paper and live runs).
    ///   - wiring: stored data, real-venue hooks and the live order path (`EngineWiring`).
    public init(settings: EngineSettings, universe: Universe, start: Timestamp, threads: Int? = nil,
                control: EngineControl = EngineControl(), logger: Logger = Logger(label: "huracan.engine"), bus: InProcessBus? = nil,
                remote: RedisOutbox? = nil, sharedRisk: (any SharedRiskGate)? = nil, feed: VenueFeedInput? = nil,
                clock: any TradingClock = WallClock(), wiring: EngineWiring = EngineWiring(),
                makeModel: @escaping @Sendable (Instrument) -> any Model) {
        self.settings = settings
        self.universe = universe
        self.control = control
        self.logger = logger
        handle = EngineHandle(universe: universe, control: control, logger: logger)
        self.clock = clock
        self.makeModel = makeModel
        watchdog = Watchdog(timeoutSeconds: settings.watchdogSeconds, logger: logger)
        engineBus = EngineBus(bus: bus ?? InProcessBus(capacityPerStream: settings.busCapacity, maxConsumersPerGroup: settings.maxConsumersPerGroup, clock: { WallClock.now().nanoseconds }),
                              remote: remote, remoteStatistics: wiring.remoteBusStatistics, prefix: settings.streamPrefix, coinCount: universe.count, logger: logger)
        let parameters = SimulationParameters(seed: settings.seed, start: start, updateIntervalMs: settings.updateIntervalMs)
        market = feed == nil ? SimulatedMarket(universe: universe, parameters: parameters, venues: settings.venues) : nil
        feedInput = feed
        replay = feed?.events ?? wiring.storedData
        logClock = wiring.logClock
        router = wiring.router
        orderIDPrefix = wiring.orderIDPrefix
        onClosedTrades = wiring.onClosedTrades
        tradeLog = ClosedTradeLog(retention: wiring.tradeRetention)
        meter = StatusMeter(liveStatus: wiring.liveStatus)
        self.start = start
        stepNanoseconds = parameters.stepNanoseconds
        now = start
        equityCurve = EquitySeries(intervalSeconds: settings.equityIntervalSeconds, points: [(start, settings.startingEquity)])
        nextEquitySample = start + .nanoseconds(Int64(settings.equityIntervalSeconds * 1e9))
        risk = RiskLedger(limits: settings.limits, equity: settings.startingEquity, coinCount: universe.count, shared: sharedRisk)
        supervisor = BreakerSupervisor(
            breakers: CircuitBreakers(settings: settings.breakers, coinCount: universe.count, startingEquity: settings.startingEquity,
                                      now: start, coinNames: universe.instruments.map(\.coin)),
            coinGate: wiring.coinGate, venueHealthSources: wiring.venueHealthSources, logger: logger)
        let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let threadCount = threads ?? (settings.threads > 0 ? settings.threads : coreCount)
        active = ActiveSet(settings: settings, universe: universe, market: market, feedVenue: feed?.venue, start: start, costSource: wiring.costSource)
        plan = ShardPlan(coins: active.coins, coinsPerShard: settings.coinsPerEventLoop)
        pool = WorkerPool(threads: min(threadCount, max(1, plan.shardCount)))
        roundRisk = feed == nil && sharedRisk == nil
        for (id, members) in plan.assignment.enumerated() {
            let shard = makeShard(id: id)
            for coin in members { shard.add(makeSlot(coin)) }
            shards.append(shard)
        }
        logAssignment("start")
        supervisor.watch(only: active.coins, at: start)
        watchdog.watch(shards)
        watchdog.start()
    }

    deinit {
        watchdog.stop()
        pool.shutdown()
    }

    /// On a simulated clock (no live feed, no ledger shared with other processes) each shard
    /// decides on its own round view of the risk ledger (`RiskLedger.beginRound`), so shards can
    /// run in parallel and the trades do not depend on the number of threads; otherwise every
    /// shard checks the one ledger as it goes.
    let roundRisk: Bool

    private func makeShard(id: Int) -> Shard {
        let shard = roundRisk
            ? Shard(id: id, settings: settings, risk: RiskLedger(limits: settings.limits, equity: settings.startingEquity, coinCount: universe.count))
            : Shard(id: id, settings: settings, risk: risk)
        shard.router = router
        shard.context.orderIDPrefix = orderIDPrefix
        return shard
    }

    /// Gives every shard its round view: its share of the room under the shared limits, by its
    /// number of coins, and of the free trade slots (the odd slots go round the shards in turn).
    private func beginRiskRound(_ round: Int64) {
        guard roundRisk else { return }
        let start = risk.roundStart()
        let total = max(1, shards.reduce(0) { $0 + $1.slots.count })
        let freeSlots = max(0, start.maxConcurrentTrades - start.openTrades)
        var tradeSlots = shards.map { freeSlots * $0.slots.count / total }
        var left = freeSlots - tradeSlots.reduce(0, +)
        let owners = shards.indices.filter { shards[$0].slots.count > 0 }
        var next = Int(round % Int64(max(1, owners.count)))
        while left > 0 && !owners.isEmpty {
            tradeSlots[owners[next % owners.count]] += 1
            left -= 1
            next += 1
        }
        for (s, shard) in shards.enumerated() {
            shard.context.risk.beginRound(start, share: Double(shard.slots.count) / Double(total), tradeSlots: tradeSlots[s])
        }
    }

    /// Applies what each shard's round view changed to the engine's ledger, in shard order.
    private func endRiskRound() {
        guard roundRisk else { return }
        for shard in shards { risk.apply(shard.context.risk.endRound()) }
    }

    private func makeSlot(_ coin: CoinIndex) -> CoinSlot {
        let instrument = universe[coin]
        guard let market else {
            // A real venue's feed: the coin trades there only, with paper matchers or none.
            let venue = feedInput!.venue
            let paper = feedInput!.simulatedFills
            return CoinSlot(pipeline: CoinPipeline(index: coin, instrument: instrument, venue: venue, venues: [venue], model: initialModel(coin),
                                                   fees: VenueFeeProfiles.standard(venue), strategy: settings.strategySelection.strategy(forCoin: instrument.coin)),
                            market: nil,
                            matchers: paper ? [SimulatedMatcher(instrument: instrument, venue: venue, fees: VenueFeeProfiles.standard(venue),
                                                                latencyNanoseconds: settings.latencyNanoseconds)] : [],
                            otherVenues: [])
        }
        let venue = market.venue(of: coin)
        let fees = VenueFeeProfiles.standard(venue)
        var simulated = market.makeCoin(coin)
        if step > 0 {
            // Bring a coin added at runtime up to the current step.
            var scratch: [MarketEvent] = []
            market.generate(step: step - 1, coin: &simulated, into: &scratch)
        }
        let venues = market.venues(of: coin)
        return CoinSlot(pipeline: CoinPipeline(index: coin, instrument: instrument, venue: venue, venues: venues, model: initialModel(coin), fees: fees,
                                               strategy: settings.strategySelection.strategy(forCoin: instrument.coin)),
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
    ///   - entriesSuspended: no new entries in this run (replaying history to warm up; not a
    ///     breaker: nothing is tripped).
    public func run(until end: Timestamp?, pacing: Pacing, stepsPerRound: Int64 = 10, statusInterval: Double = 1,
                    entriesSuspended: Bool = false, onStatus: (EngineStatus) -> Void = { _ in }) {
        self.entriesSuspended = entriesSuspended
        defer { self.entriesSuspended = false }
        if let feedInput {
            runOnFeed(feedInput.events, until: end, statusInterval: statusInterval, onStatus: onStatus)
            return
        }
        let stepNanos = stepNanoseconds
        let start = start.nanoseconds
        let endStep = end.map { ($0.nanoseconds - start + stepNanos - 1) / stepNanos }
        let wallStart = MonotonicClock.nanoseconds()
        let realStart = clock.now().nanoseconds
        let firstStep = step
        var lastStatus = wallStart
        meter.startRates(at: wallStart, totals: totals())
        while !control.isStopRequested {
            if let endStep, step >= endStep { break }
            logClock?.set(now)
            if let changes = control.takeChanges() { apply(changes) }
            beginRiskRound(step)
            applyModelSwaps()
            var upper = endStep.map { min(step + stepsPerRound, $0) } ?? step + stepsPerRound
            // A round ends at the next equity sample, so samples are taken on their grid.
            upper = min(upper, max(step + 1, (nextEquitySample.nanoseconds - start + stepNanos - 1) / stepNanos))
            supervisor.apply(to: shards, killed: control.isKilled, entriesSuspended: entriesSuspended, at: now)
            if let replay {
                do { try replay.fill(until: Timestamp(nanoseconds: start + upper * stepNanos)) } catch {
                    replayError = error
                    // The backtest runner reports it (`replayError`); a log line would say it twice.
                    logger.debug("stored market data: \(error)")
                    break
                }
            }
            runRound(step..<upper)
            step = upper
            now = Timestamp(nanoseconds: start + step * stepNanos)
            afterRound()
            if let replay, !replay.stepsEveryCoin, let target = idleUntil(replay, endStep: endStep), target > step {
                // Stored data with nothing to do before its next event: skip the empty steps.
                step = target
                now = Timestamp(nanoseconds: start + step * stepNanos)
                sampleEquity(risk.snapshot().equity)
            }
            if pacing == .realTime {
                let simulatedElapsed = (step - firstStep) * stepNanos
                let wallElapsed = clock.now().nanoseconds - realStart
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

    /// A real venue's feed: rounds follow the wall clock, each taking what arrived since the
    /// last one (at most `feedRoundNanoseconds` apart when the feed is busy).
    private func runOnFeed(_ feed: ReplayFeed, until end: Timestamp?, statusInterval: Double, onStatus: (EngineStatus) -> Void) {
        var lastStatus = MonotonicClock.nanoseconds()
        meter.startRates(at: lastStatus, totals: totals())
        while !control.isStopRequested {
            let began = MonotonicClock.nanoseconds()
            var roundEnd = max(clock.now(), now)
            if let end { roundEnd = min(roundEnd, end) }
            if let changes = control.takeChanges() { apply(changes) }
            applyModelSwaps()
            supervisor.apply(to: shards, killed: control.isKilled, entriesSuspended: entriesSuspended, at: now)
            do { try feed.fill(until: roundEnd) } catch {
                replayError = error
                logger.error("market feed: \(error)")
                break
            }
            runOnShards { shard in shard.runFeed(until: roundEnd, feed: feed) }
            now = roundEnd
            afterRound()
            let finished = MonotonicClock.nanoseconds()
            if Double(finished - lastStatus) / 1e9 >= statusInterval {
                onStatus(status())
                lastStatus = finished
            }
            if let end, now >= end { break }
            let spent = Int64(MonotonicClock.nanoseconds() - began)
            if spent < Self.feedRoundNanoseconds { sleepNanoseconds(Self.feedRoundNanoseconds - spent) }
        }
        onStatus(status())
    }

    /// Records `equity` at every grid point up to `now`.
    private func sampleEquity(_ equity: Double) {
        while now >= nextEquitySample {
            equityCurve.points.append((nextEquitySample, equity))
            nextEquitySample = nextEquitySample + .nanoseconds(Int64(equityCurve.intervalSeconds * 1e9))
        }
    }

    /// The step at which stored data next gives the engine something to do, when no order is
    /// in flight and every loaded event was taken: the step of the source's next event or of
    /// the earliest holding limit, whichever comes first (the end when neither does). Nil when
    /// something may happen sooner.
    private func idleUntil(_ replay: ReplayFeed, endStep: Int64?) -> Int64? {
        guard replay.isDrained else { return nil }
        var deadline = Timestamp.distantFuture
        for shard in shards {
            guard let quiet = shard.quietUntil() else { return nil }
            deadline = min(deadline, quiet)
        }
        let next: Timestamp?
        do { next = try replay.nextSourceTime() } catch {
            return nil // the next fill reports it
        }
        var target = endStep ?? .max
        // An event at t is processed in the step whose end is after t; a holding limit at t in
        // the first step ending at or after t.
        if let next { target = min(target, (next.nanoseconds - start.nanoseconds) / stepNanoseconds) }
        if deadline < .distantFuture {
            target = min(target, (deadline.nanoseconds - start.nanoseconds + stepNanoseconds - 1) / stepNanoseconds - 1)
        }
        return target == .max ? nil : target
    }

    /// Shortest round on a real venue's feed: events wait at most this long (plus the round's
    /// own work) before the shards see them.
    static let feedRoundNanoseconds: Int64 = 5_000_000

    private func runRound(_ steps: Range<Int64>) {
        let market = market, replay = replay, start = start, stepNanoseconds = stepNanoseconds
        runOnShards { shard in shard.run(steps: steps, start: start, stepNanoseconds: stepNanoseconds, market: market, replay: replay) }
    }

    /// Runs `work` on every shard, shards spread over the pool's threads; returns when all are done.
    private func runOnShards(_ work: @escaping (Shard) -> Void) {
        let workers = pool.count
        var jobs: [() -> Void] = []
        for w in 0..<min(workers, shards.count) {
            let mine = stride(from: w, to: shards.count, by: workers).map { shards[$0] }
            jobs.append { for shard in mine { work(shard) } }
        }
        pool.runRound(jobs)
    }

    private func afterRound() {
        endRiskRound()
        var pnl = 0.0
        var intents: [OrderIntent] = [], decisions: [RiskDecisionRecord] = [], fills: [Fill] = [], signals: [SignalRecord] = []
        var market: [(stream: String, message: BusMessage)] = []
        for shard in shards {
            // Only coins with market data since the last round (the bus checks again).
            shard.forEachCoinWithNewData(seen: &marketSeen) { engineBus.marketMessages(coin: $0, named: $1, venue: $2, features: $3, into: &market) }
            intents += shard.context.orderIntents
            decisions += shard.context.riskDecisions
            fills += shard.roundFills
            signals += shard.context.signals
            shard.context.orderIntents.removeAll(keepingCapacity: true)
            shard.context.signals.removeAll(keepingCapacity: true)
            shard.roundFills.removeAll(keepingCapacity: true)
            pnl += shard.openPnL()
            if !shard.context.riskDecisions.isEmpty {
                for record in shard.context.riskDecisions {
                    logger.debug("risk \(record.check.decision.rawValue) \(universe[record.coin].coin) on \(record.venue): requested \(Int(record.requestedNotional)), approved \(Int(record.check.approvedNotional)); \(record.check.explanation)")
                }
                shard.context.riskDecisions.removeAll(keepingCapacity: true)
            }
            if !shard.context.closedTrades.isEmpty {
                for trade in shard.context.closedTrades { closedNet += trade.netPnL }
                handle.models.record(shard.context.closedTrades)
                onClosedTrades?(shard.context.closedTrades)
                tradeLog.append(shard.context.closedTrades)
                shard.context.closedTrades.removeAll(keepingCapacity: true)
            }
        }
        engineBus.publish(intents: intents, decisions: decisions, fills: fills, signals: signals, market: market, universe: universe)
        let equity = settings.startingEquity + closedNet.doubleValue + pnl
        sampleEquity(equity)
        risk.updateEquity(equity)
        for shard in shards { shard.context.equity = equity }
        if !flatRemovals.isEmpty { removeFlatInactiveCoins() }
        supervisor.feed(shards: shards, trades: tradeLog, universe: universe, equity: equity, at: now)
        tradeLog.trim(oldestUnread: min(supervisor.tradesRead, meter.tradesRead))
        if settings.rankActiveSet, active.isDue(at: now) { rerank() }
    }

    /// What drives the engine, for status and logs.
    public var marketSource: String {
        guard market == nil, let feedInput else { return replay == nil ? "simulated market" : "stored data" }
        return "\(feedInput.venue) feed, \(feedInput.simulatedFills ? "paper fills" : "live orders"), no simulated market"
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
            let wanted = settings.rankActiveSet ? active.select(count: count, at: now, shards: shards) : (0..<count).map { CoinIndex($0) }
            setActiveSet(wanted, why: "active_coins \(previous) -> \(count)")
        }
    }

    typealias Changes = EngineControl.Changes

    /// Adds or removes coins and rebalances shards. Removed coins stop opening trades; those
    /// with open trades stay on their shard until flat, then leave.
    func setActiveSet(_ wanted: [CoinIndex], why: String) {
        active.coins = wanted
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
            let shard = makeShard(id: shards.count)
            shard.context.equity = risk.snapshot().equity
            shards.append(shard)
        }
        for (id, members) in plan.assignment.enumerated() {
            for coin in members { shards[id].add(slots[coin] ?? makeSlot(coin)) }
        }
        // Drop shards left empty at the end (their counters are folded into the totals first).
        while shards.count > plan.shardCount, let last = shards.last, last.coins.isEmpty {
            meter.retire(last)
            shards.removeLast()
        }
        flatRemovals = retained
        supervisor.watch(only: wanted, at: now)
        watchdog.watch(shards)
        logAssignment(why)
    }

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
            plan = plan.rebalanced(to: active.coins, retaining: flatRemovals)
        }
    }

    // MARK: ranking

    /// Ranks now (a live run's first active set comes from the venue's figures).
    public func rankNow(why: String) {
        guard settings.rankActiveSet else { return }
        let chosen = active.select(count: settings.activeCoins, at: now, fresh: true, shards: shards)
        if Set(chosen) != Set(active.coins) { setActiveSet(chosen, why: why) }
        logger.info("active set (\(why)): \(active.coins.map { universe[$0].coin }.joined(separator: ","))")
    }

    func rerank() {
        let chosen = active.select(count: settings.activeCoins, at: now, shards: shards)
        guard Set(chosen) != Set(active.coins) else { return }
        let added = Set(chosen).subtracting(active.coins).map { universe[$0].coin }.sorted()
        let removed = Set(active.coins).subtracting(chosen).map { universe[$0].coin }.sorted()
        setActiveSet(chosen, why: "cost re-ranking: +\(added.joined(separator: ",")) -\(removed.joined(separator: ","))")
    }
}
