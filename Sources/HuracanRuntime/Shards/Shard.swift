import Histogram
import HuracanCore
import HuracanSimVenue
import HuracanVenues

/// One event loop of the spec's Event Loop Manager: a group of coins whose state it alone owns.
///
/// Ownership: a shard is run by one worker thread at a time, between the coordinator's "go"
/// and the worker's "done" (`WorkerPool`, which hands shards over in a `ThreadHandOff`); the
/// coordinator reads or changes it only while workers are parked. Only `health` is shared with
/// another thread (the watchdog), and it is atomics.
final class Shard {
    let id: Int
    // The hot state is exempt from run-time exclusivity checks (a check per access was a sixth
    // of a backtest's time): only the thread running the shard touches it, see above.
    @exclusivity(unchecked) var slots: [CoinSlot] = []
    @exclusivity(unchecked) var context: PipelineContext
    /// Tick-to-decision latency (ns) of book events since the coordinator last collected it.
    @exclusivity(unchecked) var latency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .two)
    /// Liveness for the watchdog.
    let health: ShardHealth

    /// Orders sent and refused per venue since the coordinator last collected them.
    var venueRequests = [Int](repeating: 0, count: VenueID.allCases.count)
    var venueFailures = [Int](repeating: 0, count: VenueID.allCases.count)

    /// Venues whose fee and funding interfaces do not answer (fault drills and tests): their
    /// coins keep the last costs, which go stale.
    var costSourceDown = [Bool](repeating: false, count: VenueID.allCases.count)
    private var nextCostRefresh = Timestamp.epoch

    /// Live trading: orders go to the real venue through this router and its reports come back
    /// through it; the slots then have no simulated matchers. Nil when fills are simulated.
    var router: LiveOrderRouter?

    /// Book events processed, and the share of them whose tick-to-decision latency is timed.
    private var bookEvents = 0
    static let latencySampling = 8

    /// Fills since the coordinator last collected them (for `executions:global`).
    @exclusivity(unchecked) var roundFills: [Fill] = []

    @exclusivity(unchecked) private var events: [MarketEvent] = []
    @exclusivity(unchecked) private var reports: [VenueReport] = []

    init(id: Int, settings: EngineSettings, risk: RiskLedger) {
        self.id = id
        health = ShardHealth(shardID: id, watchdogNanoseconds: Int64(settings.watchdogSeconds * 1e9))
        context = PipelineContext(parameters: settings.strategy, minEdgeAfterCostBps: settings.minEdgeAfterCostBps,
                                  risk: risk, shardID: id, equity: settings.startingEquity)
        context.blockedCoins = [RiskReason?](repeating: nil, count: risk.snapshot().coin.count)
        context.costUpdateIntervalSeconds = settings.costUpdateIntervalSeconds
        events.reserveCapacity(256)
        reports.reserveCapacity(64)
    }

    var coins: [CoinIndex] { slots.indices.map { slots[$0].pipeline.index } }

    /// When something next happens here without new market data: nil when an order is in
    /// flight (anything may happen), else the earliest holding limit of an open trade
    /// (`.distantFuture` when every coin is flat).
    func quietUntil() -> Timestamp? {
        var earliest = Timestamp.distantFuture
        let parameters = context.parameters
        for c in slots.indices {
            if slots[c].hasOrdersInFlight { return nil }
            if let deadline = Self.exitDeadline(&slots[c], parameters) { earliest = min(earliest, deadline) }
        }
        return earliest
    }

    var isHealthy: Bool { health.isHealthy }

    /// Makes the next run sleep first, as if the loop had stalled (tests and drills).
    func injectStall(nanoseconds: Int64) { health.injectStall(nanoseconds: nanoseconds) }

    func add(_ slot: CoinSlot) {
        slots.append(slot)
        nextCostRefresh = .epoch
    }

    func remove(_ coin: CoinIndex) -> CoinSlot? {
        guard let i = slots.firstIndex(where: { $0.index == coin }) else { return nil }
        return slots.remove(at: i)
    }

    func setActive(_ coin: CoinIndex, _ active: Bool) {
        if let i = slots.firstIndex(where: { $0.index == coin }) { slots[i].pipeline.isActive = active }
    }

    /// Runs steps `range` of the simulated market for every coin of the shard.
    /// With `replay`, events come from stored data instead of the simulated market.
    func run(steps range: Range<Int64>, start: Timestamp, stepNanoseconds: Int64, market: SimulatedMarket?, replay: ReplayFeed? = nil) {
        beginRun()
        defer { endRun() }
        if let replay, !replay.stepsEveryCoin {
            runEventDriven(steps: range, start: start.nanoseconds, stepNanoseconds: stepNanoseconds, replay: replay)
            return
        }
        for step in range {
            let stepEnd = Timestamp(nanoseconds: start.nanoseconds + (step + 1) * stepNanoseconds)
            for c in slots.indices { visit(slot: c, until: stepEnd, replay: replay, market: market, step: step) }
            refreshCostsIfDue(at: stepEnd)
        }
        revalueAll()
    }

    /// A real venue's feed, up to `end` (wall clock): each coin's events in the order they
    /// arrived, then the venue's reports for it and its holding limits. No simulated steps: the
    /// round is only the batch of what arrived since the last one.
    func runFeed(until end: Timestamp, feed: ReplayFeed) {
        beginRun()
        defer { endRun() }
        for c in slots.indices { visit(slot: c, until: end, replay: feed, market: nil, step: 0) }
        refreshCostsIfDue(at: end)
        revalueAll()
    }

    /// One coin's visit up to `end`, the same for every way the shard runs: its events before
    /// `end` (from `replay`, stored data or a venue's feed, else the simulated market's `step`),
    /// then the visit's end (`finishVisit`).
    @inline(__always) private func visit(slot c: Int, until end: Timestamp, replay: ReplayFeed?, market: SimulatedMarket?, step: Int64) {
        if let replay {
            replay.forEach(coin: slots[c].index, before: end) { process($0, slot: c) }
        } else if let market {
            events.removeAll(keepingCapacity: true)
            market.generate(step: step, coin: &slots[c].market!, into: &events)
            for event in events { process(event, slot: c) }
        }
        finishVisit(slot: c, at: end)
    }

    /// Refreshes every coin's fees and funding when the refresh interval has passed by `time`.
    @inline(__always) private func refreshCostsIfDue(at time: Timestamp) {
        if time >= nextCostRefresh { refreshCosts(at: time) }
    }

    /// Marks every coin's open trades to market at the end of a run.
    private func revalueAll() {
        for c in slots.indices { slots[c].pipeline.revalue(context: &context) }
    }

    /// The end of a coin's visit at `time`: simulated orders due by then reach their matcher,
    /// the real venue's reports are applied, and holding limits that ran out fire.
    @inline(__always) private func finishVisit(slot c: Int, at time: Timestamp) {
        context.now = time
        for m in slots[c].matchers.indices { slots[c].matchers[m].advance(to: time, reports: &reports) }
        router?.takeReports(coin: slots[c].index, into: &reports)
        deliverReports(slot: c)
        checkClock(slot: c, at: time)
    }

    /// Marks the shard running for the watchdog and applies an injected stall.
    private func beginRun() {
        health.runBegins()
        context.entriesAllowed = health.isHealthy && entriesEnabled
    }

    /// Records the end of a run for the watchdog.
    private func endRun() { health.runEnds() }

    /// Holding limits that ran out while no market data arrived fire at the step's end.
    @inline(__always) private func checkClock(slot c: Int, at stepEnd: Timestamp) {
        let parameters = context.parameters
        guard let deadline = Self.exitDeadline(&slots[c], parameters), deadline <= stepEnd else { return }
        slots[c].pipeline.onClock(context: &context)
        if !context.outbox.isEmpty { submitOutbox(slot: c, at: stepEnd) }
    }

    /// Stored-data replay, event-driven: the same per-coin work as stepping every coin through
    /// every step, but a coin is visited only at steps where it has an event, a matcher action
    /// falls due (order latency) or a trade's holding limit runs out; the steps in between are
    /// no-ops for it and are skipped. Within a step coins are visited in slot order and costs are
    /// refreshed at the same step ends, so trades are identical to the stepped replay.
    private func runEventDriven(steps range: Range<Int64>, start: Int64, stepNanoseconds: Int64, replay: ReplayFeed) {
        let lower = range.lowerBound, count = Int(range.upperBound - lower)
        guard count > 0 else { return }
        // After the engine skipped empty time, costs are refreshed before anything is decided,
        // as stepping through that time would have.
        refreshCostsIfDue(at: Timestamp(nanoseconds: start + lower * stepNanoseconds))
        if buckets.count < count { buckets = Array(repeating: [], count: count) }
        let parameters = context.parameters
        for c in slots.indices {
            if let s = Self.nextVisit(&slots[c], parameters: parameters, after: lower - 1, start: start, stepNanoseconds: stepNanoseconds, replay: replay),
               s < range.upperBound {
                buckets[Int(s - lower)].append(c)
            }
        }
        for offset in 0..<count {
            let step = lower + Int64(offset)
            let stepEnd = Timestamp(nanoseconds: start + (step + 1) * stepNanoseconds)
            if !buckets[offset].isEmpty {
                var visits = buckets[offset]
                buckets[offset].removeAll(keepingCapacity: true)
                if visits.count > 1 { visits.sort() }
                var previous = -1
                for c in visits where c != previous {
                    previous = c
                    visit(slot: c, until: stepEnd, replay: replay, market: nil, step: step)
                    if let s = Self.nextVisit(&slots[c], parameters: parameters, after: step, start: start, stepNanoseconds: stepNanoseconds, replay: replay),
                       s < range.upperBound {
                        buckets[Int(s - lower)].append(c)
                    }
                }
            }
            refreshCostsIfDue(at: stepEnd)
        }
        context.now = Timestamp(nanoseconds: start + range.upperBound * stepNanoseconds)
        revalueAll()
    }

    /// Per step of the current round, the slots to visit (event-driven replay).
    @exclusivity(unchecked) private var buckets: [[Int]] = []

    /// The first step after `step` at which `slot` has work: its next stored event, a matcher
    /// action falling due, or a holding limit running out.
    ///
    /// The slot is passed inout (the caller's `&slots[c]`): calling another module's methods on
    /// `slots[c]` read through the class property would copy the whole slot first.
    private static func nextVisit(_ slot: inout CoinSlot, parameters: StrategyParameters, after step: Int64, start: Int64, stepNanoseconds: Int64,
                                  replay: ReplayFeed) -> Int64? {
        var best: Int64?
        func consider(_ s: Int64) { best = min(best ?? s, max(s, step + 1)) }
        // An event at t is processed in the step whose end is after t.
        if let t = replay.nextTime(coin: slot.pipeline.index) { consider(floorDiv(t.nanoseconds - start, stepNanoseconds)) }
        // Matcher actions and deadlines are due at the first step end at or after their time.
        func dueStep(_ t: Int64) -> Int64 { floorDiv(t - start + stepNanoseconds - 1, stepNanoseconds) - 1 }
        if slot.hasOrdersInFlight {
            var any = false
            for m in slot.matchers.indices {
                if let t = slot.matchers[m].nextActionTime {
                    any = true
                    consider(dueStep(t.nanoseconds))
                }
            }
            slot.hasOrdersInFlight = any
        }
        if let deadline = exitDeadline(&slot, parameters) { consider(dueStep(deadline.nanoseconds)) }
        return best
    }

    @inline(__always) private static func exitDeadline(_ slot: inout CoinSlot, _ parameters: StrategyParameters) -> Timestamp? {
        slot.pipeline.isFlat ? nil : slot.pipeline.nextExitDeadline(parameters)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Calls `body` with the universe index, name, venue and feature state of every active coin
    /// whose last market event is newer than `seen[coin]`, and records that time in `seen`.
    /// Coordinator only.
    func forEachCoinWithNewData(seen: inout [Int64], _ body: (_ coin: Int, _ name: String, _ venue: VenueID, _ features: borrowing FeatureState) -> Void) {
        // Through the buffer and by parts: handing over the pipeline, or reading slots through
        // the array property, copied whole pipelines (every coin, every round).
        slots.withUnsafeBufferPointer { slots in
            for i in slots.indices where slots[i].pipeline.isActive {
                let coin = Int(slots[i].pipeline.index), time = slots[i].pipeline.features.lastEventTime.nanoseconds
                guard time > seen[coin] else { continue }
                seen[coin] = time
                body(coin, slots[i].pipeline.instrument.coin, slots[i].pipeline.venue, slots[i].pipeline.features)
            }
        }
    }

    /// Calls `body` with each coin's index and the time of its last market event (`.epoch`
    /// before any), without copying slots. Coordinator only.
    func forEachCoin(_ body: (_ coin: CoinIndex, _ lastEvent: Timestamp) -> Void) {
        slots.withUnsafeBufferPointer { slots in
            for i in slots.indices { body(slots[i].pipeline.index, slots[i].pipeline.features.lastEventTime) }
        }
    }

    /// Cleared by the operator's kill switch or a halted engine.
    var entriesEnabled = true

    @inline(__always) private func process(_ event: MarketEvent, slot c: Int) {
        context.now = event.time
        context.stats.events += 1
        if !slots[c].matchers.isEmpty {
            slots[c].matchers[0].onMarket(event, reports: &reports)
        } else if case .fundingSettlement(let rate, let mark) = event.payload,
                  let settled = VenueReport.fundingSettlement(slots[c].pipeline.instrument, venue: event.venue, rate: rate, mark: mark, time: event.time) {
            // A real venue: it settled funding at this rate and mark; the coin's open trades
            // on it pay or receive their share.
            reports.append(settled)
        }
        for q in slots[c].otherVenues.indices {
            // The coin on its other venues: their books and funding feed their matchers and the
            // pipeline's per-venue costs (for routing).
            let derived = slots[c].otherVenues[q].apply(to: event)
            slots[c].matchers[q + 1].onMarket(derived, reports: &reports)
            if event.kind != .trade { slots[c].pipeline.onMarket(derived, context: &context) }
        }
        if !reports.isEmpty { deliverReports(slot: c) }
        // Tick-to-decision latency of one book event in `latencySampling` (reading the clock
        // twice per event was a twentieth of a backtest).
        var timed = false
        if event.kind == .book {
            bookEvents &+= 1
            timed = bookEvents % Self.latencySampling == 0
        }
        let start = timed ? MonotonicClock.nanoseconds() : 0
        slots[c].pipeline.onMarket(event, context: &context)
        if timed { _ = latency.record(MonotonicClock.nanoseconds() &- start) }
        if !context.outbox.isEmpty { submitOutbox(slot: c, at: event.time) }
    }

    private func submitOutbox(slot c: Int, at time: Timestamp) {
        if !context.outbox.isEmpty { slots[c].hasOrdersInFlight = true }
        if let router {
            // The venue's own request and failure counters feed its breaker in live runs.
            for request in context.outbox {
                let tradeID = context.orderIntents.last { $0.request.clientOrderID == request.clientOrderID }?.tradeID
                router.submit(request, coin: slots[c].index, tradeID: tradeID)
            }
            context.outbox.removeAll(keepingCapacity: true)
            return
        }
        for request in context.outbox {
            venueRequests[request.venue.index] += 1
            guard let m = slots[c].matchers.firstIndex(where: { $0.venue == request.venue }) else {
                context.stats.orderErrors += 1
                continue
            }
            slots[c].matchers[m].submit(request, at: time)
        }
        context.outbox.removeAll(keepingCapacity: true)
    }

    private func deliverReports(slot c: Int) {
        guard !reports.isEmpty else { return }
        for report in reports {
            switch report {
            case .fill(let fill):
                roundFills.append(fill)
            case .rejected(let clientOrderID, _, _) where router == nil:
                venueFailures[(slots[c].pipeline.venue(ofOrder: clientOrderID) ?? slots[c].pipeline.venue).index] += 1
            default: break
            }
            slots[c].pipeline.onReport(report, context: &context)
        }
        reports.removeAll(keepingCapacity: true)
        if !context.outbox.isEmpty { submitOutbox(slot: c, at: context.now) }
    }

    /// Refreshes every coin's fees and funding from its venue's interfaces, every
    /// `cost_model.update_interval_seconds`.
    private func refreshCosts(at time: Timestamp) {
        for c in slots.indices {
            if let live = router?.venue {
                // Live: the account's fees as the venue reports them (read at start); funding
                // comes with the feed's events. Until the fees are read the costs stay stale
                // and the coin opens nothing: never a trade on assumed fees.
                if !costSourceDown[live.venue.index], let fees = live.cachedFees(coin: slots[c].pipeline.instrument.coin) {
                    slots[c].pipeline.refreshCosts(venue: live.venue, fees: fees, fundingRate: nil, at: time)
                }
                continue
            }
            // By index: iterating the matchers would copy each one.
            for m in slots[c].matchers.indices where !costSourceDown[slots[c].matchers[m].venue.index] {
                let venue = slots[c].matchers[m].venue
                let fees = slots[c].matchers[m].fees, rate = slots[c].matchers[m].fundingRate
                slots[c].pipeline.refreshCosts(venue: venue, fees: fees, fundingRate: rate, at: time)
            }
        }
        nextCostRefresh = time + .nanoseconds(Int64(context.costUpdateIntervalSeconds * 1e9))
    }

    /// Net P&L of the shard's open trades, open quantities marked at mid (the trades are the
    /// only ledger: closed ones are summed by the engine as they close).
    func openPnL() -> Double {
        var total = 0.0
        // Each slot inout: reading another module's properties through `slots[i]` would copy
        // the whole slot (every round, every coin).
        for i in slots.indices { total += Self.openPnL(&slots[i]) }
        return total
    }

    @inline(__always) private static func openPnL(_ slot: inout CoinSlot) -> Double {
        guard !slot.pipeline.isFlat else { return 0 }
        let mid = slot.pipeline.features.mid
        var total = 0.0
        for trade in slot.pipeline.trades {
            total += trade.markedNetPnL(mark: mid > 0 ? mid : trade.averageEntryPrice?.doubleValue ?? 0)
        }
        return total
    }


    /// Closes every open trade of the shard at the next events (used at shutdown with flatten).
    func flattenAll() {
        for c in slots.indices {
            slots[c].pipeline.flatten(context: &context)
            submitOutbox(slot: c, at: context.now)
        }
    }
}
