import HuracanCore

/// Fault injection switches of a fake venue. Counters apply to the next N requests/messages and
/// count down; booleans stay until switched off.
public struct FakeVenueFaults: Sendable {
    /// The next N REST requests get HTTP 429 with `Retry-After: retryAfterSeconds`.
    public var rateLimitNext = 0
    public var retryAfterSeconds = 1
    /// The next N depth messages (per symbol, any symbol) are not sent: the client sees a sequence gap.
    public var dropDepthMessages = 0
    /// The next N OKX depth messages carry a wrong non-zero checksum.
    public var badChecksumNext = 0
    /// The next N new orders are accepted (and matched), but the HTTP reply waits this long.
    public var delayAcceptedOrderReplies = 0
    public var acceptedReplyDelay: Duration = .seconds(3)
    /// The next N new orders are accepted (and matched), then the reply fails as `afterAccept`
    /// says: the connection is reset, the reply hangs, or a gateway answers 503 in plain text.
    public var failAcceptedOrderReplies = 0
    public var afterAccept: FakeAcceptedReplyFault = .reset
    /// Private streams are down: open ones are closed when this is switched on (with
    /// `setPrivateStreamsDown`) and new ones are refused; account events meanwhile are lost.
    public var privateStreamsDown = false
    /// The private streams report an order that fills as EXPIRED with nothing filled first, and
    /// its fills only after that (a fill after the final state, as venues do under load).
    public var expiredBeforeFills = false
    /// The next N new orders are rejected with the venue's insufficient-margin code.
    public var rejectNext = 0
    /// Aggressive orders fill in two executions (half each) instead of one.
    public var partialFills = false
    /// The next N account events (order updates, fills, positions) never reach the private
    /// streams: a message lost on the way.
    public var dropAccountEvents = 0
    /// Resting orders are never filled by market moves.
    public var freezeRestingOrders = false

    public init() {}
}

/// How the reply to an order the fake venue accepted goes wrong.
public enum FakeAcceptedReplyFault: Sendable, Hashable {
    /// The connection is closed without a reply.
    case reset
    /// No reply for this long (longer than the client's timeout: a hang).
    case hang(Duration)
    /// HTTP 503 with a plain-text body, as a gateway in front of the venue answers.
    case serviceUnavailable
}
