import HuracanCore

/// The evolving state of one coin's simulated market: fair price, quotes, funding and the
/// hidden drivers (volatility regime, latent alpha, private random streams).
///
/// A value type owned by whoever generates the coin (one shard): copying it forks the stream.
public struct SimulatedCoin: Sendable {
    public let index: CoinIndex
    /// Fair (latent) mid price; also the mark price of funding events.
    public var mid: Double
    /// The last quoted best bid and offer.
    public var top: BookTop
    /// Current funding rate per 8 hours.
    public var fundingRate: Double
    /// The last step generated, -1 before the first.
    public internal(set) var lastStep: Int64 = -1
    /// Price jumps applied so far (coin-specific and market-wide).
    public internal(set) var jumpCount = 0
    /// The latent short-term drift, standardised (stationary N(0, 1)); what order flow partly reveals.
    public internal(set) var alpha: Double
    /// Current volatility relative to the coin's long-run level (about 1 on average).
    public internal(set) var volatilityScale: Double

    var logVariance: Double
    /// Intraday volatility multiplier, refreshed at every funding tick (once a minute).
    var seasonality: Double
    var lastFundingMid: Double
    var pathRandom: Xoshiro256
    var flowRandom: Xoshiro256
    var nextBook: Int64
    var nextTrade: Int64
    var nextFunding: Int64
    var nextSettlement: Int64
    let profile: CoinProfile

    /// The venue this coin's stream imitates.
    public var venue: VenueID { profile.venue }

    /// The initial state at `parameters.start`: a pure function of (seed, coin).
    init(profile: CoinProfile, parameters: SimulationParameters) {
        let seed = parameters.seed
        index = profile.coin
        self.profile = profile
        pathRandom = Xoshiro256(seed: CounterHash.key(seed: seed, stream: CounterHash.coinStream(profile.coin, .path)))
        flowRandom = Xoshiro256(seed: CounterHash.key(seed: seed, stream: CounterHash.coinStream(profile.coin, .flow)))
        let (v, a) = pathRandom.nextNormalPair()
        let (f, _) = pathRandom.nextNormalPair()
        logVariance = profile.volDeviation * v
        seasonality = CoinProfile.seasonality(at: parameters.start.nanoseconds)
        volatilityScale = simExp(0.5 * logVariance - profile.volCentre) * seasonality
        alpha = a
        mid = profile.initialPrice
        lastFundingMid = mid
        let stationaryFunding = profile.fundingInnovation / (1 - profile.fundingPersistence * profile.fundingPersistence).squareRoot()
        fundingRate = min(CoinProfile.fundingClamp, max(-CoinProfile.fundingClamp, profile.fundingMean + stationaryFunding * f))
        top = BookTop(bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0)

        let start = parameters.start.nanoseconds
        let tickPeriod = CoinProfile.fundingTickNanoseconds
        let offset = Self.modulo(start - profile.fundingPhase, tickPeriod)
        nextFunding = offset == 0 ? start : start + (tickPeriod - offset)
        let settlement = CoinProfile.settlementNanoseconds
        let intoPeriod = Self.modulo(start, settlement)
        nextSettlement = intoPeriod == 0 ? start : start + (settlement - intoPeriod)
        nextBook = start
        nextTrade = start
        nextBook = start + gap(profile.bookGap)
        nextTrade = start + gap(profile.tradeGap)
        quote()
    }

    /// Non-negative remainder.
    @inline(__always) static func modulo(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }
}
