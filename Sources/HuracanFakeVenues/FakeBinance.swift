import Foundation
import HuracanCore
import HuracanExchanges

/// Binance USD-M front end of the fake venue: `/fapi` REST with HMAC query signing (recvWindow
/// checked against the fake clock), listen keys, raw-stream WebSocket market data with diff depth
/// (U/u/pu) and the user data stream (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE).
struct FakeBinance: FakeVenueDialect {
    func error(_ status: Int, _ code: Int, _ message: String) -> FakeRESTResponse {
        FakeRESTResponse(status: status, body: "{\"code\":\(code),\"msg\":\(FakeJSON.quote(message))}")
    }

    func rateLimited() -> FakeRESTResponse { error(429, -1003, "Too many requests; current limit of IP is 2400 requests per minute.") }

    func ok(_ body: String, weight: Int = 1) -> FakeRESTResponse {
        FakeRESTResponse(status: 200, headers: [("X-MBX-USED-WEIGHT-1M", String(weight))], body: body)
    }

    func serve(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64) async -> FakeRESTResponse {
        let parameters = FakeRESTRequest.parameters(request.query) + FakeRESTRequest.parameters(request.body)
        let p = Dictionary(parameters, uniquingKeysWith: { a, _ in a })
        let route = request.method + " " + request.path
        // Public endpoints.
        switch route {
        case "GET /fapi/v1/time", "GET /fapi/v1/ping":
            return ok(route.hasSuffix("ping") ? "{}" : "{\"serverTime\":\(now)}")
        case "GET /fapi/v1/exchangeInfo":
            let symbols = server.withState { state in state.books.values.map(\.instrument).sorted { $0.symbol < $1.symbol } }
            let items = symbols.map { i in
                "{\"symbol\":\"\(i.symbol)\",\"pair\":\"\(i.symbol)\",\"contractType\":\"PERPETUAL\",\"status\":\"\(i.isTrading ? "TRADING" : "SETTLING")\",\"baseAsset\":\"\(i.coin)\",\"quoteAsset\":\"USDT\",\"marginAsset\":\"USDT\",\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"tickSize\":\"\(i.tickSize)\",\"minPrice\":\"\(i.tickSize)\",\"maxPrice\":\"1000000\"},{\"filterType\":\"LOT_SIZE\",\"stepSize\":\"\(i.lotSize)\",\"minQty\":\"\(i.lotSize)\",\"maxQty\":\"1000000\"},{\"filterType\":\"MIN_NOTIONAL\",\"notional\":\"\(i.minNotional)\"}],\"orderTypes\":[\"LIMIT\",\"MARKET\"],\"timeInForce\":[\"GTC\",\"IOC\",\"FOK\",\"GTX\"]}"
            }
            return ok("{\"timezone\":\"UTC\",\"serverTime\":\(now),\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":2400},{\"rateLimitType\":\"ORDERS\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":1200}],\"symbols\":[\(items.joined(separator: ","))]}")
        case "GET /fapi/v1/depth":
            guard let symbol = p["symbol"], let book = server.withState({ $0.books[symbol] }) else { return error(400, -1121, "Invalid symbol.") }
            return ok("{\"lastUpdateId\":\(book.updateID),\"E\":\(now),\"T\":\(now),\"bids\":\(FakeJSON.levels(book.bids.map { ($0.price, $0.size) })),\"asks\":\(FakeJSON.levels(book.asks.map { ($0.price, $0.size) }))}", weight: 10)
        case "GET /fapi/v1/premiumIndex":
            guard let symbol = p["symbol"] else { return ok("[" + server.allBooks().map { premiumIndex($0, now: now) }.joined(separator: ",") + "]", weight: 10) }
            guard let book = server.withState({ $0.books[symbol] }) else { return error(400, -1121, "Invalid symbol.") }
            return ok(premiumIndex(book, now: now))
        case "GET /fapi/v1/ticker/24hr":
            return ok("[" + server.allBooks().map { b in
                "{\"symbol\":\"\(b.instrument.symbol)\",\"lastPrice\":\"\(b.mid)\",\"highPrice\":\"\(b.dayHigh)\",\"lowPrice\":\"\(b.dayLow)\",\"volume\":\"0\",\"quoteVolume\":\"\(b.dayQuoteVolume)\",\"openTime\":\(now - 86_400_000),\"closeTime\":\(now)}"
            }.joined(separator: ",") + "]", weight: 40)
        case "GET /fapi/v1/ticker/bookTicker":
            return ok("[" + server.allBooks().map { b in
                "{\"symbol\":\"\(b.instrument.symbol)\",\"bidPrice\":\"\(b.bestBid)\",\"bidQty\":\"\(b.bids[0].size)\",\"askPrice\":\"\(b.bestAsk)\",\"askQty\":\"\(b.asks[0].size)\",\"time\":\(now)}"
            }.joined(separator: ",") + "]", weight: 5)
        case "POST /fapi/v1/listenKey", "PUT /fapi/v1/listenKey", "DELETE /fapi/v1/listenKey":
            guard request.header("X-MBX-APIKEY") == server.credentials.apiKey else { return error(401, -2015, "Invalid API-key, IP, or permissions for action.") }
            return server.withState { state in
                switch request.method {
                case "POST":
                    let key = state.listenKeys.first(where: { $0.value > now })?.key ?? "lk\(now)\(state.listenKeys.count)"
                    state.listenKeys[key] = now + 3_600_000
                    return ok("{\"listenKey\":\"\(key)\"}")
                case "PUT":
                    guard let key = state.listenKeys.first(where: { $0.value > now })?.key else { return error(400, -1125, "This listenKey does not exist.") }
                    state.listenKeys[key] = now + 3_600_000
                    return ok("{\"listenKey\":\"\(key)\"}")
                default:
                    state.listenKeys.removeAll()
                    return ok("{}")
                }
            }
        default: break
        }
        // Signed endpoints.
        if let refusal = verify(request, server: server, now: now, p: p) { return refusal }
        switch route {
        case "GET /fapi/v1/commissionRate":
            let (maker, taker) = server.withState { ($0.account.makerFee, $0.account.takerFee) }
            return ok("{\"symbol\":\"\(p["symbol"] ?? "")\",\"makerCommissionRate\":\"\(maker)\",\"takerCommissionRate\":\"\(taker)\",\"rpiCommissionRate\":\"0\"}", weight: 20)
        case "POST /fapi/v1/order":
            guard let symbol = p["symbol"], let clientID = p["newClientOrderId"], let sideText = p["side"], let typeText = p["type"],
                  let quantity = p["quantity"].flatMap({ try? FixedDecimal(parsing: $0) }) else { return error(400, -1102, "Mandatory parameter was not sent.") }
            let type: OrderType = typeText == "MARKET" ? .market : .limit
            let tif: TimeInForce = p["timeInForce"] == "IOC" ? .ioc : p["timeInForce"] == "GTX" ? .postOnly : type == .market ? .ioc : .gtc
            let price = p["price"].flatMap { try? FixedDecimal(parsing: $0) }
            switch server.place(clientOrderID: clientID, symbol: symbol, side: sideText == "BUY" ? .buy : .sell, type: type, timeInForce: tif,
                                quantity: quantity, price: price, reduceOnly: p["reduceOnly"] == "true", now: now) {
            case .success(let (order, fault)):
                return await server.answer(ok(orderJSON(order)), fault: fault)
            case .failure(let failure):
                switch failure {
                case .unknownSymbol: return error(400, -1121, "Invalid symbol.")
                case .insufficientMargin: return error(400, -2019, "Margin is insufficient.")
                case .duplicate: return error(400, -4116, "ClientOrderId is duplicated.")
                case .reduceOnly: return error(400, -2022, "ReduceOnly Order is rejected.")
                case .invalid(let reason): return error(400, -1102, reason)
                }
            }
        case "DELETE /fapi/v1/order", "GET /fapi/v1/order", "PUT /fapi/v1/order":
            guard let clientID = p["origClientOrderId"] else { return error(400, -1102, "Mandatory parameter origClientOrderId was not sent.") }
            let newQuantity = p["quantity"].flatMap { try? FixedDecimal(parsing: $0) }
            let newPrice = p["price"].flatMap { try? FixedDecimal(parsing: $0) }
            let result: Result<FakeOrder, FakeAccount.Refusal> = server.withState { state in
                    switch request.method {
                    case "DELETE": return state.account.cancel(clientOrderID: clientID, now: now)
                    case "PUT":
                        return state.account.amend(clientOrderID: clientID, quantity: newQuantity, price: newPrice, now: now)
                    default:
                        guard let order = state.account.orders[clientID] else { return .failure(.notFound) }
                        return .success(order)
                    }
            }
            server.flushAccountEvents()
            switch result {
            case .success(let order): return ok(orderJSON(order))
            case .failure(.notFound): return error(400, -2013, "Order does not exist.")
            case .failure: return error(400, -2011, "Unknown order sent.")
            }
        case "GET /fapi/v1/openOrders":
            let open = server.withState { state in state.account.orders.values.filter { $0.isOpen && (p["symbol"] == nil || $0.symbol == p["symbol"]) } }
            return ok("[" + open.sorted { $0.orderID < $1.orderID }.map(orderJSON).joined(separator: ",") + "]")
        case "GET /fapi/v3/positionRisk", "GET /fapi/v2/positionRisk":
            let items = server.withState { state in
                state.account.positions.filter { !$0.value.quantity.isZero }.sorted { $0.key < $1.key }.map { symbol, position in
                    "{\"symbol\":\"\(symbol)\",\"positionSide\":\"BOTH\",\"positionAmt\":\"\(position.quantity)\",\"entryPrice\":\"\(position.entryPrice)\",\"markPrice\":\"\(state.books[symbol]?.mid ?? .zero)\",\"unRealizedProfit\":\"0\",\"updateTime\":\(now)}"
                }
            }
            return ok("[" + items.joined(separator: ",") + "]", weight: 5)
        case "GET /fapi/v3/balance", "GET /fapi/v2/balance":
            let balance = server.withState { $0.account.balance }
            return ok("[{\"accountAlias\":\"fake\",\"asset\":\"USDT\",\"balance\":\"\(balance)\",\"crossWalletBalance\":\"\(balance)\",\"availableBalance\":\"\(balance)\",\"updateTime\":\(now)}]", weight: 5)
        case "GET /fapi/v3/account", "GET /fapi/v2/account":
            let (balance, positions) = server.withState { ($0.account.balance, $0.account.positions) }
            let items = positions.filter { !$0.value.quantity.isZero }.map { "{\"symbol\":\"\($0.key)\",\"positionSide\":\"BOTH\",\"positionAmt\":\"\($0.value.quantity)\",\"entryPrice\":\"\($0.value.entryPrice)\",\"unrealizedProfit\":\"0\"}" }
            return ok("{\"canTrade\":true,\"canDeposit\":true,\"canWithdraw\":false,\"assets\":[{\"asset\":\"USDT\",\"walletBalance\":\"\(balance)\",\"availableBalance\":\"\(balance)\",\"marginBalance\":\"\(balance)\"}],\"positions\":[\(items.joined(separator: ","))]}", weight: 5)
        case "GET /fapi/v1/userTrades":
            let since = p["startTime"].flatMap { Int64($0) } ?? 0
            let fills = server.withState { state in state.account.fills.filter { $0.time >= since && (p["symbol"] == nil || $0.symbol == p["symbol"]) } }
            let items = fills.map { f in
                "{\"symbol\":\"\(f.symbol)\",\"id\":\(f.tradeID),\"orderId\":\(f.orderID),\"side\":\"\(f.side == .buy ? "BUY" : "SELL")\",\"price\":\"\(f.price)\",\"qty\":\"\(f.quantity)\",\"realizedPnl\":\"0\",\"quoteQty\":\"\(f.price * f.quantity)\",\"commission\":\"\(f.fee)\",\"commissionAsset\":\"USDT\",\"time\":\(f.time),\"positionSide\":\"BOTH\",\"maker\":\(f.isMaker),\"buyer\":\(f.side == .buy)}"
            }
            return ok("[" + items.joined(separator: ",") + "]", weight: 5)
        default:
            return error(404, -1000, "fake binance: no route \(route)")
        }
    }

    /// HMAC over the exact parameter text (query then body) without `&signature=…`; key, recvWindow and timestamp checked.
    func verify(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64, p: [String: String]) -> FakeRESTResponse? {
        guard request.header("X-MBX-APIKEY") == server.credentials.apiKey else { return error(401, -2015, "Invalid API-key, IP, or permissions for action.") }
        let total = request.query + request.body
        guard let range = total.range(of: "&signature=") else { return error(400, -1102, "Mandatory parameter 'signature' was not sent.") }
        let signature = String(total[range.upperBound...].prefix { $0 != "&" })
        let payload = String(total[..<range.lowerBound]) + String(total[range.upperBound...].drop { $0 != "&" })
        guard HMACSigning.hex(secret: server.credentials.secret, message: payload) == signature else {
            return error(400, -1022, "Signature for this request is not valid.")
        }
        guard let timestamp = p["timestamp"].flatMap({ Int64($0) }) else { return error(400, -1102, "Mandatory parameter 'timestamp' was not sent.") }
        let window = p["recvWindow"].flatMap { Int64($0) } ?? 5000
        if timestamp >= now + 1000 || now - timestamp > window {
            return error(400, -1021, "Timestamp for this request is outside of the recvWindow.")
        }
        return nil
    }

    func premiumIndex(_ book: FakeBook, now: Int64) -> String {
        "{\"symbol\":\"\(book.instrument.symbol)\",\"markPrice\":\"\(book.mid)\",\"indexPrice\":\"\(book.mid)\",\"lastFundingRate\":\"\(book.fundingRate)\",\"nextFundingTime\":\(nextFunding(now)),\"time\":\(now)}"
    }

    static func statusText(_ order: FakeOrder) -> String {
        switch order.status {
        case .new, .unknown, .acknowledged: "NEW"
        case .partiallyFilled: "PARTIALLY_FILLED"
        case .filled: "FILLED"
        case .cancelled: "CANCELED"
        case .expired: "EXPIRED"
        case .rejected: "REJECTED"
        }
    }

    static func tifText(_ order: FakeOrder) -> String {
        switch order.timeInForce {
        case .gtc: "GTC"
        case .ioc: "IOC"
        case .postOnly: "GTX"
        }
    }

    func orderJSON(_ o: FakeOrder) -> String {
        "{\"orderId\":\(o.orderID),\"symbol\":\"\(o.symbol)\",\"status\":\"\(Self.statusText(o))\",\"clientOrderId\":\(FakeJSON.quote(o.clientOrderID)),\"price\":\"\(o.price ?? .zero)\",\"avgPrice\":\"\(o.averagePrice)\",\"origQty\":\"\(o.quantity)\",\"executedQty\":\"\(o.filled)\",\"cumQuote\":\"\(o.filledNotional)\",\"timeInForce\":\"\(Self.tifText(o))\",\"type\":\"\(o.type == .market ? "MARKET" : "LIMIT")\",\"reduceOnly\":\(o.reduceOnly),\"closePosition\":false,\"side\":\"\(o.side == .buy ? "BUY" : "SELL")\",\"positionSide\":\"BOTH\",\"origType\":\"\(o.type == .market ? "MARKET" : "LIMIT")\",\"time\":\(o.createdAt),\"updateTime\":\(o.updatedAt)}"
    }

    // MARK: WebSocket

    func open(_ session: inout FakeSession, query: String, state: inout FakeVenueState, now: Int64) -> Bool {
        var key = FakeRESTRequest.parameters(query).first { $0.0 == "listenKey" }?.1
        if key == nil, session.path.hasPrefix("/ws/") { key = String(session.path.dropFirst(4)) }
        guard let key else { return true }
        guard let expiry = state.listenKeys[key], expiry > now else { return false }
        session.isPrivate = true
        session.isAuthenticated = true
        session.listenKey = key
        return true
    }

    func receive(_ text: String, session: inout FakeSession, state: inout FakeVenueState, credentials: VenueCredentials, now: Int64) -> [String] {
        let fields = FakeJSON.parse(text)
        guard case .string(let method)? = fields["method"] else { return ["{\"error\":{\"code\":2,\"msg\":\"Invalid request\"}}"] }
        let id = fields["id"]?.scalarText ?? "null"
        var params: [String] = []
        if case .array(let items)? = fields["params"] { params = items.compactMap { if case .string(let s) = $0 { s } else { nil } } }
        func normalised(_ stream: String) -> String {
            var s = stream
            for suffix in ["@100ms", "@500ms", "@250ms", "@1s"] where s.hasSuffix(suffix) { s = String(s.dropLast(suffix.count)) }
            return s
        }
        switch method {
        case "SUBSCRIBE": for p in params { session.topics.insert(normalised(p)) }
        case "UNSUBSCRIBE": for p in params { session.topics.remove(normalised(p)) }
        case "LIST_SUBSCRIPTIONS": return ["{\"result\":[\(session.topics.sorted().map(FakeJSON.quote).joined(separator: ","))],\"id\":\(id)}"]
        default: return ["{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown method\"},\"id\":\(id)}"]
        }
        return ["{\"result\":null,\"id\":\(id)}"]
    }

    func depthMessages(book: inout FakeBook, bids: [(FixedDecimal, FixedDecimal)], asks: [(FixedDecimal, FixedDecimal)], now: Int64, badChecksum: Bool) -> [FakeTopicMessage] {
        let previous = book.updateID
        book.updateID += 3
        let s = book.instrument.symbol
        return [FakeTopicMessage(topic: s.lowercased() + "@depth",
                                 text: "{\"e\":\"depthUpdate\",\"E\":\(now),\"T\":\(now),\"s\":\"\(s)\",\"U\":\(previous + 1),\"u\":\(book.updateID),\"pu\":\(previous),\"b\":\(FakeJSON.levels(bids)),\"a\":\(FakeJSON.levels(asks))}")]
    }

    func tickerMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        return [FakeTopicMessage(topic: s.lowercased() + "@bookTicker",
                                 text: "{\"e\":\"bookTicker\",\"u\":\(book.updateID),\"s\":\"\(s)\",\"b\":\"\(book.bestBid)\",\"B\":\"\(book.bids[0].size)\",\"a\":\"\(book.bestAsk)\",\"A\":\"\(book.asks[0].size)\",\"T\":\(now),\"E\":\(now)}")]
    }

    func tradeMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        let buyerMaker = book.tradeID % 2 == 0
        return [FakeTopicMessage(topic: s.lowercased() + "@aggTrade",
                                 text: "{\"e\":\"aggTrade\",\"E\":\(now),\"a\":\(book.tradeID),\"s\":\"\(s)\",\"p\":\"\(buyerMaker ? book.bestBid : book.bestAsk)\",\"q\":\"\(book.instrument.lotSize)\",\"f\":\(book.tradeID),\"l\":\(book.tradeID),\"T\":\(now),\"m\":\(buyerMaker)}")]
    }

    func markMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        return [FakeTopicMessage(topic: s.lowercased() + "@markPrice",
                                 text: "{\"e\":\"markPriceUpdate\",\"E\":\(now),\"s\":\"\(s)\",\"p\":\"\(book.mid)\",\"i\":\"\(book.mid)\",\"P\":\"\(book.mid)\",\"r\":\"\(book.fundingRate)\",\"T\":\(nextFunding(now))}")]
    }

    func accountMessages(_ event: FakeAccountEvent, state: FakeVenueState, now: Int64) -> [FakeTopicMessage] {
        switch event {
        case .order(let o, let fill):
            let exec: String
            if fill != nil { exec = "TRADE" } else {
                switch o.status {
                case .cancelled: exec = "CANCELED"
                case .expired: exec = "EXPIRED"
                case .rejected: exec = "REJECTED"
                default: exec = o.updatedAt > o.createdAt ? "AMENDMENT" : "NEW"
                }
            }
            let status = fill != nil && o.status == .acknowledged ? "PARTIALLY_FILLED" : Self.statusText(o)
            let text = "{\"e\":\"ORDER_TRADE_UPDATE\",\"E\":\(now),\"T\":\(now),\"o\":{\"s\":\"\(o.symbol)\",\"c\":\(FakeJSON.quote(o.clientOrderID)),\"S\":\"\(o.side == .buy ? "BUY" : "SELL")\",\"o\":\"\(o.type == .market ? "MARKET" : "LIMIT")\",\"f\":\"\(Self.tifText(o))\",\"q\":\"\(o.quantity)\",\"p\":\"\(o.price ?? .zero)\",\"ap\":\"\(o.averagePrice)\",\"sp\":\"0\",\"x\":\"\(exec)\",\"X\":\"\(status)\",\"i\":\(o.orderID),\"l\":\"\(fill?.quantity ?? .zero)\",\"z\":\"\(o.filled)\",\"L\":\"\(fill?.price ?? .zero)\",\"n\":\"\(fill?.fee ?? .zero)\",\"N\":\"USDT\",\"T\":\(fill?.time ?? o.updatedAt),\"t\":\(fill?.tradeID ?? 0),\"b\":\"0\",\"a\":\"0\",\"m\":\(fill?.isMaker ?? false),\"R\":\(o.reduceOnly),\"wt\":\"CONTRACT_PRICE\",\"ot\":\"\(o.type == .market ? "MARKET" : "LIMIT")\",\"ps\":\"BOTH\",\"cp\":false,\"rp\":\"0\",\"pP\":false,\"si\":0,\"ss\":0}}"
            return [FakeTopicMessage(topic: "*", text: text)]
        case .position(let symbol, let position):
            let text = "{\"e\":\"ACCOUNT_UPDATE\",\"E\":\(now),\"T\":\(now),\"a\":{\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"\(state.account.balance)\",\"cw\":\"\(state.account.balance)\",\"bc\":\"0\"}],\"P\":[{\"s\":\"\(symbol)\",\"pa\":\"\(position.quantity)\",\"ep\":\"\(position.entryPrice)\",\"cr\":\"0\",\"up\":\"0\",\"mt\":\"cross\",\"iw\":\"0\",\"ps\":\"BOTH\"}]}}"
            return [FakeTopicMessage(topic: "*", text: text)]
        case .balance:
            return []
        }
    }
}

/// The next 8-hour funding boundary after `now` (ms).
func nextFunding(_ now: Int64) -> Int64 { (now / 28_800_000 + 1) * 28_800_000 }
