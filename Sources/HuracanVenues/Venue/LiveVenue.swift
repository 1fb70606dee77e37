import HuracanCore
import HuracanExchanges
import Logging
import Synchronization

/// A real venue (Binance USD-M, OKX v5, Bybit v5) behind Core's `ExchangeVenue`: REST for
/// orders, fees and snapshots, the public feed for books and funding, the private stream for
/// acknowledgements, fills and cancels.
///
/// Orders: our client order id on every order; an order is sent at most once. A timeout (or a
/// 5xx / "outcome unknown" code) after the order may have reached the venue leaves it UNKNOWN and
/// a background task queries it by client order id with backoff until the venue answers; it is
/// then reported as accepted (and its fills follow on the stream) or, when the venue does not
/// know it, as rejected. Reports are deduplicated (stream and REST may both tell the same thing).
public final class LiveVenue: ExchangeVenue {
    public let venue: VenueID
    public let api: VenueAPI
    public let bookHealth: BookHealth
    let logger: Logger
    let state = Mutex(State())
    private let broadcast = VenueReportBroadcast()
    /// How long an UNKNOWN order is searched for before it is declared absent.
    public let unknownResolution: (attempts: Int, interval: Duration)
    /// How long an acknowledged immediate order (market, IOC) may wait for its fills on the
    /// private stream before they are fetched over REST: a message lost on the stream never
    /// leaves a trade waiting.
    public let streamGrace: Duration

    struct Tracked: Sendable {
        var request: OrderRequest
        var symbol: String
        var status: TrackedStatus
        var venueOrderID = ""
        var sentAt = Timestamp.epoch
        var acceptedSent = false
        var finalSent = false
        var fillIDs: Set<String> = []
    }

    public enum TrackedStatus: String, Sendable, Hashable { case sending, unknown, open, final }

    struct State: Sendable {
        var orders: [String: Tracked] = [:]
        var tops: [String: BookTicker] = [:]
        var marks: [String: MarkFunding] = [:]
        var positions: [String: VenuePosition] = [:]
        var fees: [String: FeeSchedule] = [:]
    }

    public init(api: VenueAPI, bookHealth: BookHealth = BookHealth(), unknownResolution: (attempts: Int, interval: Duration) = (8, .milliseconds(500)),
                streamGrace: Duration = .seconds(3), logger: Logger = Logger(label: "huracan.venue")) {
        self.unknownResolution = unknownResolution
        self.streamGrace = streamGrace
        self.venue = api.venue
        self.api = api
        self.bookHealth = bookHealth
        self.logger = logger
    }

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

    /// Applies a private-stream update (wire a `VenueUserStream` sink here).
    public func apply(_ update: VenueAccountUpdate) {
        switch update {
        case .order(let order): deliver(order)
        case .execution(let execution): deliverFill(execution.fill)
        case .positions(let positions):
            state.withLock { state in for p in positions { state.positions[p.symbol] = p } }
        case .balances, .connected: break
        }
    }

    /// Reports for an order update, each once.
    public func deliver(_ update: VenueOrderUpdate) {
        var out: [VenueReport] = []
        state.withLock { state in
            guard var tracked = state.orders[update.clientOrderID] else { return }
            for report in update.reports {
                switch report {
                case .accepted:
                    if tracked.acceptedSent { continue }
                    tracked.acceptedSent = true
                case .fill(let fill):
                    guard tracked.fillIDs.insert(fill.tradeID).inserted else { continue }
                    if !tracked.acceptedSent {
                        tracked.acceptedSent = true
                        out.append(.accepted(clientOrderID: update.clientOrderID, venueOrderID: update.venueOrderID, time: update.time))
                    }
                case .cancelled, .expired, .rejected:
                    if tracked.finalSent { continue }
                    tracked.finalSent = true
                default: break
                }
                out.append(report)
            }
            tracked.status = update.status.isTerminal ? .final : .open
            state.orders[update.clientOrderID] = tracked
            emit(out, state: &state)
        }
    }

    func deliverFill(_ fill: Fill) {
        state.withLock { state in
            guard var tracked = state.orders[fill.clientOrderID], tracked.fillIDs.insert(fill.tradeID).inserted else { return }
            var out: [VenueReport] = []
            if !tracked.acceptedSent {
                tracked.acceptedSent = true
                out.append(.accepted(clientOrderID: fill.clientOrderID, venueOrderID: "", time: fill.time))
            }
            out.append(.fill(fill))
            state.orders[fill.clientOrderID] = tracked
            emit(out, state: &state)
        }
    }

    /// Sends reports while the caller holds the state lock, so they leave in venue order.
    private func emit(_ reports: [VenueReport], state: inout State) {
        for report in reports { broadcast.send(report) }
    }

    private func emit(_ reports: [VenueReport]) { state.withLock { emit(reports, state: &$0) } }

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
            state.orders[request.clientOrderID] = Tracked(request: request, symbol: symbol, status: .sending, sentAt: VenueRESTClient.wallNow())
            return true
        }
        guard fresh else { throw LiveVenueError.duplicateClientOrderID(request.clientOrderID, venue: venue) }
        do {
            let ack = try await api.placeOrder(request, symbol: symbol)
            var out: [VenueReport] = []
            state.withLock { state in
                guard var tracked = state.orders[request.clientOrderID] else { return }
                if tracked.status == .sending { tracked.status = .open }
                tracked.venueOrderID = ack.venueOrderID
                if !tracked.acceptedSent {
                    tracked.acceptedSent = true
                    out.append(.accepted(clientOrderID: request.clientOrderID, venueOrderID: ack.venueOrderID, time: VenueRESTClient.wallNow()))
                }
                state.orders[request.clientOrderID] = tracked
                emit(out, state: &state)
            }
            if request.type == .market || request.timeInForce == .ioc { watchForCompletion(request.clientOrderID) }
        } catch let error as VenueTransportError where error.outcomeUnknown {
            markUnknown(request.clientOrderID, reason: "\(error)")
        } catch let error as VenueAPIError {
            switch error.action {
            case .outcomeUnknown, .duplicateClientOrderID:
                markUnknown(request.clientOrderID, reason: error.description)
            default:
                reject(request.clientOrderID, reason: error.description)
            }
        } catch {
            reject(request.clientOrderID, reason: "\(error)")
        }
    }

    private func reject(_ clientOrderID: String, reason: String) {
        var out: [VenueReport] = []
        state.withLock { state in
            guard var tracked = state.orders[clientOrderID], !tracked.finalSent else { return }
            tracked.finalSent = true
            tracked.status = .final
            state.orders[clientOrderID] = tracked
            out.append(.rejected(clientOrderID: clientOrderID, reason: reason, time: VenueRESTClient.wallNow()))
            emit(out, state: &state)
        }
    }

    /// The order may or may not exist at the venue: find it by client order id, never resend.
    private func markUnknown(_ clientOrderID: String, reason: String) {
        let symbol = state.withLock { state -> String? in
            guard var tracked = state.orders[clientOrderID] else { return nil }
            if tracked.status == .sending { tracked.status = .unknown }
            state.orders[clientOrderID] = tracked
            return tracked.symbol
        }
        guard let symbol else { return }
        logger.warning("\(venue) order \(clientOrderID) UNKNOWN (\(reason)): querying by client order id")
        let (attempts, interval) = unknownResolution
        Task {
            for attempt in 0..<attempts {
                try? await Task.sleep(for: interval * (attempt == 0 ? 1 : 2))
                if self.status(of: clientOrderID) != .unknown { return }
                do {
                    if let found = try await self.api.queryOrder(clientOrderID: clientOrderID, symbol: symbol) {
                        self.deliver(found)
                        return
                    }
                } catch {
                    continue
                }
            }
            if self.status(of: clientOrderID) == .unknown { self.reject(clientOrderID, reason: "not found at \(self.venue) after a timeout: never reached the venue") }
        }
    }

    /// Fetches over REST what the private stream has not delivered `streamGrace` after an
    /// immediate order was acknowledged: its fills (deduplicated by trade id) and final state.
    private func watchForCompletion(_ clientOrderID: String) {
        Task {
            for attempt in 0..<5 {
                try? await Task.sleep(for: self.streamGrace * (attempt == 0 ? 1 : 2))
                guard let tracked = state.withLock({ $0.orders[clientOrderID] }), tracked.status != .final else { return }
                do {
                    guard let found = try await api.queryOrder(clientOrderID: clientOrderID, symbol: tracked.symbol), found.status.isTerminal else { continue }
                    let since = tracked.sentAt - .nanoseconds(5_000_000_000)
                    let executions = try await api.recentFills(since: since, symbols: [tracked.symbol])
                    let mine = executions.filter { $0.fill.clientOrderID == clientOrderID || (!found.venueOrderID.isEmpty && $0.venueOrderID == found.venueOrderID) }
                    logger.warning("\(venue) order \(clientOrderID): no final state on the private stream after \(self.streamGrace); \(mine.count) fills read over REST")
                    for execution in mine {
                        var fill = execution.fill
                        fill.clientOrderID = clientOrderID
                        deliverFill(fill)
                    }
                    var final = found
                    final.fill = nil
                    deliver(final)
                    return
                } catch {
                    logger.warning("\(venue) order \(clientOrderID): REST check after a quiet stream failed: \(error)")
                }
            }
        }
    }

    /// Where an order stands in this process.
    public func status(of clientOrderID: String) -> TrackedStatus? { state.withLock { $0.orders[clientOrderID]?.status } }

    /// Adopts an order found at the venue (reconciliation) so its updates are reported.
    public func adopt(_ update: VenueOrderUpdate, request: OrderRequest) {
        state.withLock { state in
            if state.orders[update.clientOrderID] == nil {
                state.orders[update.clientOrderID] = Tracked(request: request, symbol: update.symbol, status: update.status.isTerminal ? .final : .open, acceptedSent: true)
            }
        }
    }

    public func cancelOrder(clientOrderID: String, coin: String) async throws {
        let symbol = try symbol(coin)
        do {
            try await api.cancelOrder(clientOrderID: clientOrderID, symbol: symbol)
        } catch let error as VenueAPIError where error.action == .orderNotFoundOrFinal {
            if let found = try await api.queryOrder(clientOrderID: clientOrderID, symbol: symbol) { deliver(found) }
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
            if let found = try await api.queryOrder(clientOrderID: clientOrderID, symbol: symbol) { deliver(found) }
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
