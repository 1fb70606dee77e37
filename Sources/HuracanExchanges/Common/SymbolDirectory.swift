import HuracanCore

/// Maps a venue's native symbols to the engine's coin names and order units: the contract value
/// (base units per order unit; OKX sizes are in contracts) per symbol.
public struct SymbolDirectory: Sendable {
    public struct Entry: Sendable, Hashable {
        public var coin: String
        public var contractValue: FixedDecimal
        public init(coin: String, contractValue: FixedDecimal) {
            self.coin = coin
            self.contractValue = contractValue
        }
    }

    public let venue: VenueID
    private var bySymbol: [String: Entry]
    private var byCoin: [String: String]

    public init(venue: VenueID, entries: [String: Entry] = [:]) {
        self.venue = venue
        self.bySymbol = entries
        self.byCoin = Dictionary(entries.map { ($0.value.coin, $0.key) }, uniquingKeysWith: { a, _ in a })
    }

    /// The universe's native symbols for `venue`, with OKX contract values from the universe.
    public init(universe: Universe, venue: VenueID) {
        var entries: [String: Entry] = [:]
        for instrument in universe.instruments {
            guard let symbol = instrument.venueSymbols[venue] else { continue }
            let value = venue == .okx ? (instrument.okxContractValue ?? 1) : 1
            entries[symbol] = Entry(coin: instrument.coin, contractValue: value)
        }
        self.init(venue: venue, entries: entries)
    }

    public mutating func add(symbol: String, coin: String, contractValue: FixedDecimal = 1) {
        bySymbol[symbol] = Entry(coin: coin, contractValue: contractValue)
        byCoin[coin] = symbol
    }

    /// Updates contract values from the venue's instrument list (the venue is authoritative).
    public mutating func update(from instruments: [VenueInstrument]) {
        for instrument in instruments where bySymbol[instrument.symbol] != nil {
            bySymbol[instrument.symbol]?.contractValue = instrument.contractValue
        }
    }

    public func entry(_ symbol: String) -> Entry? { bySymbol[symbol] }
    public func symbol(forCoin coin: String) -> String? { byCoin[coin] }
    /// The engine's coin for `symbol`, or the symbol itself when it is not in the universe.
    public func coin(_ symbol: String) -> String { bySymbol[symbol]?.coin ?? symbol }
    /// Base units per order unit; 1 where the venue sizes orders in base units.
    public func contractValue(_ symbol: String) -> FixedDecimal? {
        if let entry = bySymbol[symbol] { return entry.contractValue }
        return venue == .okx ? nil : 1
    }
    public var symbols: [String] { Array(bySymbol.keys) }
}
