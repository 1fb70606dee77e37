import Foundation
import HuracanCore
import HuracanSimVenue
import HuracanTestSupport

/// Shared inputs of the simulated-venue tests.
enum Fixtures {
    /// The real 400-coin universe shipped with the configuration module.
    static let universe: Universe = {
        let url = TestPaths.repository.appendingPathComponent("Sources/HuracanConfig/Resources/universe.csv")
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            return try Universe(csv: text, source: url.path)
        } catch {
            fatalError("cannot load \(url.path): \(error)")
        }
    }()

    /// 2025-01-01T00:00:00Z.
    static let start = UTCDate(year: 2025, month: 1, day: 1).start

    static func market(seed: UInt64 = 42, universe: Universe = universe, step: Int64 = 100_000_000) -> SimulatedMarket {
        SimulatedMarket(universe: universe, parameters: SimulationParameters(seed: seed, start: start, stepNanoseconds: step),
                        venues: [.binance, .okx, .bybit])
    }

    static func coin(_ name: String) -> CoinIndex {
        guard let index = universe.index(of: name) else { fatalError("no coin \(name) in the universe") }
        return index
    }

    /// A small hand-made instrument: tick 0.1, lot 0.1, min notional 5.
    static let testInstrument = Instrument(
        coin: "TEST", rank: 1, sector: .l1, tier: 1, tickSize: FixedDecimal(units: 1, exponent: 1),
        lotSize: FixedDecimal(units: 1, exponent: 1), minNotional: 5, venueSymbols: [.binance: "TESTUSDT"])

    static func decimal(_ text: String) -> FixedDecimal {
        do { return try FixedDecimal(parsing: text) } catch { fatalError("\(error)") }
    }

    static func time(ms: Int64) -> Timestamp { Timestamp(nanoseconds: start.nanoseconds + ms * 1_000_000) }
}
