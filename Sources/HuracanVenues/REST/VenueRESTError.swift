import HuracanCore
import HuracanExchanges

/// A REST call that did not produce a venue answer.
public enum VenueTransportError: Error, Sendable, CustomStringConvertible {
    /// No reply within the timeout. For a call that changes state (new order) the venue may have
    /// acted: the outcome is unknown until the order is found by client order id.
    case timeout(venue: VenueID, operation: String, seconds: Double)
    /// Connection refused, reset, DNS, TLS...
    case connection(venue: VenueID, operation: String, reason: String)
    /// Credentials are needed for a signed call and none were configured.
    case missingCredentials(venue: VenueID, operation: String)
    /// The rate limiter would hold this request longer than its caller waits (a new entry under
    /// rate-limit pressure): not sent.
    case rateLimitPressure(venue: VenueID, operation: String, wait: Duration)

    public var description: String {
        switch self {
        case .timeout(let venue, let operation, let seconds): "\(venue) \(operation): no reply within \(seconds) s (outcome unknown for state-changing calls)"
        case .connection(let venue, let operation, let reason): "\(venue) \(operation): connection failed: \(reason)"
        case .missingCredentials(let venue, let operation): "\(venue) \(operation): API key needed; set the venue's key environment variables or files"
        case .rateLimitPressure(let venue, let operation, let wait):
            "\(venue) \(operation): not sent: the rate limit would hold it more than \(wait) (entries give way to exits and cancels under pressure)"
        }
    }

    /// The request was never sent, so the venue cannot have acted on it. Every other transport
    /// failure (a reset or closed connection after the request was written, a timeout) leaves
    /// the outcome of a state-changing call unknown.
    public var neverSent: Bool {
        switch self {
        case .missingCredentials, .rateLimitPressure: true
        case .timeout, .connection: false
        }
    }
}
