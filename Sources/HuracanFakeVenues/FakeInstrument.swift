import HuracanCore

/// One contract a fake venue lists: native symbol, sizes in the venue's order unit (contracts on
/// OKX), contract value and the price its synthetic market starts from.
public struct FakeInstrument: Sendable, Hashable {
    public var coin: String
    public var symbol: String
    public var tickSize: FixedDecimal
    /// Order size step in the venue's order unit (OKX: contracts).
    public var lotSize: FixedDecimal
    public var minNotional: FixedDecimal
    /// Base units per order unit (OKX `ctVal`; 1 elsewhere).
    public var contractValue: FixedDecimal
    public var startPrice: FixedDecimal
    public var isTrading: Bool

    public init(coin: String, symbol: String, tickSize: FixedDecimal, lotSize: FixedDecimal, minNotional: FixedDecimal = 5,
                contractValue: FixedDecimal = 1, startPrice: FixedDecimal, isTrading: Bool = true) {
        self.coin = coin
        self.symbol = symbol
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minNotional = minNotional
        self.contractValue = contractValue
        self.startPrice = startPrice
        self.isTrading = isTrading
    }

    /// Lot size in base units.
    public var baseLotSize: FixedDecimal { lotSize * contractValue }

    /// The universe's coins as `venue` lists them (same tick and lot as the universe; OKX lots of
    /// one contract), starting at `prices[coin]` or 100 ticks-worth of a round price.
    public static func fromUniverse(_ universe: Universe, venue: VenueID, prices: [String: FixedDecimal] = [:]) -> [FakeInstrument] {
        universe.instruments.compactMap { instrument in
            guard let symbol = instrument.venueSymbols[venue] else { return nil }
            let price = prices[instrument.coin] ?? defaultPrices[instrument.coin] ?? instrument.tickSize * 10_000
            if venue == .okx {
                let value = instrument.okxContractValue ?? 1
                return FakeInstrument(coin: instrument.coin, symbol: symbol, tickSize: instrument.tickSize, lotSize: 1, minNotional: 0,
                                      contractValue: value, startPrice: price)
            }
            return FakeInstrument(coin: instrument.coin, symbol: symbol, tickSize: instrument.tickSize, lotSize: instrument.lotSize,
                                  minNotional: instrument.minNotional, startPrice: price)
        }
    }

    static let defaultPrices: [String: FixedDecimal] = [
        "BTC": 90_000, "ETH": 3_000, "SOL": 150, "XRP": FixedDecimal(units: 22_000, exponent: 4), "DOGE": FixedDecimal(units: 35_000, exponent: 5),
        "BNB": 600, "SUI": 4, "ADA": 1, "LINK": 20, "AVAX": 35,
    ]
}
