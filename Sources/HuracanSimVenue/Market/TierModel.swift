/// Per-liquidity-tier constants of the generator, sized after Binance USDT perpetuals.
///
/// Tier 1 are the majors (tight spreads, deep books, busy tape), tier 4 thin alts.
struct TierModel: Sendable {
    /// Relative book-update rate; the weights average about 1 over the 400-coin universe
    /// (10 / 40 / 150 / 200 coins per tier), so the mean rate is 1000 / updateIntervalMs.
    var rateWeight: Double
    /// Typical quoted spread (before the one-tick minimum).
    var spreadBps: Double
    /// Daily volatility of the coin-specific return component.
    var idiosyncraticVolPerDay: Double
    /// Range of notional resting at the best bid or ask, in USDT.
    var topNotional: ClosedRange<Double>
    /// Median notional of one trade print, in USDT.
    var tradeNotional: Double
    /// Coin-specific jumps per day and their typical size (fraction of price).
    var jumpsPerDay: Double
    var jumpSize: Double
    /// Standard deviation of the funding rate around its mean, per 8 hours.
    var fundingDeviation: Double

    static func tier(_ tier: Int) -> TierModel {
        switch tier {
        case ...1:
            TierModel(rateWeight: 3.2, spreadBps: 0.5, idiosyncraticVolPerDay: 0.018, topNotional: 50_000...2_000_000,
                      tradeNotional: 8_000, jumpsPerDay: 1.0, jumpSize: 0.003, fundingDeviation: 0.00004)
        case 2:
            TierModel(rateWeight: 1.8, spreadBps: 1.5, idiosyncraticVolPerDay: 0.03, topNotional: 15_000...400_000,
                      tradeNotional: 2_000, jumpsPerDay: 1.5, jumpSize: 0.004, fundingDeviation: 0.00007)
        case 3:
            TierModel(rateWeight: 1.0, spreadBps: 4, idiosyncraticVolPerDay: 0.04, topNotional: 5_000...80_000,
                      tradeNotional: 600, jumpsPerDay: 2.0, jumpSize: 0.006, fundingDeviation: 0.00012)
        default:
            TierModel(rateWeight: 0.7, spreadBps: 8, idiosyncraticVolPerDay: 0.055, topNotional: 2_000...20_000,
                      tradeNotional: 250, jumpsPerDay: 3.0, jumpSize: 0.008, fundingDeviation: 0.0002)
        }
    }
}
