import HuracanCore

/// An order as a fake venue keeps it (quantities in base units).
public struct FakeOrder: Sendable, Hashable {
    public var clientOrderID: String
    public var orderID: Int64
    public var symbol: String
    public var side: Side
    public var type: OrderType
    public var timeInForce: TimeInForce
    public var quantity: FixedDecimal
    public var price: FixedDecimal?
    public var reduceOnly: Bool
    public var filled: FixedDecimal = .zero
    public var filledNotional: FixedDecimal = .zero
    public var fees: FixedDecimal = .zero
    public var status: OrderStatus = .acknowledged
    /// The venue removed the order itself (IOC remainder, post-only that would take).
    public var removedByVenue = false
    public var postOnlyWouldTake = false
    public var createdAt: Int64
    public var updatedAt: Int64

    public var isOpen: Bool { status.isWorking }
    public var remaining: FixedDecimal { quantity - filled }
    public var averagePrice: FixedDecimal { filled.isZero ? .zero : filledNotional / filled }
}

/// One execution of a fake venue (quantities in base units, fee positive when paid).
public struct FakeFill: Sendable, Hashable {
    public var tradeID: Int64
    public var orderID: Int64
    public var clientOrderID: String
    public var symbol: String
    public var side: Side
    public var price: FixedDecimal
    public var quantity: FixedDecimal
    public var fee: FixedDecimal
    public var isMaker: Bool
    public var time: Int64
}

/// A net (one-way mode) position.
public struct FakePosition: Sendable, Hashable {
    public var quantity: FixedDecimal = .zero
    public var entryPrice: FixedDecimal = .zero
}

/// What changed in the account, for the private streams.
enum FakeAccountEvent: Sendable {
    case order(FakeOrder, fill: FakeFill?)
    case position(symbol: String, FakePosition)
    case balance(FixedDecimal)
}

/// The matching core of a fake venue: one account, limit/market/post-only/IOC/reduce-only orders
/// against the synthetic books, partial fills, positions, balance and fills history.
struct FakeAccount: Sendable {
    var orders: [String: FakeOrder] = [:]
    var fills: [FakeFill] = []
    var positions: [String: FakePosition] = [:]
    var balance: FixedDecimal = 100_000
    var nextOrderID: Int64 = 7_000_000
    var nextTradeID: Int64 = 900_000
    var makerFee = FixedDecimal(units: 2, exponent: 4)
    var takerFee = FixedDecimal(units: 5, exponent: 4)
    /// New-order requests received per client order id (duplicates included), for tests.
    var submissions: [String: Int] = [:]
    var events: [FakeAccountEvent] = []

    enum Refusal: Error, Sendable { case duplicate, reduceOnlyWouldIncrease, invalid(String), notFound, alreadyFinal }

    /// Places an order; fills what crosses `book` at once (in two executions with `partial`).
    mutating func place(clientOrderID: String, symbol: String, side: Side, type: OrderType, timeInForce: TimeInForce,
                        quantity: FixedDecimal, price: FixedDecimal?, reduceOnly: Bool, book: FakeBook, partial: Bool, now: Int64) -> Result<FakeOrder, Refusal> {
        submissions[clientOrderID, default: 0] += 1
        guard orders[clientOrderID] == nil else { return .failure(.duplicate) }
        guard quantity.isPositive else { return .failure(.invalid("quantity must be positive")) }
        if type == .limit, price == nil { return .failure(.invalid("limit order without price")) }
        if reduceOnly {
            let position = positions[symbol]?.quantity ?? .zero
            let reduces = side == .buy ? position.isNegative && quantity <= position.magnitude : position.isPositive && quantity <= position
            guard reduces else { return .failure(.reduceOnlyWouldIncrease) }
        }
        nextOrderID += 1
        var order = FakeOrder(clientOrderID: clientOrderID, orderID: nextOrderID, symbol: symbol, side: side, type: type, timeInForce: timeInForce,
                              quantity: quantity, price: price, reduceOnly: reduceOnly, createdAt: now, updatedAt: now)
        let touch = side == .buy ? book.bestAsk : book.bestBid
        let crosses = type == .market || (side == .buy ? price! >= touch : price! <= touch)
        events.append(.order(order, fill: nil))
        if crosses, timeInForce == .postOnly {
            order.status = .expired
            order.removedByVenue = true
            order.postOnlyWouldTake = true
            orders[clientOrderID] = order
            events.append(.order(order, fill: nil))
            return .success(order)
        }
        if crosses {
            let contract = book.instrument.contractValue
            let lot = book.instrument.lotSize * contract
            let half = partial ? (quantity / 2).rounded(toMultipleOf: lot, .down) : .zero
            if half.isPositive, half < quantity {
                execute(&order, quantity: half, price: touch, isMaker: false, now: now)
                execute(&order, quantity: quantity - half, price: touch, isMaker: false, now: now)
            } else {
                execute(&order, quantity: quantity, price: touch, isMaker: false, now: now)
            }
        } else if type == .limit, timeInForce == .ioc {
            order.status = .expired
            order.removedByVenue = true
            events.append(.order(order, fill: nil))
        }
        orders[clientOrderID] = order
        return .success(order)
    }

    mutating func cancel(clientOrderID: String, now: Int64) -> Result<FakeOrder, Refusal> {
        guard var order = orders[clientOrderID] else { return .failure(.notFound) }
        guard order.isOpen else { return .failure(.alreadyFinal) }
        order.status = .cancelled
        order.updatedAt = now
        orders[clientOrderID] = order
        events.append(.order(order, fill: nil))
        return .success(order)
    }

    mutating func amend(clientOrderID: String, quantity: FixedDecimal?, price: FixedDecimal?, now: Int64) -> Result<FakeOrder, Refusal> {
        guard var order = orders[clientOrderID] else { return .failure(.notFound) }
        guard order.isOpen, order.type == .limit else { return .failure(.alreadyFinal) }
        if let quantity {
            guard quantity > order.filled else { return .failure(.invalid("new quantity must exceed the filled quantity")) }
            order.quantity = quantity
        }
        if let price { order.price = price }
        order.updatedAt = now
        orders[clientOrderID] = order
        events.append(.order(order, fill: nil))
        return .success(order)
    }

    /// Resting orders the new book crosses fill as makers at their own price.
    mutating func matchResting(symbol: String, book: FakeBook, now: Int64) {
        for (id, order) in orders where order.symbol == symbol && order.isOpen && order.type == .limit {
            guard let price = order.price else { continue }
            let crossed = order.side == .buy ? price >= book.bestAsk : price <= book.bestBid
            guard crossed else { continue }
            var updated = order
            execute(&updated, quantity: order.remaining, price: price, isMaker: true, now: now)
            orders[id] = updated
        }
    }

    private mutating func execute(_ order: inout FakeOrder, quantity: FixedDecimal, price: FixedDecimal, isMaker: Bool, now: Int64) {
        nextTradeID += 1
        let fee = (price * quantity * (isMaker ? makerFee : takerFee)).rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 8), .nearest)
        let fill = FakeFill(tradeID: nextTradeID, orderID: order.orderID, clientOrderID: order.clientOrderID, symbol: order.symbol, side: order.side,
                            price: price, quantity: quantity, fee: fee, isMaker: isMaker, time: now)
        fills.append(fill)
        order.filled += quantity
        order.filledNotional += price * quantity
        order.fees += fee
        order.status = order.filled >= order.quantity ? .filled : .partiallyFilled
        order.updatedAt = now
        events.append(.order(order, fill: fill))
        var position = positions[order.symbol] ?? FakePosition()
        let signed = order.side == .buy ? quantity : -quantity
        let before = position.quantity
        let after = before + signed
        if before.isZero || before.signum == signed.signum {
            let notional = position.entryPrice * before.magnitude + price * quantity
            position.entryPrice = after.isZero ? .zero : notional / after.magnitude
        } else {
            let closed = min(quantity, before.magnitude)
            let pnl = (price - position.entryPrice) * closed * before.signum
            balance += pnl
            if after.signum == signed.signum { position.entryPrice = price }
            if after.isZero { position.entryPrice = .zero }
        }
        position.quantity = after
        balance -= fee
        positions[order.symbol] = position
        events.append(.position(symbol: order.symbol, position))
        events.append(.balance(balance))
    }
}
