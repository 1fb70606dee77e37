import HuracanCore

/// Parsers for OKX v5 REST `data` items and WebSocket pushes (SWAP). Order sizes are in contracts
/// on the wire; orders, fills and positions are converted to base units with the contract value.
public enum OKXParsers {
    // MARK: REST

    /// GET /api/v5/public/instruments?instType=SWAP.
    public static func instruments(_ items: [JSONFields]) throws -> [VenueInstrument] {
        var out: [VenueInstrument] = []
        for item in items {
            let state = try item.string("state")
            let settle = try item.string("settleCcy")
            let ctType = try item.optionalString("ctType") ?? ""
            let family = try item.optionalString("instFamily") ?? item.optionalString("uly") ?? ""
            let parts = family.split(separator: "-").map(String.init)
            let multiplier = try item.optionalDecimal("ctMult") ?? 1
            out.append(VenueInstrument(
                venue: .okx, symbol: try item.string("instId"), baseAsset: parts.first ?? "", quoteAsset: parts.count > 1 ? parts[1] : "",
                settleAsset: settle, status: state == "live" ? .trading : .halted, venueStatus: state,
                isLinearPerpetual: (try item.string("instType")) == "SWAP" && ctType == "linear" && settle == "USDT",
                tickSize: try item.decimal("tickSz"), lotSize: try item.decimal("lotSz"), minQuantity: try item.decimal("minSz"),
                minNotional: .zero, contractValue: try item.decimal("ctVal") * multiplier))
        }
        return out
    }

    /// GET /api/v5/account/trade-fee: OKX reports charges as negative rates; they are flipped so
    /// a positive rate is paid. Keyed by instrument family (or instType when none).
    public static func tradeFees(_ items: [JSONFields]) throws -> [VenueFeeRate] {
        var out: [VenueFeeRate] = []
        for item in items {
            let family = try item.optionalString("instFamily") ?? item.optionalString("uly") ?? ""
            let key = family.isEmpty ? try item.string("instType") : family
            let maker = try item.optionalDecimal("makerU") ?? item.decimal("maker")
            let taker = try item.optionalDecimal("takerU") ?? item.decimal("taker")
            out.append(VenueFeeRate(symbol: key, schedule: FeeSchedule(maker: -maker, taker: -taker)))
        }
        return out
    }

    /// GET /api/v5/market/books: snapshot (`seqId` when the venue sends it).
    public static func orderBook(_ items: [JSONFields], symbol: String) throws -> DepthUpdate {
        guard let item = items.first else { throw VenueParseError(venue: .okx, message: "books", field: "data", reason: "empty") }
        return DepthUpdate(symbol: symbol, isSnapshot: true, finalID: try item.optionalInt64("seqId") ?? 0, previousID: -1,
                           bids: try item.levels("bids"), asks: try item.levels("asks"), time: Timestamp(milliseconds: try item.int64("ts")))
    }

    /// GET /api/v5/public/time.
    public static func serverTime(_ items: [JSONFields]) throws -> Timestamp {
        guard let item = items.first else { throw VenueParseError(venue: .okx, message: "time", field: "data", reason: "empty") }
        return Timestamp(milliseconds: try item.int64("ts"))
    }

    /// GET /api/v5/public/funding-rate-history.
    public static func fundingHistory(_ items: [JSONFields]) throws -> [(symbol: String, rate: FixedDecimal, time: Timestamp)] {
        var out: [(String, FixedDecimal, Timestamp)] = []
        for item in items {
            out.append((try item.string("instId"), try item.decimal("fundingRate"), Timestamp(milliseconds: try item.int64("fundingTime"))))
        }
        return out
    }

    static func contractValue(_ item: JSONFields, _ symbol: String, _ directory: SymbolDirectory) throws -> FixedDecimal {
        guard let value = directory.contractValue(symbol) else {
            throw item.error("instId", "contract value of \(symbol) unknown: load instruments first")
        }
        return value
    }

    /// GET /api/v5/trade/order, orders-pending, and the `orders` channel.
    public static func order(_ item: JSONFields, directory: SymbolDirectory) throws -> VenueOrderUpdate {
        let symbol = try item.string("instId")
        let ctVal = try contractValue(item, symbol, directory)
        let kind = try item.mapped("ordType", "order type", OKXProtocol.orderTypes)
        let cancelSource = try item.optionalString("cancelSource") ?? ""
        let postOnlyTake = cancelSource == "31"
        let stateText = try item.string("state")
        guard let status = OKXProtocol.status(stateText, StatusContext(timeInForce: kind?.1, type: kind?.0, postOnlyWouldTake: postOnlyTake)) else {
            throw item.error("state", "unknown order state \"\(stateText)\"")
        }
        let side = try item.mapped("side", "side", OKXProtocol.sides)
        let clientID = try item.string("clOrdId")
        var fill: Fill?
        let fillSize = try item.optionalDecimal("fillSz") ?? .zero
        let tradeID = try item.optionalString("tradeId") ?? ""
        if fillSize.isPositive, !tradeID.isEmpty, tradeID != "0" {
            let accumulated = try item.optionalDecimal("accFillSz") ?? .zero
            let venueFee: FixedDecimal
            if let fillFee = try item.optionalDecimal("fillFee") {
                venueFee = fillFee
            } else if accumulated == fillSize, let fee = try item.optionalDecimal("fee") {
                venueFee = fee  // first fill: the order's total fee is this fill's fee
            } else {
                throw item.error("fillFee", "missing on a fill after the first")
            }
            let execType = try item.optionalString("execType") ?? ""
            guard execType == "T" || execType == "M" else { throw item.error("execType", "unknown liquidity \"\(execType)\"") }
            fill = Fill(clientOrderID: clientID, tradeID: tradeID, coin: directory.coin(symbol), venue: .okx, side: side,
                        price: try item.decimal("fillPx"), quantity: fillSize * ctVal, fee: -venueFee, liquidity: execType == "M" ? .maker : .taker,
                        time: Timestamp(milliseconds: try item.optionalInt64("fillTime") ?? item.int64("uTime")))
        }
        let reason: String? = postOnlyTake ? "post-only would take liquidity" : (cancelSource.isEmpty ? nil : "cancelSource \(cancelSource)")
        return VenueOrderUpdate(
            venue: .okx, symbol: symbol, clientOrderID: clientID, venueOrderID: try item.string("ordId"), status: status, venueStatus: stateText,
            side: side, type: kind?.0, timeInForce: kind?.1, quantity: try item.decimal("sz") * ctVal, price: try item.optionalDecimal("px"),
            filledQuantity: (try item.optionalDecimal("accFillSz") ?? .zero) * ctVal,
            averagePrice: try item.optionalDecimal("avgPx").flatMap { $0.isZero ? nil : $0 },
            reduceOnly: try item.optionalBool("reduceOnly") ?? false, fill: fill, reason: reason,
            time: Timestamp(milliseconds: try item.int64("uTime")))
    }

    public static func orders(_ items: [JSONFields], directory: SymbolDirectory) throws -> [VenueOrderUpdate] {
        var out: [VenueOrderUpdate] = []
        for item in items { out.append(try order(item, directory: directory)) }
        return out
    }

    /// GET /api/v5/account/positions and the `positions` channel; signed base quantity.
    public static func positions(_ items: [JSONFields], directory: SymbolDirectory) throws -> [VenuePosition] {
        var out: [VenuePosition] = []
        for item in items {
            let symbol = try item.string("instId")
            let instType = try item.optionalString("instType") ?? "SWAP"
            let ctVal = instType == "SWAP" || instType == "FUTURES" ? try contractValue(item, symbol, directory) : 1
            let side = try item.optionalString("posSide") ?? "net"
            var contracts = try item.optionalDecimal("pos") ?? .zero
            switch side {
            case "net", "long": break
            case "short": contracts = -contracts.magnitude
            default: throw item.error("posSide", "unknown position side \"\(side)\"")
            }
            out.append(VenuePosition(venue: .okx, symbol: symbol, quantity: contracts * ctVal, entryPrice: try item.optionalDecimal("avgPx") ?? .zero,
                                     markPrice: try item.optionalDecimal("markPx"), unrealizedPnL: try item.optionalDecimal("upl"), positionSide: side,
                                     time: Timestamp(milliseconds: try item.optionalInt64("uTime") ?? 0)))
        }
        return out
    }

    /// GET /api/v5/account/balance and the `account` channel: `details[]` per currency.
    public static func balances(_ items: [JSONFields]) throws -> [VenueBalance] {
        var out: [VenueBalance] = []
        for account in items {
            for d in try account.objects("details") {
                out.append(VenueBalance(venue: .okx, asset: try d.string("ccy"), walletBalance: try d.decimal("cashBal"),
                                        availableBalance: try d.optionalDecimal("availBal"), equity: try d.optionalDecimal("eq"),
                                        time: Timestamp(milliseconds: try d.optionalInt64("uTime") ?? 0)))
            }
        }
        return out
    }

    // MARK: WebSocket

    public enum Message: Sendable {
        case bookTicker(BookTicker)
        case depth(DepthUpdate)
        case trades([PublicTrade])
        case markFunding(MarkFunding)
        case orders([VenueOrderUpdate])
        case positions([VenuePosition])
        case balances([VenueBalance])
        /// `subscribe`, `unsubscribe`, `login`, `error`, `notice` (64008: reconnect soon), `channel-conn-count`.
        case event(name: String, code: String, message: String)
        case pong
    }

    /// One frame from the public, private or business URL (the text `pong` included).
    public static func message(_ bytes: [UInt8], directory: SymbolDirectory) throws -> Message {
        if bytes.elementsEqual("pong".utf8) { return .pong }
        let top = try JSONFields.parse(bytes, venue: .okx, message: "stream")
        if let event = try top.optionalString("event") {
            return .event(name: event, code: try top.optionalString("code") ?? "0", message: try top.optionalString("msg") ?? "")
        }
        let arg = try top.object("arg")
        let channel = try arg.string("channel")
        let message = JSONFields.renamed(top, message: channel)
        let items = try message.objects("data")
        switch channel {
        case "bbo-tbt", "books5", "books", "books-l2-tbt", "books50-l2-tbt", "books-elp":
            let symbol = try arg.string("instId")
            guard let item = items.first else { throw message.error("data", "empty") }
            if channel == "bbo-tbt" {
                let bids = try item.levels("bids"), asks = try item.levels("asks")
                guard let bid = bids.first, let ask = asks.first else { throw item.error("bids", "bbo-tbt without a level") }
                let ctVal = directory.contractValue(symbol) ?? 1
                return .bookTicker(BookTicker(symbol: symbol, bidPrice: bid.price, bidSize: bid.size * ctVal, askPrice: ask.price,
                                              askSize: ask.size * ctVal, updateID: try item.optionalInt64("seqId") ?? 0,
                                              time: Timestamp(milliseconds: try item.int64("ts"))))
            }
            let action = try message.optionalString("action") ?? "snapshot"
            guard action == "snapshot" || action == "update" else { throw message.error("action", "unknown action \"\(action)\"") }
            let checksum = try item.optionalInt64("checksum") ?? 0
            guard let checksum32 = Int32(exactly: checksum) else { throw item.error("checksum", "out of 32-bit range") }
            return .depth(DepthUpdate(symbol: symbol, isSnapshot: action == "snapshot", finalID: try item.optionalInt64("seqId") ?? 0,
                                      previousID: try item.optionalInt64("prevSeqId") ?? -1, checksum: checksum32,
                                      bids: try item.levels("bids"), asks: try item.levels("asks"), time: Timestamp(milliseconds: try item.int64("ts"))))
        case "trades", "trades-all":
            var trades: [PublicTrade] = []
            for item in items {
                let symbol = try item.string("instId")
                let ctVal = directory.contractValue(symbol) ?? 1
                trades.append(PublicTrade(symbol: symbol, tradeID: try item.string("tradeId"), price: try item.decimal("px"),
                                          size: try item.decimal("sz") * ctVal, aggressor: try item.mapped("side", "side", OKXProtocol.sides),
                                          time: Timestamp(milliseconds: try item.int64("ts"))))
            }
            return .trades(trades)
        case "tickers":
            guard let item = items.first else { throw message.error("data", "empty") }
            let symbol = try item.string("instId")
            let ctVal = directory.contractValue(symbol) ?? 1
            return .bookTicker(BookTicker(symbol: symbol, bidPrice: try item.decimal("bidPx"), bidSize: try item.decimal("bidSz") * ctVal,
                                          askPrice: try item.decimal("askPx"), askSize: try item.decimal("askSz") * ctVal,
                                          time: Timestamp(milliseconds: try item.int64("ts"))))
        case "funding-rate":
            guard let item = items.first else { throw message.error("data", "empty") }
            return .markFunding(MarkFunding(symbol: try item.string("instId"), markPrice: nil, indexPrice: nil, fundingRate: try item.decimal("fundingRate"),
                                            nextFundingTime: Timestamp(milliseconds: try item.int64("fundingTime")),
                                            time: Timestamp(milliseconds: try item.optionalInt64("ts") ?? 0)))
        case "mark-price":
            guard let item = items.first else { throw message.error("data", "empty") }
            return .markFunding(MarkFunding(symbol: try item.string("instId"), markPrice: try item.decimal("markPx"), indexPrice: nil, fundingRate: nil,
                                            nextFundingTime: nil, time: Timestamp(milliseconds: try item.int64("ts"))))
        case "orders": return .orders(try orders(items, directory: directory))
        case "positions": return .positions(try positions(items, directory: directory))
        case "account": return .balances(try balances(items))
        default: throw arg.error("channel", "unknown channel \"\(channel)\"")
        }
    }
}
