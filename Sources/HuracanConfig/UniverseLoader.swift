import Foundation
import HuracanCore

/// Reads the universe named in config, or the built-in one.
public enum UniverseLoader {
    public static func load(path: String) throws(UniverseError) -> Universe {
        if path.isEmpty { return try Universe(csv: EmbeddedResources.universeCSV, source: "built-in universe.csv") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UniverseError(problems: ["\(path): cannot read the universe file"])
        }
        return try Universe(csv: String(decoding: data, as: UTF8.self), source: path)
    }

    /// Loads the universe of `config` and checks it against the capacity keys.
    public static func load(for config: EngineConfig) throws(UniverseError) -> Universe {
        let universe = try load(path: config.universeFile)
        if universe.count < config.maxCoins {
            throw UniverseError(problems: ["engine.max_coins is \(config.maxCoins) but the universe has only \(universe.count) coins"])
        }
        return universe
    }
}
