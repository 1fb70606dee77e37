import HuracanCore
import HuracanSimVenue

/// All state of one coin, owned by exactly one shard: its pipeline, its simulated market stream
/// and its simulated matching engine. Moving a slot moves the coin with its positions intact.
struct CoinSlot: Sendable {
    var pipeline: CoinPipeline
    var market: SimulatedCoin
    var matcher: SimulatedMatcher

    var index: CoinIndex { pipeline.index }
}
