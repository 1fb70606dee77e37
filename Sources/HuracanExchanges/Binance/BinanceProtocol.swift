import HuracanCore

/// Binance USD-M vocabularies: statuses, enums and error codes.
/// Sources: developers.binance.com USDⓈ-M Futures "Common Definition" (order status, types,
/// time in force), "Error Codes"; /work/shared/exchanges/binance-usdm.md §4, §9.
public enum BinanceProtocol {
    public static let errors = VenueErrorTable(venue: .binance, [
        (.resyncClock, ["-1021", "-5028"]),
        (.fatalCredentials, ["-1022", "-2014", "-2015", "-1002"]),
        (.rateLimited, ["-1003", "-1015", "-1008"]),
        (.outcomeUnknown, ["-1001", "-1006", "-1007"]),
        (.retryLater, ["-1000", "-1016"]),
        (.rejected, ["-2019", "-2018", "-4014", "-4023", "-1111", "-4003", "-4004", "-4005", "-4164", "-4016", "-4024",
                     "-4131", "-5022", "-5021", "-1102", "-1106", "-1116", "-1117", "-1121", "-4015", "-4013", "-2010",
                     "-1100", "-1101", "-1104", "-1105", "-1013", "-4001", "-4002"]),
        (.duplicateClientOrderID, ["-4116"]),
        (.orderNotFoundOrFinal, ["-2013", "-2011"]),
        (.resyncPosition, ["-2022", "-4118", "-4061"]),
    ])

    static let sides: [String: Side] = ["BUY": .buy, "SELL": .sell]
    /// Order types; conditional ones (placed through the algo endpoint) are parsed but not ours.
    static let types: [String: OrderType?] = [
        "LIMIT": .limit, "MARKET": .market, "STOP": nil, "STOP_MARKET": nil, "TAKE_PROFIT": nil, "TAKE_PROFIT_MARKET": nil,
        "TRAILING_STOP_MARKET": nil, "LIQUIDATION": nil,
    ]
    static let timesInForce: [String: TimeInForce?] = ["GTC": .gtc, "IOC": .ioc, "FOK": .ioc, "GTX": .postOnly, "GTD": .gtc, "RPI": .postOnly]

    /// Order status (`X` / `status`) -> our state machine. `NEW_INSURANCE` / `NEW_ADL` are the
    /// venue's liquidation and auto-deleverage orders, delivered already executed.
    public static func status(_ text: String, _ context: StatusContext) -> OrderStatus? {
        switch text {
        case "NEW": .acknowledged
        case "PARTIALLY_FILLED": .partiallyFilled
        case "FILLED", "NEW_INSURANCE", "NEW_ADL": .filled
        case "CANCELED": context.postOnlyWouldTake ? .expired : .cancelled
        case "EXPIRED", "EXPIRED_IN_MATCH": .expired
        case "REJECTED": .rejected
        default: nil
        }
    }

    /// Where a venue-generated order came from (client ids documented for forced orders).
    static func origin(clientOrderID: String, status: String) -> OrderUpdateOrigin {
        if status == "NEW_ADL" || clientOrderID.hasPrefix("adl_autoclose") { return .autoDeleverage }
        if status == "NEW_INSURANCE" || clientOrderID.hasPrefix("autoclose-") { return .liquidation }
        if clientOrderID.hasPrefix("settlement_autoclose") || clientOrderID.hasPrefix("delivery_autoclose") { return .settlement }
        return .account
    }

    /// Checks an HTTP reply: 2xx bodies are returned as they are; an error body
    /// `{"code":-2019,"msg":"..."}` (or a status without one) is classified.
    public static func check(_ bytes: some Collection<UInt8>, httpStatus: Int, operation: String) throws -> JSONValue {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch {
            if (200..<300).contains(httpStatus) { throw VenueParseError(venue: .binance, message: operation, field: "", reason: error.description) }
            throw errors.unreadable(bytes, httpStatus: httpStatus, operation: operation)
        }
        if case .object(let fields) = value, let code = fields["code"]?.scalarText, code != "200", code != "0", fields["msg"] != nil {
            throw try errors.classify(code: code, message: fields["msg"]?.scalarText ?? "", httpStatus: httpStatus, operation: operation)
        }
        guard (200..<300).contains(httpStatus) else { throw errors.unreadable(bytes, httpStatus: httpStatus, operation: operation) }
        return value
    }
}
