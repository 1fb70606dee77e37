/// Order type as sent to a venue.
public enum OrderType: String, Sendable, Hashable, Codable { case market, limit }

/// How long an order may rest.
public enum TimeInForce: String, Sendable, Hashable, Codable {
    /// Good till cancelled.
    case gtc
    /// Immediate or cancel: whatever does not fill at once is cancelled.
    case ioc
    /// Post-only: rejected if it would take liquidity.
    case postOnly
}

/// What a strategy asks to trade, before a venue has seen it.
public struct OrderRequest: Sendable, Hashable, Codable {
    public var clientOrderID: String
    public var coin: String
    public var venue: VenueID
    public var side: Side
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var quantity: Quantity
    /// Limit price; nil for market orders.
    public var price: Price?
    /// Only reduces an existing position; never blocked by risk limits.
    public var reduceOnly: Bool

    public init(
        clientOrderID: String, coin: String, venue: VenueID, side: Side, type: OrderType,
        timeInForce: TimeInForce = .gtc, quantity: Quantity, price: Price? = nil, reduceOnly: Bool = false
    ) {
        self.clientOrderID = clientOrderID
        self.coin = coin
        self.venue = venue
        self.side = side
        self.type = type
        self.timeInForce = timeInForce
        self.quantity = quantity
        self.price = price
        self.reduceOnly = reduceOnly
    }

    /// Checks the request against the instrument before it leaves the engine.
    public func validate(for instrument: Instrument) throws(OrderError) {
        func bad(_ reason: String) -> OrderError { .invalid(clientOrderID: clientOrderID, reason: reason) }
        guard !clientOrderID.isEmpty, clientOrderID.utf8.count <= 36 else { throw bad("client order id must be 1 to 36 characters") }
        guard quantity.isPositive else { throw bad("quantity must be positive, got \(quantity)") }
        guard quantity.isMultiple(of: instrument.lotSize) else { throw bad("quantity \(quantity) is not a multiple of the lot size \(instrument.lotSize)") }
        switch type {
        case .market:
            guard price == nil else { throw bad("market orders take no price") }
            guard timeInForce != .postOnly else { throw bad("a market order cannot be post-only") }
        case .limit:
            guard let price, price.isPositive else { throw bad("limit orders need a positive price") }
            guard price.isMultiple(of: instrument.tickSize) else { throw bad("price \(price) is not a multiple of the tick size \(instrument.tickSize)") }
            if !reduceOnly, quantity * price < instrument.minNotional {
                throw bad("notional \(quantity * price) is below the minimum \(instrument.minNotional)")
            }
        }
    }
}

/// An order and everything known about it; changes only through the state machine.
public struct Order: Sendable, Hashable, Codable {
    public let request: OrderRequest
    public private(set) var status: OrderStatus = .new
    public private(set) var venueOrderID: String?
    public private(set) var filledQuantity: Quantity = .zero
    /// Sum of price x quantity over fills, for the average fill price.
    public private(set) var filledNotional: Money = .zero
    public private(set) var feesPaid: Money = .zero
    public private(set) var rejectReason: String?
    public let createdAt: Timestamp
    public private(set) var updatedAt: Timestamp

    public init(request: OrderRequest, createdAt: Timestamp) {
        self.request = request
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    public var clientOrderID: String { request.clientOrderID }
    public var remainingQuantity: Quantity { request.quantity - filledQuantity }
    public var averageFillPrice: Price? { filledQuantity.isZero ? nil : filledNotional / filledQuantity }

    private mutating func move(to next: OrderStatus, at time: Timestamp) throws(OrderError) {
        guard status.canTransition(to: next) else {
            throw .illegalTransition(clientOrderID: clientOrderID, from: status, to: next)
        }
        status = next
        updatedAt = time
    }

    /// The venue accepted the order. An acknowledgement that arrives after a fill (venues send
    /// them on different streams) only records the venue's order id.
    public mutating func acknowledge(venueOrderID: String, at time: Timestamp) throws(OrderError) {
        if status == .partiallyFilled || status == .filled, self.venueOrderID == nil {
            self.venueOrderID = venueOrderID
            return
        }
        try move(to: .acknowledged, at: time)
        self.venueOrderID = venueOrderID
    }

    public mutating func reject(reason: String, at time: Timestamp) throws(OrderError) {
        try move(to: .rejected, at: time)
        rejectReason = reason
    }

    /// The send timed out: the venue may or may not have the order (find it, never resend).
    public mutating func markUnknown(at time: Timestamp) throws(OrderError) { try move(to: .unknown, at: time) }

    public mutating func cancel(at time: Timestamp) throws(OrderError) { try move(to: .cancelled, at: time) }

    public mutating func expire(at time: Timestamp) throws(OrderError) { try move(to: .expired, at: time) }

    /// Applies a fill; the order becomes partially filled or filled. Over-fills are refused.
    public mutating func apply(_ fill: Fill) throws(OrderError) {
        guard fill.clientOrderID == clientOrderID else {
            throw .wrongOrder(clientOrderID: clientOrderID, fillFor: fill.clientOrderID)
        }
        guard fill.quantity.isPositive else {
            throw .invalid(clientOrderID: clientOrderID, reason: "fill quantity must be positive, got \(fill.quantity)")
        }
        let total = filledQuantity + fill.quantity
        guard total <= request.quantity else {
            throw .overfill(clientOrderID: clientOrderID, ordered: request.quantity, filled: total)
        }
        try move(to: total == request.quantity ? .filled : .partiallyFilled, at: fill.time)
        filledQuantity = total
        filledNotional += fill.price * fill.quantity
        feesPaid += fill.fee
    }
}
