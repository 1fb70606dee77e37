/// Whether a fill added liquidity (maker) or took it (taker); fees differ.
public enum Liquidity: String, Sendable, Hashable, Codable { case maker, taker }

/// One execution of (part of) an order.
public struct Fill: Sendable, Hashable, Codable {
    public var clientOrderID: String
    public var tradeID: String
    public var coin: String
    public var venue: VenueID
    public var side: Side
    public var price: Price
    public var quantity: Quantity
    /// Fee in quote currency; positive is paid, negative is a rebate.
    public var fee: Money
    public var liquidity: Liquidity
    public var time: Timestamp

    public init(
        clientOrderID: String, tradeID: String, coin: String, venue: VenueID, side: Side, price: Price,
        quantity: Quantity, fee: Money, liquidity: Liquidity, time: Timestamp
    ) {
        self.clientOrderID = clientOrderID
        self.tradeID = tradeID
        self.coin = coin
        self.venue = venue
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.liquidity = liquidity
        self.time = time
    }

    public var notional: Money { price * quantity }
}
