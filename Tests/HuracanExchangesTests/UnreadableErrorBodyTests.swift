import HuracanCore
import HuracanExchanges
import Testing

/// Gateways in front of venues answer in plain text or HTML. The HTTP status decides before the
/// body is read: a 5xx after an order may have been taken is outcome-unknown, never a reject.
@Suite struct UnreadableErrorBodyTests {
    static let bodies: [(status: Int, body: String)] = [
        (503, "Service Unavailable"),
        (502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
        (504, ""),
        (500, "{\"message\":\"internal\"}"),
    ]

    func classify(_ venue: VenueID, _ body: String, _ status: Int) -> (any Error)? {
        let bytes = Array(body.utf8)
        do {
            switch venue {
            case .binance: _ = try BinanceProtocol.check(bytes, httpStatus: status, operation: "POST /fapi/v1/order")
            case .okx: _ = try OKXProtocol.data(bytes, operation: "POST /api/v5/trade/order", httpStatus: status)
            case .bybit: _ = try BybitProtocol.result(bytes, operation: "POST /v5/order/create", httpStatus: status)
            }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: VenueID.allCases)
    func serverErrorsWithoutTheVenuesEnvelopeAreOutcomeUnknown(venue: VenueID) throws {
        for (status, body) in Self.bodies {
            let error = try #require(classify(venue, body, status) as? VenueAPIError, "\(venue) \(status) \(body)")
            #expect(error.action == .outcomeUnknown, "\(venue) \(status): \(error)")
            #expect(error.httpStatus == status && error.code == "http-\(status)")
        }
    }

    @Test(arguments: VenueID.allCases)
    func otherStatusesAreClassifiedByStatusAndNamedInTheMessage(venue: VenueID) throws {
        let limited = try #require(classify(venue, "Too Many Requests", 429) as? VenueAPIError)
        #expect(limited.action == .rateLimited)
        let forbidden = try #require(classify(venue, "<html>403 Forbidden</html>", 403) as? VenueAPIError)
        #expect(forbidden.action == .retryLater)
        #expect(forbidden.description.contains("403 Forbidden"), "\(forbidden)")
    }

    /// A 2xx whose body cannot be read is a parse error (for an order: its outcome is unknown
    /// to the caller, which queries it), not a venue verdict.
    @Test(arguments: VenueID.allCases)
    func unreadableSuccessIsAParseError(venue: VenueID) throws {
        let error = try #require(classify(venue, "OK", 200))
        #expect(error is VenueParseError, "\(venue): \(error)")
    }
}
