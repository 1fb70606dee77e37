import HuracanCore
import Synchronization

/// The exchange interface (`ExchangeVenue`) over simulated matching engines, for callers that
/// use the async protocol the real venues implement. The caller drives it with market events
/// (`feed`), usually from a `SimulatedMarket`; the venue clock is the latest event time.
///
/// Thread-safe: all state sits behind one lock; reports are yielded while it is held, which
/// never blocks because the report streams buffer without bound (executions are never dropped).
public final class SimulatedVenue: ExchangeVenue {
    public let venue: VenueID
    public let market: SimulatedMarket
    public let latencyNanoseconds: Int64
    private let feeSchedule: FeeSchedule
    /// Matcher slot per universe coin index, -1 when not served.
    private let slotByCoin: [Int]
    private let state: Locked<State>
    private let broadcast = VenueReportBroadcast()

    private struct State {
        var matchers: [SimulatedMatcher]
        var now: Timestamp
        var scratch: [VenueReport] = []

        /// Sends the reports gathered in `scratch` (under the state lock: venue order).
        mutating func deliver(to broadcast: VenueReportBroadcast) {
            guard !scratch.isEmpty else { return }
            for report in scratch { broadcast.send(report) }
            scratch.removeAll(keepingCapacity: true)
        }
    }

    /// A venue serving `coins` of the market's universe with the given order latency; fees are
    /// the venue's standard schedule unless given.
    public init(market: SimulatedMarket, venue: VenueID, coins: [CoinIndex], latencyNanoseconds: Int64, fees: FeeSchedule? = nil) {
        self.venue = venue
        self.market = market
        self.latencyNanoseconds = latencyNanoseconds
        let schedule = fees ?? VenueFeeProfiles.standard(venue)
        feeSchedule = schedule
        var slots = [Int](repeating: -1, count: market.universe.count)
        var matchers: [SimulatedMatcher] = []
        var ignored: [VenueReport] = []
        let start = market.parameters.start
        for coin in coins {
            precondition(coin >= 0 && Int(coin) < market.universe.count,
                         "SimulatedVenue: coin index \(coin) is outside the universe of \(market.universe.count) coins")
            guard slots[Int(coin)] < 0 else { continue }
            slots[Int(coin)] = matchers.count
            var matcher = SimulatedMatcher(instrument: market.universe[coin], venue: venue, fees: schedule,
                                           latencyNanoseconds: latencyNanoseconds)
            let initial = market.makeCoin(coin)
            matcher.onMarket(.book(coin, venue, start, initial.top), reports: &ignored)
            matcher.fundingRate = initial.fundingRate
            matcher.markPrice = initial.mid
            matchers.append(matcher)
        }
        slotByCoin = slots
        var scratch: [VenueReport] = []
        scratch.reserveCapacity(16)
        state = Locked(State(matchers: matchers, now: start, scratch: scratch))
    }

    deinit { broadcast.finish() }

    /// Applies one market event to its coin's matcher (events of coins not served are ignored)
    /// and yields the resulting reports.
    public func feed(_ event: MarketEvent) {
        let coin = Int(event.coin)
        guard coin >= 0, coin < slotByCoin.count else { return }
        let slot = slotByCoin[coin]
        guard slot >= 0 else { return }
        state.withLock { state in
            if event.time > state.now { state.now = event.time }
            state.matchers[slot].onMarket(event, reports: &state.scratch)
            state.deliver(to: broadcast)
        }
    }

    /// Moves the venue clock to `time`, processing order arrivals due by then.
    public func advance(to time: Timestamp) {
        state.withLock { state in
            if time > state.now { state.now = time }
            for slot in state.matchers.indices { state.matchers[slot].advance(to: time, reports: &state.scratch) }
            state.deliver(to: broadcast)
        }
    }

    /// The venue clock: the latest event time fed (or the market start).
    public var now: Timestamp { state.withLock { $0.now } }

    /// Net position of this venue's account in `coin`.
    public func position(coin: String) throws(SimulatedVenueError) -> Quantity {
        let slot = try self.slot(coin)
        return state.withLock { $0.matchers[slot].position }
    }

    // MARK: ExchangeVenue

    public func orderBook(coin: String) async throws -> OrderBookSnapshot {
        let slot = try self.slot(coin)
        return state.withLock { state in
            let matcher = state.matchers[slot]
            return matcher.orderBook(levels: matcher.depthLevels, time: state.now, coin: coin)
        }
    }

    /// Sends the order at the venue clock; it arrives `latencyNanoseconds` later, and its
    /// reports follow on `reports()` once events (or `advance`) move the clock past that.
    public func placeOrder(_ request: OrderRequest) async throws {
        let slot = try self.slot(request.coin)
        guard request.venue == venue else {
            throw SimulatedVenueError.wrongVenue(clientOrderID: request.clientOrderID, requested: request.venue, venue: venue)
        }
        state.withLock { state in state.matchers[slot].submit(request, at: state.now) }
    }

    public func cancelOrder(clientOrderID: String, coin: String) async throws {
        let slot = try self.slot(coin)
        state.withLock { state in state.matchers[slot].cancel(clientOrderID: clientOrderID, at: state.now) }
    }

    public func fees(coin: String) async throws -> FeeSchedule {
        _ = try slot(coin)
        return feeSchedule
    }

    public func funding(coin: String) async throws -> FundingInfo {
        let slot = try self.slot(coin)
        return state.withLock { state in
            let matcher = state.matchers[slot]
            let period = 8 * 3_600_000_000_000 as Int64
            let now = state.now.nanoseconds
            let next = (now >= 0 ? now / period + 1 : now / period) * period
            return FundingInfo(rate: matcher.fundingRate, markPrice: matcher.markPrice, nextFundingTime: Timestamp(nanoseconds: next))
        }
    }

    /// A new subscription to this venue's reports from now on (acknowledgements, fills,
    /// cancels, funding), in venue order. Each call returns an independent stream.
    public func reports() -> AsyncStream<VenueReport> { broadcast.subscribe() }

    private func slot(_ coin: String) throws(SimulatedVenueError) -> Int {
        guard let index = market.universe.index(of: coin) else { throw .unknownCoin(coin: coin, venue: venue) }
        let slot = slotByCoin[Int(index)]
        guard slot >= 0 else { throw .coinNotServed(coin: coin, venue: venue) }
        return slot
    }
}
