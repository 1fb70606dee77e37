import HuracanCore

extension SimulatedCoin {
    /// Advances the fair price by one step: factor + sector + idiosyncratic diffusion scaled by
    /// the EGARCH volatility, plus the latent alpha drift and rare fat-tailed jumps.
    @inline(__always) mutating func advancePath(step: Int64) {
        let market = normalFromBits(CounterHash.bits(key: profile.marketKey, counter: step))
        let sector = normalFromBits(CounterHash.bits(key: profile.sectorKey, counter: step))
        let (own, alphaShock) = pathRandom.nextNormalPair()
        let diffusion = profile.marketLoading * market + profile.sectorLoading * sector + profile.idiosyncraticLoading * own
        let shock = diffusion * profile.inverseTotalLoading
        var logReturn = volatilityScale * (diffusion + profile.alphaDrift * alpha)
        var volBoost = 0.0

        let marketJump = CounterHash.bits(key: profile.marketJumpKey, counter: step)
        if unitFromBits(marketJump) < profile.marketJumpProbability {
            let size = CounterHash.bits(key: profile.marketJumpSizeKey, counter: step)
            logReturn += profile.beta * Self.jump(size: profile.marketJumpSize, bits: size)
            volBoost += profile.marketJumpVolBoost
            jumpCount += 1
        }
        if pathRandom.nextUnit() < profile.jumpProbability {
            logReturn += Self.jump(size: profile.jumpSize, bits: pathRandom.next())
            volBoost += profile.jumpVolBoost
            jumpCount += 1
        }

        mid *= expOfSmall(logReturn)
        let nextLogVariance = profile.volPersistence * logVariance + profile.volShock * (abs(shock) - 0.797_884_560_8)
            + profile.volLeverage * shock + volBoost
        // exp(v/2 - centre) * seasonality, updated by its (small) per-step factor; resynchronised
        // exactly at every funding tick.
        volatilityScale *= expOfSmall(0.5 * (nextLogVariance - logVariance))
        logVariance = nextLogVariance
        alpha = profile.alphaPersistence * alpha + profile.alphaInnovation * alphaShock
    }

    /// A jump log-return: Pareto(3) magnitude times `size` (capped at 6x), down slightly more
    /// often than up.
    static func jump(size: Double, bits: UInt64) -> Double {
        let u = openUnitFromBits(bits | 1)
        let magnitude = size * min(6, 1 / simCbrt(u))
        return bits & 0x3FF < 563 ? -magnitude : magnitude
    }

    /// One funding tick: the rate drifts (OU) around its mean and leans with the last
    /// minute's return, as the premium index does. Also refreshes the intraday seasonality.
    mutating func updateFunding(at time: Int64) {
        seasonality = CoinProfile.seasonality(at: time)
        volatilityScale = simExp(0.5 * logVariance - profile.volCentre) * seasonality
        let shock = pathRandom.nextNormal()
        let move = simLog(mid / lastFundingMid)
        let next = profile.fundingMean + profile.fundingPersistence * (fundingRate - profile.fundingMean)
            + profile.fundingInnovation * shock + profile.fundingReturnCoupling * move
        fundingRate = min(CoinProfile.fundingClamp, max(-CoinProfile.fundingClamp, next))
        lastFundingMid = mid
    }

    /// Runs the price path over steps `from..<to` without emitting events, exactly as
    /// `generate` would (funding ticks included), so the path does not depend on skipping.
    mutating func catchUpExactly(from: Int64, to: Int64, parameters: SimulationParameters) {
        let dt = parameters.stepNanoseconds
        var windowEnd = parameters.start.nanoseconds + from * dt + dt
        for step in from..<to {
            advancePath(step: step)
            while nextFunding < windowEnd {
                updateFunding(at: nextFunding)
                nextFunding += CoinProfile.fundingTickNanoseconds
            }
            while nextSettlement < windowEnd { nextSettlement += CoinProfile.settlementNanoseconds }
            windowEnd += dt
        }
    }

    /// Leaps over steps `from..<to` in one draw (long gaps): exact OU transitions for alpha,
    /// volatility and funding; one aggregated diffusion return whose factor parts are
    /// counter-based on (from, to), so coins leaping over the same gap stay correlated.
    /// Jumps inside the gap are not simulated.
    mutating func leap(from: Int64, to: Int64, parameters: SimulationParameters) {
        let n = Double(to - from)
        let gapKey = CounterHash.mix(UInt64(bitPattern: from) &* CounterHash.gamma ^ UInt64(bitPattern: to)) ^ CounterHash.aggregateSalt
        let market = normalFromBits(CounterHash.mix(profile.marketKey ^ gapKey))
        let sector = normalFromBits(CounterHash.mix(profile.sectorKey ^ gapKey))
        let (own, alphaShock) = pathRandom.nextNormalPair()
        let (volShock, fundingShock) = pathRandom.nextNormalPair()

        let alphaDecay = simPow(profile.alphaPersistence, n)
        let meanAlpha = alpha * (1 - alphaDecay) / max(1e-12, 1 - profile.alphaPersistence)
        let diffusion = (profile.marketLoading * market + profile.sectorLoading * sector + profile.idiosyncraticLoading * own) * n.squareRoot()
        mid *= simExp(diffusion + profile.alphaDrift * meanAlpha)
        alpha = alphaDecay * alpha + (1 - alphaDecay * alphaDecay).squareRoot() * alphaShock

        let volDecay = simPow(profile.volPersistence, n)
        logVariance = volDecay * logVariance + profile.volDeviation * (1 - volDecay * volDecay).squareRoot() * volShock
        let end = parameters.start.nanoseconds + to * parameters.stepNanoseconds
        if nextFunding < end {
            let ticks = (end - 1 - nextFunding) / CoinProfile.fundingTickNanoseconds + 1
            let decay = simPow(profile.fundingPersistence, Double(ticks))
            let stationary = profile.fundingInnovation / (1 - profile.fundingPersistence * profile.fundingPersistence).squareRoot()
            let next = profile.fundingMean + decay * (fundingRate - profile.fundingMean)
                + stationary * (1 - decay * decay).squareRoot() * fundingShock
            fundingRate = min(CoinProfile.fundingClamp, max(-CoinProfile.fundingClamp, next))
            nextFunding += ticks * CoinProfile.fundingTickNanoseconds
        }
        lastFundingMid = mid
        seasonality = CoinProfile.seasonality(at: end)
        volatilityScale = simExp(0.5 * logVariance - profile.volCentre) * seasonality
        if nextSettlement < end {
            let periods = (end - 1 - nextSettlement) / CoinProfile.settlementNanoseconds + 1
            nextSettlement += periods * CoinProfile.settlementNanoseconds
        }
    }
}
