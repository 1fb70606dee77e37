import HuracanCore
import HuracanStorage

/// Market data fed to the engine in place of the simulated market, from stored data (backtests)
/// or a real venue's feed (paper and live runs): before each round the coordinator loads that
/// round's events from the source and files them per coin; during the round each shard takes
/// its coins' events step by step.
///
/// Filled only by the coordinator between rounds and read by shards during a round: the worker
/// pool's hand-off orders the two (`WorkerPool`), and each shard touches only its coins' queues.
public final class ReplayFeed {
    private let source: any MarketEventSource
    @exclusivity(unchecked) private var queues: [[MarketEvent]]
    @exclusivity(unchecked) private var positions: [Int]
    public private(set) var events = 0
    /// Most events held in memory at once (the bound of a round).
    public private(set) var maxBuffered = 0

    public init(source: any MarketEventSource, coinCount: Int) {
        self.source = source
        queues = Array(repeating: [], count: coinCount)
        positions = Array(repeating: 0, count: coinCount)
    }

    public var fileCount: Int { source.fileCount }

    /// Loads every event before `end`.
    func fill(until end: Timestamp) throws {
        for c in queues.indices where positions[c] > 0 {
            queues[c].removeFirst(positions[c])
            positions[c] = 0
        }
        let added = try source.load(until: end, into: &queues)
        events += added
        maxBuffered = max(maxBuffered, queues.reduce(0) { $0 + $1.count })
    }

    /// Replay by stepping every coin through every step (the original, slower path), instead
    /// of visiting only the coins with something to do; kept to check that both give the same
    /// trades.
    public var stepsEveryCoin = false

    /// Time of `coin`'s next buffered event, or nil when none is buffered for this round.
    func nextTime(coin: CoinIndex) -> Timestamp? {
        let c = Int(coin)
        return positions[c] < queues[c].count ? queues[c][positions[c]].time : nil
    }

    /// Calls `body` with each of `coin`'s events before `end`, in order, and marks them taken:
    /// in place, without copying them out (`body` must not touch the feed).
    @inline(__always) func forEach(coin: CoinIndex, before end: Timestamp, _ body: (MarketEvent) -> Void) {
        let c = Int(coin)
        var p = positions[c]
        queues[c].withUnsafeBufferPointer { queue in
            while p < queue.count && queue[p].time < end {
                body(queue[p])
                p += 1
            }
        }
        positions[c] = p
    }


    /// True when every event loaded has been taken (coordinator only, between rounds).
    var isDrained: Bool { queues.indices.allSatisfy { positions[$0] >= queues[$0].count } }

    /// Time of the source's next event not loaded yet (stored data), or nil.
    func nextSourceTime() throws -> Timestamp? { try source.nextEventTime() }
}
