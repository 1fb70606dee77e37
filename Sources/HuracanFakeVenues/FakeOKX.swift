import Foundation
import HuracanCore
import HuracanExchanges

/// OKX v5 front end of the fake venue: `/api/v5` REST with base64 HMAC over
/// timestamp+method+path+body and the passphrase, sizes in contracts, `sCode` per order item;
/// WebSocket public (books with seqId/prevSeqId, no snapshot, checksum 0 unless a fault sends a
/// wrong one; tickers, trades, funding, mark price) and private (login; orders, positions, account).
struct FakeOKX: FakeVenueDialect {
    func envelope(_ data: [String], code: String = "0", msg: String = "", status: Int = 200) -> FakeRESTResponse {
        FakeRESTResponse(status: status, body: "{\"code\":\"\(code)\",\"msg\":\(FakeJSON.quote(msg)),\"data\":[\(data.joined(separator: ","))]}")
    }

    func rateLimited() -> FakeRESTResponse { envelope([], code: "50011", msg: "Too Many Requests", status: 429) }

    func orderFailure(_ code: String, _ message: String, clientID: String) -> FakeRESTResponse {
        envelope(["{\"clOrdId\":\(FakeJSON.quote(clientID)),\"ordId\":\"\",\"sCode\":\"\(code)\",\"sMsg\":\(FakeJSON.quote(message))}"], code: "1", msg: "All operations failed")
    }

    func serve(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64) async -> FakeRESTResponse {
        let query = Dictionary(FakeRESTRequest.parameters(request.query), uniquingKeysWith: { a, _ in a })
        let body = FakeJSON.parse(request.body)
        func field(_ key: String) -> String? { body[key]?.scalarText ?? query[key] }
        let route = request.method + " " + request.path
        switch route {
        case "GET /api/v5/public/time": return envelope(["{\"ts\":\"\(now)\"}"])
        case "GET /api/v5/public/instruments":
            let instruments = server.withState { state in state.books.values.map(\.instrument).sorted { $0.symbol < $1.symbol } }
            return envelope(instruments.map { i in
                "{\"instType\":\"SWAP\",\"instId\":\"\(i.symbol)\",\"uly\":\"\(i.coin)-USDT\",\"instFamily\":\"\(i.coin)-USDT\",\"settleCcy\":\"USDT\",\"ctVal\":\"\(i.contractValue)\",\"ctMult\":\"1\",\"ctValCcy\":\"\(i.coin)\",\"ctType\":\"linear\",\"tickSz\":\"\(i.tickSize)\",\"lotSz\":\"\(i.lotSize)\",\"minSz\":\"\(i.lotSize)\",\"state\":\"\(i.isTrading ? "live" : "suspend")\",\"maxLmtSz\":\"100000000\",\"maxMktSz\":\"1000000\"}"
            })
        case "GET /api/v5/market/tickers":
            return envelope(server.allBooks().map { b in
                "{\"instType\":\"SWAP\",\"instId\":\"\(b.instrument.symbol)\",\"last\":\"\(b.mid)\",\"bidPx\":\"\(b.bestBid)\",\"askPx\":\"\(b.bestAsk)\",\"high24h\":\"\(b.dayHigh)\",\"low24h\":\"\(b.dayLow)\",\"volCcy24h\":\"\((b.dayQuoteVolume / b.mid).rounded(toMultipleOf: FixedDecimal(units: 1, exponent: 4), .nearest))\",\"ts\":\"\(now)\"}"
            })
        case "GET /api/v5/market/books":
            guard let symbol = query["instId"], let book = server.withState({ $0.books[symbol] }) else { return envelope([], code: "51001", msg: "Instrument ID does not exist") }
            return envelope(["{\"asks\":\(levels(book.asks)),\"bids\":\(levels(book.bids)),\"ts\":\"\(now)\",\"seqId\":\(book.updateID)}"])
        case "GET /api/v5/public/funding-rate":
            guard let symbol = query["instId"], let book = server.withState({ $0.books[symbol] }) else { return envelope([], code: "51001", msg: "Instrument ID does not exist") }
            return envelope(["{\"instType\":\"SWAP\",\"instId\":\"\(symbol)\",\"fundingRate\":\"\(book.fundingRate)\",\"fundingTime\":\"\(nextFunding(now))\",\"nextFundingTime\":\"\(nextFunding(now) + 28_800_000)\",\"ts\":\"\(now)\"}"])
        case "GET /api/v5/public/mark-price":
            guard let symbol = query["instId"], let book = server.withState({ $0.books[symbol] }) else { return envelope([], code: "51001", msg: "Instrument ID does not exist") }
            return envelope(["{\"instType\":\"SWAP\",\"instId\":\"\(symbol)\",\"markPx\":\"\(book.mid)\",\"ts\":\"\(now)\"}"])
        default: break
        }
        if let refusal = verify(request, server: server, now: now) { return refusal }
        switch route {
        case "GET /api/v5/account/config":
            return envelope(["{\"uid\":\"1\",\"acctLv\":\"2\",\"posMode\":\"net_mode\",\"perm\":\"read_only,trade\",\"label\":\"fake\"}"])
        case "GET /api/v5/account/trade-fee":
            let (maker, taker) = server.withState { ($0.account.makerFee, $0.account.takerFee) }
            return envelope(["{\"instType\":\"SWAP\",\"instFamily\":\(FakeJSON.quote(query["instFamily"] ?? "")),\"level\":\"Lv1\",\"maker\":\"\(-maker)\",\"taker\":\"\(-taker)\",\"makerU\":\"\(-maker)\",\"takerU\":\"\(-taker)\",\"ts\":\"\(now)\"}"])
        case "POST /api/v5/trade/order":
            guard let symbol = field("instId"), let clientID = field("clOrdId"), let sideText = field("side"), let ordType = field("ordType"),
                  let contracts = field("sz").flatMap({ try? FixedDecimal(parsing: $0) }) else {
                return orderFailure("51000", "Parameter error", clientID: field("clOrdId") ?? "")
            }
            guard let value = server.withState({ $0.books[symbol]?.instrument.contractValue }) else { return orderFailure("51001", "Instrument ID does not exist", clientID: clientID) }
            let type: OrderType = ordType == "market" ? .market : .limit
            let tif: TimeInForce = ordType == "ioc" || ordType == "market" ? .ioc : ordType == "post_only" ? .postOnly : .gtc
            switch server.place(clientOrderID: clientID, symbol: symbol, side: sideText == "buy" ? .buy : .sell, type: type, timeInForce: tif,
                                quantity: contracts * value, price: field("px").flatMap { try? FixedDecimal(parsing: $0) },
                                reduceOnly: field("reduceOnly") == "true", now: now) {
            case .success(let (order, fault)):
                return await server.answer(envelope(["{\"clOrdId\":\(FakeJSON.quote(clientID)),\"ordId\":\"\(order.orderID)\",\"tag\":\"\",\"ts\":\"\(now)\",\"sCode\":\"0\",\"sMsg\":\"Order placed\"}"]), fault: fault)
            case .failure(let failure):
                switch failure {
                case .unknownSymbol: return orderFailure("51001", "Instrument ID does not exist", clientID: clientID)
                case .insufficientMargin: return orderFailure("51008", "Order failed. Insufficient USDT margin in account", clientID: clientID)
                case .duplicate: return orderFailure("51016", "Duplicated client order ID", clientID: clientID)
                case .reduceOnly: return orderFailure("51205", "Reduce Only is not available", clientID: clientID)
                case .invalid(let reason): return orderFailure("51000", "Parameter error: \(reason)", clientID: clientID)
                }
            }
        case "POST /api/v5/trade/cancel-order", "POST /api/v5/trade/amend-order":
            guard let clientID = field("clOrdId") else { return orderFailure("51000", "Parameter clOrdId error", clientID: "") }
            let newContracts = field("newSz").flatMap { try? FixedDecimal(parsing: $0) }
            let newPrice = field("newPx").flatMap { try? FixedDecimal(parsing: $0) }
            let result: Result<FakeOrder, FakeAccount.Refusal> = server.withState { state in
                    if request.path.hasSuffix("cancel-order") { return state.account.cancel(clientOrderID: clientID, now: now) }
                    let value = state.account.orders[clientID].flatMap { state.books[$0.symbol]?.instrument.contractValue } ?? 1
                    return state.account.amend(clientOrderID: clientID, quantity: newContracts.map { $0 * value }, price: newPrice, now: now)
            }
            server.flushAccountEvents()
            switch result {
            case .success(let order): return envelope(["{\"clOrdId\":\(FakeJSON.quote(clientID)),\"ordId\":\"\(order.orderID)\",\"reqId\":\"\",\"ts\":\"\(now)\",\"sCode\":\"0\",\"sMsg\":\"\"}"])
            case .failure(.notFound): return orderFailure(request.path.hasSuffix("cancel-order") ? "51400" : "51503", "Order does not exist", clientID: clientID)
            case .failure: return orderFailure(request.path.hasSuffix("cancel-order") ? "51401" : "51509", "Order has been completed or cancelled", clientID: clientID)
            }
        case "GET /api/v5/trade/order":
            guard let clientID = query["clOrdId"] else { return envelope([], code: "51000", msg: "Parameter clOrdId error") }
            let found = server.withState { state in state.account.orders[clientID].map { (order: $0, value: state.books[$0.symbol]?.instrument.contractValue ?? 1) } }
            guard let found else { return envelope([], code: "51603", msg: "Order does not exist") }
            return envelope([orderJSON(found.order, contractValue: found.value, fill: nil)])
        case "GET /api/v5/trade/orders-pending":
            let open = server.withState { state in
                state.account.orders.values.filter(\.isOpen).sorted { $0.orderID < $1.orderID }.map { ($0, state.books[$0.symbol]?.instrument.contractValue ?? 1) }
            }
            return envelope(open.map { orderJSON($0.0, contractValue: $0.1, fill: nil) })
        case "GET /api/v5/account/positions":
            let items = server.withState { state in
                state.account.positions.filter { !$0.value.quantity.isZero }.sorted { $0.key < $1.key }.map { symbol, position in
                    positionJSON(symbol: symbol, position: position, contractValue: state.books[symbol]?.instrument.contractValue ?? 1, now: now)
                }
            }
            return envelope(items)
        case "GET /api/v5/account/balance":
            let balance = server.withState { $0.account.balance }
            return envelope([balanceJSON(balance, now: now)])
        case "GET /api/v5/trade/fills", "GET /api/v5/trade/fills-history":
            let since = query["begin"].flatMap { Int64($0) } ?? 0
            let items = server.withState { state in
                state.account.fills.filter { $0.time >= since }.map { f in
                    let value = state.books[f.symbol]?.instrument.contractValue ?? 1
                    return "{\"instType\":\"SWAP\",\"instId\":\"\(f.symbol)\",\"tradeId\":\"\(f.tradeID)\",\"ordId\":\"\(f.orderID)\",\"clOrdId\":\(FakeJSON.quote(f.clientOrderID)),\"billId\":\"\(f.tradeID)\",\"fillPx\":\"\(f.price)\",\"fillSz\":\"\(f.quantity / value)\",\"side\":\"\(f.side == .buy ? "buy" : "sell")\",\"posSide\":\"net\",\"execType\":\"\(f.isMaker ? "M" : "T")\",\"feeCcy\":\"USDT\",\"fee\":\"\(-f.fee)\",\"ts\":\"\(f.time)\",\"fillTime\":\"\(f.time)\"}"
                }
            }
            return envelope(items)
        default:
            return envelope([], code: "50000", msg: "fake okx: no route \(route)", status: 404)
        }
    }

    func verify(_ request: FakeRESTRequest, server: FakeVenueServer, now: Int64) -> FakeRESTResponse? {
        let credentials = server.credentials
        guard request.header("OK-ACCESS-KEY") == credentials.apiKey else { return envelope([], code: "50111", msg: "Invalid OK-ACCESS-KEY", status: 401) }
        guard request.header("OK-ACCESS-PASSPHRASE") == credentials.passphrase else { return envelope([], code: "50105", msg: "Invalid OK-ACCESS-PASSPHRASE", status: 401) }
        guard let stamp = request.header("OK-ACCESS-TIMESTAMP"), let sign = request.header("OK-ACCESS-SIGN") else {
            return envelope([], code: "50103", msg: "Request header OK-ACCESS-KEY can not be empty", status: 401)
        }
        let path = request.path + (request.query.isEmpty ? "" : "?" + request.query)
        guard HMACSigning.base64(secret: credentials.secret, message: stamp + request.method + path + request.body) == sign else {
            return envelope([], code: "50113", msg: "Invalid Sign", status: 401)
        }
        guard let time = Self.parseISO(stamp), abs(time - now) <= 30_000 else {
            return envelope([], code: "50102", msg: "Timestamp request expired", status: 401)
        }
        return nil
    }

    /// `2025-01-01T00:00:00.000Z` -> ms since the epoch.
    static func parseISO(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    func levels(_ levels: [(price: FixedDecimal, size: FixedDecimal)]) -> String {
        "[" + levels.map { "[\"\($0.price)\",\"\($0.size)\",\"0\",\"1\"]" }.joined(separator: ",") + "]"
    }

    static func state(_ o: FakeOrder) -> String {
        switch o.status {
        case .new, .unknown, .acknowledged: "live"
        case .partiallyFilled: "partially_filled"
        case .filled: "filled"
        case .cancelled, .expired, .rejected: "canceled"
        }
    }

    func orderJSON(_ o: FakeOrder, contractValue: FixedDecimal, fill: FakeFill?) -> String {
        let ordType = o.type == .market ? "market" : o.timeInForce == .ioc ? "ioc" : o.timeInForce == .postOnly ? "post_only" : "limit"
        let cancelSource = o.postOnlyWouldTake ? "31" : o.status == .cancelled ? "1" : o.status == .expired ? "14" : ""
        var text = "{\"instType\":\"SWAP\",\"instId\":\"\(o.symbol)\",\"ordId\":\"\(o.orderID)\",\"clOrdId\":\(FakeJSON.quote(o.clientOrderID)),\"tag\":\"\",\"px\":\"\(o.price.map { "\($0)" } ?? "")\",\"sz\":\"\(o.quantity / contractValue)\",\"ordType\":\"\(ordType)\",\"side\":\"\(o.side == .buy ? "buy" : "sell")\",\"posSide\":\"net\",\"tdMode\":\"cross\",\"accFillSz\":\"\(o.filled / contractValue)\",\"avgPx\":\"\(o.filled.isZero ? "" : "\(o.averagePrice)")\",\"state\":\"\(Self.state(o))\",\"reduceOnly\":\"\(o.reduceOnly)\",\"cancelSource\":\"\(cancelSource)\",\"fee\":\"\(-o.fees)\",\"feeCcy\":\"USDT\",\"uTime\":\"\(o.updatedAt)\",\"cTime\":\"\(o.createdAt)\""
        if let fill {
            text += ",\"tradeId\":\"\(fill.tradeID)\",\"fillPx\":\"\(fill.price)\",\"fillSz\":\"\(fill.quantity / contractValue)\",\"fillFee\":\"\(-fill.fee)\",\"fillFeeCcy\":\"USDT\",\"execType\":\"\(fill.isMaker ? "M" : "T")\",\"fillTime\":\"\(fill.time)\""
        } else {
            text += ",\"tradeId\":\"\",\"fillPx\":\"\",\"fillSz\":\"0\",\"fillFee\":\"0\",\"execType\":\"\",\"fillTime\":\"\""
        }
        return text + "}"
    }

    func positionJSON(symbol: String, position: FakePosition, contractValue: FixedDecimal, now: Int64) -> String {
        "{\"instType\":\"SWAP\",\"instId\":\"\(symbol)\",\"mgnMode\":\"cross\",\"posSide\":\"net\",\"pos\":\"\(position.quantity / contractValue)\",\"avgPx\":\"\(position.entryPrice)\",\"upl\":\"0\",\"ccy\":\"USDT\",\"uTime\":\"\(now)\"}"
    }

    func balanceJSON(_ balance: FixedDecimal, now: Int64) -> String {
        "{\"totalEq\":\"\(balance)\",\"uTime\":\"\(now)\",\"details\":[{\"ccy\":\"USDT\",\"cashBal\":\"\(balance)\",\"availBal\":\"\(balance)\",\"eq\":\"\(balance)\",\"uTime\":\"\(now)\"}]}"
    }

    // MARK: WebSocket

    func open(_ session: inout FakeSession, query: String, state: inout FakeVenueState, now: Int64) -> Bool {
        session.isPrivate = session.path.hasSuffix("/private")
        return true
    }

    func receive(_ text: String, session: inout FakeSession, state: inout FakeVenueState, credentials: VenueCredentials, now: Int64) -> [String] {
        if text == "ping" { return ["pong"] }
        let fields = FakeJSON.parse(text)
        guard let op = fields["op"]?.scalarText else { return ["{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request\"}"] }
        guard case .array(let args)? = fields["args"] else { return ["{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request: missing args\"}"] }
        switch op {
        case "login":
            guard session.isPrivate, case .object(let a)? = args.first,
                  a["apiKey"]?.scalarText == credentials.apiKey, a["passphrase"]?.scalarText == credentials.passphrase,
                  let stamp = a["timestamp"]?.scalarText, let seconds = Int64(stamp), abs(seconds * 1000 - now) <= 30_000,
                  a["sign"]?.scalarText == HMACSigning.base64(secret: credentials.secret, message: stamp + "GET/users/self/verify") else {
                return ["{\"event\":\"error\",\"code\":\"60009\",\"msg\":\"Login failed.\",\"connId\":\"c\(session.id)\"}"]
            }
            session.isAuthenticated = true
            return ["{\"event\":\"login\",\"code\":\"0\",\"msg\":\"\",\"connId\":\"c\(session.id)\"}"]
        case "subscribe", "unsubscribe":
            var replies: [String] = []
            for case .object(let a) in args {
                guard let channel = a["channel"]?.scalarText else { continue }
                let isPrivateChannel = ["orders", "positions", "account", "balance_and_position"].contains(channel)
                if isPrivateChannel, !session.isAuthenticated {
                    replies.append("{\"event\":\"error\",\"code\":\"60011\",\"msg\":\"Please log in\",\"connId\":\"c\(session.id)\"}")
                    continue
                }
                let topic = isPrivateChannel ? channel : channel + ":" + (a["instId"]?.scalarText ?? "")
                if op == "subscribe" { session.topics.insert(topic) } else { session.topics.remove(topic) }
                replies.append("{\"event\":\"\(op)\",\"arg\":\(JSONValue.object(a).jsonText),\"connId\":\"c\(session.id)\"}")
            }
            return replies
        default:
            return ["{\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request: unknown op\"}"]
        }
    }

    func depthMessages(book: inout FakeBook, bids: [(FixedDecimal, FixedDecimal)], asks: [(FixedDecimal, FixedDecimal)], now: Int64, badChecksum: Bool) -> [FakeTopicMessage] {
        let previous = book.updateID
        book.updateID += 2
        let s = book.instrument.symbol
        let l: ([(FixedDecimal, FixedDecimal)]) -> String = { "[" + $0.map { "[\"\($0.0)\",\"\($0.1)\",\"0\",\"1\"]" }.joined(separator: ",") + "]" }
        return [FakeTopicMessage(topic: "books:" + s,
                                 text: "{\"arg\":{\"channel\":\"books\",\"instId\":\"\(s)\"},\"action\":\"update\",\"data\":[{\"asks\":\(l(asks)),\"bids\":\(l(bids)),\"ts\":\"\(now)\",\"checksum\":\(badChecksum ? 12345 : 0),\"prevSeqId\":\(previous),\"seqId\":\(book.updateID)}]}")]
    }

    func tickerMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        return [
            FakeTopicMessage(topic: "tickers:" + s, text: "{\"arg\":{\"channel\":\"tickers\",\"instId\":\"\(s)\"},\"data\":[{\"instType\":\"SWAP\",\"instId\":\"\(s)\",\"last\":\"\(book.mid)\",\"bidPx\":\"\(book.bestBid)\",\"bidSz\":\"\(book.bids[0].size)\",\"askPx\":\"\(book.bestAsk)\",\"askSz\":\"\(book.asks[0].size)\",\"ts\":\"\(now)\"}]}"),
            FakeTopicMessage(topic: "bbo-tbt:" + s, text: "{\"arg\":{\"channel\":\"bbo-tbt\",\"instId\":\"\(s)\"},\"data\":[{\"asks\":[[\"\(book.bestAsk)\",\"\(book.asks[0].size)\",\"0\",\"1\"]],\"bids\":[[\"\(book.bestBid)\",\"\(book.bids[0].size)\",\"0\",\"1\"]],\"ts\":\"\(now)\",\"seqId\":\(book.updateID)}]}"),
        ]
    }

    func tradeMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        let sell = book.tradeID % 2 == 0
        return [FakeTopicMessage(topic: "trades:" + s, text: "{\"arg\":{\"channel\":\"trades\",\"instId\":\"\(s)\"},\"data\":[{\"instId\":\"\(s)\",\"tradeId\":\"\(book.tradeID)\",\"px\":\"\(sell ? book.bestBid : book.bestAsk)\",\"sz\":\"\(book.instrument.lotSize)\",\"side\":\"\(sell ? "sell" : "buy")\",\"ts\":\"\(now)\",\"count\":\"1\"}]}")]
    }

    func markMessages(book: FakeBook, now: Int64) -> [FakeTopicMessage] {
        let s = book.instrument.symbol
        return [
            FakeTopicMessage(topic: "funding-rate:" + s, text: "{\"arg\":{\"channel\":\"funding-rate\",\"instId\":\"\(s)\"},\"data\":[{\"instType\":\"SWAP\",\"instId\":\"\(s)\",\"fundingRate\":\"\(book.fundingRate)\",\"fundingTime\":\"\(nextFunding(now))\",\"nextFundingTime\":\"\(nextFunding(now) + 28_800_000)\",\"ts\":\"\(now)\"}]}"),
            FakeTopicMessage(topic: "mark-price:" + s, text: "{\"arg\":{\"channel\":\"mark-price\",\"instId\":\"\(s)\"},\"data\":[{\"instType\":\"SWAP\",\"instId\":\"\(s)\",\"markPx\":\"\(book.mid)\",\"ts\":\"\(now)\"}]}"),
        ]
    }

    func accountMessages(_ event: FakeAccountEvent, state: FakeVenueState, now: Int64) -> [FakeTopicMessage] {
        switch event {
        case .order(let o, let fill):
            let value = state.books[o.symbol]?.instrument.contractValue ?? 1
            return [FakeTopicMessage(topic: "orders", text: "{\"arg\":{\"channel\":\"orders\",\"instType\":\"SWAP\",\"uid\":\"1\"},\"data\":[\(orderJSON(o, contractValue: value, fill: fill))]}")]
        case .position(let symbol, let position):
            let value = state.books[symbol]?.instrument.contractValue ?? 1
            return [FakeTopicMessage(topic: "positions", text: "{\"arg\":{\"channel\":\"positions\",\"instType\":\"SWAP\",\"uid\":\"1\"},\"data\":[\(positionJSON(symbol: symbol, position: position, contractValue: value, now: now))]}")]
        case .balance(let balance):
            return [FakeTopicMessage(topic: "account", text: "{\"arg\":{\"channel\":\"account\",\"uid\":\"1\"},\"data\":[\(balanceJSON(balance, now: now))]}")]
        }
    }
}
