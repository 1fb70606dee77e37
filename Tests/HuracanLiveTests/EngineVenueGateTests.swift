import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanVenues
import Logging
import Testing

/// What a real venue tells the engine besides orders: its request failures feed the venue
/// error-rate breaker, and a coin whose book is resyncing opens no trade.
struct EngineVenueGateTests {
    static func engine(coins: Int = 6, wiring: EngineWiring = EngineWiring()) throws -> Engine {
        var config = try ConfigLoader().load(path: nil)
        config.activeCoins = coins
        config.simulator.seed = 11
        return try EngineRunner.makeEngine(config: config, start: UTCDate(year: 2026, month: 1, day: 1).start, threads: 1, wiring: wiring,
                                           logger: LiveTestMarkets.logger)
    }

    @Test func failedVenueRequestsTripTheVenueBreaker() throws {
        let counters = VenueHealthCounters()
        for i in 0..<100 { counters.record(failed: i % 2 == 0) }
        var wiring = EngineWiring()
        wiring.venueHealthSources = [VenueHealthSource(venue: .binance, drain: { counters.drain() })]
        let engine = try Self.engine(wiring: wiring)
        #expect(engine.breakers.state(of: .binance) == .active)
        engine.run(until: UTCDate(year: 2026, month: 1, day: 1).start + .seconds(10), pacing: .asFastAsPossible)
        #expect(engine.breakers.state(of: .binance) == .reducing)
        #expect(engine.breakers.state(of: .okx) == .active)
        #expect(counters.drain() == (0, 0), "the engine drained the counters")
    }

    @Test func coinsWhoseBookIsOutOfSyncOpenNoTrade() throws {
        let open = try Self.engine()
        open.run(until: UTCDate(year: 2026, month: 1, day: 1).start + .seconds(3_600), pacing: .asFastAsPossible)
        #expect(open.status().totals.ordersSent > 0, "the same market trades when the books are in sync")

        var wiring = EngineWiring()
        wiring.coinGate = { _ in .bookOutOfSync }
        let gated = try Self.engine(wiring: wiring)
        gated.run(until: UTCDate(year: 2026, month: 1, day: 1).start + .seconds(3_600), pacing: .asFastAsPossible)
        #expect(gated.status().totals.ordersSent == 0)
        #expect(gated.status().totals.breakerBlocked > 0)
    }
}
