import HuracanCore

/// Which shard owns which coin. Coins keep their shard across rebalances when they can, so a
/// change of `active_coins` moves as few coins as possible.
public struct ShardPlan: Sendable, Equatable {
    /// `assignment[shard]` lists the coin indices of that shard.
    public private(set) var assignment: [[CoinIndex]]
    public let coinsPerShard: Int

    /// Spreads `coins` (most liquid first) round-robin over ceil(count / coinsPerShard) shards,
    /// so every shard gets a similar mix of busy and quiet coins.
    public init(coins: [CoinIndex], coinsPerShard: Int) {
        self.coinsPerShard = coinsPerShard
        let shards = max(1, (coins.count + coinsPerShard - 1) / coinsPerShard)
        assignment = Array(repeating: [], count: shards)
        for (i, coin) in coins.enumerated() { assignment[i % shards].append(coin) }
    }

    public var shardCount: Int { assignment.count }
    public var coins: [CoinIndex] { assignment.flatMap { $0 } }

    public func shard(of coin: CoinIndex) -> Int? { assignment.firstIndex { $0.contains(coin) } }

    /// The plan for a new coin set: kept coins stay where they are unless their shard no longer
    /// exists, `retained` coins (inactive but with open trades) stay as well, new coins go to
    /// the least loaded shard.
    public func rebalanced(to coins: [CoinIndex], retaining retained: Set<CoinIndex> = []) -> ShardPlan {
        var next = self
        let shards = max(1, (coins.count + coinsPerShard - 1) / coinsPerShard)
        let wanted = Set(coins).union(retained)
        var homeless: [CoinIndex] = []
        var kept = Array(repeating: [CoinIndex](), count: max(shards, assignment.count))
        for (shard, members) in assignment.enumerated() {
            for coin in members where wanted.contains(coin) {
                if shard < shards || retained.contains(coin) && !Set(coins).contains(coin) {
                    kept[shard].append(coin)
                } else {
                    homeless.append(coin)
                }
            }
        }
        let placed = Set(kept.flatMap { $0 })
        homeless += coins.filter { !placed.contains($0) && !homeless.contains($0) }
        for coin in homeless {
            let target = (0..<shards).min { kept[$0].count < kept[$1].count }!
            kept[target].append(coin)
        }
        while kept.count > shards, kept.last?.isEmpty == true { kept.removeLast() }
        next.assignment = kept
        return next
    }
}
