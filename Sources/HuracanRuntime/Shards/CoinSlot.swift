import HuracanCore
import HuracanSimVenue

/// All state of one coin, owned by exactly one shard: its pipeline, its simulated market stream
/// (none when a real venue's feed or stored data drives it) and one simulated matching engine
/// per venue that lists it, the streamed venue first (none when a real venue fills the orders).
/// Moving a slot moves the coin with its trades intact.
struct CoinSlot: Sendable {
    var pipeline: CoinPipeline
    var market: SimulatedCoin?
    var matchers: [SimulatedMatcher]
    /// How `matchers[1...]` quote the coin, derived from the streamed venue's events.
    var otherVenues: [VenueQuote]
    /// Set when an order or cancel was sent; cleared once no matcher has one in flight. The
    /// event-driven replay asks the matchers when their next action is due only while it is set.
    var hasOrdersInFlight = false

    var index: CoinIndex { pipeline.index }
}
