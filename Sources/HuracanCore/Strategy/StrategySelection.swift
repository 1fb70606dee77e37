/// Which strategy each coin runs (`engine.strategy.name`, `engine.strategy.per_coin`) and the
/// built-in strategies' settings.
public struct StrategySelection: Sendable, Hashable {
    /// The strategies the engine ships, by name.
    public static let names = ["ml", "ema_cross", "book_imbalance"]

    public var name = "ml"
    /// Coin name -> strategy name, overriding `name` for those coins.
    public var perCoin: [String: String] = [:]
    public var emaFast = 10
    public var emaSlow = 30
    public var emaNotional = 1_000.0
    public var imbalanceThreshold = 0.6

    public init() {}

    /// "BTC=ema_cross" as (coin, strategy name), spaces around either trimmed; nil when malformed.
    public static func parseOverride(_ entry: String) -> (coin: String, strategy: String)? {
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func trimmed(_ s: Substring) -> String { String(s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
        let coin = trimmed(parts[0]).uppercased(), strategy = trimmed(parts[1])
        return coin.isEmpty || strategy.isEmpty ? nil : (coin, strategy)
    }

    /// The strategy name `coin` runs.
    public func name(forCoin coin: String) -> String { perCoin[coin] ?? name }

    /// A fresh strategy (its own state) for `coin`.
    public func strategy(forCoin coin: String) -> any Strategy {
        switch name(forCoin: coin) {
        case "ema_cross": EMACrossStrategy(fastPeriod: emaFast, slowPeriod: emaSlow, notional: emaNotional)
        case "book_imbalance": BookImbalanceStrategy(threshold: imbalanceThreshold)
        default: ModelStrategy()
        }
    }
}
