import HuracanCore
import HuracanExchanges
import Logging
import Synchronization

/// A real venue (Binance USD-M, OKX v5, Bybit v5) behind Core's `ExchangeVenue`: REST for
/// orders, fees and snapshots, the public feed for books and funding, the private stream for
/// acknowledgements, fills and cancels.
///
/// Orders: our client order id on every order; an order is sent at most once. Only an answer
/// in which the venue itself refused the order (a business reject, a rate limit, a clock or key
/// error) is a rejection. Any other failure after the request may have left the process (reset,
/// closed connection, timeout, hang, 5xx, an unreadable body) leaves the order UNKNOWN: it is
/// queried by client order id with capped backoff until the venue answers, never re-sent; it is
/// declared absent only after the venue said "not found" twice, `notFoundConfirmation` apart.
///
/// Venue truth: whenever the venue's word on an order is read over REST (an unknown order, an
/// immediate order the stream left unfinished, a final state that names more filled quantity
/// than the fills delivered, a private-stream reconnect), its missing fills are fetched from the
/// fill history before its final state is reported. Reports are deduplicated (stream and REST
/// may both tell the same thing); a final state waits for the fills it names.
public final class LiveVenue: ExchangeVenue {
    /// How orders whose outcome is open are chased over REST.
    public struct Timing: Sendable {
        /// First query of an UNKNOWN order.
        public var firstQuery: Duration = .milliseconds(500)
        /// Queries back off exponentially up to this interval.
        public var maxInterval: Duration = .seconds(30)
        /// Queries per chase before it is left to the periodic reconciliation.
        public var maxAttempts = 40
        /// An UNKNOWN order is declared absent only when the venue said "not found" at least twice
        /// and at least this long after it was sent (a venue may not show an order at once).
        public var notFoundConfirmation: Duration = .seconds(3)
        /// How long an acknowledged immediate order (market, IOC), or a final state naming fills
        /// not yet delivered, waits for the private stream before REST is asked.
        public var streamGrace: Duration = .seconds(3)
        /// How far back a read-back reaches for fills (before the oldest order concerned).
        public var fillMargin: Duration = .seconds(60)
        /// How long a final order stays tracked (a late fill for it is still reported); older
        /// ones are dropped by `settleUnfinished`, so tracking stays bounded on long runs.
        public var retention: Duration = .seconds(3_600)
        public init(firstQuery: Duration = .milliseconds(500), streamGrace: Duration = .seconds(3)) {
            self.firstQuery = firstQuery
            self.streamGrace = streamGrace
        }
    }

    public let venue: VenueID
    public let api: VenueAPI
    public let bookHealth: BookHealth
    public let timing: Timing
    public let counters = LiveVenueCounters()
    let logger: Logger
    let state = Locked(State())
    private let broadcast = VenueReportBroadcast()
    /// Called once per refused order whose venue code says the key, signature or permission is
    /// wrong: the engine stops trading on the venue.
    private let fatalHandler = Locked<(@Sendable (String) -> Void)?>(nil)

    struct Tracked: Sendable {
        var request: OrderRequest
        var symbol: String
        var status: OrderStatus
        var venueOrderID = ""
        var sentAt = Timestamp.epoch
        var acceptedSent = false
        var finalSent = false
        var fillIDs: Set<String> = []
        /// Sum of the fills reported so far.
        var filled: Quantity = .zero
        /// A final state from the venue that names more filled quantity than reported: it is
        /// reported once its fills are.
        var heldFinal: VenueOrderUpdate?
        /// A REST chase of this order is running.
        var chasing = false

        /// The venue works the order: acknowledged, or partially filled once fills came.
        mutating func markWorking() { status = filled.isZero ? .acknowledged : .partiallyFilled }
    }

    struct State: Sendable {
        var orders: [String: Tracked] = [:]
        var tops: [String: BookTicker] = [:]
        var marks: [String: MarkFunding] = [:]
        var positions: [String: VenuePosition] = [:]
        var fees: [String: FeeSchedule] = [:]
        /// The private stream connected at least once (the next `.connected` is a reconnect).
        var streamConnectedBefore = false
        /// Time of the last private-stream event (fills after it are read back on a reconnect).
        var lastAccountEvent = Timestamp.epoch
    }

    public init(api: VenueAPI, bookHealth: BookHealth = BookHealth(), timing: Timing = Timing(), logger: Logger = Logger(label: "huracan.venue")) {
        self.timing = timing
        self.venue = api.venue
        self.api = api
        self.bookHealth = bookHealth
        self.logger = logger
    }

    /// What to do when the venue says the key cannot trade (credentials, permissions, IP).
    public func onFatalCredentials(_ handler: @escaping @Sendable (String) -> Void) { fatalHandler.withLock { $0 = handler } }

    // MARK: Feeds in

    /// Applies a public market update (wire a `VenueMarketFeed` sink here).
    public func apply(_ update: VenueMarketUpdate) {
        state.withLock { state in
            switch update {
            case .top(let symbol, let ticker): state.tops[symbol] = ticker
            case .markFunding(let m):
                var merged = state.marks[m.symbol] ?? m
                if let v = m.markPrice { merged.markPrice = v }
                if let v = m.fundingRate { merged.fundingRate = v }
                if let v = m.nextFundingTime { merged.nextFundingTime = v }
                merged.time = m.time
                state.marks[m.symbol] = merged
            case .trade: break
            }
        }
    }

    /// Applies a private-stream update (wire a `VenueUserStream` sink here). A reconnect reads
    /// back, over REST, the fills and final states the stream may have missed while it was down.
    public func apply(_ update: VenueAccountUpdate) {
        switch update {
        case .order(let order):
            noteAccountEvent(order.time)
            deliver(order)
        case .execution(let execution):
            noteAccountEvent(execution.fill.time)
            deliverFill(execution.fill, venueOrderID: execution.venueOrderID)
        case .positions(let positions):
            state.withLock { state in for p in positions { state.positions[p.symbol] = p } }
        case .balances: break
        case .connected:
            let reconnect = state.withLock { state in
                defer { state.streamConnectedBefore = true }
                return state.streamConnectedBefore
            }
            if reconnect {
                counters.streamReadBacks.add(1, ordering: .relaxed)
                Task { await self.readBack(reason: "private stream reconnected") }
            }
        }
    }

    private func noteAccountEvent(_ time: Timestamp) {
        state.withLock { state in if time > state.lastAccountEvent { state.lastAccountEvent = time } }
    }

    /// Reports for an order update, each once. A final state that names more filled quantity
    /// than the fills reported so far is held until they arrive (a chase fetches them).
    public func deliver(_ update: VenueOrderUpdate) {
        let needsChase = state.withLock { state -> Bool in
            guard var tracked = state.orders[update.clientOrderID] else { return false }
            if tracked.venueOrderID.isEmpty { tracked.venueOrderID = update.venueOrderID }
            var out: [VenueReport] = []
            if let fill = update.fill { addFill(fill, to: &tracked, venueOrderID: update.venueOrderID, time: update.time, out: &out) }
            if !tracked.acceptedSent, update.status != .rejected {
                tracked.acceptedSent = true
                out.insert(.accepted(clientOrderID: update.clientOrderID, venueOrderID: update.venueOrderID, time: update.time), at: 0)
            }
            var chase = false
            if update.status.isTerminal {
                if update.status == .rejected, !tracked.filled.isZero {
                    // A reject after fills is not the venue's last word: read its state back.
                    chase = true
                } else if update.filledQuantity > tracked.filled {
                    var held = update
                    held.fill = nil
                    tracked.heldFinal = held
                    tracked.markWorking()
                    chase = true
                } else {
                    Self.finish(&tracked, with: update, out: &out)
                }
            } else if !tracked.status.isTerminal {
                tracked.markWorking()
            }
            state.orders[update.clientOrderID] = tracked
            emit(out)
            return chase
        }
        if needsChase { chase(update.clientOrderID, reason: "final state \(update.venueStatus) names \(update.filledQuantity) filled", firstDelay: timing.streamGrace) }
    }

    /// A fill from the private stream or the fill history, reported once (by trade id).
    public func deliverFill(_ fill: Fill, venueOrderID: String = "") {
        state.withLock { state in
            guard var tracked = state.orders[fill.clientOrderID] else { return }
            var out: [VenueReport] = []
            addFill(fill, to: &tracked, venueOrderID: venueOrderID, time: fill.time, out: &out)
            if let held = tracked.heldFinal, tracked.filled >= held.filledQuantity { Self.finish(&tracked, with: held, out: &out) }
            state.orders[fill.clientOrderID] = tracked
            emit(out)
        }
    }

    /// Reports a fill once (by trade id); one that comes after the order's final state is
    /// counted and logged, and reported all the same.
    private func addFill(_ fill: Fill, to tracked: inout Tracked, venueOrderID: String, time: Timestamp, out: inout [VenueReport]) {
        guard tracked.fillIDs.insert(fill.tradeID).inserted else { return }
        if tracked.finalSent {
            counters.lateFills.add(1, ordering: .relaxed)
            logger.warning("\(venue) order \(fill.clientOrderID): fill \(fill.tradeID) arrived after its final state; applied")
        }
        if !tracked.acceptedSent {
            tracked.acceptedSent = true
            out.append(.accepted(clientOrderID: fill.clientOrderID, venueOrderID: venueOrderID, time: time))
        }
        tracked.filled += fill.quantity
        if tracked.status.isWorking { tracked.markWorking() }
        out.append(.fill(fill))
    }

    /// Reports the final state (once) and marks the order final.
    private static func finish(_ tracked: inout Tracked, with update: VenueOrderUpdate, out: inout [VenueReport]) {
        tracked.heldFinal = nil
        tracked.status = update.status
        guard !tracked.finalSent else { return }
        tracked.finalSent = true
        switch update.status {
        case .cancelled: out.append(.cancelled(clientOrderID: update.clientOrderID, time: update.time))
        case .expired: out.append(.expired(clientOrderID: update.clientOrderID, time: update.time))
        case .rejected: out.append(.rejected(clientOrderID: update.clientOrderID, reason: update.reason ?? update.venueStatus, time: update.time))
        default: break  // filled: its fills said it
        }
    }

    /// Sends reports while the caller holds the state lock, so they leave in venue order.
    private func emit(_ reports: [VenueReport]) {
        for report in reports { broadcast.send(report) }
    }

    // MARK: ExchangeVenue

    public func orderBook(coin: String) async throws -> OrderBookSnapshot {
        let symbol = try symbol(coin)
        let snapshot = try await api.depthSnapshot(symbol: symbol, limit: 100)
        var book = LocalOrderBook()
        book.reset(snapshot)
        return book.snapshot(coin: coin, venue: venue)
    }

    public func placeOrder(_ request: OrderRequest) async throws {
        let symbol = try symbol(request.coin)
        let fresh = state.withLock { state -> Bool in
            guard state.orders[request.clientOrderID] == nil else { return false }
            state.orders[request.clientOrderID] = Tracked(request: request, symbol: symbol, status: .new, sentAt: WallClock.now())
            return true
        }
        guard fresh else { throw LiveVenueError.duplicateClientOrderID(request.clientOrderID, venue: venue) }
        do {
            let ack = try await api.placeOrder(request, symbol: symbol)
            state.withLock { state in
                guard var tracked = state.orders[request.clientOrderID] else { return }
                if tracked.status == .new || tracked.status == .unknown { tracked.markWorking() }
                if tracked.venueOrderID.isEmpty { tracked.venueOrderID = ack.venueOrderID }
                var out: [VenueReport] = []
                if !tracked.acceptedSent {
                    tracked.acceptedSent = true
                    out.append(.accepted(clientOrderID: request.clientOrderID, venueOrderID: ack.venueOrderID, time: WallClock.now()))
                }
                state.orders[request.clientOrderID] = tracked
                emit(out)
            }
            if request.type == .market || request.timeInForce == .ioc {
                chase(request.clientOrderID, reason: "no final state on the private stream after \(timing.streamGrace)", firstDelay: timing.streamGrace)
            }
        } catch let error as VenueAPIError where Self.refused(error) {
            refused(request, error: error)
        } catch let error as OrderEncodingError {
            reject(request.clientOrderID, reason: error.description)
        } catch let error as VenueTransportError where error.neverSent {
            reject(request.clientOrderID, reason: error.description)
        } catch is CancellationError {
            markUnknown(request.clientOrderID, reason: "cancelled while sending")
        } catch {
            // Reset, closed connection, timeout, 5xx, an unreadable or unexpected answer: the
            // venue may have the order.
            markUnknown(request.clientOrderID, reason: "\(error)")
        }
    }

    /// Whether a venue error on a new order means the venue did not take it.
    static func refused(_ error: VenueAPIError) -> Bool {
        switch error.action {
        case .rejected, .resyncPosition, .fatalCredentials, .rateLimited, .resyncClock: true
        case .outcomeUnknown, .retryLater, .duplicateClientOrderID, .orderNotFoundOrFinal: false
        }
    }

    /// The venue refused the order: report it, and act on what the code says.
    private func refused(_ request: OrderRequest, error: VenueAPIError) {
        reject(request.clientOrderID, reason: error.description)
        switch error.action {
        case .resyncPosition:
            // Reduce-only refused: the venue's position is not what the engine holds. Fills the
            // engine has not seen (a lost exit fill, a reject that was really a fill) explain it.
            counters.positionResyncs.add(1, ordering: .relaxed)
            logger.warning("\(venue) \(request.coin): \(error.description); reading the position and recent fills back from the venue")
            Task { await self.resyncPosition(coin: request.coin) }
        case .fatalCredentials:
            logger.critical("\(venue): the venue refuses this API key (\(error.code) \(error.message)); trading on \(venue) stops. Check the key's permissions, IP whitelist and expiry.")
            let handler = fatalHandler.withLock { $0 }
            handler?("\(venue): API key refused (\(error.code) \(error.message))")
        default: break
        }
    }

    private func reject(_ clientOrderID: String, reason: String) {
        state.withLock { state in
            guard var tracked = state.orders[clientOrderID], !tracked.finalSent else { return }
            guard tracked.filled.isZero else { return }  // it reached the venue after all
            tracked.finalSent = true
            tracked.status = .rejected
            state.orders[clientOrderID] = tracked
            emit([.rejected(clientOrderID: clientOrderID, reason: reason, time: WallClock.now())])
        }
    }

    /// The order may or may not exist at the venue: find it by client order id, never resend.
    private func markUnknown(_ clientOrderID: String, reason: String) {
        let before = state.withLock { state -> OrderStatus? in
            guard var tracked = state.orders[clientOrderID] else { return nil }
            let before = tracked.status
            if before == .new { tracked.status = .unknown }
            state.orders[clientOrderID] = tracked
            return before
        }
        counters.unknownOrders.add(1, ordering: .relaxed)
        guard before == .new else {
            logger.warning("\(venue) order \(clientOrderID): reply lost (\(reason)); the private stream had already reported it (\(before.map(\.rawValue) ?? "untracked"))")
            return
        }
        logger.warning("\(venue) order \(clientOrderID) UNKNOWN: reply lost (\(reason)); querying by client order id, never re-sent")
        chase(clientOrderID, reason: "outcome unknown", firstDelay: timing.firstQuery)
    }

    /// What a REST read-back of one order found.
    public enum ReadBack: Sendable, Equatable { case notFound, found, failed }

    /// Queries one order by client order id; when the venue names more filled quantity than was
    /// reported, fetches its fills from the fill history first; then reports its state.
    @discardableResult
    public func readBack(clientOrderID: String) async -> ReadBack {
        guard let tracked = state.withLock({ $0.orders[clientOrderID] }) else { return .notFound }
        do {
            guard var found = try await api.queryOrder(clientOrderID: clientOrderID, symbol: tracked.symbol) else { return .notFound }
            if let fill = found.fill { deliverFill(fill, venueOrderID: found.venueOrderID) }
            found.fill = nil
            let reported = state.withLock { $0.orders[clientOrderID]?.filled } ?? .zero
            if found.filledQuantity > reported {
                let since = tracked.sentAt - timing.fillMargin
                let executions = try await api.recentFills(since: since, symbols: [tracked.symbol])
                let venueOrderID = found.venueOrderID
                var mine = 0
                for execution in executions where execution.fill.clientOrderID == clientOrderID || (!venueOrderID.isEmpty && execution.venueOrderID == venueOrderID) {
                    var fill = execution.fill
                    fill.clientOrderID = clientOrderID
                    deliverFill(fill, venueOrderID: execution.venueOrderID)
                    mine += 1
                }
                counters.fillsReadBack.add(mine, ordering: .relaxed)
                logger.notice("\(venue) order \(clientOrderID): \(found.venueStatus) with \(found.filledQuantity) filled at the venue; \(mine) fills read over REST")
            }
            deliver(found)
            return .found
        } catch {
            logger.warning("\(venue) order \(clientOrderID): read-back failed: \(error)")
            return .failed
        }
    }

    /// Chases one order over REST until it is final: `readBack` with capped exponential backoff.
    /// An UNKNOWN order the venue twice says it does not have (`notFoundConfirmation` after it
    /// was sent) is rejected "never reached the venue"; queries that fail are retried, never
    /// taken for an answer. One chase per order at a time.
    func chase(_ clientOrderID: String, reason: String, firstDelay: Duration) {
        let start = state.withLock { state -> Bool in
            guard var tracked = state.orders[clientOrderID], !tracked.status.isTerminal, !tracked.chasing else { return false }
            tracked.chasing = true
            state.orders[clientOrderID] = tracked
            return true
        }
        guard start else { return }
        Task {
            var delay = firstDelay
            var notFound = 0
            var resting = false
            attempts: for _ in 0..<timing.maxAttempts {
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, timing.maxInterval)
                guard let tracked = state.withLock({ $0.orders[clientOrderID] }), !tracked.status.isTerminal else { break }
                switch await readBack(clientOrderID: clientOrderID) {
                case .notFound:
                    guard tracked.status == .unknown || tracked.status == .new else { continue }
                    notFound += 1
                    let age = WallClock.now() - tracked.sentAt
                    if notFound >= 2, age >= timing.notFoundConfirmation.nanosecondsTotal {
                        counters.unknownAbsent.add(1, ordering: .relaxed)
                        reject(clientOrderID, reason: "not found at \(venue) by client order id (\(notFound) queries, \(age / 1_000_000) ms after sending): never reached the venue")
                    }
                case .found:
                    counters.resolvedByQuery.add(1, ordering: .relaxed)
                    // A resting order the venue has: its stream reports the rest; an immediate
                    // one is chased until final.
                    let immediate = tracked.request.type == .market || tracked.request.timeInForce == .ioc
                    if !immediate, status(of: clientOrderID)?.isWorking == true {
                        resting = true
                        break attempts
                    }
                case .failed:
                    continue
                }
            }
            let left = state.withLock { state -> Bool in
                state.orders[clientOrderID]?.chasing = false
                return state.orders[clientOrderID].map { !$0.status.isTerminal } ?? false
            }
            if left, !resting { logger.warning("\(venue) order \(clientOrderID) still not final after \(timing.maxAttempts) queries (\(reason)); the periodic reconciliation keeps checking it") }
        }
    }

    /// Reads back what the private stream may have missed: the fills of our orders since the
    /// last account event (minus the margin) on the symbols with orders sent in the last 15
    /// minutes or not final, then the state of every order not yet final.
    public func readBack(reason: String) async {
        let (open, symbols, since) = state.withLock { state -> ([String], [String], Timestamp) in
            let recentFloor = WallClock.now() - .seconds(15 * 60)
            var symbols = Set<String>()
            var open: [String] = []
            var oldest = state.lastAccountEvent
            for (id, tracked) in state.orders where !tracked.status.isTerminal || tracked.sentAt >= recentFloor {
                symbols.insert(tracked.symbol)
                if !tracked.status.isTerminal {
                    open.append(id)
                    oldest = min(oldest == .epoch ? tracked.sentAt : oldest, tracked.sentAt)
                }
            }
            if oldest == .epoch { oldest = recentFloor }
            return (open.sorted(), symbols.sorted(), oldest - timing.fillMargin)
        }
        guard !symbols.isEmpty else { return }
        logger.notice("\(venue): \(reason): reading back fills since \(since) on \(symbols.count) symbols and \(open.count) unfinished orders")
        await deliverFills(since: since, symbols: symbols)
        for id in open { await readBack(clientOrderID: id) }
    }

    /// Reads back the unfinished orders no chase is following (a resting order, a chase that
    /// ran out of attempts) and stops tracking final orders older than `timing.retention`.
    public func settleUnfinished() async {
        let floor = WallClock.now() - timing.retention
        let idle = state.withLock { state -> [String] in
            state.orders = state.orders.filter { !$0.value.status.isTerminal || $0.value.sentAt >= floor }
            return state.orders.filter { !$0.value.status.isTerminal && !$0.value.chasing }.map(\.key).sorted()
        }
        for id in idle { await readBack(clientOrderID: id) }
    }

    /// Fetches fills and reports those of our orders that were not reported yet.
    private func deliverFills(since: Timestamp, symbols: [String]) async {
        do {
            let executions = try await api.recentFills(since: since, symbols: symbols)
            let byVenueOrder = state.withLock { state in
                Dictionary(state.orders.compactMap { $0.value.venueOrderID.isEmpty ? nil : ($0.value.venueOrderID, $0.key) }, uniquingKeysWith: { a, _ in a })
            }
            for execution in executions.sorted(by: { ($0.fill.time, $0.fill.tradeID) < ($1.fill.time, $1.fill.tradeID) }) {
                var fill = execution.fill
                if fill.clientOrderID.isEmpty, let owner = byVenueOrder[execution.venueOrderID] { fill.clientOrderID = owner }
                guard !fill.clientOrderID.isEmpty else { continue }
                let isNew = state.withLock { $0.orders[fill.clientOrderID].map { !$0.fillIDs.contains(fill.tradeID) } ?? false }
                if isNew {
                    counters.fillsReadBack.add(1, ordering: .relaxed)
                    deliverFill(fill, venueOrderID: execution.venueOrderID)
                }
            }
        } catch {
            logger.warning("\(venue): fills could not be read back: \(error)")
        }
    }

    /// After a reduce-only refusal: the coin's recent fills (reported when missing, which closes
    /// a trade whose exit did fill) and its venue position.
    public func resyncPosition(coin: String) async {
        guard let symbol = api.directory.symbol(forCoin: coin) else { return }
        let since = state.withLock { state -> Timestamp in
            let floor = WallClock.now() - .seconds(15 * 60)
            return state.orders.values.filter { $0.symbol == symbol && $0.sentAt >= floor }.map(\.sentAt).min() ?? floor
        }
        await deliverFills(since: since - timing.fillMargin, symbols: [symbol])
        if let positions = try? await api.positions() {
            state.withLock { state in
                state.positions[symbol] = positions.first { $0.symbol == symbol }  // nil: flat at the venue
            }
        }
    }

    /// Where an order stands in this process.
    public func status(of clientOrderID: String) -> OrderStatus? { state.withLock { $0.orders[clientOrderID]?.status } }

    /// Client order ids sent by this process that are not final yet.
    public var unfinishedOrders: [String] { state.withLock { $0.orders.filter { !$0.value.status.isTerminal }.map(\.key).sorted() } }

    /// How many orders sent by this process are not final yet.
    public var unfinishedCount: Int { state.withLock { $0.orders.values.reduce(0) { $0 + ($1.status.isTerminal ? 0 : 1) } } }

    /// Adopts an order found at the venue (reconciliation) so its updates are reported.
    public func adopt(_ update: VenueOrderUpdate, request: OrderRequest) {
        state.withLock { state in
            if state.orders[update.clientOrderID] == nil {
                state.orders[update.clientOrderID] = Tracked(request: request, symbol: update.symbol, status: update.status, acceptedSent: true)
            }
        }
    }

    public func cancelOrder(clientOrderID: String, coin: String) async throws {
        let symbol = try symbol(coin)
        do {
            try await api.cancelOrder(clientOrderID: clientOrderID, symbol: symbol)
        } catch let error as VenueAPIError where error.action == .orderNotFoundOrFinal {
            // Filled or gone before the cancel arrived: the venue's state (and fills) decide.
            await readBack(clientOrderID: clientOrderID)
        }
    }

    /// Changes the quantity (new total, base units) and price of one of our resting limit orders.
    /// The venue's reply is the acknowledgement; the stream reports the order as it now stands.
    /// When the venue says the order is gone or final, its state is fetched and reported, and the
    /// error is rethrown: the amend did not happen.
    public func amendOrder(clientOrderID: String, coin: String, quantity: Quantity, price: Price) async throws {
        let symbol = try symbol(coin)
        guard let side = state.withLock({ $0.orders[clientOrderID]?.request.side }) else {
            throw LiveVenueError.unknownOrder(clientOrderID, venue: venue)
        }
        do {
            try await api.amendOrder(OrderAmendment(clientOrderID: clientOrderID, side: side, quantity: quantity, price: price), symbol: symbol)
        } catch let error as VenueAPIError where error.action == .orderNotFoundOrFinal {
            await readBack(clientOrderID: clientOrderID)
            throw error
        }
        state.withLock { state in
            state.orders[clientOrderID]?.request.quantity = quantity
            state.orders[clientOrderID]?.request.price = price
        }
    }

    public func fees(coin: String) async throws -> FeeSchedule {
        let symbol = try symbol(coin)
        if let cached = state.withLock({ $0.fees[symbol] }) { return cached }
        let schedule = try await api.fees(symbol: symbol)
        state.withLock { $0.fees[symbol] = schedule }
        return schedule
    }

    /// The fee schedule already read for `coin`, without a call.
    public func cachedFees(coin: String) -> FeeSchedule? {
        guard let symbol = api.directory.symbol(forCoin: coin) else { return nil }
        return state.withLock { $0.fees[symbol] }
    }

    public func funding(coin: String) async throws -> FundingInfo {
        let symbol = try symbol(coin)
        guard let mark = state.withLock({ $0.marks[symbol] }), let rate = mark.fundingRate else {
            throw LiveVenueError.noFundingYet(coin: coin, venue: venue)
        }
        return FundingInfo(rate: rate.doubleValue, markPrice: mark.markPrice?.doubleValue ?? state.withLock { $0.tops[symbol].map { ($0.bidPrice.doubleValue + $0.askPrice.doubleValue) / 2 } ?? 0 },
                           nextFundingTime: mark.nextFundingTime ?? .epoch)
    }

    public func reports() -> AsyncStream<VenueReport> { broadcast.subscribe() }

    /// Latest best bid/ask of `coin` from the feed.
    public func top(coin: String) -> BookTicker? {
        guard let symbol = api.directory.symbol(forCoin: coin) else { return nil }
        return state.withLock { $0.tops[symbol] }
    }

    /// Latest venue position of `coin` from the private stream (signed base units).
    public func streamPosition(coin: String) -> VenuePosition? {
        guard let symbol = api.directory.symbol(forCoin: coin) else { return nil }
        return state.withLock { $0.positions[symbol] }
    }

    func symbol(_ coin: String) throws -> String {
        guard let symbol = api.directory.symbol(forCoin: coin) else { throw LiveVenueError.unknownCoin(coin: coin, venue: venue) }
        return symbol
    }
}

/// Errors of `LiveVenue` that are ours, not the venue's.
public enum LiveVenueError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownCoin(coin: String, venue: VenueID)
    case duplicateClientOrderID(String, venue: VenueID)
    case noFundingYet(coin: String, venue: VenueID)
    case unknownOrder(String, venue: VenueID)

    public var description: String {
        switch self {
        case .unknownCoin(let coin, let venue): "\(venue): \(coin) has no native symbol in the universe"
        case .duplicateClientOrderID(let id, let venue): "\(venue): client order id \(id) was already sent; orders are never sent twice"
        case .noFundingYet(let coin, let venue): "\(venue): no funding for \(coin) received yet from the mark price stream"
        case .unknownOrder(let id, let venue): "\(venue): client order id \(id) was not placed through this venue; only our own orders can be amended"
        }
    }
}
