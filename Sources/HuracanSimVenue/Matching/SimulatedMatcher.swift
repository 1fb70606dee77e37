import HuracanCore

/// A deterministic matching engine for one coin on one simulated venue: order latency, market
/// and limit orders against a book synthesised from the top of book, maker fills from later
/// quotes and trade prints, exact fees, and funding settlements.
///
/// One per coin, owned by one thread. Prices are handled as integer ticks and quantities as
/// integer lots inside, and become exact `FixedDecimal`s only in reports. Market events with no
/// open orders cost a few comparisons and never allocate.
///
/// Rules:
/// - Orders and cancels reach the venue `latencyNanoseconds` after they are sent, in send order.
/// - Market orders walk the synthesised book level by level (one taker `Fill` per level); what
///   is left beyond `depthLevels` is cancelled. Liquidity taken stays taken until the next quote.
/// - Limit orders crossing on arrival take liquidity up to their price; the rest rests (gtc,
///   and post-only when it does not cross) or is cancelled (ioc). Post-only that would cross is
///   rejected.
/// - A resting order fills as maker at its limit price: in full when a later quote crosses it,
///   or by min(remaining, trade size) when a trade prints strictly through its price (a print
///   at the price does not fill: the queue ahead is unknown, so the simulation stays conservative).
/// - Orders are checked like a venue does: lot and tick multiples, positive size, minimum
///   notional (except reduce-only), duplicate open client ids; refusals are `.rejected` with
///   the reason. Every accepted order gets `.accepted` first, with venue id "SIM-<coin>-<n>".
/// - Reduce-only orders are clipped to the open position (the excess is cancelled after the
///   last fill); they are rejected when the position is flat or on the same side. Resting
///   reduce-only orders shrink or are cancelled as the position shrinks.
public struct SimulatedMatcher: Sendable {
    public let instrument: Instrument
    public let venue: VenueID
    public let fees: FeeSchedule
    public let latencyNanoseconds: Int64
    public let depthLevels: Int

    let tickSize: Price
    let lotSize: Quantity
    let tickValue: Double
    let lotValue: Double

    /// The last quoted top of book.
    public internal(set) var top = BookTop(bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0)
    var hasBook = false
    // The top in ticks and lots, worked out when an order needs them, not at every quote (four
    // divisions per quote on every venue of every coin were a twentieth of a backtest).
    var bidTicks: Int64 { ticks(top.bidPrice) }
    var askTicks: Int64 { ticks(top.askPrice) }
    var bidLots: Int64 { lots(top.bidSize) }
    var askLots: Int64 { lots(top.askSize) }
    /// Lots taken from each side by taker orders since the last quote.
    var bidTakenLots: Int64 = 0
    var askTakenLots: Int64 = 0

    /// Last funding rate (per 8 hours) and mark price seen.
    public internal(set) var fundingRate: Double = 0
    public internal(set) var markPrice: Double = 0
    /// Time of the latest market event or advance.
    public internal(set) var now = Timestamp.epoch

    var pending: [PendingAction] = []
    var pendingHead = 0
    var inFlightOrders = 0
    var resting: [RestingOrder] = []
    var restingReduceOnly = 0
    var positionLots: Int64 = 0
    var orderCounter: Int64 = 0
    var tradeCounter: Int64 = 0
    let venueOrderPrefix: String
    let tradePrefix: String

    /// Fees paid by this matcher's fills (negative: rebates), and funding paid (negative: received).
    public internal(set) var feesPaid: Money = .zero
    public internal(set) var fundingPaid: Money = .zero
    /// Cash from this matcher's fills: sell notional minus buy notional. The venue's own account
    /// of the coin, kept apart from the engine's trades: once flat, `cashFlow - feesPaid -
    /// fundingPaid` is the net P&L the engine's trades must add up to.
    public internal(set) var cashFlow: Money = .zero

    public init(instrument: Instrument, venue: VenueID, fees: FeeSchedule, latencyNanoseconds: Int64, depthLevels: Int = 10) {
        precondition(latencyNanoseconds >= 0, "latency must not be negative, got \(latencyNanoseconds)")
        precondition(depthLevels >= 1, "depthLevels must be at least 1, got \(depthLevels)")
        self.instrument = instrument
        self.venue = venue
        self.fees = fees
        self.latencyNanoseconds = latencyNanoseconds
        self.depthLevels = depthLevels
        tickSize = instrument.tickSize
        lotSize = instrument.lotSize
        tickValue = instrument.tickSize.doubleValue
        lotValue = instrument.lotSize.doubleValue
        venueOrderPrefix = "SIM-\(instrument.coin)-"
        tradePrefix = "SIM-\(instrument.coin)-T"
        pending.reserveCapacity(8)
        resting.reserveCapacity(8)
    }

    /// Net position from this matcher's own fills (positive long, negative short).
    public var position: Quantity { Quantity(mantissa: lotSize.mantissa * Int128(positionLots)) }

    /// Orders not yet terminal: in flight to the venue or resting on the book.
    public var openOrderCount: Int { inFlightOrders + resting.count }

    /// Queue an order; it reaches the venue at `time + latency`.
    public mutating func submit(_ request: OrderRequest, at time: Timestamp) {
        inFlightOrders += 1
        enqueue(PendingAction(arrival: Timestamp(nanoseconds: time.nanoseconds + latencyNanoseconds), action: .submit(request)))
    }

    /// Queue a cancel; applied at `time + latency`. Nothing is reported when the order is no
    /// longer open then (already filled, cancelled, rejected or unknown).
    public mutating func cancel(clientOrderID: String, at time: Timestamp) {
        enqueue(PendingAction(arrival: Timestamp(nanoseconds: time.nanoseconds + latencyNanoseconds), action: .cancel(clientOrderID)))
    }

    /// When the next queued order or cancel reaches the venue, or nil when none is in flight.
    public var nextActionTime: Timestamp? { pendingHead < pending.count ? pending[pendingHead].arrival : nil }

    /// Process arrivals due by `time` against the current book.
    public mutating func advance(to time: Timestamp, reports: inout [VenueReport]) {
        if time > now { now = time }
        guard pendingHead < pending.count else { return }
        while pendingHead < pending.count, pending[pendingHead].arrival <= time {
            let item = pending[pendingHead]
            pendingHead += 1
            switch item.action {
            case .submit(let request):
                inFlightOrders -= 1
                arrive(request, at: item.arrival, reports: &reports)
            case .cancel(let clientOrderID):
                applyCancel(clientOrderID, at: item.arrival, reports: &reports)
            }
        }
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
    }

    /// First `advance(to: event.time)`, then update the book from the event and fill resting
    /// orders it crosses; emit `.funding` reports at settlement events when the position is not flat.
    public mutating func onMarket(_ event: MarketEvent, reports: inout [VenueReport]) {
        advance(to: event.time, reports: &reports)
        switch event.payload {
        case .book(let top):
            setBook(top)
            if !resting.isEmpty { fillRestingFromBook(at: event.time, reports: &reports) }
        case .trade(let price, let size, _):
            if !resting.isEmpty { fillRestingFromTrade(price: price, size: size, at: event.time, reports: &reports) }
        case .funding(let rate, let mark):
            fundingRate = rate
            markPrice = mark
        case .fundingSettlement(let rate, let mark):
            fundingRate = rate
            markPrice = mark
            if positionLots != 0 { settleFunding(rate: rate, mark: mark, at: event.time, reports: &reports) }
        }
    }

    /// The synthesised book: the quoted top, then levels spaced by max(tick, spread) with sizes
    /// growing with depth, less what taker orders took since the last quote.
    public func orderBook(levels: Int, time: Timestamp, coin: String) -> OrderBookSnapshot {
        var bids: [BookLevel] = [], asks: [BookLevel] = []
        if hasBook {
            for side in [Side.buy, .sell] {
                var skip = side == .buy ? askTakenLots : bidTakenLots
                var out: [BookLevel] = []
                var k = 0
                while out.count < levels, k < depthLevels {
                    let level = self.level(k, takingFrom: side)
                    k += 1
                    guard level.ticks > 0 else { break }
                    if skip >= level.lots { skip -= level.lots; continue }
                    out.append(BookLevel(price: price(ticks: level.ticks), quantity: quantity(lots: level.lots - skip)))
                    skip = 0
                }
                if side == .buy { asks = out } else { bids = out }
            }
        }
        return OrderBookSnapshot(coin: coin, venue: venue, time: time, bids: bids, asks: asks)
    }
}

/// An order or cancel on its way to the venue.
struct PendingAction: Sendable {
    enum Action: Sendable {
        case submit(OrderRequest)
        case cancel(String)
    }
    var arrival: Timestamp
    var action: Action
}

/// A limit order resting on the simulated book.
struct RestingOrder: Sendable {
    var clientOrderID: String
    var side: Side
    var priceTicks: Int64
    var remainingLots: Int64
    var reduceOnly: Bool
    /// Whether part of the order was clipped away (reduce-only): cancel the rest after the last fill.
    var clipped: Bool
}
