import HuracanCore

/// OKX v5 vocabularies: order types and states, error codes.
/// Sources: okx.com docs-v5 "Trade / Place order" (ordType, state), "Error Code";
/// /work/shared/exchanges/okx-v5.md §4, §9.
public enum OKXProtocol {
    public static let errors = VenueErrorTable(venue: .okx, [
        (.resyncClock, ["50102", "50112"]),
        (.fatalCredentials, ["50100", "50101", "50103", "50104", "50105", "50106", "50107", "50110", "50111", "50113", "50114", "60009", "60011", "50120"]),
        (.rateLimited, ["50011", "50061", "60014", "50040"]),
        (.outcomeUnknown, ["50004", "50026", "51149"]),
        (.retryLater, ["50001", "50005", "50013", "64008", "50015"]),
        (.rejected, ["51008", "51131", "51127", "51000", "51006", "51116", "51137", "51138", "51020", "51121", "51019", "51001",
                     "51010", "51201", "51202", "51204", "51004", "51009", "51024", "51007", "51011", "1"]),
        (.duplicateClientOrderID, ["51016"]),
        (.orderNotFoundOrFinal, ["51400", "51401", "51402", "51603", "51503", "51509", "51510"]),
        (.resyncPosition, ["51205", "51023", "51169", "51170"]),
    ])

    static let sides: [String: Side] = ["buy": .buy, "sell": .sell]
    /// `ordType` -> (type, time in force); conditional/algo types are parsed but are not ours.
    static let orderTypes: [String: (OrderType, TimeInForce)?] = [
        "limit": (.limit, .gtc), "market": (.market, .ioc), "post_only": (.limit, .postOnly), "ioc": (.limit, .ioc), "fok": (.limit, .ioc),
        "optimal_limit_ioc": (.market, .ioc), "mmp": (.limit, .gtc), "mmp_and_post_only": (.limit, .postOnly),
        "conditional": nil, "oco": nil, "trigger": nil, "move_order_stop": nil, "iceberg": nil, "twap": nil, "elp": (.limit, .gtc),
    ]

    /// Order `state` -> our state machine; a `canceled` IOC/market/post-only-would-take is expired.
    public static func status(_ text: String, _ context: StatusContext) -> OrderStatus? {
        switch text {
        case "live": .acknowledged
        case "partially_filled": .partiallyFilled
        case "filled": .filled
        case "canceled", "mmp_canceled": context.cancelMeansExpired ? .expired : .cancelled
        default: nil
        }
    }

    /// Checks the `{"code":"0","msg":"","data":[…]}` envelope and returns `data`. Per-order
    /// failures inside `data` (`sCode`) are checked by `orderResult`.
    public static func data(_ bytes: some Collection<UInt8>, operation: String, httpStatus: Int = 200) throws -> [JSONFields] {
        let (top, code) = try errors.envelope(bytes, codeField: "code", httpStatus: httpStatus, operation: operation)
        if code != "0" {
            // Order endpoints answer code 1 / 2 with the real reason per item (`sCode`).
            if code == "1" || code == "2", let first = (try? top.objects("data"))?.first {
                _ = try orderResult(first, operation: operation)
            }
            throw try errors.classify(code: code, message: (try? top.string("msg")) ?? "", httpStatus: httpStatus, operation: operation)
        }
        guard httpStatus == 200 else {
            throw try errors.classify(code: code, message: (try? top.string("msg")) ?? "", httpStatus: httpStatus, operation: operation)
        }
        return try top.objects("data")
    }

    /// One item of an order reply (`ordId`, `clOrdId`, `sCode`, `sMsg`): an ack or the classified error.
    public static func orderResult(_ item: JSONFields, operation: String) throws -> OrderAck {
        let code = try item.string("sCode")
        guard code == "0" else { throw try errors.classify(code: code, message: (try? item.string("sMsg")) ?? "", httpStatus: 200, operation: operation) }
        return OrderAck(clientOrderID: try item.string("clOrdId"), venueOrderID: try item.string("ordId"), status: .acknowledged)
    }
}
