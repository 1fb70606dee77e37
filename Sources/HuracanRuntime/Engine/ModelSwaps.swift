import HuracanCore

/// Hot swap of per-coin models, the part any thread may touch: models handed over and waiting
/// for the coordinator (which installs them between rounds, while every shard is parked, so a
/// swap is atomic per coin and never lands in the middle of a decision), the model each coin
/// runs, and each coin's live results since its model was installed (the retraining service's
/// drift check).
public final class ModelSwaps: Sendable {
    private let universe: Universe
    private let pending = Locked<[CoinIndex: any Model]>([:])
    private let names = Locked<[String: String]>([:])
    private let outcomes = Locked<[String: LiveOutcome]>([:])

    init(universe: Universe) { self.universe = universe }

    /// Queues `model` for `coin`; it takes effect before the next round.
    public func install(_ model: any Model, coin: CoinIndex) {
        pending.withLock { $0[coin] = model }
    }

    /// Queues `model` for the coin named `name`; false when the universe has no such coin.
    @discardableResult
    public func install(_ model: any Model, coinNamed name: String) -> Bool {
        guard let index = universe.index(of: name) else { return false }
        install(model, coin: index)
        return true
    }

    /// The name of the model each coin trading now uses.
    public var modelNames: [String: String] { names.withLock { $0 } }

    /// Closed trades and winners per coin since its current model was installed.
    public var liveOutcomes: [String: LiveOutcome] { outcomes.withLock { $0 } }

    /// Coordinator: the models handed over since the last call.
    func takePending() -> [CoinIndex: any Model] {
        pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    /// Coordinator: `model` now trades `coin`; its live results start over.
    func installed(_ model: any Model, coin: String) {
        names.withLock { $0[coin] = model.name }
        outcomes.withLock { $0[coin] = nil }
    }

    /// Coordinator: counts closed trades and winners per coin.
    func record(_ trades: [Trade]) {
        outcomes.withLock { table in
            for trade in trades {
                table[trade.coin, default: LiveOutcome()].trades += 1
                if trade.netPnL.doubleValue > 0 { table[trade.coin, default: LiveOutcome()].wins += 1 }
            }
        }
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
