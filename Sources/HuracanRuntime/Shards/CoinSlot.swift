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

    var index: CoinIndex { pipeline.index }
}
