import Testing
import HuracanCore
import HuracanSimVenue

/// A coin's events depend only on (seed, coin, step sequence).
@Suite struct SimulatedMarketDeterminismTests {
    static let coins: [CoinIndex] = [0, 1, 4, 11, 57, 203, 399]

    /// Events of `coins` over `steps`, generated coin after coin.
    func generate(_ market: SimulatedMarket, coins: [CoinIndex], steps: Range<Int64>) -> [CoinIndex: [MarketEvent]] {
        var out: [CoinIndex: [MarketEvent]] = [:]
        for coin in coins {
            var state = market.makeCoin(coin)
            var events: [MarketEvent] = []
            for step in steps { market.generate(step: step, coin: &state, into: &events) }
            out[coin] = events
        }
        return out
    }

    @Test func sameSeedGivesIdenticalEvents() {
        let a = generate(Fixtures.market(seed: 7), coins: Self.coins, steps: 0..<3_000)
        let b = generate(Fixtures.market(seed: 7), coins: Self.coins, steps: 0..<3_000)
        #expect(a == b)
        #expect(a.values.allSatisfy { $0.count > 10 })
    }

    @Test func differentSeedGivesDifferentEvents() {
        let a = generate(Fixtures.market(seed: 7), coins: Self.coins, steps: 0..<1_000)
        let b = generate(Fixtures.market(seed: 8), coins: Self.coins, steps: 0..<1_000)
        for coin in Self.coins { #expect(a[coin] != b[coin]) }
    }

    @Test func orderSubsetAndInterleavingDoNotMatter() {
        let market = Fixtures.market(seed: 99)
        let alone = generate(market, coins: Self.coins, steps: 0..<2_000)

        // Interleaved step by step, coins in reverse order, on several tasks at once.
        var states = Self.coins.reversed().map { market.makeCoin($0) }
        var interleaved: [CoinIndex: [MarketEvent]] = [:]
        var scratch: [MarketEvent] = []
        for step in Int64(0)..<2_000 {
            for i in states.indices {
                scratch.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &states[i], into: &scratch)
                interleaved[states[i].index, default: []].append(contentsOf: scratch)
            }
        }
        #expect(interleaved == alone)

        // A subset, with a market built from the same parameters.
        let subset = generate(Fixtures.market(seed: 99), coins: [203, 1], steps: 0..<2_000)
        #expect(subset[203] == alone[203] && subset[1] == alone[1])
    }

    @Test func concurrentGenerationMatchesSequential() async {
        let market = Fixtures.market(seed: 5)
        let sequential = generate(market, coins: Self.coins, steps: 0..<1_500)
        let parallel = await withTaskGroup(of: (CoinIndex, [MarketEvent]).self) { group in
            for coin in Self.coins {
                group.addTask {
                    var state = market.makeCoin(coin)
                    var events: [MarketEvent] = []
                    for step in Int64(0)..<1_500 { market.generate(step: step, coin: &state, into: &events) }
                    return (coin, events)
                }
            }
            var out: [CoinIndex: [MarketEvent]] = [:]
            for await (coin, events) in group { out[coin] = events }
            return out
        }
        #expect(parallel == sequential)
    }

    @Test func eventsAreInTimeOrderInsideTheirStepWindow() {
        let market = Fixtures.market(seed: 3)
        let dt = market.parameters.stepNanoseconds
        for coin in Self.coins {
            var state = market.makeCoin(coin)
            var events: [MarketEvent] = []
            var last = Int64.min
            for step in Int64(0)..<3_000 {
                events.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &state, into: &events)
                let windowStart = market.parameters.start.nanoseconds + step * dt
                for event in events {
                    #expect(event.time.nanoseconds >= windowStart && event.time.nanoseconds < windowStart + dt)
                    #expect(event.time.nanoseconds >= last)
                    #expect(event.coin == coin && event.venue == market.venue(of: coin))
                    last = event.time.nanoseconds
                }
            }
        }
    }

    @Test func skippingStepsCatchesUpThePricePath() {
        let market = Fixtures.market(seed: 11)
        for coin in Self.coins {
            var full = market.makeCoin(coin)
            var skipping = market.makeCoin(coin)
            var events: [MarketEvent] = []
            for step in Int64(0)..<5_000 { market.generate(step: step, coin: &full, into: &events) }
            events.removeAll()
            market.generate(step: 0, coin: &skipping, into: &events)
            market.generate(step: 4_999, coin: &skipping, into: &events)
            #expect(skipping.mid == full.mid)
            #expect(skipping.fundingRate == full.fundingRate)
            #expect(skipping.alpha == full.alpha)
            #expect(events.allSatisfy { $0.time >= market.parameters.stepStart(0) })
        }
    }

    @Test func longSkipsLeapAheadCheaply() {
        let market = Fixtures.market(seed: 12)
        var coin = market.makeCoin(0)
        var events: [MarketEvent] = []
        let weekLater: Int64 = 7 * 864_000
        market.generate(step: weekLater, coin: &coin, into: &events)
        market.generate(step: weekLater + 1, coin: &coin, into: &events)
        #expect(coin.mid > 0 && coin.mid.isFinite)
        #expect(abs(coin.fundingRate) <= 0.0075)
        let windowStart = market.parameters.stepStart(weekLater)
        #expect(events.allSatisfy { $0.time >= windowStart })
    }

    @Test func venueOfACoinIsTheFirstListedVenue() {
        let universe = Universe(instruments: [
            Instrument(coin: "AAA", rank: 1, sector: .l1, tier: 1, tickSize: 1, lotSize: 1, minNotional: 5,
                       venueSymbols: [.bybit: "AAAUSDT"]),
            Instrument(coin: "BBB", rank: 2, sector: .l1, tier: 1, tickSize: 1, lotSize: 1, minNotional: 5,
                       venueSymbols: [.okx: "BBB-USDT-SWAP", .bybit: "BBBUSDT"]),
        ])
        let market = SimulatedMarket(universe: universe, parameters: SimulationParameters(seed: 1, start: Fixtures.start),
                                     venues: [.okx, .binance])
        #expect(market.venue(of: 0) == .okx)  // not listed on okx or binance: fallback
        #expect(market.venue(of: 1) == .okx)
        let binanceFirst = SimulatedMarket(universe: universe, parameters: SimulationParameters(seed: 1, start: Fixtures.start),
                                           venues: [.binance, .bybit])
        #expect(binanceFirst.venue(of: 0) == .bybit)
    }
}
