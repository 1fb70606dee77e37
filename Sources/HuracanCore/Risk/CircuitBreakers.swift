/// The circuit breakers of the global risk controller: drawdown, daily loss, consecutive losses
/// per coin, stale market data per coin, venue error rate, and the manual kill switch.
/// Pure logic with times passed in, so backtest, paper and live trip at the same moments.
///
/// Breakers only ever stop new entries. Exits are never blocked: in REDUCING positions run to their
/// normal exits, in HALTED the engine should flatten them.
///
/// - Drawdown from peak equity at or above `maxDrawdownPct` halts trading (global HALTED). It
///   resets only by an operator call to `resetDrawdown(at:)`, never by equity recovering.
/// - Loss since the start of the UTC day at or above `dailyLossLimitPct` stops entries (global
///   REDUCING) until the next UTC day. The start-of-day equity is the last equity known when the
///   day rolls over (`updateEquity` or `tick` in the new day).
/// - `maxConsecutiveLosses` losing trades in a row on a coin stop entries on that coin for
///   `lossCooldownSeconds`; the count then starts again from zero. A win clears the count, a
///   trade with a net P&L of exactly zero leaves it unchanged.
/// - A coin whose last market data is older than `staleDataSeconds` (strictly) takes no entries;
///   a coin that never had market data takes none either.
/// - A venue whose failed share of requests in the sliding window is at or above
///   `venueErrorRatePct`, with at least `venueMinimumRequests` requests in the window, takes no
///   entries (venue REDUCING) until the rate in the window falls below the threshold again
///   (an empty window has rate 0).
/// - The kill switch halts trading while on.
///
/// Thresholds are inclusive (`>=`), with a tolerance of 1e-9 percentage points against rounding.
/// The engine keeps one value behind a short critical section; `entryBlock` is O(1) and allocates
/// nothing. Every trip and reset is returned as a `BreakerEvent`.
public struct CircuitBreakers: Sendable {
    public let settings: BreakerSettings

    // MARK: equity

    /// The latest equity passed to `updateEquity` (the starting equity before that).
    public private(set) var equity: Double
    /// The highest equity seen since start or since the last `resetDrawdown`.
    public private(set) var peakEquity: Double
    /// Equity at the start of the current UTC day.
    public private(set) var dayStartEquity: Double
    /// The current UTC day (`Timestamp.dayNumber`).
    public private(set) var day: Int64
    private var drawdownTripped = false
    private var dailyLossTripped = false
    private var killSwitchOn = false

    // MARK: coins (indexed by CoinIndex)

    private var lossStreak: [Int]
    /// End of the coin's cool-down in nanoseconds; `Int64.min` when none is pending.
    private var cooldownUntil: [Int64]
    /// Time of the coin's last market data in nanoseconds; `Int64.min` when it never had any.
    private var lastMarketData: [Int64]
    /// Whether `tick` reported the coin stale (and has not yet reported it fresh again).
    private var staleReported: [Bool]
    /// Coins whose staleness `tick` reports (the active set; all coins until `watch(only:at:)`).
    private var watched: [Bool]
    /// When each coin started to be watched: the start of its grace period without data.
    private var watchedSince: [Int64]
    private var coinNames: [String]
    private let startedAt: Int64
    private let staleNanoseconds: Int64
    private let graceNanoseconds: Int64
    private let cooldownNanoseconds: Int64

    // MARK: venues (indexed by VenueID.index)

    private var venueWindows: [VenueErrorWindow]
    private var venueTripped: [Bool]

    private var trips = [Int](repeating: 0, count: BreakerKind.allCases.count)

    /// - Parameters:
    ///   - coinCount: the size of the universe; coins beyond it are added when first recorded.
    ///   - coinNames: names by coin index for event scopes and status (else learned from
    ///     `recordTradeResult`, else `coin <index>`).
    ///   - now: start time; the start of the first UTC day, and the start of the grace period after
    ///     which a coin that never had market data is reported stale by `tick`.
    public init(settings: BreakerSettings, coinCount: Int, startingEquity: Double, now: Timestamp, coinNames: [String] = []) {
        self.settings = settings
        let equity = startingEquity.isFinite ? startingEquity : 0
        self.equity = equity
        peakEquity = equity
        dayStartEquity = equity
        day = now.dayNumber
        let count = max(0, coinCount)
        lossStreak = [Int](repeating: 0, count: count)
        cooldownUntil = [Int64](repeating: .min, count: count)
        lastMarketData = [Int64](repeating: .min, count: count)
        staleReported = [Bool](repeating: false, count: count)
        watched = [Bool](repeating: true, count: count)
        watchedSince = [Int64](repeating: now.nanoseconds, count: count)
        self.coinNames = (0..<count).map { $0 < coinNames.count ? coinNames[$0] : "coin \($0)" }
        startedAt = now.nanoseconds
        staleNanoseconds = Self.nanoseconds(settings.staleDataSeconds)
        graceNanoseconds = max(staleNanoseconds, Self.nanoseconds(settings.staleDataGraceSeconds))
        cooldownNanoseconds = Self.nanoseconds(settings.lossCooldownSeconds)
        venueWindows = VenueID.allCases.map { _ in VenueErrorWindow(windowSeconds: settings.venueErrorWindowSeconds, now: now) }
        venueTripped = [Bool](repeating: false, count: VenueID.allCases.count)
    }

    // MARK: queries

    /// The global state: the worst of the drawdown and kill switch (HALTED) and the daily loss
    /// (REDUCING) breakers, as of the last update or tick.
    public var globalState: TradingState {
        if killSwitchOn || drawdownTripped { return .halted }
        if dailyLossTripped { return .reducing }
        return .active
    }

    /// Whether a new entry on `coin` routed to `venue` may open now: nil when allowed, else the
    /// first blocking breaker in `BreakerKind.bySeverity` order (kill switch, drawdown, daily loss,
    /// venue errors, stale data, consecutive losses). Exits are never blocked and never ask.
    ///
    /// Global and venue breakers are as of the last update or tick; a coin's staleness and
    /// cool-down are judged at `time`. O(1), no allocation.
    public func entryBlock(coin: CoinIndex, venue: VenueID, at time: Timestamp) -> BreakerKind? {
        if killSwitchOn { return .killSwitch }
        if drawdownTripped { return .drawdown }
        if dailyLossTripped { return .dailyLoss }
        if venueTripped[venue.index] { return .venueErrors }
        let i = Int(coin)
        guard i >= 0, i < lastMarketData.count else { return .staleData }
        if isStale(i, at: time) { return .staleData }
        if time.nanoseconds < cooldownUntil[i] { return .consecutiveLosses }
        return nil
    }

    /// The venue breaker's own state: REDUCING while its error rate is tripped, else ACTIVE
    /// (not combined with `globalState`).
    public func state(of venue: VenueID) -> TradingState {
        venueTripped[venue.index] ? .reducing : .active
    }

    /// True when the coin's last market data is older than `staleDataSeconds` at `time`, or it never had any.
    public func isStale(coin: CoinIndex, at time: Timestamp) -> Bool {
        let i = Int(coin)
        guard i >= 0, i < lastMarketData.count else { return true }
        return isStale(i, at: time)
    }

    /// True while the coin's cool-down after consecutive losses runs (it ends exactly at
    /// trip time + `lossCooldownSeconds`).
    public func isCoolingDown(coin: CoinIndex, at time: Timestamp) -> Bool {
        let i = Int(coin)
        guard i >= 0, i < cooldownUntil.count else { return false }
        return time.nanoseconds < cooldownUntil[i]
    }

    /// Losing trades in a row on the coin so far.
    public func consecutiveLosses(coin: CoinIndex) -> Int {
        let i = Int(coin)
        guard i >= 0, i < lossStreak.count else { return 0 }
        return lossStreak[i]
    }

    /// Drawdown from peak equity, in percent (0 when the peak is not positive).
    public var drawdownPct: Double {
        peakEquity > 0 ? (peakEquity - equity) / peakEquity * 100 : 0
    }

    /// Loss since the start of the UTC day, in percent of start-of-day equity (negative for a gain).
    public var dailyLossPct: Double {
        dayStartEquity > 0 ? (dayStartEquity - equity) / dayStartEquity * 100 : 0
    }

    /// Failed share of the venue's requests in the window, in percent, as of the last update or tick.
    public func venueErrorRatePct(_ venue: VenueID) -> Double { venueWindows[venue.index].ratePct }

    /// Requests made to the venue in the window, as of the last update or tick.
    public func venueRequestCount(_ venue: VenueID) -> Int { venueWindows[venue.index].totalRequests }

    /// Counts of trips per kind since start (every kind present, zero when it never tripped).
    public var tripCounts: [BreakerKind: Int] {
        Dictionary(uniqueKeysWithValues: BreakerKind.allCases.map { ($0, trips[$0.index]) })
    }

    // MARK: equity

    /// Applies the latest account equity: moves the day and the peak, and trips the drawdown and
    /// daily loss breakers. A non-finite equity is ignored.
    public mutating func updateEquity(_ equity: Double, at time: Timestamp) -> [BreakerEvent] {
        guard equity.isFinite else { return [] }
        var events: [BreakerEvent] = []
        rollDay(to: time, events: &events)
        self.equity = equity
        if equity > peakEquity { peakEquity = equity }
        if !drawdownTripped, peakEquity > 0, Self.reached(drawdownPct, settings.maxDrawdownPct) {
            drawdownTripped = true
            events.append(trip(.drawdown, scope: "global", at: time, value: drawdownPct, threshold: settings.maxDrawdownPct,
                               "drawdown \(format(drawdownPct))% from peak \(money(peakEquity)) >= \(format(settings.maxDrawdownPct))%: HALTED"))
        }
        if !dailyLossTripped, dayStartEquity > 0, Self.reached(dailyLossPct, settings.dailyLossLimitPct) {
            dailyLossTripped = true
            events.append(trip(.dailyLoss, scope: "global", at: time, value: dailyLossPct, threshold: settings.dailyLossLimitPct,
                               "daily loss \(format(dailyLossPct))% from start-of-day \(money(dayStartEquity)) >= \(format(settings.dailyLossLimitPct))%: REDUCING until the next UTC day"))
        }
        return events
    }

    /// Operator reset of the drawdown breaker: the peak becomes the current equity. Returns a reset
    /// event when the breaker was tripped; the peak is reset either way.
    public mutating func resetDrawdown(at time: Timestamp) -> [BreakerEvent] {
        let was = drawdownPct, oldPeak = peakEquity
        peakEquity = equity
        guard drawdownTripped else { return [] }
        drawdownTripped = false
        return [BreakerEvent(kind: .drawdown, scope: "global", tripped: false, time: time, value: was, threshold: settings.maxDrawdownPct,
                             message: "drawdown reset by operator at \(format(was))% from peak \(money(oldPeak)): peak set to \(money(equity))")]
    }

    private mutating func rollDay(to time: Timestamp, events: inout [BreakerEvent]) {
        let today = time.dayNumber
        guard today > day else { return }
        if dailyLossTripped {
            dailyLossTripped = false
            events.append(BreakerEvent(kind: .dailyLoss, scope: "global", tripped: false, time: time, value: dailyLossPct,
                                       threshold: settings.dailyLossLimitPct,
                                       message: "daily loss reset at the new UTC day \(time.date): previous day ended \(format(dailyLossPct))% below start-of-day \(money(dayStartEquity))"))
        }
        dayStartEquity = equity
        day = today
    }

    // MARK: coins

    /// Counts a closed trade's net P&L on its coin: a loss extends the streak and may start the
    /// cool-down, a win clears the streak, zero leaves it. Results during a cool-down still count
    /// but do not extend it; the streak starts from zero when the cool-down ends.
    public mutating func recordTradeResult(coin: CoinIndex, coinName: String, netPnL: Double, at time: Timestamp) -> [BreakerEvent] {
        let i = Int(coin)
        guard i >= 0, netPnL.isFinite else { return [] }
        ensureCoin(i)
        if coinNames[i] != coinName { coinNames[i] = coinName }
        var events: [BreakerEvent] = []
        endCooldownIfDue(i, at: time, events: &events)
        if netPnL > 0 {
            lossStreak[i] = 0
        } else if netPnL < 0 {
            lossStreak[i] += 1
            let limit = settings.maxConsecutiveLosses
            if limit > 0, lossStreak[i] >= limit, cooldownUntil[i] == .min {
                cooldownUntil[i] = Self.adding(cooldownNanoseconds, to: time.nanoseconds)
                events.append(trip(.consecutiveLosses, scope: coinName, at: time, value: Double(lossStreak[i]), threshold: Double(limit),
                                   "consecutive losses on \(coinName) \(lossStreak[i]) >= \(limit): no entries on \(coinName) for \(format(settings.lossCooldownSeconds))s"))
            }
        }
        return events
    }

    private mutating func endCooldownIfDue(_ i: Int, at time: Timestamp, events: inout [BreakerEvent]) {
        guard cooldownUntil[i] != .min, time.nanoseconds >= cooldownUntil[i] else { return }
        cooldownUntil[i] = .min
        let losses = lossStreak[i]
        lossStreak[i] = 0
        events.append(BreakerEvent(kind: .consecutiveLosses, scope: coinNames[i], tripped: false, time: time, value: Double(losses),
                                   threshold: Double(settings.maxConsecutiveLosses),
                                   message: "consecutive losses on \(coinNames[i]): cool-down of \(format(settings.lossCooldownSeconds))s ended, loss count reset"))
    }

    /// Notes market data for the coin at `time` (call on every book or trade update).
    public mutating func recordMarketData(coin: CoinIndex, at time: Timestamp) {
        let i = Int(coin)
        guard i >= 0 else { return }
        ensureCoin(i)
        if time.nanoseconds > lastMarketData[i] { lastMarketData[i] = time.nanoseconds }
    }

    private func isStale(_ i: Int, at time: Timestamp) -> Bool {
        let last = lastMarketData[i]
        return last == .min || time.nanoseconds - last > staleNanoseconds
    }

    /// Stale as `tick` reports it: a coin that never had data gets the grace period from when it
    /// started to be watched.
    private func staleAge(_ i: Int, at time: Timestamp) -> (nanoseconds: Int64, never: Bool) {
        let last = lastMarketData[i]
        return last == .min ? (time.nanoseconds - watchedSince[i], true) : (time.nanoseconds - last, false)
    }

    /// Limits staleness reports to `coins` (the active set): other coins take no entries anyway,
    /// and a coin nobody trades is not news. Newly watched coins start their grace period at
    /// `time`; a coin no longer watched forgets its report without an event.
    public mutating func watch(only coins: [CoinIndex], at time: Timestamp) {
        if let highest = coins.map({ Int($0) }).max() { ensureCoin(highest) }
        var wanted = [Bool](repeating: false, count: watched.count)
        for coin in coins where Int(coin) >= 0 { wanted[Int(coin)] = true }
        for i in watched.indices where wanted[i] != watched[i] {
            watched[i] = wanted[i]
            if wanted[i] { watchedSince[i] = time.nanoseconds } else { staleReported[i] = false }
        }
    }

    private mutating func evaluateStale(_ i: Int, at time: Timestamp, events: inout [BreakerEvent]) {
        let (age, never) = staleAge(i, at: time)
        let stale = age > (never ? graceNanoseconds : staleNanoseconds)
        guard stale != staleReported[i] else { return }
        staleReported[i] = stale
        let seconds = Double(age) / 1e9, limit = settings.staleDataSeconds, name = coinNames[i]
        if stale {
            let what = never ? "no market data in \(format(seconds))s since start" : "last market data \(format(seconds))s ago"
            let threshold = never ? Double(graceNanoseconds) / 1e9 : limit
            events.append(trip(.staleData, scope: name, at: time, value: seconds, threshold: threshold,
                               "stale data on \(name): \(what) > \(format(threshold))s: no entries on \(name)"))
        } else {
            events.append(BreakerEvent(kind: .staleData, scope: name, tripped: false, time: time, value: seconds, threshold: limit,
                                       message: "stale data on \(name) cleared: last market data \(format(seconds))s ago <= \(format(limit))s"))
        }
    }

    private mutating func ensureCoin(_ i: Int) {
        guard i >= lastMarketData.count else { return }
        let extra = i + 1 - lastMarketData.count
        for n in lastMarketData.count...i { coinNames.append("coin \(n)") }
        lossStreak.append(contentsOf: repeatElement(0, count: extra))
        cooldownUntil.append(contentsOf: repeatElement(.min, count: extra))
        lastMarketData.append(contentsOf: repeatElement(.min, count: extra))
        staleReported.append(contentsOf: repeatElement(false, count: extra))
        watched.append(contentsOf: repeatElement(true, count: extra))
        watchedSince.append(contentsOf: repeatElement(startedAt, count: extra))
    }

    // MARK: venues

    /// Counts one request to the venue (an order placement, cancel or query; `failed` for an error
    /// or reject) and trips or resets the venue breaker. O(1), no allocation when nothing changes.
    public mutating func recordVenueRequest(_ venue: VenueID, failed: Bool, at time: Timestamp) -> [BreakerEvent] {
        venueWindows[venue.index].record(failed: failed, at: time)
        var events: [BreakerEvent] = []
        evaluateVenue(venue, at: time, events: &events)
        return events
    }

    private mutating func evaluateVenue(_ venue: VenueID, at time: Timestamp, events: inout [BreakerEvent]) {
        let rate = venueWindows[venue.index].ratePct, limit = settings.venueErrorRatePct
        let requests = venueWindows[venue.index].totalRequests
        if !venueTripped[venue.index] {
            guard requests >= settings.venueMinimumRequests, Self.reached(rate, limit) else { return }
            venueTripped[venue.index] = true
            let seconds = format(settings.venueErrorWindowSeconds)
            events.append(trip(.venueErrors, scope: venue.rawValue, at: time, value: rate, threshold: limit,
                               "venue errors on \(venue) \(format(rate))% of \(requests) requests in \(seconds)s >= \(format(limit))%: \(venue) REDUCING, no entries routed there"))
        } else if !Self.reached(rate, limit) {
            venueTripped[venue.index] = false
            let seconds = format(settings.venueErrorWindowSeconds)
            events.append(BreakerEvent(kind: .venueErrors, scope: venue.rawValue, tripped: false, time: time, value: rate, threshold: limit,
                                       message: "venue errors on \(venue) \(format(rate))% of \(requests) requests in \(seconds)s < \(format(limit))%: \(venue) ACTIVE"))
        }
    }

    // MARK: kill switch and time

    /// Turns the manual kill switch on (HALTED) or off. Returns an event only when it changes.
    public mutating func setKillSwitch(_ on: Bool, at time: Timestamp) -> [BreakerEvent] {
        guard on != killSwitchOn else { return [] }
        killSwitchOn = on
        if on {
            return [trip(.killSwitch, scope: "global", at: time, value: 1, threshold: 1, "kill switch on: HALTED")]
        }
        return [BreakerEvent(kind: .killSwitch, scope: "global", tripped: false, time: time, value: 0, threshold: 1, message: "kill switch off")]
    }

    /// Re-evaluates the time-based conditions: UTC day rollover (daily loss reset), venue windows
    /// sliding, cool-downs ending, coins going stale or fresh again. Call periodically (about once a
    /// second); O(coins + venues), no allocation when nothing changes. A coin that never had market
    /// data is reported stale once `staleDataSeconds` have passed since init (it is blocked from the
    /// start), so start-up does not flood the log.
    public mutating func tick(at time: Timestamp) -> [BreakerEvent] {
        var events: [BreakerEvent] = []
        rollDay(to: time, events: &events)
        for venue in Self.venues {
            venueWindows[venue.index].advance(to: time)
            evaluateVenue(venue, at: time, events: &events)
        }
        for i in lastMarketData.indices {
            if watched[i] { evaluateStale(i, at: time, events: &events) }
            endCooldownIfDue(i, at: time, events: &events)
        }
        return events
    }

    // MARK: status

    /// One line per tripped breaker with its current values, in `BreakerKind.bySeverity` order;
    /// empty when every breaker is clear. Coins' staleness and cool-downs are judged at `time`.
    public func describe(at time: Timestamp) -> [String] {
        var lines: [String] = []
        if killSwitchOn { lines.append("kill_switch: on: HALTED") }
        if drawdownTripped {
            lines.append("drawdown: \(format(drawdownPct))% from peak \(money(peakEquity)), equity \(money(equity)) (limit \(format(settings.maxDrawdownPct))%): HALTED until operator reset")
        }
        if dailyLossTripped {
            lines.append("daily_loss: \(format(dailyLossPct))% from start-of-day \(money(dayStartEquity)), equity \(money(equity)) (limit \(format(settings.dailyLossLimitPct))%): REDUCING until \(UTCDate(daysSinceEpoch: day + 1)) 00:00 UTC")
        }
        for venue in VenueID.allCases where venueTripped[venue.index] {
            let (requests, failures) = venueWindows[venue.index].counts(at: time)
            let rate = VenueErrorWindow.ratePct(failures: failures, requests: requests)
            lines.append("venue_errors \(venue): \(format(rate))% of \(requests) requests in \(format(settings.venueErrorWindowSeconds))s (limit \(format(settings.venueErrorRatePct))%): REDUCING")
        }
        for i in lastMarketData.indices where isStale(i, at: time) {
            let last = lastMarketData[i]
            let what = last == .min ? "no market data yet" : "last market data \(format(Double(time.nanoseconds - last) / 1e9))s ago"
            lines.append("stale_data \(coinNames[i]): \(what) (limit \(format(settings.staleDataSeconds))s): no entries")
        }
        for i in cooldownUntil.indices where time.nanoseconds < cooldownUntil[i] {
            let left = Double(cooldownUntil[i] - time.nanoseconds) / 1e9
            lines.append("consecutive_losses \(coinNames[i]): \(lossStreak[i]) losses in a row (limit \(settings.maxConsecutiveLosses)): no entries for \(format(left))s more")
        }
        return lines
    }

    // MARK: helpers

    /// `VenueID.allCases` builds a new array on every access; this one is built once.
    private static let venues = VenueID.allCases

    private mutating func trip(_ kind: BreakerKind, scope: String, at time: Timestamp, value: Double, threshold: Double, _ message: String) -> BreakerEvent {
        trips[kind.index] += 1
        return BreakerEvent(kind: kind, scope: scope, tripped: true, time: time, value: value, threshold: threshold, message: message)
    }

    /// `value >= threshold`, forgiving rounding of the last bits (1e-9 percentage points).
    static func reached(_ value: Double, _ threshold: Double) -> Bool { value + 1e-9 >= threshold }

    static func nanoseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int64((min(seconds, 1e9) * 1e9).rounded())
    }

    static func adding(_ nanoseconds: Int64, to time: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(nanoseconds)
        return overflow ? .max : sum
    }
}

/// Money with two decimals, e.g. `105000.00` (no Foundation in Core).
private func money(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 9e15 else { return String(value) }
    let cents = Int64((abs(value) * 100).rounded())
    let sign = value < 0 && cents > 0 ? "-" : ""
    return "\(sign)\(cents / 100).\(pad(Int(cents % 100), 2))"
}
