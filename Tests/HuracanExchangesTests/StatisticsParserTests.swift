import Foundation
import HuracanCore
import HuracanExchanges
import Testing

/// The all-symbol statistics replies the active set is ranked on, and Binance's published rate
/// limits, in the shapes the venues document.
@Suite struct StatisticsParserTests {
    @Test func binanceRateLimitsBecomeTheLimitersRules() throws {
        let info = try JSONValue.parse("""
            {"timezone":"UTC","rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},
            {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300},
            {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000}],"symbols":[]}
            """)
        let limits = try BinanceParsers.rateLimits(info)
        #expect(limits.map(\.rule) == ["weight", "orders1m", "orders10s"])
        #expect(limits.map(\.limit) == [2400, 1200, 300])
        #expect(limits.map(\.window) == [.seconds(60), .seconds(60), .seconds(10)])
        #expect(try BinanceParsers.rateLimits(try JSONValue.parse("{\"symbols\":[]}")).isEmpty)
    }

    @Test func binanceStatisticsJoinTheThreeReplies() throws {
        let stats = try BinanceParsers.dayStatistics(
            tickers: try JSONValue.parse("[{\"symbol\":\"BTCUSDT\",\"lastPrice\":\"90000.0\",\"highPrice\":\"91800.0\",\"lowPrice\":\"88200.0\",\"quoteVolume\":\"1000000\"}]"),
            books: try JSONValue.parse("[{\"symbol\":\"BTCUSDT\",\"bidPrice\":\"89999.9\",\"bidQty\":\"1\",\"askPrice\":\"90000.1\",\"askQty\":\"1\"}]"),
            premium: try JSONValue.parse("[{\"symbol\":\"BTCUSDT\",\"markPrice\":\"90000\",\"lastFundingRate\":\"0.0001\"}]"))
        let btc = try #require(stats.first)
        #expect(btc.symbol == "BTCUSDT" && btc.fundingRate == FixedDecimal(units: 1, exponent: 4))
        // Spread: 0.2 / 90000 = 0.0222 bps; range 2 % a day: ln(91800/88200) / (2 sqrt(ln 2)) per day.
        #expect(abs((btc.spreadBps ?? 0) - 0.2 / 90_000 * 10_000) < 1e-9)
        let daily = log(91_800.0 / 88_200) / (2 * log(2.0).squareRoot())
        #expect(abs((btc.volatilityBps ?? 0) - daily * 10_000 / 86_400.0.squareRoot()) < 1e-9)
    }

    @Test func okxAndBybitTickers() throws {
        let okx = try OKXParsers.dayStatistics(try JSONFields.parse(Array("""
            {"instId":"ETH-USDT-SWAP","last":"3000","bidPx":"2999.9","askPx":"3000.1","high24h":"3100","low24h":"2900","volCcy24h":"100"}
            """.utf8), venue: .okx, message: "tickers").asList())
        #expect(okx.first?.quoteVolume == 300_000 && okx.first?.fundingRate == nil && okx.first?.spreadBps != nil)
        let bybit = try BybitParsers.dayStatistics(try JSONFields.parse(Array("""
            {"category":"linear","list":[{"symbol":"XRPUSDT","lastPrice":"2","bid1Price":"1.9999","ask1Price":"2.0001","highPrice24h":"2.1","lowPrice24h":"1.9","turnover24h":"5000","fundingRate":"-0.0002"}]}
            """.utf8), venue: .bybit, message: "tickers"))
        #expect(bybit.first?.fundingRate == FixedDecimal(units: -2, exponent: 4) && bybit.first?.volatilityBps != nil)
    }
}

extension JSONFields {
    fileprivate func asList() -> [JSONFields] { [self] }
}
