import HuracanCore

/// What the engine should do about a venue error code.
public enum VenueErrorAction: String, Sendable, Hashable {
    /// Clock drift: re-measure server time, re-sign, retry once.
    case resyncClock
    /// Bad key, signature, permission or IP: stop trading on the venue and alert. Never retried.
    case fatalCredentials
    /// Rate limit: back off per the limiter; never retried at once.
    case rateLimited
    /// The venue may or may not have acted (timeout, internal error): query by client order id
    /// before anything else; the order stays UNKNOWN meanwhile.
    case outcomeUnknown
    /// Temporarily unavailable (maintenance, busy): retry idempotent calls with backoff.
    case retryLater
    /// The order was refused; nothing exists at the venue.
    case rejected
    /// Our client order id already exists: query it, never resend.
    case duplicateClientOrderID
    /// The order is not (or no longer) open: query it and finalise.
    case orderNotFoundOrFinal
    /// Position mode or reduce-only mismatch: resync positions / account mode.
    case resyncPosition
}

/// An error reply from a venue (HTTP status plus the venue's code and message), classified.
public struct VenueAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var venue: VenueID
    public var code: String
    public var message: String
    public var httpStatus: Int
    public var action: VenueErrorAction
    /// The endpoint or operation, e.g. `POST /fapi/v1/order`.
    public var operation: String

    public init(venue: VenueID, code: String, message: String, httpStatus: Int = 200, action: VenueErrorAction, operation: String = "") {
        self.venue = venue
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.action = action
        self.operation = operation
    }

    public var description: String {
        "\(venue)\(operation.isEmpty ? "" : " \(operation)"): error \(code) (\(message)), HTTP \(httpStatus) -> \(action.rawValue)"
    }

    /// Counts as a failure for the venue error-rate breaker (venue-side trouble, not our order's
    /// business rejection).
    public var countsAsVenueFailure: Bool {
        switch action {
        case .outcomeUnknown, .retryLater, .rateLimited, .fatalCredentials, .resyncClock: true
        case .rejected, .duplicateClientOrderID, .orderNotFoundOrFinal, .resyncPosition: false
        }
    }
}

/// A venue code we have no mapping for: a clear error instead of a guess.
public struct UnknownVenueCode: Error, Sendable, Hashable, CustomStringConvertible {
    public var venue: VenueID
    public var code: String
    public var message: String
    public var description: String {
        "\(venue): unknown error code \(code) (\(message)); add it to the \(venue) error table before trading on it"
    }
}

/// A per-venue table from error code to action.
public struct VenueErrorTable: Sendable {
    public let venue: VenueID
    let actions: [String: VenueErrorAction]

    public init(venue: VenueID, _ entries: [(VenueErrorAction, [String])]) {
        self.venue = venue
        var actions: [String: VenueErrorAction] = [:]
        for (action, codes) in entries { for code in codes { actions[code] = action } }
        self.actions = actions
    }

    /// The action for `code`; unknown codes throw `UnknownVenueCode`.
    public func action(for code: String, message: String) throws(UnknownVenueCode) -> VenueErrorAction {
        guard let action = actions[code] else { throw UnknownVenueCode(venue: venue, code: code, message: message) }
        return action
    }

    /// Classifies a reply. HTTP 429/418 are rate limits and 5xx outcome-unknown whatever the code;
    /// an unknown code is reported as `UnknownVenueCode`.
    public func classify(code: String, message: String, httpStatus: Int, operation: String) throws(UnknownVenueCode) -> VenueAPIError {
        let action: VenueErrorAction
        switch httpStatus {
        case 429, 418: action = .rateLimited
        case 500...599 where actions[code] == nil: action = .outcomeUnknown
        default: action = try self.action(for: code, message: message)
        }
        return VenueAPIError(venue: venue, code: code, message: message, httpStatus: httpStatus, action: action, operation: operation)
    }

    /// A reply whose body is not the venue's JSON envelope (a gateway's plain-text "Service
    /// Unavailable", an HTML error page, a body cut short), classified by its HTTP status alone:
    /// 5xx outcome unknown, 429/418 rate limited, anything else retry later. The status decides
    /// before the body is read, so a 5xx after the venue took an order is never a rejection.
    public func unreadable(_ body: some Collection<UInt8>, httpStatus: Int, operation: String) -> VenueAPIError {
        let action: VenueErrorAction
        switch httpStatus {
        case 429, 418: action = .rateLimited
        case 500...599: action = .outcomeUnknown
        default: action = .retryLater
        }
        let text = String(decoding: Array(body.prefix(120)), as: UTF8.self).map { $0.isLetter || $0.isNumber || $0.isPunctuation || $0 == " " ? $0 : " " }
        return VenueAPIError(venue: venue, code: "http-\(httpStatus)", message: "body is not JSON: \"\(String(text))\"", httpStatus: httpStatus,
                             action: action, operation: operation)
    }

    /// A JSON envelope and its code (`code`, `retCode`). A reply that is not JSON or has no
    /// code is, with an error status, classified by that status (`unreadable`); with a 2xx
    /// status it is a parse error naming the field.
    public func envelope(_ bytes: some Collection<UInt8>, codeField: String, httpStatus: Int, operation: String) throws -> (JSONFields, String) {
        let ok = (200..<300).contains(httpStatus)
        let top: JSONFields
        do { top = try JSONFields.parse(bytes, venue: venue, message: operation) } catch {
            if ok { throw error }
            throw unreadable(bytes, httpStatus: httpStatus, operation: operation)
        }
        do { return (top, try top.string(codeField)) } catch {
            if ok { throw error }
            throw unreadable(bytes, httpStatus: httpStatus, operation: operation)
        }
    }

    public var knownCodes: [String] { actions.keys.sorted() }
}
