import Foundation
import HuracanCore
import HuracanExchanges

/// Bybit v5 (linear) front end of the fake venue: `/v5` REST with hex HMAC over
/// timestamp+key+recvWindow+payload and `X-Bapi-Limit*` headers; WebSocket public linear stream
/// (orderbook snapshot then deltas with u/seq, tickers, publicTrade, JSON ping) and private stream
/// (auth; order, execution, position, wallet).
struct FakeBybit: FakeVenueDialect {
    func envelope(_ result: String, code: Int = 0, msg: String = "OK", status: Int = 200, now: Int64 = 0) -> FakeRESTResponse {
        FakeRESTResponse(status: status, headers: [("X-Bapi-Limit", "10"), ("X-Bapi-Limit-Status", "9"), ("X-Bapi-Limit-Reset-Timestamp", String(now + 1000))],
                         body: "{\"retCode\":\(code),\"retMsg\":\(FakeJSON.quote(msg)),\"result\":\(result),\"retExtInfo\":{},\"time\":\(now)}")
    }

    func failure(_ code: Int, _ msg: String, status: Int = 200) -> FakeRESTResponse { envelope("{}", code: code, msg: msg, status: status) }

    func rateLimited() -> FakeRESTResponse { failure(10006, "Too many visits!", status: 429) }

    func serve(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64) async -> FakeRESTResponse {
        let query = Dictionary(FakeRESTRequest.parameters(request.query), uniquingKeysWith: { a, _ in a })
        let body = FakeJSON.parse(request.body)
        func field(_ key: String) -> String? { body[key]?.scalarText ?? query[key] }
        let route = request.method + " " + request.path
        switch route {
        case "GET /v5/market/time":
            return envelope("{\"timeSecond\":\"\(now / 1000)\",\"timeNano\":\"\(now * 1_000_000)\"}", now: now)
        case "GET /v5/market/instruments-info":
            let instruments = server.withState { state in state.books.values.map(\.instrument).sorted { $0.symbol < $1.symbol } }
            let items = instruments.map { i in
                "{\"symbol\":\"\(i.symbol)\",\"contractType\":\"LinearPerpetual\",\"status\":\"\(i.isTrading ? "Trading" : "Settling")\",\"baseCoin\":\"\(i.coin)\",\"quoteCoin\":\"USDT\",\"settleCoin\":\"USDT\",\"fundingInterval\":480,\"priceFilter\":{\"minPrice\":\"\(i.tickSize)\",\"maxPrice\":\"1000000\",\"tickSize\":\"\(i.tickSize)\"},\"lotSizeFilter\":{\"maxOrderQty\":\"1000000\",\"minOrderQty\":\"\(i.lotSize)\",\"qtyStep\":\"\(i.lotSize)\",\"minNotionalValue\":\"\(i.minNotional)\"}}"
            }
            return envelope("{\"category\":\"linear\",\"list\":[\(items.joined(separator: ","))],\"nextPageCursor\":\"\"}", now: now)
        case "GET /v5/market/orderbook":
            guard let symbol = query["symbol"], let book = server.withState({ $0.books[symbol] }) else { return failure(10001, "params error: symbol invalid") }
            return envelope(snapshotData(book, now: now), now: now)
        case "GET /v5/market/tickers":
            guard let symbol = query["symbol"] else {
                return envelope("{\"category\":\"linear\",\"list\":[\(server.allBooks().map { tickerData($0, now: now) }.joined(separator: ","))]}", now: now)
            }
            guard let book = server.withState({ $0.books[symbol] }) else { return failure(10001, "params error: symbol invalid") }
            return envelope("{\"category\":\"linear\",\"list\":[\(tickerData(book, now: now))]}", now: now)
        default: break
        }
        if let refusal = verify(request, server: server, now: now) { return refusal }
        switch route {
        case "GET /v5/user/query-api":
            return envelope("{\"id\":\"1\",\"note\":\"fake\",\"apiKey\":\(FakeJSON.quote(server.credentials.apiKey)),\"readOnly\":0,\"permissions\":{\"ContractTrade\":[\"Order\",\"Position\"],\"Wallet\":[\"AccountTransfer\"]},\"ips\":[\"*\"],\"type\":1,\"uta\":1}", now: now)
        case "GET /v5/account/fee-rate":
            let (maker, taker) = server.withState { ($0.account.makerFee, $0.account.takerFee) }
            return envelope("{\"category\":\"linear\",\"list\":[{\"symbol\":\(FakeJSON.quote(query["symbol"] ?? "")),\"makerFeeRate\":\"\(maker)\",\"takerFeeRate\":\"\(taker)\"}]}", now: now)
        case "POST /v5/order/create":
            guard let symbol = field("symbol"), let clientID = field("orderLinkId"), let sideText = field("side"), let typeText = field("orderType"),
                  let quantity = field("qty").flatMap({ try? FixedDecimal(parsing: $0) }) else { return failure(10001, "params error") }
            let type: OrderType = typeText == "Market" ? .market : .limit
            let tifText = field("timeInForce") ?? "GTC"
            let tif: TimeInForce = type == .market || tifText == "IOC" ? .ioc : tifText == "PostOnly" ? .postOnly : .gtc
            switch server.place(clientOrderID: clientID, symbol: symbol, side: sideText == "Buy" ? .buy : .sell, type: type, timeInForce: tif,
                                quantity: quantity, price: field("price").flatMap { try? FixedDecimal(parsing: $0) },
                                reduceOnly: field("reduceOnly") == "true", now: now) {
            case .success(let (order, fault)):
                return await server.answer(envelope("{\"orderId\":\"\(order.orderID)\",\"orderLinkId\":\(FakeJSON.quote(clientID))}", now: now), fault: fault)
            case .failure(let failure):
                switch failure {
                case .unknownSymbol: return self.failure(10001, "params error: symbol invalid")
                case .insufficientMargin: return self.failure(110007, "ab not enough for new order")
                case .duplicate: return self.failure(110072, "OrderLinkedID is duplicate")
                case .reduceOnly: return self.failure(110017, "reduce-only order has same side with current position")
                case .invalid(let reason): return self.failure(10001, "params error: \(reason)")
                }
            }
        case "POST /v5/order/cancel", "POST /v5/order/amend":
            guard let clientID = field("orderLinkId") else { return failure(10001, "params error: orderLinkId") }
            let newQuantity = field("qty").flatMap { try? FixedDecimal(parsing: $0) }
            let newPrice = field("price").flatMap { try? FixedDecimal(parsing: $0) }
            let result: Result<FakeOrder, FakeAccount.Refusal> = server.withState { state in
                    if request.path.hasSuffix("cancel") { return state.account.cancel(clientOrderID: clientID, now: now) }
                    return state.account.amend(clientOrderID: clientID, quantity: newQuantity, price: newPrice, now: now)
            }
            server.flushAccountEvents()
            switch result {
            case .success(let order): return envelope("{\"orderId\":\"\(order.orderID)\",\"orderLinkId\":\(FakeJSON.quote(clientID))}", now: now)
            case .failure(.notFound): return failure(110001, "order not exists or too late to cancel")
            case .failure: return failure(110008, "order has been finished or cancelled")
            }
        case "GET /v5/order/realtime", "GET /v5/order/history":
            let orders = server.withState { state in
                state.account.orders.values.filter { order in
                    if let id = query["orderLinkId"] { return order.clientOrderID == id }
                    return order.isOpen && (query["symbol"] == nil || order.symbol == query["symbol"])
                }.sorted { $0.orderID < $1.orderID }
            }
            return envelope("{\"category\":\"linear\",\"list\":[\(orders.map(orderJSON).joined(separator: ","))],\"nextPageCursor\":\"\"}", now: now)
        case "GET /v5/position/list":
            let items = server.withState { state in
                state.account.positions.filter { !$0.value.quantity.isZero }.sorted { $0.key < $1.key }.map { positionJSON(symbol: $0.key, position: $0.value, now: now) }
            }
            return envelope("{\"category\":\"linear\",\"list\":[\(items.joined(separator: ","))],\"nextPageCursor\":\"\"}", now: now)
        case "GET /v5/account/wallet-balance":
            let balance = server.withState { $0.account.balance }
            return envelope("{\"list\":[\(walletJSON(balance))]}", now: now)
        case "GET /v5/execution/list":
            let since = query["startTime"].flatMap { Int64($0) } ?? 0
            let items = server.withState { state in state.account.fills.filter { $0.time >= since }.map(executionJSON) }
            return envelope("{\"category\":\"linear\",\"list\":[\(items.joined(separator: ","))],\"nextPageCursor\":\"\"}", now: now)
        default:
            return failure(10001, "fake bybit: no route \(route)", status: 404)
        }
    }

    func verify(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64) -> FakeRESTResponse? {
        let credentials = server.credentials
        guard request.header("X-BAPI-API-KEY") == credentials.apiKey else { return failure(10003, "API key is invalid.", status: 401) }
        guard let stampText = request.header("X-BAPI-TIMESTAMP"), let stamp = Int64(stampText), let sign = request.header("X-BAPI-SIGN") else {
            return failure(10004, "error sign! missing headers", status: 401)
        }
        let window = Int64(request.header("X-BAPI-RECV-WINDOW") ?? "5000") ?? 5000
        let payload = request.method == "GET" ? request.query : request.body
        guard HMACSigning.hex(secret: credentials.secret, message: stampText + credentials.apiKey + String(window) + payload) == sign else {
            return failure(10004, "error sign! origin_string[\(stampText)...]", status: 401)
        }
        guard now - window <= stamp, stamp < now + 1000 else {
            return failure(10002, "invalid request, please check your server timestamp or recv_window param", status: 200)
        }
        return nil
    }

    func snapshotData(_ book: FakeBook, now: Int64) -> String {
        "{\"s\":\"\(book.instrument.symbol)\",\"b\":\(FakeJSON.levels(book.bids.map { ($0.price, $0.size) })),\"a\":\(FakeJSON.levels(book.asks.map { ($0.price, $0.size) })),\"u\":\(book.updateID),\"seq\":\(book.crossSequence),\"ts\":\(now),\"cts\":\(now)}"
    }

    func tickerData(_ book: FakeBook, now: Int64) -> String {
        "{\"symbol\":\"\(book.instrument.symbol)\",\"lastPrice\":\"\(book.mid)\",\"markPrice\":\"\(book.mid)\",\"indexPrice\":\"\(book.mid)\",\"fundingRate\":\"\(book.fundingRate)\",\"nextFundingTime\":\"\(nextFunding(now))\",\"bid1Price\":\"\(book.bestBid)\",\"bid1Size\":\"\(book.bids[0].size)\",\"ask1Price\":\"\(book.bestAsk)\",\"ask1Size\":\"\(book.asks[0].size)\",\"highPrice24h\":\"\(book.dayHigh)\",\"lowPrice24h\":\"\(book.dayLow)\",\"turnover24h\":\"\(book.dayQuoteVolume)\"}"
    }

    static func status(_ o: FakeOrder) -> String {
        switch o.status {
        case .new, .unknown, .acknowledged: "New"
        case .partiallyFilled: "PartiallyFilled"
        case .filled: "Filled"
        case .cancelled: "Cancelled"
        case .expired: o.filled.isPositive ? "PartiallyFilledCanceled" : "Cancelled"
        case .rejected: "Rejected"
        }
    }

    func orderJSON(_ o: FakeOrder) -> String {
        let tif = o.type == .market || o.timeInForce == .ioc ? "IOC" : o.timeInForce == .postOnly ? "PostOnly" : "GTC"
        return "{\"category\":\"linear\",\"orderId\":\"\(o.orderID)\",\"orderLinkId\":\(FakeJSON.quote(o.clientOrderID)),\"symbol\":\"\(o.symbol)\",\"side\":\"\(o.side == .buy ? "Buy" : "Sell")\",\"orderType\":\"\(o.type == .market ? "Market" : "Limit")\",\"timeInForce\":\"\(tif)\",\"price\":\"\(o.price ?? .zero)\",\"qty\":\"\(o.quantity)\",\"leavesQty\":\"\(o.isOpen ? o.remaining : .zero)\",\"cumExecQty\":\"\(o.filled)\",\"cumExecValue\":\"\(o.filledNotional)\",\"cumExecFee\":\"\(o.fees)\",\"avgPrice\":\"\(o.filled.isZero ? "" : "\(o.averagePrice)")\",\"orderStatus\":\"\(Self.status(o))\",\"cancelType\":\"\(o.status == .cancelled ? "CancelByUser" : "UNKNOWN")\",\"rejectReason\":\"\(o.postOnlyWouldTake ? "EC_PostOnlyWillTakeLiquidity" : "EC_NoError")\",\"reduceOnly\":\(o.reduceOnly),\"positionIdx\":0,\"createdTime\":\"\(o.createdAt)\",\"updatedTime\":\"\(o.updatedAt)\"}"
    }

    func executionJSON(_ f: FakeFill) -> String {
        "{\"category\":\"linear\",\"symbol\":\"\(f.symbol)\",\"execId\":\"\(f.tradeID)\",\"orderId\":\"\(f.orderID)\",\"orderLinkId\":\(FakeJSON.quote(f.clientOrderID)),\"side\":\"\(f.side == .buy ? "Buy" : "Sell")\",\"execPrice\":\"\(f.price)\",\"execQty\":\"\(f.quantity)\",\"execFee\":\"\(f.fee)\",\"feeRate\":\"0\",\"feeCurrency\":\"USDT\",\"isMaker\":\(f.isMaker),\"execType\":\"Trade\",\"execTime\":\"\(f.time)\"}"
    }

    func positionJSON(symbol: String, position: FakePosition, now: Int64) -> String {
        let side = position.quantity.isZero ? "" : position.quantity.isPositive ? "Buy" : "Sell"
        return "{\"symbol\":\"\(symbol)\",\"side\":\"\(side)\",\"size\":\"\(position.quantity.magnitude)\",\"avgPrice\":\"\(position.entryPrice)\",\"entryPrice\":\"\(position.entryPrice)\",\"positionIdx\":0,\"unrealisedPnl\":\"0\",\"updatedTime\":\"\(now)\"}"
    }

    func walletJSON(_ balance: FixedDecimal) -> String {
        "{\"accountType\":\"UNIFIED\",\"totalEquity\":\"\(balance)\",\"coin\":[{\"coin\":\"USDT\",\"walletBalance\":\"\(balance)\",\"equity\":\"\(balance)\",\"availableToWithdraw\":\"\(balance)\"}]}"
    }

    // MARK: WebSocket

    func open(_ session: inout FakeSession, query: String, state: inout FakeVenueState, now: Int64) -> Bool {
        session.isPrivate = session.path.hasSuffix("/private")
        return true
    }

    func receive(_ text: String, session: inout FakeSession, state: inout FakeVenueState, credentials: VenueCredentials, now: Int64) -> [String] {
        let fields = FakeJSON.parse(text)
        let reqID = fields["req_id"]?.scalarText.map(FakeJSON.quote) ?? "\"\""
        guard let op = fields["op"]?.scalarText else { return ["{\"success\":false,\"ret_msg\":\"invalid op\",\"op\":\"\"}"] }
        var args: [JSONValue] = []
        if case .array(let items)? = fields["args"] { args = items }
        switch op {
        case "ping":
            return ["{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"c\(session.id)\",\"req_id\":\(reqID),\"op\":\"ping\"}"]
        case "auth":
            guard session.isPrivate, args.count == 3, args[0].scalarText == credentials.apiKey, let expires = args[1].scalarText.flatMap({ Int64($0) }),
                  expires > now, args[2].scalarText == HMACSigning.hex(secret: credentials.secret, message: "GET/realtime" + String(expires)) else {
                return ["{\"success\":false,\"ret_msg\":\"Params Error\",\"op\":\"auth\",\"conn_id\":\"c\(session.id)\"}"]
            }
            session.isAuthenticated = true
            return ["{\"success\":true,\"ret_msg\":\"\",\"op\":\"auth\",\"conn_id\":\"c\(session.id)\"}"]
        case "subscribe", "unsubscribe":
            var snapshots: [String] = []
            for topic in args.compactMap(\.scalarText) {
                if session.isPrivate, !session.isAuthenticated {
                    return ["{\"success\":false,\"ret_msg\":\"Request not authorized\",\"conn_id\":\"c\(session.id)\",\"req_id\":\(reqID),\"op\":\"\(op)\"}"]
                }
                let key = Self.topicKey(topic)
                if op == "subscribe" {
                    session.topics.insert(key)
                    let parts = topic.split(separator: ".")
                    if parts.first == "orderbook", let symbol = parts.last.map(String.init), let book = state.books[symbol] {
                        snapshots.append("{\"topic\":\"orderbook.50.\(symbol)\",\"type\":\"snapshot\",\"ts\":\(now),\"data\":\(snapshotData(book, now: now)),\"cts\":\(now)}")
                    }
                } else {
                    session.topics.remove(key)
                }
            }
            return ["{\"success\":true,\"ret_msg\":\"\",\"conn_id\":\"c\(session.id)\",\"req_id\":\(reqID),\"op\":\"\(op)\"}"] + snapshots
        default:
            return ["{\"success\":false,\"ret_msg\":\"unknown op \(op)\",\"op\":\"\(op)\"}"]
        }
    }

    /// `orderbook.50.BTCUSDT` -> `orderbook.BTCUSDT` (any depth gets the fake's one book); others as they are.
    static func topicKey(_ topic: String) -> String {
        let parts = topic.split(separator: ".")
        if parts.count == 3, parts[0] == "orderbook" { return "orderbook.\(parts[2])" }
        if parts.count == 2, ["order", "execution", "position", "wallet"].contains(parts[0]) { return String(parts[0]) }
        return topic
    }

    func depthMessages(book: inout FakeBook, bids: [(FixedDecimal, FixedDecimal)], asks: [(FixedDecimal, FixedDecimal)], now: Int64, badChecksum: Bool) -> [FakeTopicMessage] {
        book.updateID += 1
        book.crossSequence += 7
        let s = book.instrument.symbol
        return [FakeTopicMessage(topic: "orderbook." + s,
                                 text: "{\"topic\":\"orderbook.50.\(s)\",\"type\":\"delta\",\"ts\":\(now),\"data\":{\"s\":\"\(s)\",\"b\":\(FakeJSON.levels(bids)),\"a\":\(FakeJSON.levels(asks)),\"u\":\(book.updateID),\"seq\":\(book.crossSequence)},\"cts\":\(now)}")]
    }

    func tickerMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        return [FakeTopicMessage(topic: "tickers." + s, text: "{\"topic\":\"tickers.\(s)\",\"type\":\"snapshot\",\"data\":\(tickerData(book, now: now)),\"cs\":\(book.crossSequence),\"ts\":\(now)}")]
    }

    func tradeMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        let sell = book.tradeID % 2 == 0
        return [FakeTopicMessage(topic: "publicTrade." + s, text: "{\"topic\":\"publicTrade.\(s)\",\"type\":\"snapshot\",\"ts\":\(now),\"data\":[{\"T\":\(now),\"s\":\"\(s)\",\"S\":\"\(sell ? "Sell" : "Buy")\",\"v\":\"\(book.instrument.lotSize)\",\"p\":\"\(sell ? book.bestBid : book.bestAsk)\",\"L\":\"PlusTick\",\"i\":\"t\(book.tradeID)\",\"BT\":false}]}")]
    }

    func markMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] { [] }

    func accountMessages(_ event: FakeAccountEvent, state: FakeVenueState, now: Int64) -> [FakeTopicMessage] {
        switch event {
        case .order(let o, let fill):
            var out: [FakeTopicMessage] = []
            if let fill {
                out.append(FakeTopicMessage(topic: "execution", text: "{\"id\":\"e\(fill.tradeID)\",\"topic\":\"execution\",\"creationTime\":\(now),\"data\":[\(executionJSON(fill))]}"))
            }
            out.append(FakeTopicMessage(topic: "order", text: "{\"id\":\"o\(o.orderID)-\(o.updatedAt)\",\"topic\":\"order\",\"creationTime\":\(now),\"data\":[\(orderJSON(o))]}"))
            return out
        case .position(let symbol, let position):
            return [FakeTopicMessage(topic: "position", text: "{\"id\":\"p\(now)\",\"topic\":\"position\",\"creationTime\":\(now),\"data\":[\(positionJSON(symbol: symbol, position: position, now: now))]}")]
        case .balance(let balance):
            return [FakeTopicMessage(topic: "wallet", text: "{\"id\":\"w\(now)\",\"topic\":\"wallet\",\"creationTime\":\(now),\"data\":[\(walletJSON(balance))]}")]
        }
    }
}
