import HuracanCore

/// One documented limit: at most `limit` units per rolling `window`.
public struct RateLimitRule: Sendable, Hashable {
    public var name: String
    public var limit: Int
    public var windowNanoseconds: Int64
    /// One counter per key (per instrument, per endpoint) instead of one shared counter.
    public var isPerKey: Bool

    public init(name: String, limit: Int, window: Duration, isPerKey: Bool = false) {
        self.name = name
        self.limit = limit
        self.windowNanoseconds = window.nanosecondsTotal
        self.isPerKey = isPerKey
    }
}

/// What one request costs: units against named rules (a key for per-key rules).
public struct RateLimitCost: Sendable, Hashable {
    public var rule: String
    public var key: String
    public var units: Int
    public init(_ rule: String, _ units: Int = 1, key: String = "") {
        self.rule = rule
        self.units = units
        self.key = key
    }
}

/// Who goes first when a budget runs low: exits, cancels and order queries (`urgent`) may use
/// every unit of a budget; new entries and other calls (`normal`) only `RateLimiter.normalShare`
/// of it, so under pressure they wait (or are dropped by the caller) while urgent calls still go.
public enum RequestPriority: Sendable, Hashable { case normal, urgent }

/// A per-venue request limiter: rolling-window budgets for every documented limit, a safety
/// margin below each, pacing when a budget runs low, and pauses driven by the venue's usage
/// headers and 429/418 replies. A pure state machine (time passed in), so a test can replay a
/// 400-coin burst on a manual clock; the REST client keeps it behind a lock and sleeps until the
/// granted time before sending.
///
/// The algorithm: a request is granted at the earliest time at or after `now` (and after any
/// pause) at which every rule it touches has room for its cost within `safety × limit` over the
/// rule's window; the grant is recorded at that time (reserve-then-send), so concurrent callers
/// can never jointly exceed a budget. After a 429 the safety fraction halves (down to a floor)
/// and recovers step by step after quiet windows, so a 429 never turns into an IP ban.
public struct RateLimiter: Sendable {
    public let venue: VenueID
    public private(set) var rules: [String: RateLimitRule]
    /// Fraction of each documented limit we allow ourselves (leaves room for clock skew between
    /// our window and the venue's, and for other processes on the same IP or account).
    public private(set) var safety: Double
    public let baseSafety: Double
    public static let minimumSafety = 0.25
    /// No request is granted before this time (after a 429/418 or an exhausted usage header).
    public private(set) var pausedUntil = Timestamp.epoch
    public private(set) var throttleEvents = 0
    private var lastThrottle = Timestamp.epoch
    /// Grants per counter ("rule" or "rule|key"): (time, units), sorted by time.
    private var logs: [String: [(time: Int64, units: Int)]] = [:]

    public init(venue: VenueID, rules: [RateLimitRule], safety: Double = 0.8) {
        self.venue = venue
        self.rules = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0) })
        self.safety = safety
        self.baseSafety = safety
    }

    /// Share of each budget normal-priority requests may use; the rest is kept for urgent ones.
    public static let normalShare = 0.8

    /// Usable units of `rule` per window at the current safety.
    public func budget(_ rule: RateLimitRule) -> Int { max(1, Int((Double(rule.limit) * safety).rounded(.down))) }

    /// Usable units of `rule` per window for a request of `priority`.
    public func budget(_ rule: RateLimitRule, priority: RequestPriority) -> Int {
        let full = budget(rule)
        return priority == .urgent ? full : max(1, Int((Double(full) * Self.normalShare).rounded(.down)))
    }

    /// Replaces a rule's limit with the venue's own figure (Binance exchangeInfo `rateLimits`).
    public mutating func setLimit(_ ruleName: String, limit: Int, window: Duration) {
        guard var rule = rules[ruleName], limit > 0 else { return }
        rule.limit = limit
        rule.windowNanoseconds = window.nanosecondsTotal
        rules[ruleName] = rule
    }

    private func counter(_ cost: RateLimitCost, _ rule: RateLimitRule) -> String { rule.isPerKey ? rule.name + "|" + cost.key : rule.name }

    /// Reserves a request and returns when it may be sent (`now` if at once).
    ///
    /// Grants may be reserved in the future (paced). A candidate time t is checked against every
    /// grant later than t - window, future ones included: any window holding the new grant holds
    /// t, so this over-approximates every such window and can never overfill one.
    public mutating func reserve(_ costs: [RateLimitCost], now: Timestamp) -> Timestamp {
        reserve(costs, now: now, priority: .urgent, maxWait: nil)!
    }

    /// Reserves a request of `priority` and returns when it may be sent; nil (nothing reserved)
    /// when that would be more than `maxWait` after `now`.
    public mutating func reserve(_ costs: [RateLimitCost], now: Timestamp, priority: RequestPriority, maxWait: Duration?) -> Timestamp? {
        recover(now: now)
        var at = max(now.nanoseconds, pausedUntil.nanoseconds)
        // Moving later only drains windows, so a time that fits every rule after a second pass fits all.
        for _ in 0..<2 {
            for cost in costs {
                guard let rule = rules[cost.rule] else { continue }
                at = max(at, earliest(counter(cost, rule), budget: budget(rule, priority: priority), window: rule.windowNanoseconds, units: cost.units, from: at))
            }
        }
        if let maxWait, at - now.nanoseconds > maxWait.nanosecondsTotal { return nil }
        for cost in costs {
            guard let rule = rules[cost.rule] else { continue }
            insert(counter(cost, rule), time: at, window: rule.windowNanoseconds, units: cost.units, now: now.nanoseconds)
        }
        return Timestamp(nanoseconds: at)
    }

    /// The earliest time t ≥ `from` at which the grants later than t - window leave room for `units`.
    private func earliest(_ key: String, budget: Int, window: Int64, units: Int, from: Int64) -> Int64 {
        guard let log = logs[key], !log.isEmpty else { return from }
        // First grant inside (from - window, from].
        var low = 0, high = log.count
        while low < high {
            let mid = (low + high) / 2
            if log[mid].time <= from - window { low = mid + 1 } else { high = mid }
        }
        var inWindow = 0
        for i in low..<log.count { inWindow += log[i].units }
        if inWindow + units <= budget { return from }
        for i in low..<log.count {
            inWindow -= log[i].units
            if inWindow + units <= budget { return max(from, log[i].time + window) }
        }
        return max(from, (log.last?.time ?? from) + window)
    }

    private mutating func insert(_ key: String, time: Int64, window: Int64, units: Int, now: Int64) {
        var log = logs[key, default: []]
        var index = log.count
        while index > 0, log[index - 1].time > time { index -= 1 }
        log.insert((time, units), at: index)
        // Grants older than two windows before now cannot matter to any later request.
        if log.count > 64, let firstKept = log.firstIndex(where: { $0.time > now - 2 * window }), firstKept > 32 {
            log.removeFirst(firstKept)
        }
        logs[key] = log
    }

    /// Units granted in the window ending at `time` for `rule` (and `key`).
    public func used(_ ruleName: String, key: String = "", at time: Timestamp) -> Int {
        guard let rule = rules[ruleName] else { return 0 }
        let log = logs[rule.isPerKey ? rule.name + "|" + key : rule.name] ?? []
        return log.filter { $0.time > time.nanoseconds - rule.windowNanoseconds && $0.time <= time.nanoseconds }.reduce(0) { $0 + $1.units }
    }

    // MARK: Feedback from the venue

    /// The venue reports `used` units of `rule` in its current window (Binance
    /// `X-MBX-USED-WEIGHT-1M`, Bybit `X-Bapi-Limit`/`-Status`): when it counts more than we do
    /// (other processes, restarts), the difference is booked now so pacing tightens.
    public mutating func observe(used reported: Int, rule ruleName: String, key: String = "", now: Timestamp) {
        guard let rule = rules[ruleName] else { return }
        let ours = used(ruleName, key: key, at: now)
        let key = rule.isPerKey ? rule.name + "|" + key : rule.name
        if reported > ours {
            insert(key, time: now.nanoseconds, window: rule.windowNanoseconds, units: reported - ours, now: now.nanoseconds)
        }
        if reported >= budget(rule) {
            pausedUntil = max(pausedUntil, Timestamp(nanoseconds: now.nanoseconds + rule.windowNanoseconds / 4))
        }
    }

    /// The venue says no more requests until `reset` (Bybit `X-Bapi-Limit-Reset-Timestamp` with
    /// status 0, Binance `Retry-After`).
    public mutating func pause(until reset: Timestamp) { pausedUntil = max(pausedUntil, reset) }

    /// A 429 / 418 / rate-limit error code: pause (Retry-After, or one window of the tightest
    /// rule when absent; 418 means an IP ban, at least 2 minutes) and halve the safety fraction.
    public mutating func throttled(httpStatus: Int, retryAfter: Duration?, now: Timestamp) {
        throttleEvents += 1
        lastThrottle = now
        let shortest = rules.values.map(\.windowNanoseconds).min() ?? 1_000_000_000
        var wait = retryAfter?.nanosecondsTotal ?? shortest
        if httpStatus == 418 { wait = max(wait, 120_000_000_000) }
        pausedUntil = max(pausedUntil, Timestamp(nanoseconds: now.nanoseconds + wait))
        safety = max(Self.minimumSafety, safety / 2)
    }

    /// After a quiet spell of the longest window since the last throttle, safety climbs back 10%.
    private mutating func recover(now: Timestamp) {
        guard safety < baseSafety else { return }
        let longest = rules.values.map(\.windowNanoseconds).max() ?? 60_000_000_000
        if now.nanoseconds - lastThrottle.nanoseconds >= longest {
            safety = min(baseSafety, safety * 1.1)
            lastThrottle = now
        }
    }
}
