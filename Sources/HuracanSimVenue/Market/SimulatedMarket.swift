import HuracanCore

/// A seeded, deterministic market generator for every coin of a universe that looks like
/// crypto perpetuals: correlated factor-driven returns, volatility clustering, jumps, tiered
/// spreads and depth, an order flow that carries a little real information, and funding.
///
/// Immutable after `init`; per-coin state lives in `SimulatedCoin`, so coins can be generated on
/// any thread in any order. A coin's events depend only on (seed, coin, sequence of steps):
/// market and sector shocks are counter-based on (seed, step, factor), the rest comes from the
/// coin's private random streams.
///
/// Log return of coin i per step:
/// `vol_i(t) * (beta_i * market + sector_s + idiosyncratic_i + drift * alpha_i(t)) + jumps`,
/// where `vol_i` follows an EGARCH(1,1) (about 30-minute memory) times an intraday seasonality, `alpha_i` is an OU process
/// (30-second half-life) that tilts book imbalance and trade aggressor side, and jumps are rare
/// and Pareto-tailed (coin-specific, plus market-wide ones that hit every coin by beta).
public final class SimulatedMarket: Sendable {
    public let universe: Universe
    public let parameters: SimulationParameters
    let simulatedVenues: [VenueID]
    private let venueByCoin: [VenueID]

    /// Longest skip (in steps) caught up step by step; longer skips are leapt over in one draw.
    public let maxExactCatchUpSteps: Int64

    public init(universe: Universe, parameters: SimulationParameters, venues: [VenueID]) {
        self.universe = universe
        self.parameters = parameters
        self.simulatedVenues = venues
        let fallback = venues.first ?? .binance
        venueByCoin = universe.instruments.map { instrument in
            venues.first { instrument.venueSymbols[$0] != nil } ?? fallback
        }
        maxExactCatchUpSteps = max(1, 3_600_000_000_000 / parameters.stepNanoseconds)
    }

    /// The venue a coin's simulated stream imitates: the first of `venues` that lists it
    /// (fallback: first of venues, or Binance when none were given).
    public func venue(of coin: CoinIndex) -> VenueID { venueByCoin[Int(coin)] }

    /// What the venue's market statistics (24h ticker, book ticker, funding) say about a coin
    /// without streaming it: typical spread and volatility, standard fees, mean funding. Used to
    /// rank coins that are not streamed yet.
    public func typicalCosts(of coin: CoinIndex, at time: Timestamp) -> CostSnapshot {
        let profile = CoinProfile(instrument: universe[coin], coin: coin, venue: venue(of: coin), parameters: parameters)
        let fees = VenueFeeProfiles.standard(profile.venue)
        return CostSnapshot(coin: coin, venue: profile.venue, spreadBps: profile.spreadFraction * 10_000, takerFeeBps: fees.takerBps,
                            makerFeeBps: fees.makerBps, fundingRateBps: profile.fundingMean * 10_000,
                            volatilityBps: profile.typicalVolatilityBps, updatedAt: time)
    }

    /// Initial per-coin state, a pure function of (seed, coin).
    public func makeCoin(_ coin: CoinIndex) -> SimulatedCoin {
        let profile = CoinProfile(instrument: universe[coin], coin: coin, venue: venue(of: coin), parameters: parameters)
        return SimulatedCoin(profile: profile, parameters: parameters)
    }

    /// Appends the coin's events whose time lies in [start + step*dt, start + (step+1)*dt), in
    /// time order, updating its state. Steps must be generated in increasing order per coin; a
    /// step may skip ahead: the skipped steps' price path is caught up without events (step by
    /// step for skips up to an hour, so the path is the same as without skipping; in one
    /// aggregated draw beyond).
    ///
    /// Does not allocate when `events` has spare capacity.
    public func generate(step: Int64, coin: inout SimulatedCoin, into events: inout [MarketEvent]) {
        precondition(step > coin.lastStep, "steps must increase per coin: got \(step) after \(coin.lastStep)")
        let dt = parameters.stepNanoseconds
        let windowStart = parameters.start.nanoseconds + step * dt
        let windowEnd = windowStart + dt
        if step > coin.lastStep + 1 {
            let from = coin.lastStep + 1
            if step - from <= maxExactCatchUpSteps {
                coin.catchUpExactly(from: from, to: step, parameters: parameters)
            } else {
                coin.leap(from: from, to: step, parameters: parameters)
            }
            if coin.nextBook < windowStart { coin.nextBook = windowStart + coin.gap(coin.profile.bookGap) - 1 }
            if coin.nextTrade < windowStart { coin.nextTrade = windowStart + coin.gap(coin.profile.tradeGap) - 1 }
        }
        coin.lastStep = step
        coin.advancePath(step: step)

        let venue = coin.profile.venue
        let index = coin.index
        while true {
            // The earliest of the four clocks; ties go book, trade, funding, settlement.
            var time = coin.nextBook
            var kind = MarketEvent.Kind.book
            if coin.nextTrade < time { time = coin.nextTrade; kind = .trade }
            if coin.nextFunding < time { time = coin.nextFunding; kind = .funding }
            if coin.nextSettlement < time { time = coin.nextSettlement; kind = .fundingSettlement }
            if time >= windowEnd { break }
            let at = Timestamp(nanoseconds: time)
            switch kind {
            case .book:
                coin.quote()
                events.append(.book(index, venue, at, coin.top))
                coin.nextBook = time + coin.gap(coin.profile.bookGap)
            case .trade:
                events.append(coin.printTrade(at: time))
                coin.nextTrade = time + coin.gap(coin.profile.tradeGap)
            case .funding:
                coin.updateFunding(at: time)
                events.append(.funding(index, venue, at, rate: coin.fundingRate, markPrice: coin.mid))
                coin.nextFunding = time + CoinProfile.fundingTickNanoseconds
            case .fundingSettlement:
                events.append(.fundingSettlement(index, venue, at, rate: coin.fundingRate, markPrice: coin.mid))
                coin.nextSettlement = time + CoinProfile.settlementNanoseconds
            }
        }
    }
}
