/// Cash and positions of one account, and the equity they add up to.
public struct Portfolio: Sendable {
    public let startingEquity: Money
    public private(set) var positions: [PositionKey: Position] = [:]

    public struct PositionKey: Sendable, Hashable {
        public var coin: String
        public var venue: VenueID
        public init(coin: String, venue: VenueID) {
            self.coin = coin
            self.venue = venue
        }
    }

    public init(startingEquity: Money) { self.startingEquity = startingEquity }

    public func position(coin: String, venue: VenueID) -> Position? { positions[PositionKey(coin: coin, venue: venue)] }

    /// Applies a fill to its position; returns the realised price P&L.
    @discardableResult
    public mutating func apply(_ fill: Fill) -> Money {
        let key = PositionKey(coin: fill.coin, venue: fill.venue)
        var position = positions[key] ?? Position(coin: fill.coin, venue: fill.venue)
        let realized = position.apply(fill)
        positions[key] = position
        return realized
    }

    @discardableResult
    public mutating func applyFunding(coin: String, venue: VenueID, rate: FixedDecimal, markPrice: Price) -> Money {
        let key = PositionKey(coin: coin, venue: venue)
        guard var position = positions[key], !position.isFlat else { return .zero }
        let paid = position.applyFunding(rate: rate, markPrice: markPrice)
        positions[key] = position
        return paid
    }

    /// Net realised P&L over all positions (price P&L minus fees and funding).
    public var netRealizedPnL: Money { positions.values.reduce(Money.zero) { $0 + $1.netRealizedPnL } }

    /// Equity = starting equity + net realised P&L + unrealised P&L at the given marks.
    /// Positions without a mark are valued at their entry (no unrealised P&L).
    public func equity(marks: (String) -> Price?) -> Money {
        var total = startingEquity + netRealizedPnL
        for position in positions.values where !position.isFlat {
            if let mark = marks(position.coin) { total += position.unrealizedPnL(mark: mark) }
        }
        return total
    }
}
