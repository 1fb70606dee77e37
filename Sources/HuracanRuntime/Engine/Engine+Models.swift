import HuracanCore
import Logging

/// Hot swap of per-coin models: any thread hands a model over through `handle.models`; the
/// coordinator installs it between rounds, while every shard is parked.
extension Engine {
    /// Coordinator only: installs queued models into their coins' pipelines.
    func applyModelSwaps() {
        let swaps = handle.models.takePending()
        guard !swaps.isEmpty else { return }
        for (coin, model) in swaps {
            installedModels[coin] = model
            for shard in shards where shard.setModel(model, coin: coin) { break }
            handle.models.installed(model, coin: universe[coin].coin)
            logger.notice("model of \(universe[coin].coin) is now \(model.name)")
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
