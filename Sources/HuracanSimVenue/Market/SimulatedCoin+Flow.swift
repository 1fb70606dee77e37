import HuracanCore

extension SimulatedCoin {
    /// A random gap (nanoseconds, at least 1) to the next event of a Poisson stream with mean
    /// gap `mean`; busier when volatility is high. Capped at about 115 days so absurd rates
    /// cannot overflow the clock.
    @inline(__always) mutating func gap(_ mean: Double) -> Int64 {
        let activity = min(3, max(0.4, volatilityScale))
        return Int64(min(1e16, flowRandom.nextExponential() * mean / activity)) + 1
    }

    /// Requotes the top of book around the fair mid: spread by tier (at least one tick, wider
    /// when volatile), sizes by tier with noise, tilted toward the side the latent alpha favours.
    @inline(__always) mutating func quote() {
        let tick = profile.tick
        let midTicks = mid / tick
        let spreadNoise = simExp(0.25 * flowRandom.nextNormal())
        let spreadTicks = max(1, roundedNonNegative(profile.spreadFraction * spreadNoise * volatilityScale.squareRoot() * midTicks))
        let bidTicks = max(1, roundedNonNegative(max(0, midTicks - 0.5 * spreadTicks)))
        let askTicks = bidTicks + spreadTicks
        let bidPrice = bidTicks * tick
        let askPrice = askTicks * tick
        let tilt = profile.imbalanceTilt * alpha
        let range = profile.depthNotionalRange
        let bidNotional = min(range.upperBound, max(range.lowerBound, profile.depthNotional * simExp(0.45 * flowRandom.nextNormal() + tilt)))
        let askNotional = min(range.upperBound, max(range.lowerBound, profile.depthNotional * simExp(0.45 * flowRandom.nextNormal() - tilt)))
        let lot = profile.lot
        let bidLots = max(1, roundedNonNegative(bidNotional / (bidPrice * lot)))
        let askLots = max(1, roundedNonNegative(askNotional / (askPrice * lot)))
        top = BookTop(bidPrice: bidPrice, bidSize: bidLots * lot, askPrice: askPrice, askSize: askLots * lot)
    }

    /// A trade print at the current top: the aggressor leans with alpha, the size is
    /// log-normal around the tier's median notional.
    @inline(__always) mutating func printTrade(at time: Int64) -> MarketEvent {
        let buyProbability = 0.5 + 0.5 * simTanh(profile.aggressorTilt * alpha)
        let isBuy = flowRandom.nextUnit() < buyProbability
        let price = isBuy ? top.askPrice : top.bidPrice
        let notional = min(profile.tradeNotionalMax, profile.tradeNotional * simExp(flowRandom.nextNormal()))
        let lots = max(1, roundedNonNegative(notional / (price * profile.lot)))
        return MarketEvent.trade(index, profile.venue, Timestamp(nanoseconds: time), price: price, size: lots * profile.lot,
                                 aggressor: isBuy ? .buy : .sell)
    }
}
