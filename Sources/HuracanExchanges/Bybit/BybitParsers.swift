import HuracanCore

/// Parsers for Bybit v5 REST results and WebSocket messages (linear category).
public enum BybitParsers {
    // MARK: REST

    /// GET /v5/market/instruments-info `result`; also returns `nextPageCursor` ("" when done).
    public static func instruments(_ result: JSONFields) throws -> (instruments: [VenueInstrument], nextCursor: String) {
        var out: [VenueInstrument] = []
        for item in try result.objects("list") {
            let price = try item.object("priceFilter")
            let lot = try item.object("lotSizeFilter")
            let status = try item.string("status")
            let contractType = try item.string("contractType")
            let settle = try item.optionalString("settleCoin") ?? (try item.string("quoteCoin"))
            out.append(VenueInstrument(
                venue: .bybit, symbol: try item.string("symbol"), baseAsset: try item.string("baseCoin"), quoteAsset: try item.string("quoteCoin"),
                settleAsset: settle, status: status == "Trading" ? .trading : .halted, venueStatus: status,
                isLinearPerpetual: contractType == "LinearPerpetual" && settle == "USDT",
                tickSize: try price.decimal("tickSize"), lotSize: try lot.decimal("qtyStep"), minQuantity: try lot.decimal("minOrderQty"),
                minNotional: try lot.optionalDecimal("minNotionalValue") ?? .zero))
        }
        return (out, try result.optionalString("nextPageCursor") ?? "")
    }

    /// GET /v5/account/fee-rate `result`.
    public static func feeRates(_ result: JSONFields) throws -> [VenueFeeRate] {
        var out: [VenueFeeRate] = []
        for item in try result.objects("list") {
            out.append(VenueFeeRate(symbol: try item.string("symbol"),
                                    schedule: FeeSchedule(maker: try item.decimal("makerFeeRate"), taker: try item.decimal("takerFeeRate"))))
        }
        return out
    }

    /// GET /v5/market/orderbook `result` as a snapshot (`u`, `seq`).
    public static func orderBook(_ result: JSONFields) throws -> DepthUpdate {
        DepthUpdate(symbol: try result.string("s"), isSnapshot: true, finalID: try result.int64("u"),
                    crossSequence: try result.optionalInt64("seq") ?? 0, bids: try result.levels("b"), asks: try result.levels("a"),
                    time: Timestamp(milliseconds: try result.int64("ts")))
    }

    /// GET /v5/market/time `result`: `timeNano` (or `timeSecond`).
    public static func serverTime(_ result: JSONFields) throws -> Timestamp {
        if let nano = try result.optionalInt64("timeNano") { return Timestamp(nanoseconds: nano) }
        return Timestamp(seconds: try result.int64("timeSecond"))
    }

    /// GET /v5/market/funding/history `result`.
    public static func fundingHistory(_ result: JSONFields) throws -> [(symbol: String, rate: FixedDecimal, time: Timestamp)] {
        var out: [(String, FixedDecimal, Timestamp)] = []
        for item in try result.objects("list") {
            out.append((try item.string("symbol"), try item.decimal("fundingRate"), Timestamp(milliseconds: try item.int64("fundingRateTimestamp"))))
        }
        return out
    }

    /// GET /v5/order/realtime (or history) `result`, and the `order` stream's `data`.
    public static func orders(_ items: [JSONFields], directory: SymbolDirectory) throws -> [VenueOrderUpdate] {
        var out: [VenueOrderUpdate] = []
        for item in items { out.append(try order(item, directory: directory)) }
        return out
    }

    public static func order(_ item: JSONFields, directory: SymbolDirectory) throws -> VenueOrderUpdate {
        let type = try item.mapped("orderType", "order type", BybitProtocol.types)
        let tif = try item.mapped("timeInForce", "time in force", BybitProtocol.timesInForce)
        let rejectReason = try item.optionalString("rejectReason") ?? ""
        let postOnlyTake = rejectReason == "EC_PostOnlyWillTakeLiquidity"
        let statusText = try item.string("orderStatus")
        guard let status = BybitProtocol.status(statusText, StatusContext(timeInForce: tif, type: type, postOnlyWouldTake: postOnlyTake)) else {
            throw item.error("orderStatus", "unknown order status \"\(statusText)\"")
        }
        let reason: String? = postOnlyTake ? "post-only would take liquidity"
            : (rejectReason.isEmpty || rejectReason == "EC_NoError" ? nil : rejectReason)
        let average = try item.optionalDecimal("avgPrice")
        return VenueOrderUpdate(
            venue: .bybit, symbol: try item.string("symbol"), clientOrderID: try item.string("orderLinkId"), venueOrderID: try item.string("orderId"),
            status: status, venueStatus: statusText, side: try item.mapped("side", "side", BybitProtocol.sides), type: type, timeInForce: tif,
            quantity: try item.decimal("qty"), price: try item.optionalDecimal("price").flatMap { $0.isZero ? nil : $0 },
            filledQuantity: try item.decimal("cumExecQty"), averagePrice: average.flatMap { $0.isZero ? nil : $0 },
            reduceOnly: try item.optionalBool("reduceOnly") ?? false, fill: nil, reason: reason,
            time: Timestamp(milliseconds: try item.int64("updatedTime")))
    }

    /// GET /v5/execution/list `result.list` and the `execution` stream's `data`.
    public static func executions(_ items: [JSONFields], directory: SymbolDirectory) throws -> [VenueExecution] {
        var out: [VenueExecution] = []
        for item in items {
            let execType = try item.string("execType")
            guard ["Trade", "AdlTrade", "BustTrade", "Delivery", "Settle", "Funding", "BlockTrade", "MovePosition"].contains(execType) else {
                throw item.error("execType", "unknown execution type \"\(execType)\"")
            }
            if execType == "Funding" { continue }  // funding arrives through wallet/position, not as a fill
            let symbol = try item.string("symbol")
            let fill = Fill(
                clientOrderID: try item.string("orderLinkId"), tradeID: try item.string("execId"), coin: directory.coin(symbol), venue: .bybit,
                side: try item.mapped("side", "side", BybitProtocol.sides), price: try item.decimal("execPrice"), quantity: try item.decimal("execQty"),
                fee: try item.decimal("execFee"), liquidity: try item.bool("isMaker") ? .maker : .taker,
                time: Timestamp(milliseconds: try item.int64("execTime")))
            out.append(VenueExecution(venue: .bybit, symbol: symbol, venueOrderID: try item.string("orderId"), fill: fill,
                                      feeAsset: try item.optionalString("feeCurrency") ?? "USDT"))
        }
        return out
    }

    /// GET /v5/position/list `result.list` and the `position` stream's `data`. Size is signed.
    public static func positions(_ items: [JSONFields]) throws -> [VenuePosition] {
        var out: [VenuePosition] = []
        for item in items {
            let size = try item.decimal("size")
            let side = try item.string("side")
            let signed: FixedDecimal
            switch side {
            case "Buy": signed = size
            case "Sell": signed = -size
            case "", "None": signed = .zero
            default: throw item.error("side", "unknown position side \"\(side)\"")
            }
            let entry = try item.optionalDecimal("avgPrice") ?? item.optionalDecimal("entryPrice") ?? .zero
            let idx = try item.optionalString("positionIdx") ?? "0"
            out.append(VenuePosition(venue: .bybit, symbol: try item.string("symbol"), quantity: signed, entryPrice: entry,
                                     markPrice: try item.optionalDecimal("markPrice"), unrealizedPnL: try item.optionalDecimal("unrealisedPnl"),
                                     positionSide: idx == "0" ? "BOTH" : (idx == "1" ? "LONG" : "SHORT"),
                                     time: Timestamp(milliseconds: try item.optionalInt64("updatedTime") ?? 0)))
        }
        return out
    }

    /// GET /v5/account/wallet-balance `result.list[].coin[]` and the `wallet` stream.
    public static func balances(_ accounts: [JSONFields], time: Timestamp) throws -> [VenueBalance] {
        var out: [VenueBalance] = []
        for account in accounts {
            for coin in try account.objects("coin") {
                out.append(VenueBalance(venue: .bybit, asset: try coin.string("coin"), walletBalance: try coin.decimal("walletBalance"),
                                        availableBalance: try coin.optionalDecimal("availableToWithdraw"), equity: try coin.optionalDecimal("equity"),
                                        time: time))
            }
        }
        return out
    }

    // MARK: WebSocket

    /// A message on the public linear stream.
    public enum PublicMessage: Sendable {
        case depth(DepthUpdate)
        case trades([PublicTrade])
        /// `tickers` snapshot or delta: fields absent in a delta are nil.
        case ticker(BookTicker?, MarkFunding)
        case subscribed(success: Bool, message: String)
        case pong
    }

    public static func publicMessage(_ bytes: [UInt8]) throws -> PublicMessage {
        let top = try JSONFields.parse(bytes, venue: .bybit, message: "public stream")
        if let op = try top.optionalString("op") {
            if op == "ping" || op == "pong" { return .pong }
            return .subscribed(success: try top.optionalBool("success") ?? false, message: try top.optionalString("ret_msg") ?? "")
        }
        let topic = try top.string("topic")
        if topic.hasPrefix("orderbook.") { return .depth(try BybitDepthParser.parse(bytes)) }
        if topic.hasPrefix("publicTrade.") || topic.hasPrefix("trade.") {
            let message = JSONFields.renamed(top, message: topic)
            var trades: [PublicTrade] = []
            for item in try message.objects("data") {
                trades.append(PublicTrade(symbol: try item.string("s"), tradeID: try item.string("i"), price: try item.decimal("p"),
                                          size: try item.decimal("v"), aggressor: try item.mapped("S", "side", BybitProtocol.sides),
                                          time: Timestamp(milliseconds: try item.int64("T"))))
            }
            return .trades(trades)
        }
        if topic.hasPrefix("tickers.") {
            let message = JSONFields.renamed(top, message: topic)
            let data = try message.object("data")
            let time = Timestamp(milliseconds: try message.int64("ts"))
            let symbol = try data.string("symbol")
            var ticker: BookTicker?
            if let bid = try data.optionalDecimal("bid1Price"), let ask = try data.optionalDecimal("ask1Price") {
                ticker = BookTicker(symbol: symbol, bidPrice: bid, bidSize: try data.optionalDecimal("bid1Size") ?? .zero,
                                    askPrice: ask, askSize: try data.optionalDecimal("ask1Size") ?? .zero, time: time)
            }
            let mark = MarkFunding(symbol: symbol, markPrice: try data.optionalDecimal("markPrice"), indexPrice: try data.optionalDecimal("indexPrice"),
                                   fundingRate: try data.optionalDecimal("fundingRate"),
                                   nextFundingTime: try data.optionalInt64("nextFundingTime").map { Timestamp(milliseconds: $0) }, time: time)
            return .ticker(ticker, mark)
        }
        throw top.error("topic", "unknown topic \"\(topic)\"")
    }

    /// A message on the private stream.
    public enum PrivateMessage: Sendable {
        case auth(success: Bool, code: String, message: String)
        case subscribed(success: Bool, message: String)
        case orders([VenueOrderUpdate])
        case executions([VenueExecution])
        case positions([VenuePosition])
        case balances([VenueBalance])
        case pong
    }

    public static func privateMessage(_ bytes: [UInt8], directory: SymbolDirectory) throws -> PrivateMessage {
        let top = try JSONFields.parse(bytes, venue: .bybit, message: "private stream")
        if let op = try top.optionalString("op") {
            switch op {
            case "auth":
                return .auth(success: try top.bool("success"), code: try top.optionalString("retCode") ?? "",
                             message: try top.optionalString("retMsg") ?? top.optionalString("ret_msg") ?? "")
            case "ping", "pong": return .pong
            default: return .subscribed(success: try top.optionalBool("success") ?? false, message: try top.optionalString("ret_msg") ?? "")
            }
        }
        let topic = try top.string("topic")
        let message = JSONFields.renamed(top, message: topic)
        let time = Timestamp(milliseconds: try message.optionalInt64("creationTime") ?? 0)
        switch topic.split(separator: ".").first.map(String.init) ?? topic {
        case "order": return .orders(try orders(try message.objects("data"), directory: directory))
        case "execution": return .executions(try executions(try message.objects("data"), directory: directory))
        case "position": return .positions(try positions(try message.objects("data")))
        case "wallet": return .balances(try balances(try message.objects("data"), time: time))
        default: throw top.error("topic", "unknown topic \"\(topic)\"")
        }
    }
}

extension JSONFields {
    /// The same object with a more specific message name for errors.
    static func renamed(_ fields: JSONFields, message: String) -> JSONFields {
        (try? JSONFields(.object(fields.fields), venue: fields.venue, message: message, path: fields.path)) ?? fields
    }
}
