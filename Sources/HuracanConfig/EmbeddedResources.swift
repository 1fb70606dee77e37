import Foundation

/// Files shipped inside the binary: the default configuration and the 400-coin universe.
/// (`config/default.yaml` and `config/universe.csv` in the repository point at these.)
public enum EmbeddedResources {
    public static var defaultConfig: String { read("default", "yaml") }
    public static var universeCSV: String { read("universe", "csv") }

    static func read(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("the resource \(name).\(ext) is missing from the huracan bundle; reinstall or rebuild huracan")
        }
        return text
    }
}

extension EmbeddedResources {
    /// Coefficients of the built-in baseline model (`engine.strategy.model_file` empty).
    public static var baselineModel: String { read("baseline-model", "json") }
}
