/// Why a trade was opened or closed; kept with every trade for reports.
public enum ExitReason: String, Sendable, Hashable, CaseIterable, Codable {
    case takeProfit = "take_profit"
    case stopLoss = "stop_loss"
    case timeout
    case trailingStop = "trailing_stop"
    /// The coin left the active set or the engine is stopping.
    case deactivated
    /// The strategy asked to close (an `ema_cross` reversal, for one).
    case signal
}

/// One trade of one coin from entry order to exit fill. Prices for triggers are Doubles
/// (from the book); money is exact.
public struct Trade: Sendable, Hashable {
    public enum Phase: Sendable, Hashable { case entering, open, exiting, closed }

    public let id: UInt64
    public let coin: String
    public let venue: VenueID
    public let style: TradeStyle
    public let side: Side
    public let entryReason: String
    public let signalTime: Timestamp
    public let expectedEdgeBps: Double
    public internal(set) var phase: Phase = .entering
    public internal(set) var quantity: Quantity = .zero
    public internal(set) var entryNotional: Money = .zero
    public internal(set) var exitQuantity: Quantity = .zero
    public internal(set) var exitNotional: Money = .zero
    public internal(set) var fees: Money = .zero
    public internal(set) var funding: Money = .zero
    public internal(set) var openedAt: Timestamp
    public internal(set) var closedAt: Timestamp?
    public internal(set) var exitReason: ExitReason?
    /// Trigger levels, in price.
    public internal(set) var takeProfit = 0.0
    public internal(set) var stopLoss = 0.0
    public internal(set) var bestPrice = 0.0
    /// Notional reserved with the risk ledger when the entry was approved.
    public internal(set) var reservedNotional = 0.0
    /// Exit orders the venue refused in a row; each one doubles the wait before the next
    /// (`exitRetryAt`), so a venue that keeps refusing never sees an order storm.
    public internal(set) var exitRejects = 0
    public internal(set) var exitRetryAt = Timestamp.epoch
    /// Orders sent for this trade (entry and exits).
    public internal(set) var ordersSent = 0
    /// False for a trade rebuilt from a fill that arrived after its entry order was final: it
    /// holds exposure but was never counted as an approved trade slot.
    public internal(set) var holdsSlot = true
    /// Only the strategy closes this trade: the style's take-profit, stops and time-outs do not
    /// apply (`EntryIntent.strategyExits`).
    public internal(set) var strategyExits = false

    public init(id: UInt64, coin: String, venue: VenueID, style: TradeStyle, side: Side, entryReason: String,
                signalTime: Timestamp, expectedEdgeBps: Double) {
        self.id = id
        self.coin = coin
        self.venue = venue
        self.style = style
        self.side = side
        self.entryReason = entryReason
        self.signalTime = signalTime
        self.expectedEdgeBps = expectedEdgeBps
        self.openedAt = signalTime
    }

    public var averageEntryPrice: Price? { quantity.isZero ? nil : entryNotional / quantity }
    public var averageExitPrice: Price? { exitQuantity.isZero ? nil : exitNotional / exitQuantity }
    public var openQuantity: Quantity { quantity - exitQuantity }

    /// Price P&L of the closed part: (exit - entry) x quantity, signed by side.
    public var grossPnL: Money {
        guard let entry = averageEntryPrice else { return .zero }
        let pnl = exitNotional - entry * exitQuantity
        return side == .buy ? pnl : -pnl
    }

    /// Price P&L minus fees and funding.
    public var netPnL: Money { grossPnL - fees - funding }

    /// `netPnL` plus the open quantity's price P&L at `mark`: what the trade is worth now.
    public func markedNetPnL(mark: Double) -> Double {
        guard let entry = averageEntryPrice?.doubleValue else { return netPnL.doubleValue }
        let open = openQuantity.doubleValue * (mark - entry)
        return netPnL.doubleValue + (side == .buy ? open : -open)
    }
}
