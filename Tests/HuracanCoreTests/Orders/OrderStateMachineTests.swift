import HuracanCore
import Testing

private func d(_ text: String) -> FixedDecimal {
    do { return try FixedDecimal(parsing: text) } catch { fatalError("bad fixture \(text): \(error)") }
}

private let t0 = Timestamp(milliseconds: 1_795_614_508_000)

/// BTC as the universe lists it: tick 0.1, lot 0.001, minimum notional 50.
private let btc = Instrument(
    coin: "BTC", rank: 1, sector: .l1, tier: 1, tickSize: d("0.1"), lotSize: d("0.001"), minNotional: 50,
    venueSymbols: [.binance: "BTCUSDT", .okx: "BTC-USDT-SWAP", .bybit: "BTCUSDT"], okxContractValue: d("0.01")
)

private func limitRequest(id: String = "ord-1", side: Side = .buy, quantity: String = "1", price: String = "65000.1") -> OrderRequest {
    OrderRequest(clientOrderID: id, coin: "BTC", venue: .binance, side: side, type: .limit, quantity: d(quantity), price: d(price))
}

private func fill(
    _ id: String = "ord-1", trade: String = "t1", quantity: String, price: String = "65000.1", fee: String = "0",
    liquidity: Liquidity = .maker, at time: Timestamp = t0 + .seconds(1)
) -> Fill {
    Fill(clientOrderID: id, tradeID: trade, coin: "BTC", venue: .binance, side: .buy, price: d(price),
         quantity: d(quantity), fee: d(fee), liquidity: liquidity, time: time)
}

@Suite("Order state machine")
struct OrderStateMachineTests {
    /// The complete table of legal transitions, written out by hand. Everything else is illegal.
    static let legal: [OrderStatus: Set<OrderStatus>] = [
        .new: [.unknown, .acknowledged, .rejected, .partiallyFilled, .filled, .cancelled, .expired],
        .unknown: [.acknowledged, .rejected, .partiallyFilled, .filled, .cancelled, .expired],
        .acknowledged: [.partiallyFilled, .filled, .cancelled, .expired],
        .partiallyFilled: [.partiallyFilled, .filled, .cancelled, .expired],
        .filled: [],
        .cancelled: [],
        .rejected: [],
        .expired: [],
    ]

    @Test("the table covers every status")
    func tableIsComplete() {
        #expect(OrderStatus.allCases.count == 8)
        #expect(Set(Self.legal.keys) == Set(OrderStatus.allCases))
        // 7 + 6 + 4 + 4 legal moves out of 64 pairs.
        #expect(Self.legal.values.map(\.count).reduce(0, +) == 21)
    }

    @Test("canTransition matches the table for every pair", arguments: OrderStatus.allCases, OrderStatus.allCases)
    func canTransition(from: OrderStatus, to: OrderStatus) throws {
        let expected = try #require(Self.legal[from]).contains(to)
        #expect(from.canTransition(to: to) == expected, "\(from) -> \(to) should be \(expected ? "legal" : "illegal")")
    }

    @Test("terminal states are exactly those with no way out")
    func terminal() {
        for status in OrderStatus.allCases {
            #expect(status.isTerminal == Self.legal[status]!.isEmpty, "\(status)")
        }
        #expect(OrderStatus.allCases.filter(\.isTerminal) == [.filled, .cancelled, .rejected, .expired])
        #expect(OrderStatus.partiallyFilled.description == "partiallyFilled")
    }

    /// An order of quantity 1 driven into `status` by legal steps.
    static func order(in status: OrderStatus) throws -> Order {
        var order = Order(request: limitRequest(), createdAt: t0)
        switch status {
        case .new: break
        case .unknown: try order.markUnknown(at: t0)
        case .acknowledged: try order.acknowledge(venueOrderID: "v1", at: t0)
        case .partiallyFilled:
            try order.acknowledge(venueOrderID: "v1", at: t0)
            try order.apply(fill(quantity: "0.4"))
        case .filled:
            try order.acknowledge(venueOrderID: "v1", at: t0)
            try order.apply(fill(quantity: "1"))
        case .cancelled:
            try order.acknowledge(venueOrderID: "v1", at: t0)
            try order.cancel(at: t0)
        case .rejected: try order.reject(reason: "insufficient margin", at: t0)
        case .expired:
            try order.acknowledge(venueOrderID: "v1", at: t0)
            try order.expire(at: t0)
        }
        #expect(order.status == status)
        return order
    }

    /// Asks `order` to move to `target` through the method that produces it.
    static func attempt(_ target: OrderStatus, on order: inout Order, at time: Timestamp) throws(OrderError) {
        switch target {
        case .new: preconditionFailure("no method moves an order back to new")
        case .unknown: try order.markUnknown(at: time)
        case .acknowledged: try order.acknowledge(venueOrderID: "v2", at: time)
        case .rejected: try order.reject(reason: "late reject", at: time)
        case .cancelled: try order.cancel(at: time)
        case .expired: try order.expire(at: time)
        case .partiallyFilled: try order.apply(fill(trade: "t9", quantity: "0.1", at: time))
        case .filled: try order.apply(fill(trade: "t9", quantity: order.remainingQuantity.description, at: time))
        }
    }

    @Test("Order's methods accept legal moves and throw illegalTransition for the rest",
          arguments: OrderStatus.allCases, OrderStatus.allCases.filter { $0 != .new })
    func orderMethods(from: OrderStatus, to: OrderStatus) throws {
        var order = try Self.order(in: from)
        let before = order
        let later = t0 + .seconds(60)
        if from == .filled && (to == .filled || to == .partiallyFilled) {
            // A filled order has nothing left: a further fill is an over-fill, an empty one is invalid.
            let error = #expect(throws: OrderError.self) { try Self.attempt(to, on: &order, at: later) }
            switch error {
            case .some(.overfill), .some(.invalid): break
            default: Issue.record("expected overfill or invalid, got \(String(describing: error))")
            }
            #expect(order == before)
            return
        }
        if Self.legal[from]!.contains(to) {
            try Self.attempt(to, on: &order, at: later)
            #expect(order.status == to)
            #expect(order.updatedAt == later)
        } else {
            let error = #expect(throws: OrderError.self) { try Self.attempt(to, on: &order, at: later) }
            #expect(error == .illegalTransition(clientOrderID: "ord-1", from: from, to: to))
            #expect(error?.description == "order ord-1: illegal transition \(from.rawValue) -> \(to.rawValue)")
            #expect(order == before, "a refused update must leave the order untouched")
        }
    }

    @Test("named illegal transitions and their messages")
    func namedIllegalTransitions() throws {
        // Reject after acknowledge.
        var acked = try Self.order(in: .acknowledged)
        var error = #expect(throws: OrderError.self) { try acked.reject(reason: "too late", at: t0) }
        #expect(error?.description == "order ord-1: illegal transition acknowledged -> rejected")
        #expect(acked.rejectReason == nil)

        // Fill after cancel.
        var cancelled = try Self.order(in: .cancelled)
        error = #expect(throws: OrderError.self) { try cancelled.apply(fill(quantity: "0.5")) }
        #expect(error?.description == "order ord-1: illegal transition cancelled -> partiallyFilled")
        error = #expect(throws: OrderError.self) { try cancelled.apply(fill(quantity: "1")) }
        #expect(error?.description == "order ord-1: illegal transition cancelled -> filled")
        #expect(cancelled.filledQuantity == 0)

        // Cancel after filled.
        var filled = try Self.order(in: .filled)
        error = #expect(throws: OrderError.self) { try filled.cancel(at: t0) }
        #expect(error?.description == "order ord-1: illegal transition filled -> cancelled")
        #expect(filled.status == .filled)

        // Acknowledge twice.
        error = #expect(throws: OrderError.self) { try acked.acknowledge(venueOrderID: "v9", at: t0) }
        #expect(error?.description == "order ord-1: illegal transition acknowledged -> acknowledged")
        #expect(acked.venueOrderID == "v1")

        // Expire after reject.
        var rejected = try Self.order(in: .rejected)
        error = #expect(throws: OrderError.self) { try rejected.expire(at: t0) }
        #expect(error == .illegalTransition(clientOrderID: "ord-1", from: .rejected, to: .expired))
    }

    @Test("a new order and its happy path")
    func happyPath() throws {
        var order = Order(request: limitRequest(quantity: "2"), createdAt: t0)
        #expect(order.status == .new)
        #expect(order.clientOrderID == "ord-1")
        #expect(order.venueOrderID == nil)
        #expect(order.filledQuantity == 0)
        #expect(order.remainingQuantity == 2)
        #expect(order.averageFillPrice == nil)
        #expect(order.feesPaid == 0)
        #expect(order.createdAt == t0 && order.updatedAt == t0)

        try order.acknowledge(venueOrderID: "B-123", at: t0 + .milliseconds(5))
        #expect(order.status == .acknowledged)
        #expect(order.venueOrderID == "B-123")
        #expect(order.updatedAt == t0 + .milliseconds(5))

        try order.apply(fill(quantity: "0.5", at: t0 + .milliseconds(7)))
        #expect(order.status == .partiallyFilled)
        #expect(order.remainingQuantity == d("1.5"))
        #expect(order.updatedAt == t0 + .milliseconds(7))
        try order.apply(fill(trade: "t2", quantity: "0.5"))
        #expect(order.status == .partiallyFilled)
        try order.apply(fill(trade: "t3", quantity: "1"))
        #expect(order.status == .filled)
        #expect(order.status.isTerminal)
        #expect(order.remainingQuantity == 0)
        #expect(order.createdAt == t0)
    }

    @Test("a fill may arrive before the acknowledgement")
    func fillBeforeAck() throws {
        var order = Order(request: limitRequest(), createdAt: t0)
        try order.apply(fill(quantity: "1"))
        #expect(order.status == .filled)
        var partial = Order(request: limitRequest(), createdAt: t0)
        try partial.apply(fill(quantity: "0.3"))
        #expect(partial.status == .partiallyFilled)
        try partial.cancel(at: t0)
        #expect(partial.status == .cancelled)
        #expect(partial.filledQuantity == d("0.3"))
    }

    @Test("rejection records the reason")
    func rejection() throws {
        var order = Order(request: limitRequest(), createdAt: t0)
        try order.reject(reason: "post-only would cross", at: t0 + .seconds(1))
        #expect(order.status == .rejected)
        #expect(order.rejectReason == "post-only would cross")
        #expect(order.updatedAt == t0 + .seconds(1))
    }

    @Test("over-fills are refused and leave the order unchanged")
    func overfill() throws {
        var order = try Self.order(in: .partiallyFilled) // 0.4 of 1 filled
        let before = order
        let error = #expect(throws: OrderError.self) { try order.apply(fill(trade: "t2", quantity: "0.600000000000000001")) }
        #expect(error == .overfill(clientOrderID: "ord-1", ordered: 1, filled: d("1.000000000000000001")))
        #expect(error?.description == "order ord-1: fills of 1.000000000000000001 exceed the ordered quantity 1")
        #expect(order == before)
        // Exactly the remainder is fine.
        try order.apply(fill(trade: "t3", quantity: "0.6"))
        #expect(order.status == .filled)
        #expect(order.filledQuantity == 1)
        // Zero and negative fills are refused too.
        var fresh = Order(request: limitRequest(), createdAt: t0)
        #expect(throws: OrderError.self) { try fresh.apply(fill(quantity: "0")) }
        #expect(throws: OrderError.self) { try fresh.apply(fill(quantity: "-0.1")) }
        #expect(fresh.status == .new && fresh.filledQuantity == 0)
    }

    @Test("a fill for another order is refused")
    func wrongOrder() throws {
        var order = try Self.order(in: .acknowledged)
        let before = order
        let error = #expect(throws: OrderError.self) { try order.apply(fill("ord-2", quantity: "0.1")) }
        #expect(error == .wrongOrder(clientOrderID: "ord-1", fillFor: "ord-2"))
        #expect(error?.description == "order ord-1: received a fill for order ord-2")
        #expect(order == before)
    }

    @Test("average fill price and fees over partial fills")
    func averagesAndFees() throws {
        var order = Order(request: limitRequest(quantity: "1"), createdAt: t0)
        // 0.4 @ 65000.1 = 26000.04, fee 0.5 (taker)
        try order.apply(fill(trade: "a", quantity: "0.4", price: "65000.1", fee: "0.5", liquidity: .taker))
        #expect(order.averageFillPrice == d("65000.1"))
        #expect(order.filledNotional == d("26000.04"))
        #expect(order.feesPaid == d("0.5"))
        // 0.6 @ 65000.6 = 39000.36, fee -0.2 (maker rebate)
        // total notional 65000.4 over quantity 1 -> average 65000.4; fees 0.5 - 0.2 = 0.3
        try order.apply(fill(trade: "b", quantity: "0.6", price: "65000.6", fee: "-0.2"))
        #expect(order.filledNotional == d("65000.4"))
        #expect(order.averageFillPrice == d("65000.4"))
        #expect(order.feesPaid == d("0.3"))
        #expect(order.status == .filled)
    }

    @Test("average fill price that does not terminate rounds at 18 digits")
    func repeatingAverage() throws {
        var order = Order(request: limitRequest(quantity: "3", price: "101"), createdAt: t0)
        // 1 @ 100 + 2 @ 101 = 302 over 3 -> 100.666... rounded half-even to 100.666666666666666667
        try order.apply(fill(trade: "a", quantity: "1", price: "100", fee: "0.01"))
        try order.apply(fill(trade: "b", quantity: "2", price: "101", fee: "0.02"))
        #expect(order.filledNotional == 302)
        #expect(order.averageFillPrice == d("100.666666666666666667"))
        #expect(order.feesPaid == d("0.03"))
    }

    // MARK: OrderRequest.validate

    @Test("valid requests pass")
    func validRequests() throws {
        try limitRequest().validate(for: btc) // 1 x 65000.1
        try limitRequest(quantity: "0.001", price: "50000").validate(for: btc) // notional exactly 50
        try OrderRequest(clientOrderID: "m-1", coin: "BTC", venue: .okx, side: .sell, type: .market,
                         timeInForce: .ioc, quantity: d("0.5")).validate(for: btc)
        try OrderRequest(clientOrderID: "p-1", coin: "BTC", venue: .bybit, side: .buy, type: .limit,
                         timeInForce: .postOnly, quantity: d("0.002"), price: d("64999.9")).validate(for: btc)
        // Reduce-only orders are not held to the minimum notional.
        try limitRequest(quantity: "0.001", price: "100").withReduceOnly().validate(for: btc)
        try limitRequest(id: String(repeating: "x", count: 36)).validate(for: btc)
    }

    @Test("invalid requests are refused with the reason", arguments: [
        (limitRequest(quantity: "0.0015"), "quantity 0.0015 is not a multiple of the lot size 0.001"),
        (limitRequest(price: "65000.15"), "price 65000.15 is not a multiple of the tick size 0.1"),
        (limitRequest(quantity: "0.001", price: "49999.9"), "notional 49.9999 is below the minimum 50"),
        (limitRequest(quantity: "0"), "quantity must be positive, got 0"),
        (limitRequest(quantity: "-1"), "quantity must be positive, got -1"),
        (limitRequest(price: "0"), "limit orders need a positive price"),
        (limitRequest(price: "-65000.1"), "limit orders need a positive price"),
        (OrderRequest(clientOrderID: "ord-1", coin: "BTC", venue: .binance, side: .buy, type: .limit, quantity: 1),
         "limit orders need a positive price"),
        (OrderRequest(clientOrderID: "ord-1", coin: "BTC", venue: .binance, side: .buy, type: .market, quantity: 1, price: d("65000.1")),
         "market orders take no price"),
        (OrderRequest(clientOrderID: "ord-1", coin: "BTC", venue: .binance, side: .buy, type: .market, timeInForce: .postOnly, quantity: 1),
         "a market order cannot be post-only"),
    ])
    func invalidRequests(request: OrderRequest, reason: String) {
        let error = #expect(throws: OrderError.self) { try request.validate(for: btc) }
        #expect(error == .invalid(clientOrderID: "ord-1", reason: reason))
        #expect(error?.description == "order ord-1: \(reason)")
    }

    @Test("client order ids must be 1 to 36 characters")
    func clientOrderIDLength() {
        for id in ["", String(repeating: "x", count: 37)] {
            let error = #expect(throws: OrderError.self) { try limitRequest(id: id).validate(for: btc) }
            #expect(error == .invalid(clientOrderID: id, reason: "client order id must be 1 to 36 characters"))
        }
    }
}

private extension OrderRequest {
    func withReduceOnly() -> OrderRequest {
        var copy = self
        copy.reduceOnly = true
        return copy
    }
}
