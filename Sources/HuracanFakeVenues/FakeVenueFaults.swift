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
