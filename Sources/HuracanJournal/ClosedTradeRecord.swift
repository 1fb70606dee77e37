import HuracanCore

/// A closed engine `Trade` as the journal stores it: trade history and per-trade performance.
/// Money and quantities are exact; trigger levels and the expected edge are the engine's Doubles.
/// It is the row, not the `Trade`: a trade also carries its working state (phase, best price,
/// reserved notional, exit retries, order count), which a stored trade no longer has, and the
/// row keeps the derived figures (average prices, gross and net P&L) as the engine computed them.
public struct ClosedTradeRecord: Sendable, Hashable {
    public var tradeID: UInt64
    public var coin: String
    public var venue: VenueID
    public var style: TradeStyle
    public var side: Side
    public var entryReason: String
    public var signalTime: Timestamp
    public var expectedEdgeBps: Double
    public var quantity: Quantity
    public var entryNotional: Money
    public var averageEntryPrice: Price?
    public var exitQuantity: Quantity
    public var exitNotional: Money
    public var averageExitPrice: Price?
    public var grossPnL: Money
    public var fees: Money
    public var funding: Money
    public var netPnL: Money
    public var openedAt: Timestamp
    public var closedAt: Timestamp?
    public var exitReason: ExitReason?
    public var takeProfit: Double
    public var stopLoss: Double

    public init(tradeID: UInt64, coin: String, venue: VenueID, style: TradeStyle, side: Side, entryReason: String, signalTime: Timestamp,
                expectedEdgeBps: Double, quantity: Quantity, entryNotional: Money, averageEntryPrice: Price?, exitQuantity: Quantity,
                exitNotional: Money, averageExitPrice: Price?, grossPnL: Money, fees: Money, funding: Money, netPnL: Money,
                openedAt: Timestamp, closedAt: Timestamp?, exitReason: ExitReason?, takeProfit: Double, stopLoss: Double) {
        self.tradeID = tradeID
        self.coin = coin
        self.venue = venue
        self.style = style
        self.side = side
        self.entryReason = entryReason
        self.signalTime = signalTime
        self.expectedEdgeBps = expectedEdgeBps
        self.quantity = quantity
        self.entryNotional = entryNotional
        self.averageEntryPrice = averageEntryPrice
        self.exitQuantity = exitQuantity
        self.exitNotional = exitNotional
        self.averageExitPrice = averageExitPrice
        self.grossPnL = grossPnL
        self.fees = fees
        self.funding = funding
        self.netPnL = netPnL
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.exitReason = exitReason
        self.takeProfit = takeProfit
        self.stopLoss = stopLoss
    }

    /// The record of `trade` (its derived prices and P&L computed once, as the engine computes them).
    public init(_ trade: Trade) {
        self.init(tradeID: trade.id, coin: trade.coin, venue: trade.venue, style: trade.style, side: trade.side, entryReason: trade.entryReason,
                  signalTime: trade.signalTime, expectedEdgeBps: trade.expectedEdgeBps, quantity: trade.quantity, entryNotional: trade.entryNotional,
                  averageEntryPrice: trade.averageEntryPrice, exitQuantity: trade.exitQuantity, exitNotional: trade.exitNotional,
                  averageExitPrice: trade.averageExitPrice, grossPnL: trade.grossPnL, fees: trade.fees, funding: trade.funding, netPnL: trade.netPnL,
                  openedAt: trade.openedAt, closedAt: trade.closedAt, exitReason: trade.exitReason, takeProfit: trade.takeProfit, stopLoss: trade.stopLoss)
    }
}
