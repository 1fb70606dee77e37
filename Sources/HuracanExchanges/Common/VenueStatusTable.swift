import HuracanCore

/// Context that decides how a venue's "cancelled" maps onto our state machine.
public struct StatusContext: Sendable {
    public var timeInForce: TimeInForce?
    public var type: OrderType?
    /// The venue said a post-only order would have taken liquidity.
    public var postOnlyWouldTake: Bool

    public init(timeInForce: TimeInForce?, type: OrderType?, postOnlyWouldTake: Bool = false) {
        self.timeInForce = timeInForce
        self.type = type
        self.postOnlyWouldTake = postOnlyWouldTake
    }

    /// The venue removed the order without our asking: IOC/market remainder or post-only that
    /// would take. These are `expired`; a cancel we asked for is `cancelled`.
    public var cancelMeansExpired: Bool { postOnlyWouldTake || timeInForce == .ioc || type == .market }
}
