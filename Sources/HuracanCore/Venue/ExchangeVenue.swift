/// The exchange abstraction of the spec (section 6): order book, orders, fees, funding, and the
/// account's reports. The simulated venue and the Binance, OKX and Bybit adapters implement it.
public protocol ExchangeVenue: Sendable {
    var venue: VenueID { get }
    func orderBook(coin: String) async throws -> OrderBookSnapshot
    func placeOrder(_ request: OrderRequest) async throws
    func cancelOrder(clientOrderID: String, coin: String) async throws
    func fees(coin: String) async throws -> FeeSchedule
    func funding(coin: String) async throws -> FundingInfo
    /// Order acknowledgements, fills, cancels and funding settlements, in venue order.
    func reports() -> AsyncStream<VenueReport>
}

/// Default fee schedules (regular tier) that the simulated venue imitates.
public enum VenueFeeProfiles {
    public static func standard(_ venue: VenueID) -> FeeSchedule {
        switch venue {
        case .binance: FeeSchedule(maker: FixedDecimal(units: 2, exponent: 4), taker: FixedDecimal(units: 5, exponent: 4))
        case .okx: FeeSchedule(maker: FixedDecimal(units: 2, exponent: 4), taker: FixedDecimal(units: 5, exponent: 4))
        case .bybit: FeeSchedule(maker: FixedDecimal(units: 2, exponent: 4), taker: FixedDecimal(units: 55, exponent: 5))
        }
    }
}
