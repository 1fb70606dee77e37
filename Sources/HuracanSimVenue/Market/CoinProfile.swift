import HuracanCore

/// The fixed character of one simulated coin: price level, factor loadings, volatility,
/// liquidity, event rates and funding, pre-scaled to the step length.
///
/// The character (price level, beta, volatility, liquidity, funding phase) derives from the
/// instrument and coin index only, so a coin keeps it across seeds; the factor stream keys
/// derive from the seed.
struct CoinProfile: Sendable {
    let coin: CoinIndex
    let venue: VenueID
    let tier: Int
    let tick: Double
    let lot: Double
    let initialPrice: Double

    // Counter-based factor streams (depend on the seed).
    let marketKey: UInt64
    let sectorKey: UInt64
    let marketJumpKey: UInt64
    let marketJumpSizeKey: UInt64

    // Diffusion: per-step loadings on the market, sector and idiosyncratic shocks.
    let beta: Double
    let marketLoading: Double
    let sectorLoading: Double
    let idiosyncraticLoading: Double
    /// 1 / total per-step diffusion standard deviation (standardises the shock for the vol model).
    let inverseTotalLoading: Double

    // Latent alpha: standardised OU process, drift per step per unit alpha (times vol scale).
    let alphaPersistence: Double
    let alphaInnovation: Double
    let alphaDrift: Double
    /// How strongly alpha tilts the book imbalance (log size ratio) and the aggressor side.
    let imbalanceTilt: Double
    let aggressorTilt: Double

    // Volatility clustering: EGARCH(1,1) on the log variance.
    let volPersistence: Double
    let volShock: Double
    let volLeverage: Double
    /// Stationary standard deviation of the log variance, and the centring that keeps E[variance] = 1.
    let volDeviation: Double
    let volCentre: Double
    let jumpVolBoost: Double
    let marketJumpVolBoost: Double

    // Jumps: probability per step and typical size.
    let jumpProbability: Double
    let jumpSize: Double
    let marketJumpProbability: Double
    let marketJumpSize: Double

    // Quotes and trades.
    let spreadFraction: Double
    let depthNotional: Double
    let depthNotionalRange: ClosedRange<Double>
    let tradeNotional: Double
    let tradeNotionalMax: Double
    /// Mean gap between book updates and between trade prints, nanoseconds.
    let bookGap: Double
    let tradeGap: Double

    // Funding: OU per funding tick around a small positive mean.
    let fundingMean: Double
    /// Typical diffusion volatility per square-root second, in bps (before the volatility regime).
    let typicalVolatilityBps: Double
    let fundingPersistence: Double
    let fundingInnovation: Double
    let fundingReturnCoupling: Double
    let fundingPhase: Int64

    static let secondsPerDay = 86_400.0
    static let fundingTickNanoseconds: Int64 = 60_000_000_000
    static let settlementNanoseconds: Int64 = 8 * 3_600_000_000_000
    static let fundingClamp = 0.0075
    static let marketVolPerDay = 0.025
    static let marketJumpsPerDay = 0.7
    static let marketJumpBaseSize = 0.0025
    static let alphaHalfLifeSeconds = 60.0
    static let alphaStrength = 0.12
    static let volTimeConstantSeconds = 1_800.0
    static let volStationaryDeviation = 0.65
    static let volLeverageRatio = 0.3
    /// Intraday volatility seasonality: +-25 % around the day, busiest at 15:00 UTC (US open).
    static let seasonalAmplitude = 0.25
    static let seasonalPeakSeconds = 15.0 * 3_600

    /// The intraday volatility multiplier at `nanoseconds` since the epoch (mean 1 over a day).
    static func seasonality(at nanoseconds: Int64) -> Double {
        let secondOfDay = Double(SimulatedCoin.modulo(nanoseconds, 86_400_000_000_000)) / 1e9
        return 1 + seasonalAmplitude * simCos(2 * Double.pi * (secondOfDay - seasonalPeakSeconds) / secondsPerDay)
    }

    init(instrument: Instrument, coin: CoinIndex, venue: VenueID, parameters: SimulationParameters) {
        let model = TierModel.tier(instrument.tier)
        var character = Xoshiro256(seed: CounterHash.key(seed: 0x48_5552_4143_414E, stream: CounterHash.coinStream(coin, .profile)))
        let seed = parameters.seed
        let dt = Double(parameters.stepNanoseconds) / 1e9
        let perStep = (dt / Self.secondsPerDay).squareRoot()

        self.coin = coin
        self.venue = venue
        tier = instrument.tier
        tick = instrument.tickSize.doubleValue
        lot = instrument.lotSize.doubleValue

        // Price level: the reference table, else tick * 10^(3.5...4.5) so a tick is 0.3 to 3 bps.
        let levelDraw = character.nextUnit()
        if let reference = ReferencePrices.price(of: instrument.coin) {
            initialPrice = reference * instrument.multiplier.doubleValue
        } else {
            initialPrice = tick * simPow(10, 3.5 + levelDraw)
        }

        marketKey = CounterHash.key(seed: seed, stream: CounterHash.marketFactor)
        sectorKey = CounterHash.key(seed: seed, stream: CounterHash.sectorFactor(instrument.sector.index))
        marketJumpKey = CounterHash.key(seed: seed, stream: CounterHash.marketJump)
        marketJumpSizeKey = CounterHash.key(seed: seed, stream: CounterHash.marketJumpSize)

        // Loadings: BTC is the market (beta 1); majors 0.85-1.15, alts 0.8-1.5.
        let betaDraw = character.nextUnit()
        beta = instrument.rank == 1 ? 1 : (instrument.tier == 1 ? 0.85 + 0.3 * betaDraw : 0.8 + 0.7 * betaDraw)
        let sectorVol: Double = switch instrument.sector {
        case .meme: 0.035
        case .ai, .gaming: 0.028
        default: 0.02
        }
        let idiosyncraticVol = model.idiosyncraticVolPerDay * (0.85 + 0.35 * character.nextUnit())
        marketLoading = beta * Self.marketVolPerDay * perStep
        sectorLoading = sectorVol * perStep
        idiosyncraticLoading = idiosyncraticVol * perStep
        let total = (marketLoading * marketLoading + sectorLoading * sectorLoading + idiosyncraticLoading * idiosyncraticLoading).squareRoot()
        inverseTotalLoading = 1 / total
        typicalVolatilityBps = total / dt.squareRoot() * 10_000

        alphaPersistence = simExp(-dt * 0.693_147_180_56 / Self.alphaHalfLifeSeconds)
        alphaInnovation = (1 - alphaPersistence * alphaPersistence).squareRoot()
        // Drift per second = alpha * strength * diffusion sd per second (total / sqrt(dt)).
        alphaDrift = Self.alphaStrength * total * dt.squareRoot()
        imbalanceTilt = 0.3
        aggressorTilt = 0.35

        volPersistence = simExp(-dt / Self.volTimeConstantSeconds)
        let deviation = Self.volStationaryDeviation
        volShock = (deviation * deviation * (1 - volPersistence * volPersistence)
            / ((1 - 2 / Double.pi) + Self.volLeverageRatio * Self.volLeverageRatio)).squareRoot()
        volLeverage = -Self.volLeverageRatio * volShock
        volDeviation = deviation
        volCentre = deviation * deviation / 4
        jumpVolBoost = 0.7
        marketJumpVolBoost = 0.5

        jumpProbability = min(0.5, model.jumpsPerDay * dt / Self.secondsPerDay)
        jumpSize = model.jumpSize
        marketJumpProbability = min(0.5, Self.marketJumpsPerDay * dt / Self.secondsPerDay)
        marketJumpSize = Self.marketJumpBaseSize

        spreadFraction = model.spreadBps * 1e-4 * (0.8 + 0.45 * character.nextUnit())
        let lo = model.topNotional.lowerBound, hi = model.topNotional.upperBound
        let position = instrument.rank <= 2 ? 0.85 : 0.25 + 0.5 * character.nextUnit()
        depthNotional = simExp(simLog(lo) + (simLog(hi) - simLog(lo)) * position)
        depthNotionalRange = model.topNotional
        tradeNotional = model.tradeNotional * (0.7 + 0.6 * character.nextUnit())
        tradeNotionalMax = hi * 0.5

        let bookRate = 1_000 / parameters.updateIntervalMs * model.rateWeight
        bookGap = 1e9 / bookRate
        tradeGap = 2e9 / bookRate

        fundingMean = 0.0001
        let ticksPerTimeConstant = 6 * 3_600.0 / 60
        fundingPersistence = simExp(-1 / ticksPerTimeConstant)
        fundingInnovation = model.fundingDeviation * (1 - fundingPersistence * fundingPersistence).squareRoot()
        fundingReturnCoupling = 0.01
        fundingPhase = 1_000_000 * (1 + Int64(character.next() % 59_999))
    }
}
