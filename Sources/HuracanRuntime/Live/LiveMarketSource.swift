import HuracanCore
import HuracanExchanges
import HuracanVenues
import Synchronization

/// A real venue's public feed as engine market events: best bid/ask, trades, mark price and
/// funding, stamped with our clock on arrival and handed over round by round.
///
/// The venue's feed threads call `apply`; the coordinator calls `load` between rounds. Event
/// times are kept inside the round being loaded (never before the previous round's end), so
/// each coin's events stay in time order with the engine's wall-clock rounds.
public final class LiveMarketSource: MarketEventSource, Sendable {
    public let venue: VenueID
    private let coins: [String: CoinIndex]
    private let state = Locked(State())
    private let clock: @Sendable () -> Int64

    struct State {
        var inbox: [MarketEvent] = []
        var lastEnd: Int64 = 0
        /// Per symbol: the funding rate and mark last seen, and when that period settles.
        var funding: [String: (rate: Double, mark: Double, settles: Timestamp?)] = [:]
        var received = 0
    }

    /// - Parameter coins: the engine's coin index of each native symbol of the venue.
    /// - Parameter clock: wall-clock nanoseconds (tests pass their own).
    public init(venue: VenueID, coins: [String: CoinIndex], clock: (@Sendable () -> Int64)? = nil) {
        self.venue = venue
        self.coins = coins
        self.clock = clock ?? { WallClock.now().nanoseconds }
    }

    /// Market updates received so far.
    public var received: Int { state.withLock { $0.received } }

    /// Takes one public update (called from the feed's threads).
    public func apply(_ update: VenueMarketUpdate) {
        let now = Timestamp(nanoseconds: clock())
        switch update {
        case .top(let symbol, let ticker):
            guard let coin = coins[symbol], ticker.bidPrice.isPositive, ticker.askPrice.isPositive else { return }
            let top = BookTop(bidPrice: ticker.bidPrice.doubleValue, bidSize: ticker.bidSize.doubleValue,
                              askPrice: ticker.askPrice.doubleValue, askSize: ticker.askSize.doubleValue)
            append(.book(coin, venue, now, top))
        case .trade(let trade):
            guard let coin = coins[trade.symbol] else { return }
            append(.trade(coin, venue, now, price: trade.price.doubleValue, size: trade.size.doubleValue, aggressor: trade.aggressor))
        case .markFunding(let update):
            guard let coin = coins[update.symbol] else { return }
            state.withLock { state in
                var known = state.funding[update.symbol] ?? (rate: 0, mark: 0, settles: nil)
                // The venue moved on to the next funding period: the previous one settled at
                // its last rate and mark.
                if let settles = known.settles, let next = update.nextFundingTime, next > settles, known.mark > 0 {
                    state.inbox.append(.fundingSettlement(coin, venue, now, rate: known.rate, markPrice: known.mark))
                }
                if let rate = update.fundingRate { known.rate = rate.doubleValue }
                if let mark = update.markPrice { known.mark = mark.doubleValue }
                if let next = update.nextFundingTime { known.settles = next }
                state.funding[update.symbol] = known
                if known.mark > 0 {
                    state.inbox.append(.funding(coin, venue, now, rate: known.rate, markPrice: known.mark))
                }
                state.received += 1
            }
        }
    }

    private func append(_ event: MarketEvent) {
        state.withLock { state in
            state.inbox.append(event)
            state.received += 1
        }
    }

    public var fileCount: Int { 0 }

    public func load(until end: Timestamp, into sink: (MarketEvent) -> Void) throws {
        var batch: [MarketEvent] = []
        let floor = state.withLock { state -> Int64 in
            swap(&batch, &state.inbox)
            let floor = state.lastEnd
            state.lastEnd = max(state.lastEnd, end.nanoseconds)
            return floor
        }
        let ceiling = max(floor, end.nanoseconds - 1)
        for var event in batch {
            event.time = Timestamp(nanoseconds: min(max(event.time.nanoseconds, floor), ceiling))
            sink(event)
        }
    }
}
