import HuracanCore
import HuracanSimVenue

/// All state of one coin, owned by exactly one shard: its pipeline, its simulated market stream
/// and one simulated matching engine per venue that lists it (the streamed venue first).
/// Moving a slot moves the coin with its positions intact.
struct CoinSlot: Sendable {
    var pipeline: CoinPipeline
    var market: SimulatedCoin
    var matchers: [SimulatedMatcher]
    /// How `matchers[1...]` quote the coin, derived from the streamed venue's events.
    var otherVenues: [VenueQuote]
    /// Venues (bit `VenueID.index`) where the shard's portfolio holds a position in this coin,
    /// updated on every fill, so marking to market looks up only open positions.
    var openPositionVenues: UInt8 = 0
    /// Set when an order or cancel was sent; cleared once no matcher has one in flight. The
    /// event-driven replay asks the matchers when their next action is due only while it is set.
    var hasOrdersInFlight = false

    var index: CoinIndex { pipeline.index }
}
