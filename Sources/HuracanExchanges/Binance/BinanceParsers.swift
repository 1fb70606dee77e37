import HuracanCore

/// Parsers for Binance USD-M REST replies and WebSocket events.
public enum BinanceParsers {
    // MARK: REST

    /// GET /fapi/v1/exchangeInfo.
    public static func exchangeInfo(_ value: JSONValue) throws -> [VenueInstrument] {
        let top = try JSONFields(value, venue: .binance, message: "exchangeInfo")
        var out: [VenueInstrument] = []
        for item in try top.objects("symbols") {
            var tick: FixedDecimal?, step: FixedDecimal?, minQty: FixedDecimal?, minNotional = FixedDecimal.zero
            for filter in try item.objects("filters") {
                switch try filter.string("filterType") {
                case "PRICE_FILTER": tick = try filter.decimal("tickSize")
                case "LOT_SIZE":
                    step = try filter.decimal("stepSize")
                    minQty = try filter.decimal("minQty")
                case "MIN_NOTIONAL": minNotional = try filter.optionalDecimal("notional") ?? filter.decimal("minNotional")
                default: break
                }
            }
            guard let tick else { throw item.error("filters", "no PRICE_FILTER") }
            guard let step, let minQty else { throw item.error("filters", "no LOT_SIZE") }
            let status = try item.string("status")
            let quote = try item.string("quoteAsset")
            let margin = try item.optionalString("marginAsset") ?? quote
            out.append(VenueInstrument(
                venue: .binance, symbol: try item.string("symbol"), baseAsset: try item.string("baseAsset"), quoteAsset: quote,
                settleAsset: margin, status: status == "TRADING" ? .trading : .halted, venueStatus: status,
                isLinearPerpetual: (try item.optionalString("contractType")) == "PERPETUAL" && margin == "USDT",
                tickSize: tick, lotSize: step, minQuantity: minQty, minNotional: minNotional))
        }
        return out
    }

    /// GET /fapi/v1/commissionRate.
    public static func commissionRate(_ value: JSONValue) throws -> VenueFeeRate {
        let item = try JSONFields(value, venue: .binance, message: "commissionRate")
        return VenueFeeRate(symbol: try item.string("symbol"),
                            schedule: FeeSchedule(maker: try item.decimal("makerCommissionRate"), taker: try item.decimal("takerCommissionRate")))
    }

    /// GET /fapi/v1/depth: snapshot with `lastUpdateId` as `finalID`.
    public static func depthSnapshot(_ value: JSONValue, symbol: String) throws -> DepthUpdate {
        let item = try JSONFields(value, venue: .binance, message: "depth")
        return DepthUpdate(symbol: symbol, isSnapshot: true, finalID: try item.int64("lastUpdateId"), bids: try item.levels("bids"),
                           asks: try item.levels("asks"), time: Timestamp(milliseconds: try item.optionalInt64("T") ?? item.optionalInt64("E") ?? 0))
    }

    /// GET /fapi/v1/time.
    public static func serverTime(_ value: JSONValue) throws -> Timestamp {
        Timestamp(milliseconds: try JSONFields(value, venue: .binance, message: "time").int64("serverTime"))
    }

    /// GET /fapi/v1/premiumIndex (one symbol).
    public static func premiumIndex(_ value: JSONValue) throws -> MarkFunding {
        let item = try JSONFields(value, venue: .binance, message: "premiumIndex")
        return MarkFunding(symbol: try item.string("symbol"), markPrice: try item.decimal("markPrice"), indexPrice: try item.optionalDecimal("indexPrice"),
                           fundingRate: try item.decimal("lastFundingRate"), nextFundingTime: Timestamp(milliseconds: try item.int64("nextFundingTime")),
                           time: Timestamp(milliseconds: try item.optionalInt64("time") ?? 0))
    }

    /// An order as returned by POST/GET/DELETE /fapi/v1/order and GET openOrders.
    public static func order(_ value: JSONValue, message: String = "order") throws -> VenueOrderUpdate {
        let item = try JSONFields(value, venue: .binance, message: message)
        let type = try item.mapped("type", "order type", BinanceProtocol.types)
        let tif = try item.mapped("timeInForce", "time in force", BinanceProtocol.timesInForce)
        let statusText = try item.string("status")
        guard let status = BinanceProtocol.status(statusText, StatusContext(timeInForce: tif, type: type)) else {
            throw item.error("status", "unknown order status \"\(statusText)\"")
        }
        let price = try item.optionalDecimal("price")
        let average = try item.optionalDecimal("avgPrice")
        return VenueOrderUpdate(
            venue: .binance, symbol: try item.string("symbol"), clientOrderID: try item.string("clientOrderId"), venueOrderID: try item.string("orderId"),
            status: status, venueStatus: statusText, side: try item.mapped("side", "side", BinanceProtocol.sides), type: type, timeInForce: tif,
            quantity: try item.decimal("origQty"), price: price.flatMap { $0.isZero ? nil : $0 }, filledQuantity: try item.decimal("executedQty"),
            averagePrice: average.flatMap { $0.isZero ? nil : $0 }, reduceOnly: try item.optionalBool("reduceOnly") ?? false, fill: nil, reason: nil,
            time: Timestamp(milliseconds: try item.optionalInt64("updateTime") ?? item.optionalInt64("time") ?? 0))
    }

    /// GET /fapi/v1/openOrders.
    public static func orders(_ value: JSONValue) throws -> [VenueOrderUpdate] {
        guard case .array(let items) = value else { throw VenueParseError(venue: .binance, message: "openOrders", field: "", reason: "expected an array") }
        var out: [VenueOrderUpdate] = []
        for item in items { out.append(try order(item, message: "openOrders")) }
        return out
    }

    /// GET /fapi/v1/openAlgoOrders (conditional orders, client id `clientAlgoId`).
    public static func algoOrders(_ value: JSONValue) throws -> [(clientAlgoID: String, symbol: String, status: String)] {
        guard case .array(let items) = value else { throw VenueParseError(venue: .binance, message: "openAlgoOrders", field: "", reason: "expected an array") }
        var out: [(String, String, String)] = []
        for (i, value) in items.enumerated() {
            let item = try JSONFields(value, venue: .binance, message: "openAlgoOrders", path: "[\(i)]")
            out.append((try item.string("clientAlgoId"), try item.string("symbol"), try item.string("algoStatus")))
        }
        return out
    }

    /// GET /fapi/v2|v3/positionRisk.
    public static func positionRisk(_ value: JSONValue) throws -> [VenuePosition] {
        guard case .array(let items) = value else { throw VenueParseError(venue: .binance, message: "positionRisk", field: "", reason: "expected an array") }
        var out: [VenuePosition] = []
        for (i, value) in items.enumerated() {
            let item = try JSONFields(value, venue: .binance, message: "positionRisk", path: "[\(i)]")
            out.append(VenuePosition(venue: .binance, symbol: try item.string("symbol"), quantity: try item.decimal("positionAmt"),
                                     entryPrice: try item.decimal("entryPrice"), markPrice: try item.optionalDecimal("markPrice"),
                                     unrealizedPnL: try item.optionalDecimal("unRealizedProfit"), positionSide: try item.optionalString("positionSide") ?? "BOTH",
                                     time: Timestamp(milliseconds: try item.optionalInt64("updateTime") ?? 0)))
        }
        return out
    }

    /// GET /fapi/v2|v3/balance.
    public static func balances(_ value: JSONValue) throws -> [VenueBalance] {
        guard case .array(let items) = value else { throw VenueParseError(venue: .binance, message: "balance", field: "", reason: "expected an array") }
        var out: [VenueBalance] = []
        for (i, value) in items.enumerated() {
            let item = try JSONFields(value, venue: .binance, message: "balance", path: "[\(i)]")
            out.append(VenueBalance(venue: .binance, asset: try item.string("asset"), walletBalance: try item.decimal("balance"),
                                    availableBalance: try item.optionalDecimal("availableBalance"), equity: nil,
                                    time: Timestamp(milliseconds: try item.optionalInt64("updateTime") ?? 0)))
        }
        return out
    }

    /// GET /fapi/v2|v3/account: balances per asset and non-zero positions; `canTrade` for key checks.
    public static func account(_ value: JSONValue) throws -> (canTrade: Bool, balances: [VenueBalance], positions: [VenuePosition]) {
        let top = try JSONFields(value, venue: .binance, message: "account")
        var balances: [VenueBalance] = []
        for item in try top.objects("assets") {
            balances.append(VenueBalance(venue: .binance, asset: try item.string("asset"), walletBalance: try item.decimal("walletBalance"),
                                         availableBalance: try item.optionalDecimal("availableBalance"), equity: try item.optionalDecimal("marginBalance"),
                                         time: Timestamp(milliseconds: try item.optionalInt64("updateTime") ?? 0)))
        }
        var positions: [VenuePosition] = []
        for item in try top.objects("positions") {
            let amount = try item.decimal("positionAmt")
            positions.append(VenuePosition(venue: .binance, symbol: try item.string("symbol"), quantity: amount,
                                           entryPrice: try item.optionalDecimal("entryPrice") ?? .zero, markPrice: nil,
                                           unrealizedPnL: try item.optionalDecimal("unrealizedProfit"),
                                           positionSide: try item.optionalString("positionSide") ?? "BOTH",
                                           time: Timestamp(milliseconds: try item.optionalInt64("updateTime") ?? 0)))
        }
        return (try top.optionalBool("canTrade") ?? true, balances, positions)
    }

    /// POST /fapi/v1/listenKey.
    public static func listenKey(_ value: JSONValue) throws -> String {
        try JSONFields(value, venue: .binance, message: "listenKey").string("listenKey")
    }

    // MARK: WebSocket market streams

    public enum MarketEvent: Sendable {
        case bookTicker(BookTicker)
        case trade(PublicTrade)
        case depth(DepthUpdate)
        case markPrice(MarkFunding)
        case kline(Candle)
        case ticker(DayTicker)
        case liquidation(LiquidationPrint)
        /// `{"result":null,"id":1}` reply to SUBSCRIBE.
        case subscribed(id: Int64)
    }

    /// One market-stream frame, raw (`/ws`) or combined (`{"stream":…,"data":{…}}`).
    public static func marketEvent(_ bytes: [UInt8]) throws -> MarketEvent {
        var top = try JSONFields.parse(bytes, venue: .binance, message: "market stream")
        if top.has("stream"), top.has("data") { top = try top.object("data") }
        if top.fields["result"] != nil, top.has("id") { return .subscribed(id: try top.int64("id")) }
        let event = try top.string("e")
        let item = JSONFields.renamed(top, message: event)
        switch event {
        case "bookTicker":
            return .bookTicker(BookTicker(symbol: try item.string("s"), bidPrice: try item.decimal("b"), bidSize: try item.decimal("B"),
                                          askPrice: try item.decimal("a"), askSize: try item.decimal("A"), updateID: try item.int64("u"),
                                          time: Timestamp(milliseconds: try item.optionalInt64("T") ?? item.int64("E"))))
        case "aggTrade", "trade":
            // `m`: the buyer is the maker, so the seller took liquidity.
            return .trade(PublicTrade(symbol: try item.string("s"), tradeID: try item.string(event == "aggTrade" ? "a" : "t"),
                                      price: try item.decimal("p"), size: try item.decimal("q"), aggressor: try item.bool("m") ? .sell : .buy,
                                      time: Timestamp(milliseconds: try item.int64("T"))))
        case "depthUpdate":
            return .depth(DepthUpdate(symbol: try item.string("s"), isSnapshot: false, firstID: try item.int64("U"), finalID: try item.int64("u"),
                                      previousID: try item.int64("pu"), bids: try item.levels("b"), asks: try item.levels("a"),
                                      time: Timestamp(milliseconds: try item.optionalInt64("T") ?? item.int64("E"))))
        case "markPriceUpdate":
            return .markPrice(MarkFunding(symbol: try item.string("s"), markPrice: try item.decimal("p"), indexPrice: try item.optionalDecimal("i"),
                                          fundingRate: try item.optionalDecimal("r"),
                                          nextFundingTime: try item.optionalInt64("T").map { Timestamp(milliseconds: $0) },
                                          time: Timestamp(milliseconds: try item.int64("E"))))
        case "kline":
            let k = try item.object("k")
            return .kline(Candle(symbol: try k.string("s"), interval: try k.string("i"), open: try k.decimal("o"), high: try k.decimal("h"),
                                 low: try k.decimal("l"), close: try k.decimal("c"), volume: try k.decimal("v"),
                                 openTime: Timestamp(milliseconds: try k.int64("t")), isClosed: try k.bool("x")))
        case "24hrTicker":
            return .ticker(DayTicker(symbol: try item.string("s"), lastPrice: try item.decimal("c"), baseVolume: try item.decimal("v"),
                                     quoteVolume: try item.decimal("q"), time: Timestamp(milliseconds: try item.int64("E"))))
        case "forceOrder":
            let o = try item.object("o")
            return .liquidation(LiquidationPrint(symbol: try o.string("s"), side: try o.mapped("S", "side", BinanceProtocol.sides),
                                                 price: try o.decimal("ap"), size: try o.decimal("z"), time: Timestamp(milliseconds: try o.int64("T"))))
        default:
            throw top.error("e", "unknown event type \"\(event)\"")
        }
    }

    // MARK: User data stream

    public enum UserEvent: Sendable {
        case order(VenueOrderUpdate)
        case tradeLite(VenueExecution)
        case account(reason: String, balances: [VenueBalance], positions: [VenuePosition])
        /// A conditional order changed (we place none; reported so reconciliation can see them).
        case algoOrder(clientAlgoID: String, symbol: String, status: String)
        case listenKeyExpired
        case marginCall
        case configUpdate
    }

    public static func userEvent(_ bytes: [UInt8], directory: SymbolDirectory) throws -> UserEvent {
        var top = try JSONFields.parse(bytes, venue: .binance, message: "user stream")
        if top.has("stream"), top.has("data") { top = try top.object("data") }
        let event = try top.string("e")
        let item = JSONFields.renamed(top, message: event)
        let time = Timestamp(milliseconds: try item.int64("E"))
        switch event {
        case "ORDER_TRADE_UPDATE": return .order(try orderTradeUpdate(try item.object("o"), directory: directory))
        case "TRADE_LITE":
            let symbol = try item.string("s")
            let fill = Fill(clientOrderID: try item.string("c"), tradeID: try item.string("t"), coin: directory.coin(symbol), venue: .binance,
                            side: try item.mapped("S", "side", BinanceProtocol.sides), price: try item.decimal("L"), quantity: try item.decimal("l"),
                            fee: .zero, liquidity: try item.bool("m") ? .maker : .taker, time: Timestamp(milliseconds: try item.int64("T")))
            return .tradeLite(VenueExecution(venue: .binance, symbol: symbol, venueOrderID: try item.string("i"), fill: fill, feeAsset: ""))
        case "ACCOUNT_UPDATE":
            let a = try item.object("a")
            var balances: [VenueBalance] = []
            for b in try a.objects("B") {
                balances.append(VenueBalance(venue: .binance, asset: try b.string("a"), walletBalance: try b.decimal("wb"),
                                             availableBalance: try b.optionalDecimal("cw"), equity: nil, time: time))
            }
            var positions: [VenuePosition] = []
            for p in try a.objects("P") {
                positions.append(VenuePosition(venue: .binance, symbol: try p.string("s"), quantity: try p.decimal("pa"), entryPrice: try p.decimal("ep"),
                                               markPrice: nil, unrealizedPnL: try p.optionalDecimal("up"), positionSide: try p.optionalString("ps") ?? "BOTH",
                                               time: time))
            }
            return .account(reason: try a.string("m"), balances: balances, positions: positions)
        case "ALGO_UPDATE":
            let o = try item.object("o")
            return .algoOrder(clientAlgoID: try o.string("caid"), symbol: try o.string("s"), status: try o.string("X"))
        case "listenKeyExpired": return .listenKeyExpired
        case "MARGIN_CALL": return .marginCall
        case "ACCOUNT_CONFIG_UPDATE": return .configUpdate
        default: throw top.error("e", "unknown event type \"\(event)\"")
        }
    }

    /// The `o` object of ORDER_TRADE_UPDATE.
    static func orderTradeUpdate(_ o: JSONFields, directory: SymbolDirectory) throws -> VenueOrderUpdate {
        let symbol = try o.string("s")
        let clientID = try o.string("c")
        let type = try o.mapped("o", "order type", BinanceProtocol.types)
        let tif = try o.mapped("f", "time in force", BinanceProtocol.timesInForce)
        let statusText = try o.string("X")
        let execType = try o.string("x")
        guard ["NEW", "TRADE", "CANCELED", "EXPIRED", "AMENDMENT", "CALCULATED", "REJECTED"].contains(execType) else {
            throw o.error("x", "unknown execution type \"\(execType)\"")
        }
        guard let status = BinanceProtocol.status(statusText, StatusContext(timeInForce: tif, type: type)) else {
            throw o.error("X", "unknown order status \"\(statusText)\"")
        }
        let side = try o.mapped("S", "side", BinanceProtocol.sides)
        let lastQuantity = try o.decimal("l")
        var fill: Fill?
        if (execType == "TRADE" || execType == "CALCULATED"), lastQuantity.isPositive {
            fill = Fill(clientOrderID: clientID, tradeID: try o.string("t"), coin: directory.coin(symbol), venue: .binance, side: side,
                        price: try o.decimal("L"), quantity: lastQuantity, fee: try o.optionalDecimal("n") ?? .zero,
                        liquidity: try o.bool("m") ? .maker : .taker, time: Timestamp(milliseconds: try o.int64("T")))
        }
        let price = try o.optionalDecimal("p")
        let average = try o.optionalDecimal("ap")
        return VenueOrderUpdate(
            venue: .binance, symbol: symbol, clientOrderID: clientID, venueOrderID: try o.string("i"), status: status, venueStatus: statusText,
            side: side, type: type, timeInForce: tif, quantity: try o.decimal("q"), price: price.flatMap { $0.isZero ? nil : $0 },
            filledQuantity: try o.decimal("z"), averagePrice: average.flatMap { $0.isZero ? nil : $0 }, reduceOnly: try o.optionalBool("R") ?? false,
            fill: fill, reason: tif == .postOnly && statusText == "EXPIRED" ? "post-only would take liquidity" : nil,
            origin: BinanceProtocol.origin(clientOrderID: clientID, status: statusText), time: Timestamp(milliseconds: try o.int64("T")))
    }
}
