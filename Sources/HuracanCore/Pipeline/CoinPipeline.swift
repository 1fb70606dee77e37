/// The decision path of one coin, the same in backtest, paper and live:
/// market event -> features -> model -> strategy (entries and exits) -> cost gate -> risk gate
/// -> orders; venue reports -> orders, trades and exposure.
public struct CoinPipeline: Sendable {
    public let index: CoinIndex
    public let instrument: Instrument
    /// The venue whose market data drives features and decisions.
    public let venue: VenueID
    /// Venues the coin can be traded on, `venue` first; entries go to the cheapest (`VenueRouter`).
    public let venues: [VenueID]
    public var model: any Model
    /// The trading rule: entries and strategy exits (`engine.strategy.name`).
    public var strategy: any Strategy
    public private(set) var features = FeatureState()
    /// The coin's market regime, updated once per second of market data; the model of this
    /// regime makes the decisions.
    public private(set) var regime = RegimeClassifier()
    private var nextRegimeUpdate = Timestamp.epoch
    /// Costs per venue, by `VenueID.index`.
    public private(set) var venueCosts = [CoinCosts](repeating: CoinCosts(), count: VenueID.allCases.count)
    /// Costs on the market-data venue.
    public var costs: CoinCosts { venueCosts[venue.index] }
    private let router = VenueRouter()
    /// False once the coin left the active set: no new entries, open trades run to their exits.
    public var isActive = true
    public private(set) var trades: [Trade] = []
    private var orders: [(order: Order, tradeID: UInt64, isEntry: Bool)] = []
    /// The latest orders that reached a final state, with their trade as it was then: a fill the
    /// venue reports after that (after a cancel, an expiry, or a reject that was really an
    /// unknown) is applied to the trade, or rebuilds it, never dropped.
    private var finished: [FinishedOrder] = []
    /// At most this many final orders are remembered per coin...
    static let finishedMemory = 64
    /// ...and none longer than this: venues report late fills within seconds, and live runs'
    /// reconciliation with the venue catches anything later. Without it the memory of a coin
    /// filled up over hours (a paper run's memory grew for seven hours before it stopped).
    static let finishedMemoryNanoseconds: Int64 = 600_000_000_000

    /// An order that reached a final state, kept for fills reported after it.
    struct FinishedOrder {
        var clientOrderID: String
        var tradeID: UInt64
        var isEntry: Bool
        /// The order's trade when the order finished (nil if it was gone).
        var trade: Trade?
        var finishedAt: Timestamp
    }

    /// Remembers a final order, forgetting those past the count or the age limit.
    private mutating func remember(_ order: FinishedOrder) {
        let horizon = order.finishedAt.nanoseconds - Self.finishedMemoryNanoseconds
        var drop = 0
        while drop < finished.count && (finished.count - drop >= Self.finishedMemory || finished[drop].finishedAt.nanoseconds < horizon) { drop += 1 }
        if drop > 0 { finished.removeFirst(drop) }
        finished.append(order)
    }
    private var cooldownUntil = Timestamp.epoch
    /// The breaker last reported as blocking this coin; reported again only when it changes.
    private var reportedBreaker: RiskReason?
    private var orderCounter = 0

    public init(index: CoinIndex, instrument: Instrument, venue: VenueID, venues: [VenueID] = [], model: any Model, fees: FeeSchedule,
                strategy: any Strategy = ModelStrategy()) {
        self.index = index
        self.strategy = strategy
        self.instrument = instrument
        self.venue = venue
        self.venues = [venue] + venues.filter { $0 != venue }
        self.model = model
        for other in self.venues { refreshCosts(venue: other, fees: VenueFeeProfiles.standard(other), fundingRate: nil, at: .epoch) }
        refreshCosts(fees: fees, fundingRate: nil, at: .epoch)
        trades.reserveCapacity(4)
        orders.reserveCapacity(4)
    }

    /// Takes fees (and the funding rate, when given) from the venue's fee and funding
    /// interfaces; the time marks the costs fresh.
    public mutating func refreshCosts(venue target: VenueID? = nil, fees: FeeSchedule, fundingRate: Double?, at time: Timestamp) {
        let i = (target ?? venue).index
        venueCosts[i].makerFeeBps = fees.makerBps
        venueCosts[i].takerFeeBps = fees.takerBps
        if let fundingRate { venueCosts[i].fundingRateBps = fundingRate * 10_000 }
        venueCosts[i].updatedAt = time
    }

    /// Open or closing trades of this coin.
    public var openTradeCount: Int { trades.count }
    public var isFlat: Bool { trades.isEmpty }

    // MARK: market data

    public mutating func onMarket(_ event: MarketEvent, context: inout PipelineContext) {
        guard event.venue == venue else {
            // Another venue's book or funding: only its costs, for routing.
            switch event.payload {
            case .book(let top): venueCosts[event.venue.index].spreadBps = top.spreadBps
            case .funding(let rate, _), .fundingSettlement(let rate, _): venueCosts[event.venue.index].fundingRateBps = rate * 10_000
            case .trade: break
            }
            return
        }
        features.update(event)
        switch event.payload {
        case .book(let top):
            if event.time >= nextRegimeUpdate, features.isWarm(after: context.parameters.warmupSeconds) {
                let inputs = features.regimeInputs()
                regime.update(return60sBps: inputs.return60sBps, volatilityBps: inputs.volatilityBps, at: event.time)
                nextRegimeUpdate = event.time + .nanoseconds(1_000_000_000)
            }
            venueCosts[venue.index].spreadBps = top.spreadBps
            manageExits(top: top, context: &context)
            let market = StrategyMarket(time: event.time, top: top, regime: regime.current, position: position,
                                        canEnter: canEnter(at: context.now, allowed: context.entriesAllowed, context),
                                        parameters: context.parameters)
            let decision = strategy.decide(market, features: features, model: model)
            if decision.exitOpenTrades {
                for i in trades.indices where trades[i].phase == .open { exit(tradeAt: i, reason: .signal, context: &context) }
            }
            // A reversal: the trades the strategy just closed do not count against the entry.
            if let entry = decision.entry,
               canEnter(at: context.now, allowed: context.entriesAllowed, context, besidesExiting: decision.exitOpenTrades) {
                considerEntry(entry, top: top, context: &context)
            }
        case .funding(let rate, _), .fundingSettlement(let rate, _):
            venueCosts[venue.index].fundingRateBps = rate * 10_000
        case .trade:
            break
        }
    }

    private mutating func manageExits(top: BookTop, context: inout PipelineContext) {
        guard !trades.isEmpty else { return }
        let p = context.parameters
        for i in trades.indices where trades[i].phase == .open {
            let long = trades[i].side == .buy
            let exitPrice = long ? top.bidPrice : top.askPrice
            guard exitPrice > 0 else { continue }
            if let decided = trades[i].exitReason {
                // An exit was refused or left a rest: retry when its backoff allows.
                if context.now >= trades[i].exitRetryAt { exit(tradeAt: i, reason: decided, context: &context) }
                continue
            }
            if trades[i].strategyExits { continue }
            let held = Double(context.now - trades[i].openedAt) / 1e9
            var reason: ExitReason?
            switch trades[i].style {
            case .scalp:
                if long ? exitPrice >= trades[i].takeProfit : exitPrice <= trades[i].takeProfit {
                    reason = .takeProfit
                } else if long ? exitPrice <= trades[i].stopLoss : exitPrice >= trades[i].stopLoss {
                    reason = .stopLoss
                } else if held >= p.scalp.timeoutSeconds {
                    reason = .timeout
                }
            case .runner:
                let trail = p.runner.trailingStopBps / 10_000
                if long {
                    if exitPrice > trades[i].bestPrice { trades[i].bestPrice = exitPrice }
                    trades[i].stopLoss = max(trades[i].stopLoss, trades[i].bestPrice * (1 - trail))
                    if exitPrice <= trades[i].stopLoss { reason = .trailingStop }
                } else {
                    if exitPrice < trades[i].bestPrice { trades[i].bestPrice = exitPrice }
                    trades[i].stopLoss = min(trades[i].stopLoss, trades[i].bestPrice * (1 + trail))
                    if exitPrice >= trades[i].stopLoss { reason = .trailingStop }
                }
                if reason == nil, held >= p.runner.maxHoldSeconds { reason = .timeout }
            }
            if let reason { exit(tradeAt: i, reason: reason, context: &context) }
        }
    }

    /// The earliest time an open trade's holding limit runs out (scalp time-out, runner maximum
    /// hold), or nil with no open trade. The shard wakes the coin then even when no market data
    /// arrives (quiet coins in backtests on stored data skip their empty steps).
    public func nextExitDeadline(_ p: StrategyParameters) -> Timestamp? {
        guard !trades.isEmpty else { return nil }
        var earliest: Int64?
        for trade in trades where trade.phase == .open && !(trade.strategyExits && trade.exitReason == nil) {
            let limit = trade.style == .scalp ? p.scalp.timeoutSeconds : p.runner.maxHoldSeconds
            let deadline = max(trade.openedAt.nanoseconds + Int64((limit * 1e9).rounded(.up)), trade.exitRetryAt.nanoseconds)
            earliest = min(earliest ?? deadline, deadline)
        }
        return earliest.map { Timestamp(nanoseconds: $0) }
    }

    /// Time passed without market data: exits the open trades whose holding limit ran out at
    /// `context.now` (reason `timeout`). Take-profit and stops need a new price and wait for
    /// the next book update.
    public mutating func onClock(context: inout PipelineContext) {
        guard !trades.isEmpty, features.top.bidPrice > 0 else { return }
        let p = context.parameters
        for i in trades.indices where trades[i].phase == .open && context.now >= trades[i].exitRetryAt && !trades[i].strategyExits {
            let held = Double(context.now - trades[i].openedAt) / 1e9
            let limit = trades[i].style == .scalp ? p.scalp.timeoutSeconds : p.runner.maxHoldSeconds
            if held >= limit { exit(tradeAt: i, reason: trades[i].exitReason ?? .timeout, context: &context) }
        }
    }

    /// Sends a reduce-only market order for the open quantity. Exits never pass the risk gate.
    mutating func exit(tradeAt i: Int, reason: ExitReason, context: inout PipelineContext) {
        let quantity = trades[i].openQuantity
        guard quantity.isPositive else { return }
        trades[i].phase = .exiting
        if trades[i].exitReason == nil { trades[i].exitReason = reason }
        send(OrderRequest(clientOrderID: nextClientOrderID(context), coin: instrument.coin, venue: trades[i].venue,
                          side: trades[i].side.opposite, type: .market, timeInForce: .ioc, quantity: quantity, reduceOnly: true),
             tradeID: trades[i].id, isEntry: false, context: &context)
    }

    /// Closes every open trade now (coin removed with `--flatten`, or shutdown).
    public mutating func flatten(context: inout PipelineContext) {
        for i in trades.indices where trades[i].phase == .open { exit(tradeAt: i, reason: .deactivated, context: &context) }
    }

    /// The side of the coin's open (or entering) trade, nil when there is none.
    private var position: Side? { trades.first { $0.phase != .exiting && $0.phase != .closed }?.side }

    /// The engine's own entry conditions: active, entries allowed, warm, out of cool-down,
    /// fewer trades than `max_trades_per_coin` (with `besidesExiting`, trades being closed do
    /// not count).
    /// Whether the coin may open a trade now. Reads the two parameters it needs from `context`
    /// (passing the parameters by value copied them twice per book event).
    private func canEnter(at now: Timestamp, allowed: Bool, _ context: borrowing PipelineContext, besidesExiting: Bool = false) -> Bool {
        guard isActive, allowed, now >= cooldownUntil, features.isWarm(after: context.parameters.warmupSeconds) else { return false }
        var holding = 0
        for trade in trades where !besidesExiting || trade.phase != .exiting { holding += 1 }
        return holding < context.parameters.maxTradesPerCoin
    }

    private mutating func considerEntry(_ intent: EntryIntent, top: BookTop, context: inout PipelineContext) {
        let p = context.parameters
        let style = intent.style
        context.stats.signals += 1
        if Int(index) < context.blockedCoins.count, let breaker = context.blockedCoins[Int(index)] {
            context.stats.breakerBlocked += 1
            context.stats.breakerBlockedBy[breaker, default: 0] += 1
            recordBreakerBlock(breaker, venue: venue, context: &context)
            return
        }
        reportedBreaker = nil
        let side = intent.side
        let holding = p.expectedHoldingSeconds(style)
        guard let venue = route(side: side, holdingSeconds: holding, context: &context) else { return }
        let costs = venueCosts[venue.index]
        let edgeAfterCost = intent.edgeBps.map { costs.edgeAfterCost(edgeBps: $0, side: side, holdingSeconds: holding) }
        if context.signals.count < PipelineContext.signalCapacity {
            context.signals.append(SignalRecord(coin: index, style: style, side: side, edgeBps: intent.edgeBps ?? 0, confidence: intent.confidence,
                                                edgeAfterCostBps: edgeAfterCost ?? 0, time: context.now))
        }
        // The cost gate, for strategies that state an edge.
        if let edgeAfterCost, edgeAfterCost < context.minEdgeAfterCostBps {
            context.stats.skippedByCost += 1
            return
        }
        let price = side == .buy ? top.askPrice : top.bidPrice
        guard price > 0 else { return }
        // The strategy's notional, or volatility sizing: the stop distance risks `riskPerTrade` of equity.
        let wanted = intent.notional ?? context.equity * p.riskPerTrade / (p.stopDistanceBps(style) / 10_000)
        let minimum = max(instrument.minNotional.doubleValue, instrument.lotSize.doubleValue * price)
        let check = context.risk.checkTrade(TradeRequest(coin: index, sector: instrument.sector, venue: venue, notional: wanted, minimumNotional: minimum))
        if check.decision != .approve, context.riskDecisions.count < PipelineContext.riskDecisionCapacity {
            context.riskDecisions.append(RiskDecisionRecord(coin: index, venue: venue, time: context.now, requestedNotional: wanted, check: check))
        }
        switch check.decision {
        case .approve: context.stats.riskApproved += 1
        case .throttle:
            context.stats.riskThrottled += 1
            context.stats.riskThrottledBy[check.reason, default: 0] += 1
        case .block:
            context.stats.riskBlocked += 1
            context.stats.riskBlockedBy[check.reason, default: 0] += 1
            return
        }
        let quantity = instrument.roundQuantity(FixedDecimal(approximating: check.approvedNotional / price))
        guard quantity.isPositive, quantity.doubleValue * price >= instrument.minNotional.doubleValue else {
            context.risk.adjust(coin: index, sector: instrument.sector, venue: venue, by: -check.approvedNotional)
            context.risk.tradeEnded()
            context.stats.skippedBySize += 1
            return
        }
        var trade = Trade(id: context.nextTradeID(), coin: instrument.coin, venue: venue, style: style, side: side,
                          entryReason: intent.reason + " " + check.decision.rawValue, signalTime: context.now, expectedEdgeBps: intent.edgeBps ?? 0)
        trade.reservedNotional = check.approvedNotional
        trade.strategyExits = intent.strategyExits
        trades.append(trade)
        send(OrderRequest(clientOrderID: nextClientOrderID(context), coin: instrument.coin, venue: venue, side: side,
                          type: .market, timeInForce: .ioc, quantity: quantity),
             tradeID: trade.id, isEntry: true, context: &context)
    }

    /// The venue for a new entry: the cheapest all-in among the coin's venues whose costs are
    /// fresh and that no breaker blocks; nil (counted) when none qualifies.
    private mutating func route(side: Side, holdingSeconds: Double, context: inout PipelineContext) -> VenueID? {
        var candidates: [CostSnapshot] = []
        var blocked = false, stale = false
        let minimum = instrument.minNotional.doubleValue
        for v in venues {
            if context.blockedVenues[v.index] { blocked = true; continue }
            if venues.count > 1, context.risk.isExchangeFull(v, for: minimum) { continue }
            let c = venueCosts[v.index]
            if c.isStale(at: context.now, intervalSeconds: context.costUpdateIntervalSeconds) { stale = true; continue }
            if venues.count == 1 { return v }
            candidates.append(CostSnapshot(coin: index, venue: v, spreadBps: c.spreadBps, takerFeeBps: c.takerFeeBps, makerFeeBps: c.makerFeeBps,
                                           fundingRateBps: c.fundingRateBps, volatilityBps: 0, updatedAt: c.updatedAt))
        }
        if let chosen = router.choose(candidates: candidates, side: side, holdingSeconds: holdingSeconds, blocked: context.blockedVenues) {
            return chosen
        }
        if stale {
            context.stats.skippedStaleCost += 1
        } else if blocked {
            context.stats.breakerBlocked += 1
            context.stats.breakerBlockedBy[.venueErrors, default: 0] += 1
            recordBreakerBlock(.venueErrors, venue: venue, context: &context)
        }
        return nil
    }

    /// A BLOCK by a circuit breaker, for `orders:global` and the logs (its numbers are in the
    /// breaker's own trip event).
    private mutating func recordBreakerBlock(_ reason: RiskReason, venue: VenueID, context: inout PipelineContext) {
        guard reportedBreaker != reason, context.riskDecisions.count < PipelineContext.riskDecisionCapacity else { return }
        reportedBreaker = reason
        let check = RiskCheck(decision: .block, reason: reason, approvedNotional: 0, exposurePct: 0, limitPct: 0)
        context.riskDecisions.append(RiskDecisionRecord(coin: index, venue: venue, time: context.now, requestedNotional: 0, check: check))
    }

    private mutating func nextClientOrderID(_ context: PipelineContext) -> String {
        orderCounter += 1
        return "\(context.orderIDPrefix)s\(context.shardID)c\(index)n\(orderCounter)"
    }

    private mutating func send(_ request: OrderRequest, tradeID: UInt64, isEntry: Bool, context: inout PipelineContext) {
        orders.append((Order(request: request, createdAt: context.now), tradeID, isEntry))
        if let t = trades.firstIndex(where: { $0.id == tradeID }) {
            trades[t].ordersSent += 1
            let reason = isEntry ? trades[t].entryReason : "exit " + (trades[t].exitReason?.rawValue ?? "")
            context.orderIntents.append(OrderIntent(request: request, tradeID: tradeID, style: trades[t].style, reason: reason, time: context.now))
        }
        context.outbox.append(request)
        context.stats.ordersSent += 1
    }

    /// Marks open trades to the current mid: the ledger's exposure for this coin follows the
    /// market, so limits are checked against live notional, not entry notional.
    public mutating func revalue(context: inout PipelineContext) {
        let mid = features.mid
        guard mid > 0 else { return }
        for i in trades.indices where trades[i].phase == .open || trades[i].phase == .exiting {
            let marked = trades[i].openQuantity.doubleValue * mid
            let change = marked - trades[i].reservedNotional
            trades[i].reservedNotional = marked
            if change != 0 { context.risk.adjust(coin: index, sector: instrument.sector, venue: trades[i].venue, by: change) }
        }
    }

    // MARK: venue reports

    /// The venue an open order of this coin was sent to.
    public func venue(ofOrder clientOrderID: String) -> VenueID? {
        orders.first { $0.order.clientOrderID == clientOrderID }?.order.request.venue
    }

    /// Applies an acknowledgement, fill, cancel, reject, expiry or funding settlement.
    public mutating func onReport(_ report: VenueReport, context: inout PipelineContext) {
        if case .funding(_, let fundingVenue, let rate, let mark, _) = report {
            for i in trades.indices where trades[i].venue == fundingVenue && trades[i].openQuantity.isPositive {
                let paid = trades[i].openQuantity * mark * rate
                trades[i].funding += trades[i].side == .buy ? paid : -paid
            }
            return
        }
        let id: String
        switch report {
        case .accepted(let clientOrderID, _, _), .rejected(let clientOrderID, _, _), .cancelled(let clientOrderID, _),
             .expired(let clientOrderID, _):
            id = clientOrderID
        case .fill(let fill):
            id = fill.clientOrderID
        case .funding:
            return
        }
        guard let o = orders.firstIndex(where: { $0.order.clientOrderID == id }) else {
            if let f = finished.lastIndex(where: { $0.clientOrderID == id }) {
                // A fill is applied; other reports for a final order (a repeated cancel, an ack
                // after the fill) change nothing.
                if case .fill(let fill) = report { applyLateFill(fill, finished: finished[f], context: &context) }
            } else {
                context.stats.orderErrors += 1
            }
            return
        }
        do {
            switch report {
            case .accepted(_, let venueOrderID, let time): try orders[o].order.acknowledge(venueOrderID: venueOrderID, at: time)
            case .rejected(_, let reason, let time):
                try orders[o].order.reject(reason: reason, at: time)
                context.stats.rejects += 1
            case .cancelled(_, let time): try orders[o].order.cancel(at: time)
            case .expired(_, let time): try orders[o].order.expire(at: time)
            case .fill(let fill):
                try orders[o].order.apply(fill)
                applyFill(fill, tradeID: orders[o].tradeID, isEntry: orders[o].isEntry, context: &context)
            case .funding: break
            }
        } catch {
            context.stats.orderErrors += 1
            return
        }
        if orders[o].order.status.isTerminal {
            let done = orders.remove(at: o)
            remember(FinishedOrder(clientOrderID: done.order.clientOrderID, tradeID: done.tradeID, isEntry: done.isEntry,
                                   trade: trades.first { $0.id == done.tradeID }, finishedAt: context.now))
            orderFinished(done.order, tradeID: done.tradeID, isEntry: done.isEntry, context: &context)
        }
    }

    /// A fill for an order that is already final. Its trade, when still there, takes it like
    /// any fill (an exit fill that empties the trade closes it). A fill whose trade is gone (its
    /// entry was reported unfilled, or it closed) rebuilds an open trade on the fill's side of
    /// that quantity, managed by the same exits: the trades are the engine's only ledger, so
    /// every fill belongs to one.
    private mutating func applyLateFill(_ fill: Fill, finished record: FinishedOrder, context: inout PipelineContext) {
        context.stats.lateFills += 1
        let sector = instrument.sector
        if let t = trades.firstIndex(where: { $0.id == record.tradeID }) {
            applyFill(fill, tradeID: record.tradeID, isEntry: record.isEntry, context: &context)
            if record.isEntry {
                let notional = fill.notional.doubleValue
                context.risk.adjust(coin: index, sector: sector, venue: trades[t].venue, by: notional)
                trades[t].reservedNotional += notional
            } else if trades[t].openQuantity.isZero || trades[t].openQuantity.isNegative {
                closeTrade(at: t, context: &context)
            }
            return
        }
        guard let template = record.trade else {
            context.stats.orderErrors += 1
            return
        }
        var trade = Trade(id: context.nextTradeID(), coin: template.coin, venue: template.venue, style: template.style, side: fill.side,
                          entryReason: "late fill of \(record.clientOrderID): " + template.entryReason, signalTime: fill.time,
                          expectedEdgeBps: template.expectedEdgeBps)
        trade.holdsSlot = false
        trade.quantity = fill.quantity
        trade.entryNotional = fill.notional
        trade.fees = fill.fee
        trade.reservedNotional = fill.notional.doubleValue
        context.risk.adjust(coin: index, sector: sector, venue: trade.venue, by: trade.reservedNotional)
        trades.append(trade)
        openTrade(at: trades.count - 1, at: fill.time, context: context)
        remember(FinishedOrder(clientOrderID: record.clientOrderID, tradeID: trade.id, isEntry: true, trade: trade, finishedAt: context.now))
    }

    private mutating func applyFill(_ fill: Fill, tradeID: UInt64, isEntry: Bool, context: inout PipelineContext) {
        guard let t = trades.firstIndex(where: { $0.id == tradeID }) else { return }
        trades[t].fees += fill.fee
        if isEntry {
            trades[t].quantity += fill.quantity
            trades[t].entryNotional += fill.notional
        } else {
            trades[t].exitQuantity += fill.quantity
            trades[t].exitNotional += fill.notional
        }
    }

    private mutating func orderFinished(_ order: Order, tradeID: UInt64, isEntry: Bool, context: inout PipelineContext) {
        guard let t = trades.firstIndex(where: { $0.id == tradeID }) else { return }
        let sector = instrument.sector
        if isEntry {
            // Commit what filled against the reservation, release the rest.
            let filled = trades[t].entryNotional.doubleValue
            context.risk.adjust(coin: index, sector: sector, venue: trades[t].venue, by: filled - trades[t].reservedNotional)
            trades[t].reservedNotional = filled
            guard trades[t].averageEntryPrice != nil else {
                let trade = trades.remove(at: t)
                if trade.holdsSlot { context.risk.tradeEnded() }
                return
            }
            openTrade(at: t, at: order.updatedAt, context: context)
        } else if trades[t].openQuantity.isZero || trades[t].openQuantity.isNegative {
            closeTrade(at: t, context: &context)
        } else if order.status == .rejected {
            // The venue refused the exit (reduce-only against a position it does not see, margin,
            // maintenance): wait 1, 2, 4 ... up to 60 s before the next one, so a venue that keeps
            // refusing never sees an order storm. A late fill closes the trade meanwhile.
            trades[t].phase = .open
            trades[t].exitRejects += 1
            let wait = min(60.0, Double(1 << min(trades[t].exitRejects - 1, 6)))
            trades[t].exitRetryAt = context.now + .nanoseconds(Int64(wait * 1e9))
            context.stats.exitRejects += 1
        } else {
            // The exit did not fill completely (thin book): retry on the next book update.
            trades[t].phase = .open
        }
    }

    /// An entry filled (in part): the trade is open with its take-profit and stop from the
    /// average entry price.
    private mutating func openTrade(at t: Int, at time: Timestamp, context: PipelineContext) {
        guard let entry = trades[t].averageEntryPrice?.doubleValue else { return }
        let p = context.parameters
        let long = trades[t].side == .buy
        trades[t].phase = .open
        trades[t].openedAt = time
        trades[t].bestPrice = entry
        switch trades[t].style {
        case .scalp:
            let tp = p.scalp.takeProfitBps / 10_000, sl = p.scalp.stopLossBps / 10_000
            trades[t].takeProfit = long ? entry * (1 + tp) : entry * (1 - tp)
            trades[t].stopLoss = long ? entry * (1 - sl) : entry * (1 + sl)
        case .runner:
            let sl = p.runner.initialStopBps / 10_000
            trades[t].stopLoss = long ? entry * (1 - sl) : entry * (1 + sl)
        }
    }

    private mutating func closeTrade(at t: Int, context: inout PipelineContext) {
        var trade = trades.remove(at: t)
        trade.phase = .closed
        trade.closedAt = context.now
        context.risk.adjust(coin: index, sector: instrument.sector, venue: trade.venue, by: -trade.reservedNotional)
        if trade.holdsSlot { context.risk.tradeEnded() }
        context.closedTrades.append(trade)
        cooldownUntil = context.now + .nanoseconds(Int64(context.parameters.entryCooldownSeconds * 1e9))
    }
}
