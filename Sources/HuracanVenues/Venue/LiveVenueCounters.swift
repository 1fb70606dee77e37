import Synchronization

/// What a `LiveVenue` had to do to keep the engine's view of its orders equal to the venue's,
/// since start (exported as metrics and on `/status`).
public final class LiveVenueCounters: Sendable {
    /// Orders whose placement reply was lost (reset, timeout, 5xx, unreadable): chased by query.
    public let unknownOrders = Atomic<Int>(0)
    /// Orders whose state was settled by a REST query.
    public let resolvedByQuery = Atomic<Int>(0)
    /// UNKNOWN orders the venue twice said it does not have: rejected "never reached the venue".
    public let unknownAbsent = Atomic<Int>(0)
    /// Fills read from the venue's fill history because the private stream had not delivered them.
    public let fillsReadBack = Atomic<Int>(0)
    /// Fills that arrived after their order's final state (applied, never dropped).
    public let lateFills = Atomic<Int>(0)
    /// Reduce-only refusals that made the engine read the position back.
    public let positionResyncs = Atomic<Int>(0)
    /// Private-stream reconnects followed by a read-back of fills and open orders.
    public let streamReadBacks = Atomic<Int>(0)

    public init() {}

    /// Name and value of each counter, for metrics and status.
    public var values: [(name: String, value: Int)] {
        [("unknown_orders", unknownOrders.load(ordering: .relaxed)), ("resolved_by_query", resolvedByQuery.load(ordering: .relaxed)),
         ("unknown_absent", unknownAbsent.load(ordering: .relaxed)), ("fills_read_back", fillsReadBack.load(ordering: .relaxed)),
         ("late_fills", lateFills.load(ordering: .relaxed)), ("position_resyncs", positionResyncs.load(ordering: .relaxed)),
         ("stream_read_backs", streamReadBacks.load(ordering: .relaxed))]
    }
}
