/// What trading one coin on one venue costs and how much it typically moves, as last measured.
/// The input of cost ranking (which coins to trade) and venue routing (where to trade them).
public struct CostSnapshot: Sendable, Hashable {
    public var coin: CoinIndex
    public var venue: VenueID
    /// Quoted spread, in bps of mid.
    public var spreadBps: Double
    public var takerFeeBps: Double
    public var makerFeeBps: Double
    /// Funding rate per 8 hours, in bps (positive: longs pay, shorts receive).
    public var fundingRateBps: Double
    /// Volatility of the mid, in bps per square root of a second.
    public var volatilityBps: Double
    /// When these figures were last refreshed (see `CostFreshness`).
    public var updatedAt: Timestamp

    /// Seconds in one funding interval: `fundingRateBps` is quoted per 8 hours.
    public static let fundingIntervalSeconds = 8.0 * 3_600

    @inlinable public init(
        coin: CoinIndex, venue: VenueID, spreadBps: Double, takerFeeBps: Double, makerFeeBps: Double,
        fundingRateBps: Double, volatilityBps: Double, updatedAt: Timestamp
    ) {
        self.coin = coin
        self.venue = venue
        self.spreadBps = spreadBps
        self.takerFeeBps = takerFeeBps
        self.makerFeeBps = makerFeeBps
        self.fundingRateBps = fundingRateBps
        self.volatilityBps = volatilityBps
        self.updatedAt = updatedAt
    }

    /// Funding over `holdingSeconds` for a long, in bps (negative: received). Shorts pay the opposite.
    @inlinable public func fundingOverBps(holdingSeconds: Double) -> Double {
        fundingRateBps * holdingSeconds / Self.fundingIntervalSeconds
    }
}
