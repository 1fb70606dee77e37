import AsyncHTTPClient
import Foundation
import HuracanCore
import HuracanExchanges
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Signed and public REST calls to one venue over async-http-client, paced by the venue's
/// `RateLimiter` (reserve, then sleep until the granted time), fed back by usage headers and
/// 429/418 replies, with the venue clock offset applied to every signed timestamp.
///
/// Retries: only idempotent calls (reads, cancels, queries) are retried, with exponential backoff
/// and jitter; a new order is never re-sent — a timeout leaves its outcome unknown for the caller
/// to resolve by client order id. A clock error (-1021, 50102, 10002) re-measures the venue clock
/// and re-signs once, since the venue refused the request.
public final class VenueRESTClient: Sendable {
    public struct Configuration: Sendable {
        public var timeout: Duration = .seconds(5)
        public var maxRetries = 3
        public var backoffBase: Duration = .milliseconds(200)
        public var backoffMax: Duration = .seconds(5)
        /// Binance/Bybit receive window (ms).
        public var recvWindowMilliseconds: Int64 = 5000
        /// Fraction of each documented limit used.
        public var rateLimitSafety = 0.8
        /// A new entry that would wait longer than this for the rate limiter is not sent (it is
        /// refused locally, nothing reaches the venue): entries are only worth their signal's
        /// moment, while exits and cancels wait their turn and go first.
        public var maxEntryWait: Duration = .seconds(1)
        public init() {}
    }

    public let venue: VenueID
    public let endpoints: VenueEndpoints
    public let configuration: Configuration
    public let health: VenueHealthCounters
    let credentials: VenueCredentials?
    let http: HTTPClient
    let limiter: Locked<RateLimiter>
    let clock = Locked(ServerTimeOffset())
    let logger: Logger

    public init(venue: VenueID, endpoints: VenueEndpoints, credentials: VenueCredentials?, configuration: Configuration = .init(),
                health: VenueHealthCounters = VenueHealthCounters(), http: HTTPClient = .shared, logger: Logger = Logger(label: "huracan.venue")) {
        self.venue = venue
        self.endpoints = endpoints
        self.credentials = credentials
        self.configuration = configuration
        self.health = health
        self.http = http
        self.logger = logger
        limiter = Locked(VenueRateLimits.limiter(venue, safety: configuration.rateLimitSafety))
    }

    public var hasCredentials: Bool { credentials != nil }
    public var serverTimeOffset: ServerTimeOffset { clock.withLock { $0 } }
    public var rateLimiter: RateLimiter { limiter.withLock { $0 } }

    /// Takes the venue's own published limits in place of the documented defaults.
    public func adoptRateLimits(_ limits: [(rule: String, limit: Int, window: Duration)]) {
        guard !limits.isEmpty else { return }
        limiter.withLock { limiter in for l in limits { limiter.setLimit(l.rule, limit: l.limit, window: l.window) } }
        let text = limits.map { "\($0.rule) \($0.limit)/\($0.window)" }.joined(separator: ", ")
        logger.info("\(venue) rate limits from the venue: \(text)")
    }


    /// Measures the venue clock (`/fapi/v1/time`, `/api/v5/public/time`, `/v5/market/time`).
    @discardableResult
    public func syncTime() async throws -> ServerTimeOffset {
        let path: String
        switch venue {
        case .binance: path = "/fapi/v1/time"
        case .okx: path = "/api/v5/public/time"
        case .bybit: path = "/v5/market/time"
        }
        let sent = WallClock.now()
        let reply = try await send(method: .GET, path: path, parameters: [], body: "", signed: false, cost: VenueRateLimits.cost(.serverTime, venue: venue), idempotent: true,
                                   priority: .urgent)
        let received = WallClock.now()
        let server: Timestamp
        switch venue {
        case .binance: server = try BinanceParsers.serverTime(try BinanceProtocol.check(reply.body, httpStatus: reply.status, operation: "GET \(path)"))
        case .okx: server = try OKXParsers.serverTime(try OKXProtocol.data(reply.body, operation: "GET \(path)", httpStatus: reply.status))
        case .bybit: server = try BybitParsers.serverTime(try BybitProtocol.result(reply.body, operation: "GET \(path)", httpStatus: reply.status))
        }
        return clock.withLock { offset in
            offset.record(sent: sent, received: received, server: server)
            return offset
        }
    }

    /// A reply: HTTP status and body bytes (the venue's error envelope is checked by the caller's decoder).
    public struct Reply: Sendable {
        public var status: Int
        public var body: [UInt8]
        public var headers: HTTPHeaders
    }

    /// Sends a call and decodes it with the venue's envelope check; applies the retry policy.
    public func call<T>(_ method: HTTPMethod, _ path: String, parameters: [(String, String)] = [], body: String = "", signed: Bool,
                        cost: [RateLimitCost], idempotent: Bool, priority: RequestPriority = .normal, dropAfter: Duration? = nil,
                        decode: (Reply) throws -> T) async throws -> T {
        let operation = "\(method.rawValue) \(path)"
        var attempt = 0
        var resynced = false
        while true {
            do {
                let reply = try await send(method: method, path: path, parameters: parameters, body: body, signed: signed, cost: cost, idempotent: idempotent,
                                           priority: priority, dropAfter: dropAfter)
                do {
                    let value = try decode(reply)
                    health.record(failed: false)
                    return value
                } catch let error as VenueAPIError {
                    health.record(failed: error.countsAsVenueFailure)
                    switch error.action {
                    case .rateLimited:
                        if error.httpStatus != 429, error.httpStatus != 418 { noteThrottle(status: error.httpStatus, headers: reply.headers) }
                        guard idempotent, attempt < configuration.maxRetries else { throw error }
                    case .resyncClock:
                        guard !resynced else { throw error }
                        resynced = true
                        _ = try? await syncTime()
                        continue
                    case .retryLater, .outcomeUnknown:
                        guard idempotent, attempt < configuration.maxRetries else { throw error }
                    default:
                        throw error
                    }
                } catch {
                    health.record(failed: true)
                    throw error
                }
            } catch let error as VenueTransportError {
                if !error.neverSent { health.record(failed: true) }
                guard idempotent, attempt < configuration.maxRetries, !error.neverSent else { throw error }
            }
            attempt += 1
            try await Task.sleep(for: backoff(attempt: attempt))
            logger.debug("\(venue) \(operation): retry \(attempt)")
        }
    }

    /// Exponential backoff with full jitter: uniform in [base·2^(n-1) / 2, base·2^(n-1)], capped.
    func backoff(attempt: Int) -> Duration {
        let base = Double(configuration.backoffBase.nanosecondsTotal) * pow(2, Double(attempt - 1))
        let capped = min(base, Double(configuration.backoffMax.nanosecondsTotal))
        return .nanoseconds(Int64(capped * Double.random(in: 0.5...1.0)))
    }

    private func noteThrottle(status: Int, headers: HTTPHeaders) {
        let retryAfter = headers.first(name: "Retry-After").flatMap(Double.init).map { Duration.milliseconds(Int64($0 * 1000)) }
        limiter.withLock { $0.throttled(httpStatus: status == 418 ? 418 : 429, retryAfter: retryAfter, now: WallClock.now()) }
    }

    /// One HTTP exchange after the limiter grants it.
    func send(method: HTTPMethod, path: String, parameters: [(String, String)], body: String, signed: Bool, cost: [RateLimitCost],
              idempotent: Bool, priority: RequestPriority, dropAfter: Duration? = nil) async throws -> Reply {
        let operation = "\(method.rawValue) \(path)"
        guard let granted = limiter.withLock({ $0.reserve(cost, now: WallClock.now(), priority: priority, maxWait: dropAfter) }) else {
            throw VenueTransportError.rateLimitPressure(venue: venue, operation: operation, wait: dropAfter ?? .zero)
        }
        let wait = granted - WallClock.now()
        if wait > 0 { try await Task.sleep(for: .nanoseconds(wait)) }

        var url = endpoints.rest + path
        var requestBody = body
        var headers: [(String, String)] = []
        let now = clock.withLock { $0.serverTime(atLocal: WallClock.now()) }
        if signed {
            guard let credentials else { throw VenueTransportError.missingCredentials(venue: venue, operation: operation) }
            switch venue {
            case .binance:
                let signer = BinanceSigner(credentials: credentials, recvWindow: configuration.recvWindowMilliseconds)
                url += "?" + signer.signedQuery(parameters, timestamp: now.milliseconds)
                headers = signer.headers
            case .okx:
                let query = parameters.isEmpty ? "" : "?" + HMACSigning.queryString(parameters)
                headers = OKXSigner(credentials: credentials, isDemo: endpoints.isDemo).headers(method: method.rawValue, requestPath: path + query, body: body, time: now)
                url += query
            case .bybit:
                let query = HMACSigning.queryString(parameters)
                let signer = BybitSigner(credentials: credentials, recvWindow: configuration.recvWindowMilliseconds)
                headers = signer.headers(timestamp: now.milliseconds, payload: method == .GET ? query : body)
                if !query.isEmpty { url += "?" + query }
            }
        } else {
            if !parameters.isEmpty { url += "?" + HMACSigning.queryString(parameters) }
            if venue == .binance, path == "/fapi/v1/listenKey", let credentials { headers = [("X-MBX-APIKEY", credentials.apiKey)] }
            if venue == .okx, endpoints.isDemo { headers.append(("x-simulated-trading", "1")) }
        }
        if venue == .binance { requestBody = "" }
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !requestBody.isEmpty {
            if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "application/json") }
            request.body = .bytes(ByteBuffer(string: requestBody))
        }
        let reply: Reply
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(configuration.timeout.nanosecondsTotal))
            let bytes = try await response.body.collect(upTo: 16 << 20)
            reply = Reply(status: Int(response.status.code), body: Array(buffer: bytes), headers: response.headers)
        } catch let error as HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout {
                throw VenueTransportError.timeout(venue: venue, operation: operation, seconds: Double(configuration.timeout.nanosecondsTotal) / 1e9)
            }
            throw VenueTransportError.connection(venue: venue, operation: operation, reason: "\(error)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw VenueTransportError.connection(venue: venue, operation: operation, reason: "\(error)")
        }
        observeUsage(reply)
        return reply
    }

    /// Usage headers: Binance `X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S/1M`; Bybit
    /// `X-Bapi-Limit-Status` (remaining) with `X-Bapi-Limit-Reset-Timestamp` when exhausted.
    private func observeUsage(_ reply: Reply) {
        let now = WallClock.now()
        limiter.withLock { limiter in
            switch venue {
            case .binance:
                if let used = reply.headers.first(name: "X-MBX-USED-WEIGHT-1M").flatMap({ Int($0) }) { limiter.observe(used: used, rule: "weight", now: now) }
                if let used = reply.headers.first(name: "X-MBX-ORDER-COUNT-10S").flatMap({ Int($0) }) { limiter.observe(used: used, rule: "orders10s", now: now) }
                if let used = reply.headers.first(name: "X-MBX-ORDER-COUNT-1M").flatMap({ Int($0) }) { limiter.observe(used: used, rule: "orders1m", now: now) }
            case .bybit:
                if let remaining = reply.headers.first(name: "X-Bapi-Limit-Status").flatMap({ Int($0) }), remaining <= 0,
                   let reset = reply.headers.first(name: "X-Bapi-Limit-Reset-Timestamp").flatMap({ Int64($0) }) {
                    limiter.pause(until: Timestamp(milliseconds: reset))
                }
            case .okx: break
            }
            if reply.status == 429 || reply.status == 418 {
                let retryAfter = reply.headers.first(name: "Retry-After").flatMap(Double.init).map { Duration.milliseconds(Int64($0 * 1000)) }
                limiter.throttled(httpStatus: reply.status, retryAfter: retryAfter, now: now)
            }
        }
    }
}
