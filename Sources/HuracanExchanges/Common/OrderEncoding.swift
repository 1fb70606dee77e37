import HuracanCore

/// An order request in a venue's wire form, ready to sign and send.
public struct EncodedOrder: Sendable, Hashable {
    public var method: String
    public var path: String
    /// Binance: urlencoded parameters (signed as a query). OKX/Bybit: empty.
    public var parameters: [(String, String)]
    /// OKX/Bybit: the exact JSON body. Binance: empty.
    public var body: String

    public static func == (lhs: EncodedOrder, rhs: EncodedOrder) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body
            && lhs.parameters.map { $0.0 + "=" + $0.1 } == rhs.parameters.map { $0.0 + "=" + $0.1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method); hasher.combine(path); hasher.combine(body)
        for (k, v) in parameters { hasher.combine(k); hasher.combine(v) }
    }
}

/// A request we refuse to send (would be rejected or mean something else at the venue).
public struct OrderEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var venue: VenueID
    public var clientOrderID: String
    public var reason: String
    public init(venue: VenueID, clientOrderID: String, reason: String) {
        self.venue = venue
        self.clientOrderID = clientOrderID
        self.reason = reason
    }
    public var description: String { "\(venue) order \(clientOrderID): \(reason)" }
}

/// Builds new, cancel, amend and query requests per venue with our client order id on every one.
public enum OrderEncoding {
    /// Client ids every venue accepts: 1-32 letters and digits (OKX allows nothing else).
    public static func isPortableClientOrderID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 32 && id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
    }

    // MARK: Binance (POST /fapi/v1/order, form parameters)

    public static func binanceNew(_ request: OrderRequest, symbol: String) throws(OrderEncodingError) -> EncodedOrder {
        var p: [(String, String)] = [("symbol", symbol), ("side", request.side == .buy ? "BUY" : "SELL")]
        switch request.type {
        case .market:
            p.append(("type", "MARKET"))
        case .limit:
            guard let price = request.price else { throw OrderEncodingError(venue: .binance, clientOrderID: request.clientOrderID, reason: "limit order without a price") }
            p.append(("type", "LIMIT"))
            p.append(("timeInForce", request.timeInForce == .gtc ? "GTC" : request.timeInForce == .ioc ? "IOC" : "GTX"))
            p.append(("price", price.description))
        }
        p.append(("quantity", request.quantity.description))
        if request.reduceOnly { p.append(("reduceOnly", "true")) }
        p.append(("newClientOrderId", request.clientOrderID))
        p.append(("newOrderRespType", "ACK"))
        return EncodedOrder(method: "POST", path: "/fapi/v1/order", parameters: p, body: "")
    }

    public static func binanceCancel(clientOrderID: String, symbol: String) -> EncodedOrder {
        EncodedOrder(method: "DELETE", path: "/fapi/v1/order", parameters: [("symbol", symbol), ("origClientOrderId", clientOrderID)], body: "")
    }

    public static func binanceQuery(clientOrderID: String, symbol: String) -> EncodedOrder {
        EncodedOrder(method: "GET", path: "/fapi/v1/order", parameters: [("symbol", symbol), ("origClientOrderId", clientOrderID)], body: "")
    }

    /// PUT /fapi/v1/order: LIMIT orders only; side and quantity are required by the venue.
    public static func binanceAmend(clientOrderID: String, symbol: String, side: Side, quantity: Quantity, price: Price) -> EncodedOrder {
        EncodedOrder(method: "PUT", path: "/fapi/v1/order", parameters: [
            ("symbol", symbol), ("origClientOrderId", clientOrderID), ("side", side == .buy ? "BUY" : "SELL"),
            ("quantity", quantity.description), ("price", price.description),
        ], body: "")
    }

    // MARK: OKX (JSON bodies, sizes in contracts)

    public static func okxNew(_ request: OrderRequest, symbol: String, contractValue: FixedDecimal, tradeMode: String = "cross") throws(OrderEncodingError) -> EncodedOrder {
        func fail(_ reason: String) -> OrderEncodingError { OrderEncodingError(venue: .okx, clientOrderID: request.clientOrderID, reason: reason) }
        guard isPortableClientOrderID(request.clientOrderID) else { throw fail("OKX client ids are 1-32 letters and digits") }
        guard contractValue.isPositive else { throw fail("contract value must be positive") }
        let contracts = request.quantity / contractValue
        guard contracts * contractValue == request.quantity else { throw fail("quantity \(request.quantity) is not a whole multiple of the contract value \(contractValue)") }
        let ordType: String
        switch (request.type, request.timeInForce) {
        case (.market, _): ordType = "market"
        case (.limit, .gtc): ordType = "limit"
        case (.limit, .ioc): ordType = "ioc"
        case (.limit, .postOnly): ordType = "post_only"
        }
        var body = "{\"instId\":\(JSONValue.quote(symbol)),\"tdMode\":\"\(tradeMode)\",\"side\":\"\(request.side == .buy ? "buy" : "sell")\",\"ordType\":\"\(ordType)\",\"sz\":\"\(contracts)\""
        if request.type == .limit {
            guard let price = request.price else { throw fail("limit order without a price") }
            body += ",\"px\":\"\(price)\""
        }
        if request.reduceOnly { body += ",\"reduceOnly\":true" }
        body += ",\"clOrdId\":\(JSONValue.quote(request.clientOrderID))}"
        return EncodedOrder(method: "POST", path: "/api/v5/trade/order", parameters: [], body: body)
    }

    public static func okxCancel(clientOrderID: String, symbol: String) -> EncodedOrder {
        EncodedOrder(method: "POST", path: "/api/v5/trade/cancel-order", parameters: [],
                     body: "{\"instId\":\(JSONValue.quote(symbol)),\"clOrdId\":\(JSONValue.quote(clientOrderID))}")
    }

    public static func okxAmend(clientOrderID: String, symbol: String, contracts: FixedDecimal?, price: Price?) -> EncodedOrder {
        var body = "{\"instId\":\(JSONValue.quote(symbol)),\"clOrdId\":\(JSONValue.quote(clientOrderID))"
        if let contracts { body += ",\"newSz\":\"\(contracts)\"" }
        if let price { body += ",\"newPx\":\"\(price)\"" }
        return EncodedOrder(method: "POST", path: "/api/v5/trade/amend-order", parameters: [], body: body + "}")
    }

    public static func okxQuery(clientOrderID: String, symbol: String) -> EncodedOrder {
        EncodedOrder(method: "GET", path: "/api/v5/trade/order", parameters: [("instId", symbol), ("clOrdId", clientOrderID)], body: "")
    }

    // MARK: Bybit (JSON bodies, category linear, one-way mode)

    public static func bybitNew(_ request: OrderRequest, symbol: String) throws(OrderEncodingError) -> EncodedOrder {
        var body = "{\"category\":\"linear\",\"symbol\":\(JSONValue.quote(symbol)),\"side\":\"\(request.side == .buy ? "Buy" : "Sell")\""
        switch request.type {
        case .market:
            body += ",\"orderType\":\"Market\""
        case .limit:
            guard let price = request.price else { throw OrderEncodingError(venue: .bybit, clientOrderID: request.clientOrderID, reason: "limit order without a price") }
            let tif = request.timeInForce == .gtc ? "GTC" : request.timeInForce == .ioc ? "IOC" : "PostOnly"
            body += ",\"orderType\":\"Limit\",\"price\":\"\(price)\",\"timeInForce\":\"\(tif)\""
        }
        body += ",\"qty\":\"\(request.quantity)\",\"positionIdx\":0"
        if request.reduceOnly { body += ",\"reduceOnly\":true" }
        body += ",\"orderLinkId\":\(JSONValue.quote(request.clientOrderID))}"
        return EncodedOrder(method: "POST", path: "/v5/order/create", parameters: [], body: body)
    }

    /// Cancel by `orderLinkId` only (sending both ids is refused by the venue).
    public static func bybitCancel(clientOrderID: String, symbol: String) -> EncodedOrder {
        EncodedOrder(method: "POST", path: "/v5/order/cancel", parameters: [],
                     body: "{\"category\":\"linear\",\"symbol\":\(JSONValue.quote(symbol)),\"orderLinkId\":\(JSONValue.quote(clientOrderID))}")
    }

    public static func bybitAmend(clientOrderID: String, symbol: String, quantity: Quantity?, price: Price?) -> EncodedOrder {
        var body = "{\"category\":\"linear\",\"symbol\":\(JSONValue.quote(symbol)),\"orderLinkId\":\(JSONValue.quote(clientOrderID))"
        if let quantity { body += ",\"qty\":\"\(quantity)\"" }
        if let price { body += ",\"price\":\"\(price)\"" }
        return EncodedOrder(method: "POST", path: "/v5/order/amend", parameters: [], body: body + "}")
    }

    public static func bybitQuery(clientOrderID: String, symbol: String) -> EncodedOrder {
        EncodedOrder(method: "GET", path: "/v5/order/realtime", parameters: [("category", "linear"), ("symbol", symbol), ("orderLinkId", clientOrderID)], body: "")
    }
}
