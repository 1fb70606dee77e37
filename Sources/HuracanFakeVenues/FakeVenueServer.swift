import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import HuracanCore
import HuracanExchanges
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A fake Binance USD-M, OKX v5 or Bybit v5 server on 127.0.0.1 for tests: the REST endpoints and
/// WebSocket streams the adapters use, signatures checked with the venue's real scheme, a matching
/// core with one account, a synthetic market that moves every `tickInterval`, and fault switches.
public final class FakeVenueServer: Sendable {
    public let venue: VenueID
    /// The account's key; requests signed with anything else are refused as the venue would.
    public let credentials: VenueCredentials
    public let tickInterval: Duration
    let dialect: any FakeVenueDialect
    let state: Locked<FakeVenueState>
    private let lifecycle = Locked<(group: ServiceGroup?, task: Task<Void, any Error>?, ticker: Task<Void, Never>?, port: Int)>((nil, nil, nil, 0))

    public init(venue: VenueID, instruments: [FakeInstrument], credentials: VenueCredentials? = nil, tickInterval: Duration = .milliseconds(100)) {
        self.venue = venue
        self.credentials = credentials ?? VenueCredentials(apiKey: "fake-\(venue)-key", secret: "fake-\(venue)-secret",
                                                           passphrase: venue == .okx ? "fake-passphrase" : nil, origin: "fake venue")
        self.tickInterval = tickInterval
        switch venue {
        case .binance: dialect = FakeBinance()
        case .okx: dialect = FakeOKX()
        case .bybit: dialect = FakeBybit()
        }
        var books: [String: FakeBook] = [:]
        for instrument in instruments { books[instrument.symbol] = FakeBook(instrument: instrument) }
        state = Locked(FakeVenueState(books: books))
    }

    /// The port bound on 127.0.0.1 (0 before `start`).
    public var port: Int { lifecycle.withLock { $0.port } }
    public var restURL: String { "http://127.0.0.1:\(port)" }
    public var webSocketURL: String { "ws://127.0.0.1:\(port)" }

    /// Binds a free port on 127.0.0.1 and starts serving and moving the market.
    public func start() async throws {
        let router = Router(context: FakeRequestContext.self)
        router.add(middleware: FakeRESTMiddleware(server: self))
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-\(venue)")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 22, autoPing: .disabled))) { [self] request, _, _ in
                let target = request.path ?? "/"
                return .upgrade([:]) { inbound, outbound, _ in
                    await self.serveWebSocket(target: target, inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-\(venue)"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await value in portStream { port = value }
        let ticker = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tickInterval)
                tick()
            }
        }
        lifecycle.withLock { $0 = (group, task, ticker, port) }
    }

    public func stop() async {
        let (group, task, ticker, _) = lifecycle.withLock { $0 }
        ticker?.cancel()
        state.withLock { $0.stopping = true } // a client reconnecting now is turned away
        disconnectAll()
        await group?.triggerGracefulShutdown()
        guard let task else { return }
        // A graceful shutdown waits for open connections; one that never closes must not keep
        // the test awaiting this stop forever: after 5 s the server is cancelled and the stop
        // returns (the server's threads end with the process).
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = Locked<CheckedContinuation<Void, Never>?>(continuation)
            Task {
                _ = try? await task.value
                waiting.withLock { $0.take() }?.resume()
            }
            Task {
                try? await Task.sleep(for: .seconds(5))
                guard let continuation = waiting.withLock({ $0.take() }) else { return }
                task.cancel()
                print("fake \(venue) venue: stop gave up waiting for open connections after 5 s")
                continuation.resume()
            }
        }
    }

    // MARK: Controls and inspection (tests)

    public func faults(_ change: (inout FakeVenueFaults) -> Void) { state.withLock { change(&$0.faults) } }

    /// Closes every WebSocket connection now (the clients must reconnect and resubscribe).
    public func disconnectAll() {
        let sessions = state.withLock { state in
            defer { state.sessions.removeAll() }
            return Array(state.sessions.values)
        }
        for session in sessions { session.continuation.finish() }
    }

    /// The account's fee rates (fractions: 0.0002 = 2 bps), as the fee endpoints report them and fills charge.
    public func setFees(maker: FixedDecimal, taker: FixedDecimal) {
        state.withLock { state in
            state.account.makerFee = maker
            state.account.takerFee = taker
        }
    }

    /// The 24 h statistics of `symbol`: high-low range as a fraction of the mid, and traded value.
    public func setDayStatistics(symbol: String, range: FixedDecimal, quoteVolume: FixedDecimal? = nil) {
        state.withLock { state in
            state.books[symbol]?.dayRange = range
            if let quoteVolume { state.books[symbol]?.dayQuoteVolume = quoteVolume }
        }
    }

    /// Every book, by symbol (sorted), for the all-symbols endpoints.
    func allBooks() -> [FakeBook] { state.withLock { state in state.books.keys.sorted().compactMap { state.books[$0] } } }

    /// Shifts the venue clock against ours (clock skew drills).
    public func setClockOffset(milliseconds: Int64) { state.withLock { $0.clockOffsetMilliseconds = milliseconds } }

    /// Expires every Binance listen key: the user streams get `listenKeyExpired` and are closed.
    public func expireListenKeys() {
        let now = nowMilliseconds
        let closing = state.withLock { state -> [FakeSession] in
            for key in state.listenKeys.keys { state.listenKeys[key] = now - 1 }
            let expired = state.sessions.values.filter { $0.listenKey != nil }
            for session in expired { state.sessions[session.id] = nil }
            return Array(expired)
        }
        for session in closing {
            session.continuation.yield("{\"e\":\"listenKeyExpired\",\"E\":\(now),\"listenKey\":\"\(session.listenKey ?? "")\"}")
            session.continuation.finish()
        }
    }

    public var orders: [FakeOrder] { state.withLock { Array($0.account.orders.values) } }
    public func order(clientOrderID: String) -> FakeOrder? { state.withLock { $0.account.orders[clientOrderID] } }
    /// New-order requests received for `clientOrderID`, duplicates included.
    public func submissions(clientOrderID: String) -> Int { state.withLock { $0.account.submissions[clientOrderID] ?? 0 } }
    public var totalSubmissions: Int { state.withLock { $0.account.submissions.values.reduce(0, +) } }
    public var fills: [FakeFill] { state.withLock { $0.account.fills } }
    public func position(symbol: String) -> FakePosition { state.withLock { $0.account.positions[symbol] ?? FakePosition() } }
    public var positions: [String: FakePosition] { state.withLock { $0.account.positions.filter { !$0.value.quantity.isZero } } }
    public var webSocketSessionCount: Int { state.withLock { $0.sessions.count } }
    /// Private-stream connections that are logged in (Binance: opened with a valid listen key).
    public var authenticatedPrivateSessions: Int { state.withLock { $0.sessions.values.filter { $0.isPrivate && $0.isAuthenticated }.count } }
    public var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }
    /// Every REST request seen, as "METHOD /path".
    public var requestLog: [String] { state.withLock { $0.requestLog } }
    public func bestBidAsk(symbol: String) -> (bid: FixedDecimal, ask: FixedDecimal)? {
        state.withLock { state in state.books[symbol].map { ($0.bestBid, $0.bestAsk) } }
    }

    /// Places an order directly in the account, as if from another client of the same account.
    @discardableResult
    public func placeDirect(clientOrderID: String, symbol: String, side: Side, type: OrderType, timeInForce: TimeInForce = .gtc,
                            quantity: FixedDecimal, price: FixedDecimal? = nil) -> FakeOrder? {
        let now = nowMilliseconds
        let result = state.withLock { state -> FakeOrder? in
            guard let book = state.books[symbol] else { return nil }
            return try? state.account.place(clientOrderID: clientOrderID, symbol: symbol, side: side, type: type, timeInForce: timeInForce,
                                            quantity: quantity, price: price, reduceOnly: false, book: book, partial: false, now: now).get()
        }
        flushAccountEvents()
        return result
    }

    // MARK: Clock

    var nowMilliseconds: Int64 {
        WallClock.now().nanoseconds / 1_000_000 + state.withLock { $0.clockOffsetMilliseconds }
    }

    // MARK: Market

    /// One market step: every book moves, resting orders it crosses fill, streams get their messages.
    func tick() {
        let now = nowMilliseconds
        var outgoing: [(FakeSession.ID, String)] = []
        state.withLock { state in
            state.tickCount += 1
            for symbol in state.books.keys.sorted() {
                var book = state.books[symbol]!
                let changes = book.advance()
                var messages: [FakeTopicMessage] = []
                let drop = state.faults.dropDepthMessages > 0
                if drop { state.faults.dropDepthMessages -= 1 }
                let badChecksum = state.faults.badChecksumNext > 0
                if badChecksum { state.faults.badChecksumNext -= 1 }
                messages += dialect.depthMessages(book: &book, bids: changes.bids, asks: changes.asks, now: now, badChecksum: badChecksum).filter { _ in !drop }
                messages += dialect.tickerMessages(book: book, now: now)
                if state.tickCount % 5 == 0 {
                    book.tradeID += 1
                    messages += dialect.tradeMessages(book: book, now: now)
                }
                if state.tickCount % 10 == 0 { messages += dialect.markMessages(book: book, now: now) }
                state.books[symbol] = book
                if !state.faults.freezeRestingOrders { state.account.matchResting(symbol: symbol, book: book, now: now) }
                for message in messages {
                    for session in state.sessions.values where session.topics.contains(message.topic) {
                        outgoing.append((session.id, message.text))
                    }
                }
            }
            outgoing += state.drainAccountEvents(dialect: dialect, now: now)
            for (id, text) in outgoing { state.sessions[id]?.continuation.yield(text) }
        }
    }

    /// Sends pending account events to the private streams.
    func flushAccountEvents() {
        let now = nowMilliseconds
        state.withLock { state in
            for (id, text) in state.drainAccountEvents(dialect: dialect, now: now) { state.sessions[id]?.continuation.yield(text) }
        }
    }

    // MARK: WebSocket

    func serveWebSocket(target: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        let (path, query) = splitTarget(target)
        let opened = state.withLock { state -> FakeSession? in
            state.nextSession += 1
            state.connectionsOpened += 1
            var session = FakeSession(id: state.nextSession, continuation: continuation, path: path)
            guard dialect.open(&session, query: query, state: &state, now: nowMillisecondsUnlocked(state)) else { return nil }
            if session.isPrivate, state.faults.privateStreamsDown { return nil }
            guard !state.stopping else { return nil }
            state.sessions[session.id] = session
            return session
        }
        guard let opened else {
            return
        }
        // The client's messages are read on their own task: when the session ends from this side
        // (the venue closes it), the handler returns at once, which closes the connection and
        // ends that read. (Awaiting the read as well left the handler waiting on a client that
        // had nothing to say, and a server stop waiting on the handler.)
        let reader = Task { [self] in
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    receive(text, session: opened.id)
                }
            } catch {}
            continuation.finish()
        }
        for await text in stream {
            do { try await outbound.write(.text(text)) } catch { break }
        }
        reader.cancel()
        state.withLock { _ = $0.sessions.removeValue(forKey: opened.id) }
        continuation.finish()
    }

    private func nowMillisecondsUnlocked(_ state: FakeVenueState) -> Int64 {
        WallClock.now().nanoseconds / 1_000_000 + state.clockOffsetMilliseconds
    }

    func receive(_ text: String, session id: FakeSession.ID) {
        let now = nowMilliseconds
        state.withLock { state in
            guard var session = state.sessions[id] else { return }
            let replies = dialect.receive(text, session: &session, state: &state, credentials: credentials, now: now)
            state.sessions[id] = session
            for reply in replies { session.continuation.yield(reply) }
        }
    }

    // MARK: REST

    func serveREST(_ request: FakeRESTRequest) async -> FakeRESTResponse {
        let now = nowMilliseconds
        let limited = state.withLock { state -> (Bool, Int) in
            state.requestLog.append("\(request.method) \(request.path)")
            if state.faults.rateLimitNext > 0 {
                state.faults.rateLimitNext -= 1
                return (true, state.faults.retryAfterSeconds)
            }
            return (false, 0)
        }
        if limited.0 {
            var response = dialect.rateLimited()
            response.headers.append(("Retry-After", String(limited.1)))
            return response
        }
        return await dialect.serve(request, server: self, now: now)
    }

    /// Places an order for a dialect; returns the order and what its reply suffers (nil: none).
    func place(clientOrderID: String, symbol: String, side: Side, type: OrderType, timeInForce: TimeInForce, quantity: FixedDecimal,
               price: FixedDecimal?, reduceOnly: Bool, now: Int64) -> Result<(FakeOrder, FakeAcceptedReplyFault?), FakePlaceError> {
        let result = state.withLock { state -> Result<(FakeOrder, FakeAcceptedReplyFault?), FakePlaceError> in
            guard let book = state.books[symbol] else { return .failure(.unknownSymbol) }
            if state.faults.rejectNext > 0 {
                state.faults.rejectNext -= 1
                state.account.submissions[clientOrderID, default: 0] += 1
                return .failure(.insufficientMargin)
            }
            switch state.account.place(clientOrderID: clientOrderID, symbol: symbol, side: side, type: type, timeInForce: timeInForce,
                                       quantity: quantity, price: price, reduceOnly: reduceOnly, book: book,
                                       partial: state.faults.partialFills, now: now) {
            case .success(let order):
                var fault: FakeAcceptedReplyFault?
                if state.faults.delayAcceptedOrderReplies > 0 {
                    state.faults.delayAcceptedOrderReplies -= 1
                    fault = .hang(state.faults.acceptedReplyDelay)
                } else if state.faults.failAcceptedOrderReplies > 0 {
                    state.faults.failAcceptedOrderReplies -= 1
                    fault = state.faults.afterAccept
                }
                return .success((order, fault))
            case .failure(.duplicate): return .failure(.duplicate)
            case .failure(.reduceOnlyWouldIncrease): return .failure(.reduceOnly)
            case .failure(.invalid(let reason)): return .failure(.invalid(reason))
            case .failure: return .failure(.invalid("unexpected"))
            }
        }
        flushAccountEvents()
        return result
    }

    /// The reply to an accepted order, spoiled by `fault` when there is one.
    func answer(_ reply: FakeRESTResponse, fault: FakeAcceptedReplyFault?) async -> FakeRESTResponse {
        switch fault {
        case nil: return reply
        case .hang(let duration):
            // Held, but not past the server's stop (a held reply kept the stop waiting).
            let until = ContinuousClock.now + duration
            while ContinuousClock.now < until, !state.withLock({ $0.stopping }) {
                try? await Task.sleep(for: min(.milliseconds(50), until - ContinuousClock.now))
            }
            return reply
        case .reset:
            var closed = reply
            closed.resetConnection = true
            return closed
        case .serviceUnavailable:
            return FakeRESTResponse(status: 503, contentType: "text/plain", body: "Service Unavailable")
        }
    }

    /// Takes the private streams down (open ones are closed, new ones refused) or lets them
    /// connect again. Account events while they are down are lost, as on a real outage.
    public func setPrivateStreamsDown(_ down: Bool) {
        let closing = state.withLock { state -> [FakeSession] in
            state.faults.privateStreamsDown = down
            guard down else { return [] }
            let closing = state.sessions.values.filter(\.isPrivate)
            for session in closing { state.sessions[session.id] = nil }
            return Array(closing)
        }
        for session in closing { session.continuation.finish() }
    }

    /// Closes every private-stream connection now (they reconnect; events meanwhile are lost).
    public func disconnectPrivateStreams() {
        setPrivateStreamsDown(true)
        setPrivateStreamsDown(false)
    }

    func withState<T>(_ body: (inout FakeVenueState) -> T) -> T { state.withLock { body(&$0) } }

    private func splitTarget(_ target: String) -> (String, String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}

/// Why a fake venue refused a new order.
enum FakePlaceError: Error, Sendable {
    case unknownSymbol, insufficientMargin, duplicate, reduceOnly, invalid(String)
}

/// A WebSocket connection of a fake venue.
struct FakeSession: Sendable, Identifiable {
    let id: Int
    let continuation: AsyncStream<String>.Continuation
    let path: String
    var topics: Set<String> = []
    var isPrivate = false
    var isAuthenticated = false
    var listenKey: String?
}

/// A stream message and the topic it belongs to.
struct FakeTopicMessage: Sendable {
    var topic: String
    var text: String
}

/// Everything a fake venue keeps, behind one mutex.
struct FakeVenueState: Sendable {
    var books: [String: FakeBook]
    var account = FakeAccount()
    var faults = FakeVenueFaults()
    var sessions: [Int: FakeSession] = [:]
    /// Set by `stop`: no new WebSocket sessions.
    var stopping = false
    var nextSession = 0
    var connectionsOpened = 0
    var listenKeys: [String: Int64] = [:]
    var clockOffsetMilliseconds: Int64 = 0
    var requestLog: [String] = []
    var tickCount: UInt64 = 0

    /// Account events as private stream messages, per authenticated session that wants them.
    mutating func drainAccountEvents(dialect: any FakeVenueDialect, now: Int64) -> [(Int, String)] {
        guard !account.events.isEmpty else { return [] }
        let events = account.events
        account.events.removeAll()
        var out: [(Int, String)] = []
        var ordered: [FakeAccountEvent] = []
        if faults.expiredBeforeFills {
            // Each order that fills is first reported EXPIRED with nothing filled, then its fills.
            var expiredFirst: Set<String> = []
            for event in events {
                if case .order(let order, let fill?) = event, !expiredFirst.contains(order.clientOrderID) {
                    expiredFirst.insert(order.clientOrderID)
                    var expired = order
                    expired.status = .expired
                    expired.filled = .zero
                    expired.filledNotional = .zero
                    expired.removedByVenue = true
                    ordered.append(.order(expired, fill: nil))
                    ordered.append(.order(order, fill: fill))
                } else if case .order(let order, nil) = event, expiredFirst.contains(order.clientOrderID) {
                    continue
                } else {
                    ordered.append(event)
                }
            }
        } else {
            ordered = events
        }
        for event in ordered {
            if faults.dropAccountEvents > 0 {
                faults.dropAccountEvents -= 1
                continue
            }
            for message in dialect.accountMessages(event, state: self, now: now) {
                for session in sessions.values where session.isPrivate && session.isAuthenticated
                    && (session.topics.contains(message.topic) || message.topic == "*") {
                    out.append((session.id, message.text))
                }
            }
        }
        return out
    }
}

/// A REST request as the dialects see it.
struct FakeRESTRequest: Sendable {
    var method: String
    var path: String
    /// Raw query string without `?`.
    var query: String
    var headers: [String: String]
    var body: String

    /// A header by name, case-insensitive.
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Query (or form body) parameters in order, percent-decoded.
    static func parameters(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? (parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? parts[1]) : "")
        }
    }
}

struct FakeRESTResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var contentType = "application/json"
    var body: String
    /// Close the connection instead of answering (the request was processed).
    var resetConnection = false
}

/// What each venue's protocol front end provides.
protocol FakeVenueDialect: Sendable {
    func serve(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64) async -> FakeRESTResponse
    func rateLimited() -> FakeRESTResponse
    /// Accepts a new connection on `session.path`; false refuses it.
    func open(_ session: inout FakeSession, query: String, state: inout FakeVenueState, now: Int64) -> Bool
    /// A text frame from the client; returns the replies.
    func receive(_ text: String, session: inout FakeSession, state: inout FakeVenueState, credentials: VenueCredentials, now: Int64) -> [String]
    func depthMessages(book: inout FakeBook, bids: [(FixedDecimal, FixedDecimal)], asks: [(FixedDecimal, FixedDecimal)], now: Int64, badChecksum: Bool) -> [FakeTopicMessage]
    func tickerMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage]
    func tradeMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage]
    func markMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage]
    func accountMessages(_ event: FakeAccountEvent, state: FakeVenueState, now: Int64) -> [FakeTopicMessage]
}

/// Routes every HTTP request (WebSocket upgrades excepted) to the fake venue.
struct FakeRESTMiddleware: RouterMiddleware {
    typealias Context = FakeRequestContext
    let server: FakeVenueServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let body = try await request.body.collect(upTo: 1 << 22)
        let fake = FakeRESTRequest(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                                   headers: headers, body: String(buffer: body))
        let reply = await server.serveREST(fake)
        if reply.resetConnection {
            // The venue did the work; the client sees the connection close without a reply.
            try? await context.channel.close()
            throw CancellationError()
        }
        var fields = HTTPFields()
        fields[.contentType] = reply.contentType
        // One request per connection: a client's idle keep-alive connection kept the server's
        // graceful stop waiting (it gave up after 5 s), and a fresh connection per request
        // also exercises the clients' connection setup.
        fields[.connection] = "close"
        for (name, value) in reply.headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }
}

/// JSON text helpers for the dialects.
enum FakeJSON {
    static func quote(_ text: String) -> String { JSONValue.quote(text) }
    static func levels(_ levels: [(FixedDecimal, FixedDecimal)]) -> String {
        "[" + levels.map { "[\"\($0.0)\",\"\($0.1)\"]" }.joined(separator: ",") + "]"
    }
    static func parse(_ text: String) -> [String: JSONValue] {
        if case .object(let fields)? = try? JSONValue.parse(text) { return fields }
        return [:]
    }
}

/// The request context of the fake venues: Hummingbird's basic one plus the connection, so a
/// fault can close it without replying.
struct FakeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
