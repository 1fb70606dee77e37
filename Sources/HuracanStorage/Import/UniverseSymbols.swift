import HuracanCore

/// Maps a venue's symbol to the universe's coin, with the factor that brings the venue's prices
/// into the engine's units (`Instrument.multiplier` base units per unit of quantity):
/// `1000PEPEUSDT` on Binance is PEPE at factor 1 (already per 1000 PEPE), `PEPE-USDT-SWAP` on
/// OKX is PEPE at factor 1000 (quoted per PEPE). Prices are multiplied by the factor, sizes
/// divided by it.
public struct UniverseSymbols: Sendable {
    public struct Match: Sendable, Hashable {
        public var coin: String
        public var factor: Double
        public init(coin: String, factor: Double) {
            self.coin = coin
            self.factor = factor
        }
    }

    private var bySymbol: [VenueID: [String: Match]] = [:]
    private var multipliers: [String: Double] = [:]

    public init(universe: Universe) {
        for instrument in universe.instruments {
            multipliers[instrument.coin] = instrument.multiplier.doubleValue
            for (venue, symbol) in instrument.venueSymbols {
                let factor = instrument.multiplier.doubleValue / Self.quotedUnits(symbol)
                bySymbol[venue, default: [:]][symbol.uppercased()] = Match(coin: instrument.coin, factor: factor)
            }
        }
    }

    /// The coin a venue's symbol stands for: the universe's symbol on that venue, else a coin
    /// named by the symbol's base asset (`PEPEUSDT`, `btc-perp` -> PEPE, BTC, scaled by the
    /// units the symbol quotes); nil when neither is in the universe.
    public func match(symbol: String, venue: VenueID) -> Match? {
        if let exact = bySymbol[venue]?[symbol.uppercased()] { return exact }
        let units = Self.quotedUnits(symbol)
        var base = Substring(DataImporter.coinName(symbol: symbol))
        if units > 1 { base = base.drop { $0.isNumber } }
        if units >= 1_000_000, base.hasPrefix("M") { base = base.dropFirst() }
        guard let multiplier = multipliers[String(base)] else { return nil }
        return Match(coin: String(base), factor: multiplier / units)
    }

    /// Universe symbols of `venue` that share the symbol's letters, for error messages.
    public func suggestions(for symbol: String, venue: VenueID) -> [String] {
        let letters = symbol.uppercased().filter(\.isLetter)
        return (bySymbol[venue] ?? [:]).filter { letters.count >= 3 && $0.key.filter(\.isLetter).hasPrefix(letters.prefix(4)) }
            .map { "\($0.key) (\($0.value.coin))" }.sorted()
    }

    /// Base units one quoted unit of `symbol` is: 1000 for `1000PEPEUSDT`, 1,000,000 for
    /// `1MBABYDOGEUSDT`, otherwise 1.
    static func quotedUnits(_ symbol: String) -> Double {
        let upper = symbol.uppercased()
        let digits = upper.prefix { $0.isNumber }
        guard let count = Double(digits), count >= 10 || upper.dropFirst(digits.count).hasPrefix("M") else { return 1 }
        let rest = upper.dropFirst(digits.count)
        if rest.hasPrefix("M"), rest.dropFirst().first?.isLetter == true, count >= 1 { return count * 1_000_000 }
        return count
    }
}
