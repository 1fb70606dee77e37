/// A USDT-margined linear perpetual as the engine trades it.
///
/// Prices and quantities are in the units of the reference instrument (the Binance symbol when
/// listed there, else Bybit); `multiplier` is how many base units one unit of quantity is
/// (1000 for `1000PEPEUSDT`).
public struct Instrument: Sendable, Hashable, Codable {
    /// Engine-wide coin name, the normalised base asset ("BTC", "PEPE").
    public var coin: String
    public var rank: Int
    public var sector: Sector
    /// Liquidity tier, 1 (majors) to 4 (thin).
    public var tier: Int
    public var tickSize: Price
    public var lotSize: Quantity
    public var minNotional: Money
    public var multiplier: FixedDecimal
    /// Native symbol per venue; absent when the venue does not list the coin.
    public var venueSymbols: [VenueID: String]
    /// OKX contract value (base units per contract), when listed on OKX.
    public var okxContractValue: FixedDecimal?

    public init(
        coin: String, rank: Int, sector: Sector, tier: Int, tickSize: Price, lotSize: Quantity,
        minNotional: Money, multiplier: FixedDecimal = 1, venueSymbols: [VenueID: String],
        okxContractValue: FixedDecimal? = nil
    ) {
        self.coin = coin
        self.rank = rank
        self.sector = sector
        self.tier = tier
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minNotional = minNotional
        self.multiplier = multiplier
        self.venueSymbols = venueSymbols
        self.okxContractValue = okxContractValue
    }

    public var venues: [VenueID] { VenueID.allCases.filter { venueSymbols[$0] != nil } }

    public func roundPrice(_ price: Price, _ rule: RoundingRule = .nearest) -> Price {
        price.rounded(toMultipleOf: tickSize, rule)
    }

    /// Quantities round toward zero so an order is never larger than asked.
    public func roundQuantity(_ quantity: Quantity) -> Quantity {
        quantity.rounded(toMultipleOf: lotSize, .towardZero)
    }

    /// Whether an order of `quantity` at `price` meets the venue's minimums.
    public func meetsMinimums(quantity: Quantity, price: Price) -> Bool {
        quantity.isPositive && quantity.isMultiple(of: lotSize) && (quantity * price) >= minNotional
    }
}
