import HuracanCore

/// The venues' all-symbol statistics replies, as `VenueDayStatistics`, and Binance's published
/// rate limits. Source: Binance USD-M `GET /fapi/v1/ticker/24hr`, `/ticker/bookTicker`,
/// `/premiumIndex`, `/exchangeInfo` `rateLimits`; OKX v5 `GET /api/v5/market/tickers`; Bybit v5
/// `GET /v5/market/tickers`.
extension BinanceParsers {
    /// One entry per symbol of `ticker/24hr`, with the best bid/ask of `ticker/bookTicker` and
    /// the funding rate of `premiumIndex` (all three without a symbol: every symbol).
    public static func dayStatistics(tickers: JSONValue, books: JSONValue, premium: JSONValue) throws -> [VenueDayStatistics] {
        var bidAsk: [String: (FixedDecimal, FixedDecimal)] = [:]
        for b in try list(books, "ticker/bookTicker") { bidAsk[try b.string("symbol")] = (try b.decimal("bidPrice"), try b.decimal("askPrice")) }
        var rates: [String: FixedDecimal] = [:]
        for f in try list(premium, "premiumIndex") { rates[try f.string("symbol")] = try f.optionalDecimal("lastFundingRate") }
        return try list(tickers, "ticker/24hr").map { t in
            let symbol = try t.string("symbol")
            return VenueDayStatistics(symbol: symbol, last: try t.decimal("lastPrice"), high: try t.decimal("highPrice"), low: try t.decimal("lowPrice"),
                                      bid: bidAsk[symbol]?.0, ask: bidAsk[symbol]?.1, quoteVolume: try t.decimal("quoteVolume"), fundingRate: rates[symbol])
        }
    }

    /// exchangeInfo `rateLimits` as (rule, limit, window) for the limiter's rules of the same
    /// meaning (REQUEST_WEIGHT per minute, ORDERS per minute and per 10 s); others are skipped.
    public static func rateLimits(_ info: JSONValue) throws -> [(rule: String, limit: Int, window: Duration)] {
        let top = try JSONFields(info, venue: .binance, message: "exchangeInfo")
        guard top.has("rateLimits") else { return [] }
        var out: [(rule: String, limit: Int, window: Duration)] = []
        for item in try top.objects("rateLimits") {
            let unit: Int64
            switch try item.string("interval") {
            case "SECOND": unit = 1
            case "MINUTE": unit = 60
            case "HOUR": unit = 3_600
            default: unit = 86_400
            }
            let seconds = unit * (try item.int64("intervalNum")), limit = Int(try item.int64("limit"))
            switch (try item.string("rateLimitType"), seconds) {
            case ("REQUEST_WEIGHT", 60): out.append(("weight", limit, .seconds(60)))
            case ("ORDERS", 60): out.append(("orders1m", limit, .seconds(60)))
            case ("ORDERS", 10): out.append(("orders10s", limit, .seconds(10)))
            default: continue
            }
        }
        return out
    }

    private static func list(_ value: JSONValue, _ message: String) throws -> [JSONFields] {
        guard case .array(let items) = value else { throw VenueParseError(venue: .binance, message: message, field: "", reason: "expected an array") }
        return try items.map { try JSONFields($0, venue: .binance, message: message) }
    }
}

extension OKXParsers {
    /// `market/tickers` items (OKX publishes funding elsewhere: nil here).
    public static func dayStatistics(_ items: [JSONFields]) throws -> [VenueDayStatistics] {
        try items.map { t in
            let last = try t.decimal("last")
            return VenueDayStatistics(symbol: try t.string("instId"), last: last, high: try t.decimal("high24h"), low: try t.decimal("low24h"),
                                      bid: try t.optionalDecimal("bidPx"), ask: try t.optionalDecimal("askPx"),
                                      quoteVolume: (try t.optionalDecimal("volCcy24h") ?? .zero) * last, fundingRate: nil)
        }
    }
}

extension BybitParsers {
    /// `market/tickers` `result.list`.
    public static func dayStatistics(_ result: JSONFields) throws -> [VenueDayStatistics] {
        try result.objects("list").map { t in
            VenueDayStatistics(symbol: try t.string("symbol"), last: try t.decimal("lastPrice"), high: try t.decimal("highPrice24h"),
                               low: try t.decimal("lowPrice24h"), bid: try t.optionalDecimal("bid1Price"), ask: try t.optionalDecimal("ask1Price"),
                               quoteVolume: try t.optionalDecimal("turnover24h") ?? .zero, fundingRate: try t.optionalDecimal("fundingRate"))
        }
    }
}
