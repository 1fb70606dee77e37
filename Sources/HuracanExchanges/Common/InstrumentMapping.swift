import HuracanCore

/// Checks the universe's native symbols against a venue's instrument list (run at start and by
/// `venues check`): every symbol must exist, trade, be a USDT linear perpetual, and have tick and
/// lot sizes the universe's own sizes are multiples of (so orders rounded by the engine are valid).
public enum InstrumentMapping {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var coin: String
        public var symbol: String
        public var venue: VenueID
        public var reason: String
        public var description: String { "\(venue) \(symbol) (\(coin)): \(reason)" }
    }

    public static func check(universe: Universe, venue: VenueID, instruments: [VenueInstrument]) -> [Problem] {
        let bySymbol = Dictionary(instruments.map { ($0.symbol, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [Problem] = []
        for instrument in universe.instruments {
            guard let symbol = instrument.venueSymbols[venue] else { continue }
            func problem(_ reason: String) { problems.append(Problem(coin: instrument.coin, symbol: symbol, venue: venue, reason: reason)) }
            guard let listed = bySymbol[symbol] else { problem("not listed by the venue"); continue }
            if listed.status != .trading { problem("status \(listed.venueStatus), not trading") }
            if !listed.isLinearPerpetual { problem("not a USDT-margined linear perpetual") }
            if !instrument.tickSize.isMultiple(of: listed.tickSize) {
                problem("universe tick \(instrument.tickSize) is not a multiple of the venue tick \(listed.tickSize)")
            }
            let venueLot = listed.baseLotSize
            if venueLot.isPositive, !instrument.lotSize.isMultiple(of: venueLot) {
                problem("universe lot \(instrument.lotSize) is not a multiple of the venue lot \(venueLot) (base units)")
            }
            if venue == .okx, let value = instrument.okxContractValue, value != listed.contractValue {
                problem("universe contract value \(value) differs from the venue's \(listed.contractValue)")
            }
        }
        return problems
    }
}
