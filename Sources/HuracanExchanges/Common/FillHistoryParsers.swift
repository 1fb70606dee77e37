import HuracanCore

extension BinanceParsers {
    /// GET /fapi/v1/userTrades: this account's fills (fee `commission` in `commissionAsset`).
    public static func userTrades(_ value: JSONValue, directory: SymbolDirectory) throws -> [VenueExecution] {
        guard case .array(let items) = value else { throw VenueParseError(venue: .binance, message: "userTrades", field: "", reason: "expected an array") }
        var out: [VenueExecution] = []
        for (i, value) in items.enumerated() {
            let item = try JSONFields(value, venue: .binance, message: "userTrades", path: "[\(i)]")
            let symbol = try item.string("symbol")
            let fill = Fill(clientOrderID: "", tradeID: try item.string("id"), coin: directory.coin(symbol), venue: .binance,
                            side: try item.mapped("side", "side", BinanceProtocol.sides), price: try item.decimal("price"), quantity: try item.decimal("qty"),
                            fee: try item.decimal("commission"), liquidity: try item.bool("maker") ? .maker : .taker,
                            time: Timestamp(milliseconds: try item.int64("time")))
            out.append(VenueExecution(venue: .binance, symbol: symbol, venueOrderID: try item.string("orderId"), fill: fill,
                                      feeAsset: try item.optionalString("commissionAsset") ?? "USDT"))
        }
        return out
    }
}

extension OKXParsers {
    /// GET /api/v5/trade/fills: this account's fills, sizes converted from contracts, fees made positive when paid.
    public static func fills(_ items: [JSONFields], directory: SymbolDirectory) throws -> [VenueExecution] {
        var out: [VenueExecution] = []
        for item in items {
            let symbol = try item.string("instId")
            let ctVal = try contractValue(item, symbol, directory)
            let execType = try item.string("execType")
            guard execType == "T" || execType == "M" else { throw item.error("execType", "unknown liquidity \"\(execType)\"") }
            let fill = Fill(clientOrderID: try item.optionalString("clOrdId") ?? "", tradeID: try item.string("tradeId"), coin: directory.coin(symbol),
                            venue: .okx, side: try item.mapped("side", "side", OKXProtocol.sides), price: try item.decimal("fillPx"),
                            quantity: try item.decimal("fillSz") * ctVal, fee: -(try item.decimal("fee")), liquidity: execType == "M" ? .maker : .taker,
                            time: Timestamp(milliseconds: try item.optionalInt64("fillTime") ?? item.int64("ts")))
            out.append(VenueExecution(venue: .okx, symbol: symbol, venueOrderID: try item.string("ordId"), fill: fill,
                                      feeAsset: try item.optionalString("feeCcy") ?? "USDT"))
        }
        return out
    }
}
