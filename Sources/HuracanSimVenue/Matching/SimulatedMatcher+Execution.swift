import HuracanCore

extension SimulatedMatcher {
    // MARK: Book

    mutating func setBook(_ top: BookTop) {
        self.top = top
        hasBook = top.askPrice > 0 && top.bidPrice > 0
        bidTakenLots = 0
        askTakenLots = 0
    }

    /// The nearest tick count of a (positive, finite) book price; 0 for anything else.
    @inline(__always) func ticks(_ price: Double) -> Int64 {
        price > 0 && price < 1e15 ? Int64(price / tickValue + 0.5) : 0
    }
    /// The nearest lot count of a book size; 0 for none.
    @inline(__always) func lots(_ size: Double) -> Int64 {
        size > 0 ? Int64(min(size / lotValue + 0.5, 1e17)) : 0
    }
    @inline(__always) func price(ticks: Int64) -> Price { Price(mantissa: tickSize.mantissa * Int128(ticks)) }
    @inline(__always) func quantity(lots: Int64) -> Quantity { Quantity(mantissa: lotSize.mantissa * Int128(lots)) }

    /// Level `k` (0 = top) of the side a `taker` order takes from: asks for buys, bids for sells.
    /// Levels are spaced by max(1 tick, spread); beyond the top, sizes are the average top size
    /// times (1 + k/2).
    func level(_ k: Int, takingFrom taker: Side) -> (ticks: Int64, lots: Int64) {
        let spacing = max(1, askTicks - bidTicks)
        let offset = Int64(k) * spacing
        let ticks = taker == .buy ? askTicks + offset : bidTicks - offset
        if k == 0 { return (ticks, max(1, taker == .buy ? askLots : bidLots)) }
        let base = max(1, (bidLots + askLots) / 2)
        return (ticks, base + base * Int64(k) / 2)
    }

    // MARK: Arrival

    mutating func enqueue(_ item: PendingAction) {
        // Constant latency keeps arrivals in send order; insert in place if sent out of order.
        var index = pending.count
        while index > pendingHead, pending[index - 1].arrival > item.arrival { index -= 1 }
        pending.insert(item, at: index)
    }

    /// Why the venue refuses `request` right now, or nil.
    func rejection(_ request: OrderRequest, lots: inout Int64, limitTicks: inout Int64) -> String? {
        if request.coin != instrument.coin { return "order for \(request.coin) reached the \(venue) matcher of \(instrument.coin)" }
        if request.venue != venue { return "order for venue \(request.venue) reached the simulated \(venue) venue" }
        if request.clientOrderID.isEmpty { return "client order id must not be empty" }
        if resting.contains(where: { $0.clientOrderID == request.clientOrderID }) {
            return "duplicate client order id \(request.clientOrderID): an open order already uses it"
        }
        let quantity = request.quantity
        guard quantity.isPositive else { return "quantity must be positive, got \(quantity)" }
        guard quantity.isMultiple(of: lotSize) else { return "quantity \(quantity) is not a multiple of the lot size \(lotSize)" }
        let lotCount = quantity.mantissa / lotSize.mantissa
        guard lotCount <= Int128(Int64.max / 4) else { return "quantity \(quantity) is too large" }
        lots = Int64(lotCount)
        var referencePrice: Price
        switch request.type {
        case .market:
            if request.price != nil { return "market orders take no price" }
            if request.timeInForce == .postOnly { return "a market order cannot be post-only" }
            guard hasBook else { return "no quote yet for \(instrument.coin): a market order needs a book" }
            limitTicks = 0
            referencePrice = price(ticks: request.side == .buy ? askTicks : bidTicks)
        case .limit:
            guard let limit = request.price, limit.isPositive else { return "limit orders need a positive price" }
            guard limit.isMultiple(of: tickSize) else { return "price \(limit) is not a multiple of the tick size \(tickSize)" }
            let tickCount = limit.mantissa / tickSize.mantissa
            guard tickCount <= Int128(Int64.max / 4) else { return "price \(limit) is too large" }
            limitTicks = Int64(tickCount)
            referencePrice = limit
        }
        if !request.reduceOnly, quantity * referencePrice < instrument.minNotional {
            return "notional \(quantity * referencePrice) is below the minimum \(instrument.minNotional)"
        }
        if request.reduceOnly {
            let reduces = request.side == .buy ? positionLots < 0 : positionLots > 0
            if !reduces { return "reduce-only order would increase the position (position \(position))" }
        }
        if request.type == .limit, request.timeInForce == .postOnly, crosses(request.side, limitTicks: limitTicks) {
            return "post-only order would take liquidity"
        }
        return nil
    }

    func crosses(_ side: Side, limitTicks: Int64) -> Bool {
        guard hasBook else { return false }
        return side == .buy ? limitTicks >= askTicks : limitTicks <= bidTicks
    }

    mutating func arrive(_ request: OrderRequest, at time: Timestamp, reports: inout [VenueReport]) {
        var lots: Int64 = 0, limitTicks: Int64 = 0
        if let reason = rejection(request, lots: &lots, limitTicks: &limitTicks) {
            reports.append(.rejected(clientOrderID: request.clientOrderID, reason: reason, time: time))
            return
        }
        var clipped = false
        if request.reduceOnly, lots > abs(positionLots) {
            lots = abs(positionLots)
            clipped = true
        }
        orderCounter += 1
        reports.append(.accepted(clientOrderID: request.clientOrderID, venueOrderID: venueOrderPrefix + String(orderCounter), time: time))

        var remaining = lots
        let isMarket = request.type == .market
        if isMarket || crosses(request.side, limitTicks: limitTicks) {
            remaining = take(request.side, upTo: isMarket ? nil : limitTicks, lots: remaining,
                             clientOrderID: request.clientOrderID, at: time, reports: &reports)
        }
        if remaining > 0, !isMarket, request.timeInForce != .ioc {
            resting.append(RestingOrder(clientOrderID: request.clientOrderID, side: request.side, priceTicks: limitTicks,
                                        remainingLots: remaining, reduceOnly: request.reduceOnly, clipped: clipped))
            if request.reduceOnly { restingReduceOnly += 1 }
        } else if remaining > 0 || clipped {
            reports.append(.cancelled(clientOrderID: request.clientOrderID, time: time))
        }
        if remaining < lots { enforceReduceOnly(at: time, reports: &reports) }
    }

    /// Takes liquidity level by level up to `limit` (nil: any price within the synthesised
    /// depth); returns the lots left.
    mutating func take(_ side: Side, upTo limit: Int64?, lots: Int64, clientOrderID: String, at time: Timestamp,
                       reports: inout [VenueReport]) -> Int64 {
        var skip = side == .buy ? askTakenLots : bidTakenLots
        var remaining = lots
        for k in 0..<depthLevels where remaining > 0 {
            let level = level(k, takingFrom: side)
            if level.ticks <= 0 { break }
            if let limit, side == .buy ? level.ticks > limit : level.ticks < limit { break }
            if skip >= level.lots { skip -= level.lots; continue }
            let fill = min(level.lots - skip, remaining)
            skip = 0
            remaining -= fill
            if side == .buy { askTakenLots += fill } else { bidTakenLots += fill }
            emitFill(clientOrderID: clientOrderID, side: side, ticks: level.ticks, lots: fill, liquidity: .taker, at: time, reports: &reports)
        }
        return remaining
    }

    mutating func applyCancel(_ clientOrderID: String, at time: Timestamp, reports: inout [VenueReport]) {
        guard let index = resting.firstIndex(where: { $0.clientOrderID == clientOrderID }) else { return }
        if resting[index].reduceOnly { restingReduceOnly -= 1 }
        resting.remove(at: index)
        reports.append(.cancelled(clientOrderID: clientOrderID, time: time))
    }

    // MARK: Resting fills

    mutating func fillRestingFromBook(at time: Timestamp, reports: inout [VenueReport]) {
        var filled = false
        var index = 0
        while index < resting.count {
            let order = resting[index]
            let crossed = order.side == .buy ? askTicks <= order.priceTicks : bidTicks >= order.priceTicks
            if crossed {
                emitFill(clientOrderID: order.clientOrderID, side: order.side, ticks: order.priceTicks, lots: order.remainingLots,
                         liquidity: .maker, at: time, reports: &reports)
                if order.clipped { reports.append(.cancelled(clientOrderID: order.clientOrderID, time: time)) }
                if order.reduceOnly { restingReduceOnly -= 1 }
                resting.remove(at: index)
                filled = true
            } else {
                index += 1
            }
        }
        if filled { enforceReduceOnly(at: time, reports: &reports) }
    }

    mutating func fillRestingFromTrade(price: Double, size: Double, at time: Timestamp, reports: inout [VenueReport]) {
        let tradeTicks = ticks(price)
        var available = size > 0 ? Int64(min(size / lotValue + 0.5, 1e17)) : 0
        var filled = false
        var index = 0
        while index < resting.count, available > 0 {
            let order = resting[index]
            let through = order.side == .buy ? tradeTicks < order.priceTicks : tradeTicks > order.priceTicks
            guard through else { index += 1; continue }
            let fill = min(order.remainingLots, available)
            available -= fill
            filled = true
            emitFill(clientOrderID: order.clientOrderID, side: order.side, ticks: order.priceTicks, lots: fill,
                     liquidity: .maker, at: time, reports: &reports)
            if fill == order.remainingLots {
                if order.clipped { reports.append(.cancelled(clientOrderID: order.clientOrderID, time: time)) }
                if order.reduceOnly { restingReduceOnly -= 1 }
                resting.remove(at: index)
            } else {
                resting[index].remainingLots -= fill
                index += 1
            }
        }
        if filled { enforceReduceOnly(at: time, reports: &reports) }
    }

    /// Shrinks resting reduce-only orders to the open position; cancels those that could only
    /// increase it.
    mutating func enforceReduceOnly(at time: Timestamp, reports: inout [VenueReport]) {
        guard restingReduceOnly > 0 else { return }
        var index = 0
        while index < resting.count {
            let order = resting[index]
            guard order.reduceOnly else { index += 1; continue }
            let allowed: Int64 = (order.side == .buy ? positionLots < 0 : positionLots > 0) ? abs(positionLots) : 0
            if allowed == 0 {
                resting.remove(at: index)
                restingReduceOnly -= 1
                reports.append(.cancelled(clientOrderID: order.clientOrderID, time: time))
            } else {
                if order.remainingLots > allowed {
                    resting[index].remainingLots = allowed
                    resting[index].clipped = true
                }
                index += 1
            }
        }
    }

    // MARK: Reports

    mutating func emitFill(clientOrderID: String, side: Side, ticks: Int64, lots: Int64, liquidity: Liquidity, at time: Timestamp,
                           reports: inout [VenueReport]) {
        let fillPrice = price(ticks: ticks)
        let fillQuantity = quantity(lots: lots)
        let notional = fillPrice * fillQuantity
        let fee = notional * (liquidity == .maker ? fees.maker : fees.taker)
        feesPaid += fee
        cashFlow += side == .buy ? -notional : notional
        positionLots += side == .buy ? lots : -lots
        tradeCounter += 1
        reports.append(.fill(Fill(clientOrderID: clientOrderID, tradeID: tradePrefix + String(tradeCounter), coin: instrument.coin,
                                  venue: venue, side: side, price: fillPrice, quantity: fillQuantity, fee: fee,
                                  liquidity: liquidity, time: time)))
    }

    mutating func settleFunding(rate: Double, mark: Double, at time: Timestamp, reports: inout [VenueReport]) {
        guard let report = VenueReport.fundingSettlement(instrument, venue: venue, rate: rate, mark: mark, time: time),
              case .funding(_, _, let exactRate, let exactMark, _) = report else { return }
        fundingPaid += position * exactMark * exactRate
        reports.append(report)
    }
}
