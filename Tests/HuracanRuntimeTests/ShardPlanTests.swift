import HuracanCore
@testable import HuracanRuntime
import Testing

@Suite struct ShardPlanTests {
    func coins(_ n: Int) -> [CoinIndex] { (0..<n).map { CoinIndex($0) } }

    @Test(arguments: [(20, 50, 1), (50, 50, 1), (51, 50, 2), (100, 50, 2), (101, 50, 3), (400, 50, 8), (400, 100, 4), (7, 1, 7)])
    func shardCountIsCeilOfCoinsOverCoinsPerLoop(active: Int, perLoop: Int, shards: Int) {
        let plan = ShardPlan(coins: coins(active), coinsPerShard: perLoop)
        #expect(plan.shardCount == shards)
        #expect(plan.assignment.allSatisfy { $0.count <= perLoop })
        #expect(Set(plan.coins) == Set(coins(active)) && plan.coins.count == active)
    }

    @Test func liquidCoinsAreSpreadAcrossShards() {
        let plan = ShardPlan(coins: coins(400), coinsPerShard: 50)
        // The 8 most liquid coins land on 8 different shards.
        #expect(Set((0..<8).map { plan.shard(of: CoinIndex($0))! }).count == 8)
    }

    @Test func growingKeepsEveryCoinWhereItWas() {
        let plan = ShardPlan(coins: coins(100), coinsPerShard: 50)
        let grown = plan.rebalanced(to: coins(200))
        #expect(grown.shardCount == 4)
        for coin in coins(100) { #expect(grown.shard(of: coin) == plan.shard(of: coin)) }
        #expect(grown.assignment.allSatisfy { $0.count == 50 })
    }

    @Test func shrinkingMovesOnlyCoinsOfRemovedShards() {
        let plan = ShardPlan(coins: coins(200), coinsPerShard: 50)
        let shrunk = plan.rebalanced(to: coins(60))
        #expect(shrunk.shardCount == 2)
        #expect(Set(shrunk.coins) == Set(coins(60)))
        for coin in coins(60) where plan.shard(of: coin)! < 2 { #expect(shrunk.shard(of: coin) == plan.shard(of: coin)) }
    }

    @Test func coinsWithOpenTradesAreRetainedInPlace() {
        let plan = ShardPlan(coins: coins(200), coinsPerShard: 50)
        let retained: Set<CoinIndex> = [150, 199]
        let shrunk = plan.rebalanced(to: coins(50), retaining: retained)
        for coin in retained { #expect(shrunk.shard(of: coin) == plan.shard(of: coin)) }
        #expect(Set(shrunk.coins) == Set(coins(50)).union(retained))
    }
}
