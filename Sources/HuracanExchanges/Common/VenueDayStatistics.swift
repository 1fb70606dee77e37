import Foundation
import HuracanCore

/// One symbol's last 24 hours at a venue, with its best bid and ask now: what the active set is
/// ranked on in live runs (Binance `ticker/24hr` + `ticker/bookTicker` + `premiumIndex`, OKX
/// `market/tickers`, Bybit `market/tickers`).
public struct VenueDayStatistics: Sendable, Hashable {
    public var symbol: String
    public var last: FixedDecimal
    public var high: FixedDecimal
    public var low: FixedDecimal
    public var bid: FixedDecimal?
    public var ask: FixedDecimal?
    /// Traded value over 24 h in the quote currency.
    public var quoteVolume: FixedDecimal
    /// Current funding rate per interval (0.0001 = 1 bp), when the venue says it here.
    public var fundingRate: FixedDecimal?

    public init(symbol: String, last: FixedDecimal, high: FixedDecimal, low: FixedDecimal, bid: FixedDecimal?, ask: FixedDecimal?,
                quoteVolume: FixedDecimal, fundingRate: FixedDecimal?) {
        self.symbol = symbol
        self.last = last
        self.high = high
        self.low = low
        self.bid = bid
        self.ask = ask
        self.quoteVolume = quoteVolume
        self.fundingRate = fundingRate
    }

    /// Quoted spread in bps of mid; nil without a sane bid and ask.
    public var spreadBps: Double? {
        guard let bid, let ask, bid.isPositive, ask > bid else { return nil }
        let b = bid.doubleValue, a = ask.doubleValue
        return (a - b) / ((a + b) / 2) * 10_000
    }

    /// Volatility from the day's range (Parkinson: ln(high/low) / (2 sqrt(ln 2)) per day), in bps
    /// per square root of a second, the unit the cost ranker uses; nil without a range.
    public var volatilityBps: Double? {
        guard low.isPositive, high > low else { return nil }
        let daily = log(high.doubleValue / low.doubleValue) / (2 * log(2.0).squareRoot())
        return daily * 10_000 / 86_400.0.squareRoot()
    }
}
