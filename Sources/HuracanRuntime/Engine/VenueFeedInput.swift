import HuracanCore

/// A real venue's public feed driving the engine in place of the simulated market (paper and
/// live runs). With it the engine builds no simulated market: each round takes the events that
/// arrived since the last one, stamped with the wall clock, and the round ends at the wall
/// clock's now.
public struct VenueFeedInput {
    /// The venue whose feed drives the engine and that trades every coin.
    public var venue: VenueID
    /// The feed's events, filed per coin between rounds.
    public var events: ReplayFeed
    /// True for paper trading: simulated fills against the live books. False when the venue
    /// itself fills the orders (a `LiveOrderRouter` is set before `run`): then the coins have
    /// no simulated matcher at all.
    public var simulatedFills: Bool

    public init(venue: VenueID, events: ReplayFeed, simulatedFills: Bool) {
        self.venue = venue
        self.events = events
        self.simulatedFills = simulatedFills
    }
}
