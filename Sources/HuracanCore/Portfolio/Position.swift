/// A net position in one coin on one venue, with exact accounting.
///
/// `quantity` is signed (long > 0, short < 0). `costBasis` is the signed entry notional of the
/// open quantity, so the average entry price is exact to 18 digits and partial closes release a
/// proportional share of it. Realised P&L is price P&L only; fees and funding are kept apart so
/// a report can show each.
public struct Position: Sendable, Hashable, Codable {
    public let coin: String
    public let venue: VenueID
    public private(set) var quantity: Quantity = .zero
    public private(set) var costBasis: Money = .zero
    public private(set) var realizedPnL: Money = .zero
    public private(set) var feesPaid: Money = .zero
    /// Funding paid (positive) or received (negative).
    public private(set) var fundingPaid: Money = .zero

    public init(coin: String, venue: VenueID) {
        self.coin = coin
        self.venue = venue
    }

    public var isFlat: Bool { quantity.isZero }
    public var isLong: Bool { quantity.isPositive }
    public var isShort: Bool { quantity.isNegative }

    /// Average entry price of the open quantity; nil when flat.
    public var averageEntryPrice: Price? { quantity.isZero ? nil : costBasis / quantity }

    /// Price P&L of the open quantity at `mark`.
    public func unrealizedPnL(mark: Price) -> Money { quantity * mark - costBasis }

    /// Realised price P&L minus fees and funding.
    public var netRealizedPnL: Money { realizedPnL - feesPaid - fundingPaid }

    /// Absolute notional at `mark`, for exposure.
    public func notional(mark: Price) -> Money { (quantity * mark).magnitude }

    /// Applies a fill and returns the price P&L it realised (zero when it only adds).
    /// A fill larger than the open position closes it and opens the rest the other way.
    @discardableResult
    public mutating func apply(_ fill: Fill) -> Money {
        feesPaid += fill.fee
        let signed = fill.side == .buy ? fill.quantity : -fill.quantity
        if quantity.isZero || quantity.signum == signed.signum {
            quantity += signed
            costBasis += signed * fill.price
            return .zero
        }
        let closing = min(signed.magnitude, quantity.magnitude)
        // The share of cost basis that leaves with the closed quantity.
        let releasedBasis = closing == quantity.magnitude ? costBasis : costBasis * closing / quantity.magnitude
        let closedSigned = quantity.isPositive ? closing : -closing
        let realized = closedSigned * fill.price - releasedBasis
        realizedPnL += realized
        costBasis -= releasedBasis
        quantity -= closedSigned
        let rest = signed.magnitude - closing
        if rest.isPositive {
            let opened = signed.isPositive ? rest : -rest
            quantity = opened
            costBasis = opened * fill.price
        }
        return realized
    }

    /// Settles one funding interval: longs pay `rate x notional` when the rate is positive,
    /// shorts receive it. Returns the amount paid (negative when received).
    @discardableResult
    public mutating func applyFunding(rate: FixedDecimal, markPrice: Price) -> Money {
        let payment = quantity * markPrice * rate
        fundingPaid += payment
        return payment
    }
}
