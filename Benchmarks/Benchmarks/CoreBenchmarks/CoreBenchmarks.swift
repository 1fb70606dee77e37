// Micro-benchmarks of HuracanCore's hot paths (ordo-one/benchmark).
//
// Run from Benchmarks/: `swift package --disable-sandbox benchmark`.
// Each benchmark runs `scalingFactor` (1000) operations per measured iteration; results are
// shown per operation. Benchmarks whose code must not allocate carry a zero tolerance on
// `mallocCountTotal`, checked against the static thresholds in Benchmarks/Thresholds by
// `swift package --disable-sandbox benchmark thresholds check`.

import Benchmark
import HuracanCore

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

    // RiskLedger: check a trade (reserving it), release the reservation, end the trade.
    let ledger = RiskLedger(limits: RiskLimits(), equity: 1_000_000, coinCount: coinCount)
    let sectors = Sector.allCases
    let venues = VenueID.allCases
    let requests = (0..<coinCount).map { coin in
        TradeRequest(coin: CoinIndex(coin), sector: sectors[coin % sectors.count], venue: venues[coin % venues.count],
                     notional: 2_000, minimumNotional: 5)
    }
    Benchmark("RiskLedger.checkTrade+adjust+tradeEnded", configuration: reportOnly) { benchmark in
        for i in benchmark.scaledIterations {
            let request = requests[i % requests.count]
            let check = ledger.checkTrade(request)
            if check.decision != .block {
                ledger.adjust(coin: request.coin, sector: request.sector, venue: request.venue, by: -check.approvedNotional)
                ledger.tradeEnded()
            }
            blackHole(check)
        }
    }

    // CoinCosts.edgeAfterCost for varying edges and sides.
    var costs = CoinCosts()
    costs.spreadBps = 1.2
    costs.fundingRateBps = 0.8
    let frozenCosts = costs
    Benchmark("CoinCosts.edgeAfterCost", configuration: mustNotAllocate) { benchmark in
        let costs = identity(frozenCosts)
        for i in benchmark.scaledIterations {
            let edge = Double(i & 63) - 24
            blackHole(costs.edgeAfterCost(edgeBps: edge, side: i & 1 == 0 ? .buy : .sell, holdingSeconds: 300))
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
}
