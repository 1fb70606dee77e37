import HuracanCore

/// The documented request limits of each venue, and what our calls cost against them.
public enum VenueRateLimits {
    /// Binance USD-M. Source: GET /fapi/v1/exchangeInfo `rateLimits` and developers.binance.com
    /// USDⓈ-M Futures "General Info / Limits": REQUEST_WEIGHT 2400 per minute per IP; ORDERS
    /// 1200 per minute and 300 per 10 seconds per account (/work/shared/exchanges/binance-usdm.md §8).
    /// Usage headers X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-1M / -10S feed `observe`.
    public static let binance: [RateLimitRule] = [
        RateLimitRule(name: "weight", limit: 2400, window: .seconds(60)),
        RateLimitRule(name: "orders1m", limit: 1200, window: .seconds(60)),
        RateLimitRule(name: "orders10s", limit: 300, window: .seconds(10)),
    ]

    /// OKX v5. Source: okx.com docs-v5 per-endpoint "Rate Limit" lines and the 2024-01 help notice
    /// (/work/shared/exchanges/okx-v5.md §3, §8): place / cancel / amend 60 per 2 s per instrument
    /// each; 1000 new+amend per 2 s per sub-account; order book 40 per 2 s; instruments 20 per 2 s;
    /// positions and balance 10 per 2 s; server time 10 per 2 s.
    public static let okx: [RateLimitRule] = [
        RateLimitRule(name: "place", limit: 60, window: .seconds(2), isPerKey: true),
        RateLimitRule(name: "cancel", limit: 60, window: .seconds(2), isPerKey: true),
        RateLimitRule(name: "amend", limit: 60, window: .seconds(2), isPerKey: true),
        RateLimitRule(name: "query", limit: 60, window: .seconds(2), isPerKey: true),
        RateLimitRule(name: "subaccountOrders", limit: 1000, window: .seconds(2)),
        RateLimitRule(name: "books", limit: 40, window: .seconds(2)),
        RateLimitRule(name: "instruments", limit: 20, window: .seconds(2)),
        RateLimitRule(name: "account", limit: 10, window: .seconds(2)),
        RateLimitRule(name: "time", limit: 10, window: .seconds(2)),
    ]

    /// Bybit v5. Source: bybit-exchange.github.io/docs/v5/rate-limit (/work/shared/exchanges/bybit-v5.md §8):
    /// 600 requests per 5 s per IP across REST hosts (breach: 403 and a 10-minute block); per UID
    /// linear order create / amend / cancel 10 per second each. Headers X-Bapi-Limit-Status,
    /// X-Bapi-Limit, X-Bapi-Limit-Reset-Timestamp feed `observe` / `pause`.
    public static let bybit: [RateLimitRule] = [
        RateLimitRule(name: "ip", limit: 600, window: .seconds(5)),
        RateLimitRule(name: "create", limit: 10, window: .seconds(1)),
        RateLimitRule(name: "amend", limit: 10, window: .seconds(1)),
        RateLimitRule(name: "cancel", limit: 10, window: .seconds(1)),
        RateLimitRule(name: "query", limit: 10, window: .seconds(1)),
    ]

    public static func rules(_ venue: VenueID) -> [RateLimitRule] {
        switch venue {
        case .binance: binance
        case .okx: okx
        case .bybit: bybit
        }
    }

    public static func limiter(_ venue: VenueID, safety: Double = 0.8) -> RateLimiter { RateLimiter(venue: venue, rules: rules(venue), safety: safety) }

    /// Calls the adapters make.
    public enum Call: Sendable, Hashable {
        case placeOrder(symbol: String)
        case cancelOrder(symbol: String)
        case amendOrder(symbol: String)
        case queryOrder(symbol: String)
        /// Depth snapshot with `limit` levels.
        case depthSnapshot(limit: Int)
        case instruments
        case account
        case serverTime
        /// Every symbol's 24 h statistics (Binance `ticker/24hr`, OKX and Bybit `market/tickers`).
        case dayStatistics
        /// Binance: every symbol's best bid/ask and every symbol's funding (`premiumIndex`).
        case bookTickers
        case premiumIndex
    }

    /// The cost of `call` on `venue`. Binance weights per endpoint from its docs (depth: 2 for ≤50
    /// levels, 5 for 100, 10 for 500, 20 for 1000; order endpoints 1 weight plus 1 on each ORDERS
    /// counter; account/positions 5; exchangeInfo 1).
    public static func cost(_ call: Call, venue: VenueID) -> [RateLimitCost] {
        switch venue {
        case .binance:
            switch call {
            case .placeOrder, .amendOrder: return [RateLimitCost("weight", 1), RateLimitCost("orders1m"), RateLimitCost("orders10s")]
            case .cancelOrder, .queryOrder: return [RateLimitCost("weight", 1)]
            case .depthSnapshot(let limit): return [RateLimitCost("weight", limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20)]
            case .instruments, .serverTime: return [RateLimitCost("weight", 1)]
            case .account: return [RateLimitCost("weight", 5)]
            // All symbols at once: ticker/24hr 40, bookTicker 5, premiumIndex 10.
            case .dayStatistics: return [RateLimitCost("weight", 40)]
            case .bookTickers: return [RateLimitCost("weight", 5)]
            case .premiumIndex: return [RateLimitCost("weight", 10)]
            }
        case .okx:
            switch call {
            case .placeOrder(let s): return [RateLimitCost("place", key: s), RateLimitCost("subaccountOrders")]
            case .amendOrder(let s): return [RateLimitCost("amend", key: s), RateLimitCost("subaccountOrders")]
            case .cancelOrder(let s): return [RateLimitCost("cancel", key: s)]
            case .queryOrder(let s): return [RateLimitCost("query", key: s)]
            case .depthSnapshot: return [RateLimitCost("books")]
            // market/tickers: 20 per 2 s, the same budget as instruments.
            case .instruments, .dayStatistics, .bookTickers, .premiumIndex: return [RateLimitCost("instruments")]
            case .account: return [RateLimitCost("account")]
            case .serverTime: return [RateLimitCost("time")]
            }
        case .bybit:
            switch call {
            case .placeOrder: return [RateLimitCost("ip"), RateLimitCost("create")]
            case .amendOrder: return [RateLimitCost("ip"), RateLimitCost("amend")]
            case .cancelOrder: return [RateLimitCost("ip"), RateLimitCost("cancel")]
            case .queryOrder: return [RateLimitCost("ip"), RateLimitCost("query")]
            case .depthSnapshot, .instruments, .account, .serverTime, .dayStatistics, .bookTickers, .premiumIndex: return [RateLimitCost("ip")]
            }
        }
    }
}
