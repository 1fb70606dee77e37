import HuracanCore
import Logging
import Synchronization

/// Hot swap of per-coin models. Any thread may hand the engine a new model for a coin; the
/// coordinator installs it between rounds, while every shard is parked, so a swap is atomic per
/// coin and never happens in the middle of a decision.
extension Engine {
    /// Queues `model` for `coin`; it takes effect before the next round.
    public func installModel(_ model: any Model, coin: CoinIndex) {
        pendingModels.withLock { $0[coin] = model }
    }

    /// Queues `model` for the coin named `name`; false when the universe has no such coin.
    @discardableResult
    public func installModel(_ model: any Model, coinNamed name: String) -> Bool {
        guard let index = universe.instruments.firstIndex(where: { $0.coin == name }) else { return false }
        installModel(model, coin: CoinIndex(index))
        return true
    }

    /// The name of the model each coin trading now uses; safe to read from any thread.
    public var modelNames: [String: String] { installedModelNames.withLock { $0 } }

    /// Coordinator only: installs queued models into their coins' pipelines.
    func applyModelSwaps() {
        let swaps = pendingModels.withLock { pending -> [CoinIndex: any Model] in
            defer { pending.removeAll() }
            return pending
        }
        guard !swaps.isEmpty else { return }
        for (coin, model) in swaps {
            installedModels[coin] = model
            for shard in shards where shard.setModel(model, coin: coin) { break }
            installedModelNames.withLock { $0[universe[coin].coin] = model.name }
            outcomes.withLock { $0[universe[coin].coin] = nil }
            logger.notice("model of \(universe[coin].coin) is now \(model.name)")
        }
    }

    /// Closed trades and winners per coin since its current model was installed; safe to read
    /// from any thread (the retraining service's drift check).
    public var liveOutcomes: [String: LiveOutcome] { outcomes.withLock { $0 } }

    func recordOutcomes(_ trades: [Trade]) {
        outcomes.withLock { table in
            for trade in trades {
                table[trade.coin, default: LiveOutcome()].trades += 1
                if trade.netPnL.doubleValue > 0 { table[trade.coin, default: LiveOutcome()].wins += 1 }
            }
        }
    }

    /// The model a coin joining a shard starts with: the last installed one, else the default.
    func initialModel(_ coin: CoinIndex) -> any Model {
        installedModels[coin] ?? makeModel(universe[coin])
    }
}

extension Shard {
    /// Replaces the model of `coin` if this shard owns it.
    func setModel(_ model: any Model, coin: CoinIndex) -> Bool {
        guard let i = slots.firstIndex(where: { $0.index == coin }) else { return false }
        slots[i].pipeline.model = model
        return true
    }
}

/// Live results of a coin's model: closed trades and how many made money after costs.
public struct LiveOutcome: Sendable, Hashable {
    public var trades = 0
    public var wins = 0
    public var winRate: Double { trades > 0 ? Double(wins) / Double(trades) : 0 }
    public init(trades: Int = 0, wins: Int = 0) {
        self.trades = trades
        self.wins = wins
    }
}
