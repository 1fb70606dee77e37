import HuracanCore

/// Bybit v5 vocabularies: order statuses, enums and error codes.
/// Sources: bybit-exchange.github.io/docs/v5/enum (orderStatus, timeInForce, execType),
/// docs/v5/error (retCode), /work/shared/exchanges/bybit-v5.md §4, §9.
public enum BybitProtocol {
    /// Error codes -> action ([docs] v5 error page; [ccxt] exception map).
    public static let errors = VenueErrorTable(venue: .bybit, [
        (.resyncClock, ["10002"]),
        (.fatalCredentials, ["10003", "10004", "10005", "10007", "10009", "10010", "33004"]),
        (.rateLimited, ["10006", "10018"]),
        (.outcomeUnknown, ["10016"]),
        (.retryLater, ["10000", "10019"]),
        (.rejected, ["10001", "110003", "110004", "110007", "110012", "110044", "110045", "110094", "110020",
                     "110013", "110009", "110092", "110093", "170213", "110079"]),
        (.duplicateClientOrderID, ["110072"]),
        (.orderNotFoundOrFinal, ["110001", "110008", "110010", "170142"]),
        (.resyncPosition, ["110017", "110025"]),
    ])

    static let sides: [String: Side] = ["Buy": .buy, "Sell": .sell]
    static let types: [String: OrderType] = ["Limit": .limit, "Market": .market]
    static let timesInForce: [String: TimeInForce?] = ["GTC": .gtc, "IOC": .ioc, "FOK": .ioc, "PostOnly": .postOnly, "RPI": .postOnly]

    /// `orderStatus` -> our state machine. `Created` and `New` are acknowledged; `Cancelled` and
    /// `PartiallyFilledCanceled` are expired when the venue removed the order itself (IOC/market
    /// remainder, post-only that would take), else cancelled.
    public static func status(_ text: String, _ context: StatusContext) -> OrderStatus? {
        switch text {
        case "Created", "New", "Untriggered", "Triggered", "Active": .acknowledged
        case "PartiallyFilled": .partiallyFilled
        case "Filled": .filled
        case "Cancelled", "PartiallyFilledCanceled", "Deactivated": context.cancelMeansExpired ? .expired : .cancelled
        case "Rejected": .rejected
        default: nil
        }
    }

    /// Checks the `{"retCode":0,"retMsg":"OK","result":{...}}` envelope and returns `result`.
    public static func result(_ bytes: some Collection<UInt8>, operation: String, httpStatus: Int = 200) throws -> JSONFields {
        let (top, code) = try errors.envelope(bytes, codeField: "retCode", httpStatus: httpStatus, operation: operation)
        if code != "0" || httpStatus != 200 {
            throw try errors.classify(code: code, message: (try? top.string("retMsg")) ?? "", httpStatus: httpStatus, operation: operation)
        }
        return try top.object("result")
    }
}
