// Micro-benchmarks of HuracanCore's hot paths (ordo-one/benchmark).
//
// Run from Benchmarks/: `swift package --disable-sandbox benchmark` (release build).
//
// How to read the numbers:
// - Most benchmarks use `scalingFactor: .kilo`: one measured sample (iteration) runs 1000
//   operations (`benchmark.scaledIterations`), and the table shows each sample divided by 1000
//   (columns marked `*`). So p50/p99 there are percentiles of the *mean cost per operation over a
//   batch of 1000*: the per-operation cost with the timer's overhead amortised away, and the p99
//   catches slow batches (preemption, cache misses across the batch), not the slowest single call.
//   `--scale` shows the unscaled per-sample (per 1000 operations) figures instead.
// - Benchmarks marked "one call per sample" use `scalingFactor: .one`: each sample is a single
//   operation, so p99 is the tail of single calls; it includes the two clock reads around the
//   sample (40-50 ns on the 2-core Linux VM, measured with an empty sample), so it overstates
//   the call by that much.
// - Mallocs are per operation as well (a fractional count rounds to the nearest integer; use
//   `--scale` to see the count per 1000 operations).
//
// Benchmarks whose code must not allocate carry a zero tolerance on `mallocCountTotal`, checked
// against the static thresholds in Benchmarks/Thresholds (`CoreBenchmarks.<name>.p90.json`) by
// `swift package --disable-sandbox benchmark thresholds check`. Their names have no spaces: the
// threshold reader looks the file up by the raw name, while `thresholds update` writes spaces as `_`.
//
// Loads follow the targets of the risk work: 400 coins and 500 open trades on a release build,
// risk check p99 under 1 µs, cost calculation under 200 ns.

import Benchmark
import HuracanCore
#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

// MARK: - Deterministic input data

/// SplitMix64: a small seeded generator, so every run measures the same inputs.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// A market data stream of one coin on one venue: about 70% book updates and 30% trades,
/// 20 to 120 ms apart, around a mid that random-walks from 65,000 with a 1 bp spread.
func makeEvents(count: Int, coin: CoinIndex = 0, venue: VenueID = .binance, seed: UInt64 = 42) -> [MarketEvent] {
    var rng = SplitMix64(state: seed)
    var events: [MarketEvent] = []
    events.reserveCapacity(count)
    var mid = 65_000.0
    var time: Int64 = 1_767_225_600 * 1_000_000_000 // 2026-01-01T00:00:00Z
    for _ in 0..<count {
        time += 20_000_000 + Int64(rng.unit() * 100_000_000)
        let halfSpread = mid * 0.5e-4
        if rng.unit() < 0.7 {
            mid *= 1 + (rng.unit() - 0.5) * 2e-4
            let top = BookTop(bidPrice: mid - halfSpread, bidSize: 0.1 + rng.unit() * 5,
                              askPrice: mid + halfSpread, askSize: 0.1 + rng.unit() * 5)
            events.append(.book(coin, venue, Timestamp(nanoseconds: time), top))
        } else {
            let buy = rng.unit() < 0.5
            events.append(.trade(coin, venue, Timestamp(nanoseconds: time), price: buy ? mid + halfSpread : mid - halfSpread,
                                 size: 0.001 + rng.unit() * 0.5, aggressor: buy ? .buy : .sell))
        }
    }
    return events
}

/// Feature vectors seen along a stream once warm, as inputs of the model benchmark.
func makeFeatures(from events: [MarketEvent], count: Int) -> [Features] {
    var state = FeatureState()
    var features: [Features] = []
    features.reserveCapacity(count)
    for event in events {
        state.update(event)
        if state.isWarm {
            features.append(state.features())
            if features.count == count { break }
        }
    }
    precondition(features.count == count, "stream too short to warm up the feature state")
    return features
}

/// The shipped baseline model's coefficients (Sources/HuracanConfig/Resources/baseline-model.json).
func makeBaselineModel() -> LinearBaselineModel {
    var weights = Features()
    weights.return1sBps = 0.025897031042692555
    weights.return10sBps = 0.15917877760801377
    weights.return60sBps = 0.13719617440954027
    weights.bookImbalance = 13.633183195030048
    weights.flowImbalance = 26.436937155549543
    weights.vwapDistanceBps = 0.010999265017563781
    weights.fundingRateBps = -0.5519588666468335
    return LinearBaselineModel(intercept: 0, weights: weights, horizonSeconds: 300)
}

/// A feature state consuming a long event stream across measured iterations, so that updates run
/// on a warm state with history, as in the engine.
final class FeatureStream {
    let events: [MarketEvent]
    var state = FeatureState()
    var cursor = 0

    init(events: [MarketEvent]) { self.events = events }

    /// Starts the stream over when fewer than `count` events are left (allocates: call it
    /// outside the measured region).
    func prepare(for count: Int) {
        if cursor + count > events.count {
            state = FeatureState()
            cursor = 0
        }
    }
}

/// One measured batch: `update` then `features()` for each event of `range`.
@inline(never)
func consume(_ events: [MarketEvent], _ range: Range<Int>, into state: inout FeatureState) {
    for index in range {
        state.update(events[index])
        blackHole(state.features())
    }
}

/// A position in a precomputed input sequence that carries over from one measured sample to the
/// next, so successive samples walk through the whole sequence instead of repeating its start.
final class Cursor {
    var position = 0
    /// Returns the start of the next `count` inputs and moves past them.
    func advance(by count: Int) -> Int {
        let start = position
        position &+= count
        return start
    }
}

/// Number of precomputed inputs the rotating benchmarks cycle through (a power of two, indexed by mask).
let inputCount = 4_096
let inputMask = inputCount - 1

/// The sector of coin `coin` in the benchmark universe: coins cycle through all sectors.
func sector(of coin: Int) -> Sector { Sector.allCases[coin % Sector.allCases.count] }

// MARK: Risk ledger under load

/// Risk limits of the loaded ledger: the defaults, with the trade-count limits lifted so that the
/// checks are decided by exposure, not blocked outright by 500 open trades.
func loadedRiskLimits() -> RiskLimits {
    var limits = RiskLimits()
    limits.maxConcurrentTrades = 100_000
    limits.maxActiveTrades = 100_000
    return limits
}

/// A ledger with equity 1,000,000 and 500 reserved trades over 400 coins, every sector and the 3
/// venues, laid out so that checks fall in every zone of the default limits (coin 40%, sector 60%,
/// exchange 150%, global 200% of equity, throttling from 80% of a limit):
/// - sectors L1 and L2 sit 2 below their 600,000 cap: every check on their coins (~15% of coins)
///   is BLOCKED (the room left is below the 5 minimum);
/// - the other 11 sectors hold 350,000 together (~31,800 each, far below the 480,000 soft limit), so
///   the global exposure is ~1,550,000: a check adding more than ~50,000 crosses the global soft
///   limit (1,600,000) and is THROTTLED, a smaller one is APPROVED;
/// - venues get 50% / 30% / 20% of the trades (exchange exposures ~0.3M to ~0.8M, below their soft limit).
/// Trades are reserved with `checkTrade` under permissive limits, then the real limits are applied
/// (`updateLimits` keeps open trades), so the ledger holds exactly 500 open trades.
func makeLoadedLedger(coinCount: Int, openTrades: Int) -> RiskLedger {
    var permissive = loadedRiskLimits()
    permissive.perCoinMaxExposurePct = 1e9
    permissive.perSectorMaxExposurePct = 1e9
    permissive.perExchangeMaxExposurePct = 1e9
    permissive.globalMaxExposurePct = 1e9
    let ledger = RiskLedger(limits: permissive, equity: 1_000_000, coinCount: coinCount)

    let sectorCount = Sector.allCases.count
    let fullSectors: Set<Int> = [Sector.l1.index, Sector.l2.index]
    let fullSectorExposure = 599_998.0
    let otherSectorsExposure = 350_000.0
    var rng = SplitMix64(state: 500)
    // Trade t is on coin t % coinCount (coins 0..<100 hold two trades); raw weights, then scaled
    // so that each group of sectors reaches its target exposure.
    var weights = (0..<openTrades).map { _ in 0.2 + rng.unit() }
    var groupWeight = [Double](repeating: 0, count: sectorCount)
    for t in 0..<openTrades { groupWeight[sector(of: t % coinCount).index] += weights[t] }
    let otherWeight = (0..<sectorCount).filter { !fullSectors.contains($0) }.reduce(0) { $0 + groupWeight[$1] }
    for t in 0..<openTrades {
        let s = sector(of: t % coinCount).index
        weights[t] = fullSectors.contains(s)
            ? fullSectorExposure * weights[t] / groupWeight[s]
            : otherSectorsExposure * weights[t] / otherWeight
    }
    for t in 0..<openTrades {
        let u = rng.unit()
        let venue: VenueID = u < 0.5 ? .binance : u < 0.8 ? .okx : .bybit
        let coin = t % coinCount
        let check = ledger.checkTrade(TradeRequest(coin: CoinIndex(coin), sector: sector(of: coin), venue: venue,
                                                   notional: weights[t], minimumNotional: 5))
        precondition(check.decision == .approve, "fill: trade \(t) not approved")
    }
    ledger.updateLimits(loadedRiskLimits())
    precondition(ledger.snapshot().openTrades == openTrades)
    return ledger
}

/// Trade requests for the loaded ledger: a pseudo-random coin (with its sector) and venue, and a
/// notional log-uniform between 500 and 200,000 (minimum 5).
func makeRiskRequests(coinCount: Int, count: Int) -> [TradeRequest] {
    var rng = SplitMix64(state: 1_000)
    let venues = VenueID.allCases
    return (0..<count).map { _ in
        let coin = Int(rng.next() % UInt64(coinCount))
        let venue = venues[Int(rng.next() % UInt64(venues.count))]
        let notional = 500 * pow(400, rng.unit())
        return TradeRequest(coin: CoinIndex(coin), sector: sector(of: coin), venue: venue, notional: notional, minimumNotional: 5)
    }
}

/// One risk check of the measured loop: check (reserving), then release what was reserved and end
/// the trade when it was not blocked, so the ledger stays at its 500 open trades.
@inline(__always)
func checkAndRelease(_ ledger: RiskLedger, _ request: TradeRequest) -> RiskCheck {
    let check = ledger.checkTrade(request)
    if check.decision != .block {
        ledger.adjust(coin: request.coin, sector: request.sector, venue: request.venue, by: -check.approvedNotional)
        ledger.tradeEnded()
    }
    return check
}

/// Runs every request once (check then release) and returns the share of each decision, in
/// `RiskDecision.allCases` order; the ledger is left as it was.
func decisionShares(_ ledger: RiskLedger, _ requests: [TradeRequest]) -> [Double] {
    var counts = [Int](repeating: 0, count: RiskDecision.allCases.count)
    for request in requests {
        counts[RiskDecision.allCases.firstIndex(of: checkAndRelease(ledger, request).decision)!] += 1
    }
    return counts.map { Double($0) / Double(requests.count) }
}

// MARK: Costs, routing and ranking over 400 symbols

/// Costs of 400 symbols: spreads 0.5 to 8 bps, fee tiers, funding -3 to +3 bps per 8 hours.
func makeCoinCosts(count: Int) -> [CoinCosts] {
    var rng = SplitMix64(state: 77)
    return (0..<count).map { _ in
        var costs = CoinCosts()
        costs.spreadBps = 0.5 + rng.unit() * 7.5
        costs.makerFeeBps = [0.0, 1.0, 2.0][Int(rng.next() % 3)]
        costs.takerFeeBps = [3.5, 4.0, 5.0][Int(rng.next() % 3)]
        costs.fundingRateBps = (rng.unit() - 0.5) * 6
        costs.fundingIntervalHours = rng.unit() < 0.2 ? 4 : 8
        return costs
    }
}

/// One cost snapshot per coin per venue (index `coin * 3 + venue.index`): spreads, taker fees,
/// funding and volatility that differ by venue, so the cheapest venue varies from coin to coin.
func makeCostSnapshots(coinCount: Int, seed: UInt64) -> [CostSnapshot] {
    var rng = SplitMix64(state: seed)
    var snapshots: [CostSnapshot] = []
    for coin in 0..<coinCount {
        let volatility = 0.5 + rng.unit() * 4
        for venue in VenueID.allCases {
            snapshots.append(CostSnapshot(coin: CoinIndex(coin), venue: venue, spreadBps: 0.5 + rng.unit() * 7.5,
                                          takerFeeBps: 3.5 + rng.unit() * 2, makerFeeBps: 1, fundingRateBps: (rng.unit() - 0.5) * 6,
                                          volatilityBps: volatility * (0.9 + rng.unit() * 0.2),
                                          updatedAt: Timestamp(seconds: 1_767_225_600)))
        }
    }
    return snapshots
}

// MARK: Circuit breakers over 400 coins

/// Breakers of a 400-coin universe at `now`: no global or venue breaker tripped; ~90% of coins had
/// market data in the last 3 s, ~5% last had it 30 s ago (stale), ~2% never had any (stale), and
/// ~5% are cooling down after 4 losses in a row. `entryBlock` then answers nil for ~90% of the queries.
func makeBreakers(coinCount: Int, now: Timestamp) -> CircuitBreakers {
    let start = Timestamp(nanoseconds: now.nanoseconds - 3_600_000_000_000)
    var breakers = CircuitBreakers(settings: BreakerSettings(), coinCount: coinCount, startingEquity: 1_000_000, now: start)
    var rng = SplitMix64(state: 400)
    for coin in 0..<coinCount {
        let u = rng.unit()
        if u < 0.02 { continue }
        let age: Int64 = u < 0.07 ? 30_000_000_000 : Int64(rng.unit() * 3e9)
        breakers.recordMarketData(coin: CoinIndex(coin), at: Timestamp(nanoseconds: now.nanoseconds - age))
        if rng.unit() < 0.05 {
            for loss in 0..<4 {
                let time = Timestamp(nanoseconds: now.nanoseconds - 60_000_000_000 + Int64(loss))
                _ = breakers.recordTradeResult(coin: CoinIndex(coin), coinName: "COIN\(coin)", netPnL: -10, at: time)
            }
        }
    }
    precondition(breakers.globalState == .active)
    return breakers
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.throughput, .wallClock, .mallocCountTotal]
    // For code that may allocate (parsing, the ledger's bookkeeping): measured and reported only.
    let reportOnly = Benchmark.Configuration(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(1))
    // For code that must never allocate: any malloc in the measured loop is a regression.
    let mustNotAllocate = Benchmark.Configuration(
        metrics: metrics,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        thresholds: [.mallocCountTotal: BenchmarkThresholds(absolute: BenchmarkThresholds.Absolute.strict)]
    )
    let coinCount = 400

    // FeatureState.update + features() per market event of one coin.
    let stream = FeatureStream(events: makeEvents(count: 200_000))
    Benchmark("FeatureState.update+features", configuration: mustNotAllocate) { benchmark in
        let count = benchmark.scaledIterations.count
        stream.prepare(for: count)
        benchmark.startMeasurement()
        consume(stream.events, stream.cursor..<(stream.cursor + count), into: &stream.state)
        benchmark.stopMeasurement()
        stream.cursor += count
    }

    // LinearBaselineModel.predict on one Features value (1000 distinct warm vectors).
    let model = makeBaselineModel()
    let features = makeFeatures(from: makeEvents(count: 20_000, seed: 7), count: 1_000)
    Benchmark("LinearBaselineModel.predict", configuration: mustNotAllocate) { benchmark in
        let model = identity(model)
        for i in benchmark.scaledIterations {
            blackHole(model.predict(features[i % features.count]))
        }
    }

    // RiskLedger.checkTrade under load: 400 coins, 500 open trades (see `makeLoadedLedger`).
    // One operation = checkTrade of a pseudo-random coin/venue/notional + releasing its reservation
    // (adjust by -approved, tradeEnded) when not blocked: three lock acquisitions, state unchanged.
    // The 4096 requests rotate across samples; ~15% are blocked, ~20% throttled, the rest approved
    // (checked below). Report only: the check may allocate.
    let openTrades = 500
    let loadedLedger = makeLoadedLedger(coinCount: coinCount, openTrades: openTrades)
    let riskRequests = makeRiskRequests(coinCount: coinCount, count: inputCount)
    let shares = decisionShares(loadedLedger, riskRequests)
    precondition(shares.allSatisfy { $0 > 0.1 }, "risk benchmark: decisions not mixed: \(shares)")
    precondition(loadedLedger.snapshot().openTrades == openTrades)
    let riskCursor = Cursor()
    Benchmark("RiskLedger.checkTrade (400 coins, 500 open trades)", configuration: reportOnly) { benchmark in
        let start = riskCursor.advance(by: benchmark.scaledIterations.count)
        for i in benchmark.scaledIterations {
            blackHole(checkAndRelease(loadedLedger, riskRequests[(start &+ i) & inputMask]))
        }
    }

    // The same operation, one call per sample: p99 is the tail of single calls (plus the clock reads).
    let singleRiskCursor = Cursor()
    Benchmark(
        "RiskLedger.checkTrade (400 coins, 500 open trades, one call per sample)",
        configuration: .init(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(1), maxIterations: 1_000_000)
    ) { benchmark in
        let request = riskRequests[singleRiskCursor.advance(by: 1) & inputMask]
        blackHole(checkAndRelease(loadedLedger, request))
    }

    // CoinCosts.edgeAfterCost: one operation = the edge after cost of one symbol, rotating over
    // 400 symbols with their own spread, fees and funding; pseudo-random edge, side and symbol order.
    let coinCosts = makeCoinCosts(count: coinCount)
    let costQueries: [(coin: Int, edgeBps: Double, side: Side)] = {
        var rng = SplitMix64(state: 3)
        return (0..<inputCount).map { _ in
            (Int(rng.next() % UInt64(coinCount)), (rng.unit() - 0.5) * 60, rng.next() & 1 == 0 ? Side.buy : .sell)
        }
    }()
    let costCursor = Cursor()
    Benchmark("CoinCosts.edgeAfterCost", configuration: mustNotAllocate) { benchmark in
        let start = costCursor.advance(by: benchmark.scaledIterations.count)
        for i in benchmark.scaledIterations {
            let query = costQueries[(start &+ i) & inputMask]
            blackHole(coinCosts[query.coin].edgeAfterCost(edgeBps: query.edgeBps, side: query.side, holdingSeconds: 300))
        }
    }

    // VenueRouter.choose: one operation = choosing among one coin's 3 venue snapshots, rotating over
    // 400 coins; 1 in 8 choices has one venue blocked (breaker or exchange limit).
    let router = VenueRouter()
    let snapshots = makeCostSnapshots(coinCount: coinCount, seed: 11)
    let candidatesByCoin = (0..<coinCount).map { Array(snapshots[($0 * 3)..<($0 * 3 + 3)]) }
    let blockedPatterns: [[Bool]] = [[false, false, false], [false, false, false], [false, false, false], [false, false, false],
                                     [false, false, false], [true, false, false], [false, true, false], [false, false, true]]
    let routeQueries: [(coin: Int, blocked: Int, side: Side)] = {
        var rng = SplitMix64(state: 5)
        return (0..<inputCount).map { _ in
            (Int(rng.next() % UInt64(coinCount)), Int(rng.next() % 8), rng.next() & 1 == 0 ? Side.buy : .sell)
        }
    }()
    let routeCursor = Cursor()
    Benchmark("VenueRouter.choose", configuration: mustNotAllocate) { benchmark in
        let router = identity(router)
        let start = routeCursor.advance(by: benchmark.scaledIterations.count)
        for i in benchmark.scaledIterations {
            let query = routeQueries[(start &+ i) & inputMask]
            blackHole(router.choose(candidates: candidatesByCoin[query.coin], side: query.side, holdingSeconds: 300,
                                    blocked: blockedPatterns[query.blocked]))
        }
    }

    // CostRanker.rank: one operation = ranking 400 snapshots (one per coin, venues mixed), one call
    // per sample (a rank takes tens of µs); 16 input sets with different figures rotate.
    // Report only: it allocates its result and the sort's buffers.
    let ranker = CostRanker(holdingSeconds: 300)
    let rankInputs: [[CostSnapshot]] = (0..<16).map { set in
        let all = makeCostSnapshots(coinCount: coinCount, seed: 100 + UInt64(set))
        return (0..<coinCount).map { all[$0 * 3 + ($0 + set) % 3] }
    }
    let rankCursor = Cursor()
    Benchmark("CostRanker.rank", configuration: .init(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(1))) { benchmark in
        let input = rankInputs[rankCursor.advance(by: 1) & 15]
        blackHole(ranker.rank(input))
    }

    // CircuitBreakers.entryBlock: one operation = may a new entry open on one coin and venue, over a
    // 400-coin universe with some coins stale or cooling down (see `makeBreakers`); pseudo-random
    // coin and venue order.
    let breakerTime = Timestamp(seconds: 1_767_225_600)
    let breakers = makeBreakers(coinCount: coinCount, now: breakerTime)
    let breakerQueries: [(coin: CoinIndex, venue: VenueID)] = {
        var rng = SplitMix64(state: 9)
        return (0..<inputCount).map { _ in
            (CoinIndex(rng.next() % UInt64(coinCount)), VenueID.allCases[Int(rng.next() % 3)])
        }
    }()
    let breakerCursor = Cursor()
    Benchmark("CircuitBreakers.entryBlock", configuration: mustNotAllocate) { benchmark in
        let time = identity(breakerTime)
        let start = breakerCursor.advance(by: benchmark.scaledIterations.count)
        for i in benchmark.scaledIterations {
            let query = breakerQueries[(start &+ i) & inputMask]
            blackHole(breakers.entryBlock(coin: query.coin, venue: query.venue, at: time))
        }
    }

    // FixedDecimal: parse an exchange price string.
    let priceText = "65000.12"
    Benchmark("FixedDecimal.parse", configuration: reportOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? FixedDecimal(parsing: identity(priceText)))
        }
    }

    // FixedDecimal: price x quantity (exact, rounded half-to-even).
    let price = try! FixedDecimal(parsing: priceText)
    let quantity = try! FixedDecimal(parsing: "0.015")
    Benchmark("FixedDecimal.multiply", configuration: mustNotAllocate) { benchmark in
        let price = identity(price)
        for i in benchmark.scaledIterations {
            let q = FixedDecimal(mantissa: quantity.mantissa &+ Int128(i))
            blackHole(price * q)
        }
    }

    treeEnsembleBenchmarks(mustNotAllocate: mustNotAllocate)
}
