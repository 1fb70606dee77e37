import Foundation

/// One key of the configuration: its YAML path, what it accepts, and how to read and write it.
///
/// The list of fields (`ConfigSchema.fields`) is the single source for loading, validation,
/// environment overrides, `config show` and the configuration reference.
public struct ConfigField {
    /// Dotted path as in YAML, e.g. `engine.risk.per_coin_max_exposure_pct`.
    public let path: String
    /// What values are allowed, in words ("an integer between 1 and 400").
    public let allowed: String
    public let doc: String
    let read: (EngineConfig) -> ConfigValue
    /// Sets the value or returns what was wrong with it.
    let write: (inout EngineConfig, ConfigValue) -> String?

    /// Environment variable that overrides this key.
    public var environmentName: String {
        "HURACAN_" + path.uppercased().replacingOccurrences(of: ".", with: "__")
    }

    public func value(in config: EngineConfig) -> ConfigValue { read(config) }

    static func int(_ path: String, _ key: WritableKeyPath<EngineConfig, Int>, _ range: ClosedRange<Int>, _ doc: String) -> ConfigField {
        ConfigField(path: path, allowed: "an integer between \(range.lowerBound) and \(range.upperBound)", doc: doc,
                    read: { .int($0[keyPath: key]) }) { config, value in
            guard case .int(let number) = value else { return "expected an integer" }
            guard range.contains(number) else { return "must be between \(range.lowerBound) and \(range.upperBound)" }
            config[keyPath: key] = number
            return nil
        }
    }

    static func number(_ path: String, _ key: WritableKeyPath<EngineConfig, Double>, _ range: ClosedRange<Double>, _ doc: String) -> ConfigField {
        let bounds = "between \(formatBound(range.lowerBound)) and \(formatBound(range.upperBound))"
        return ConfigField(path: path, allowed: "a number \(bounds)", doc: doc, read: { .double($0[keyPath: key]) }) { config, value in
            let number: Double
            switch value {
            case .int(let integer): number = Double(integer)
            case .double(let double): number = double
            default: return "expected a number"
            }
            guard number.isFinite, range.contains(number) else { return "must be \(bounds)" }
            config[keyPath: key] = number
            return nil
        }
    }

    static func bool(_ path: String, _ key: WritableKeyPath<EngineConfig, Bool>, _ doc: String) -> ConfigField {
        ConfigField(path: path, allowed: "true or false", doc: doc, read: { .bool($0[keyPath: key]) }) { config, value in
            guard case .bool(let flag) = value else { return "expected true or false" }
            config[keyPath: key] = flag
            return nil
        }
    }

    /// A string, optionally checked by `check` (returns the problem, or nil when fine).
    static func string(
        _ path: String, _ key: WritableKeyPath<EngineConfig, String>, allowed: String = "a string", _ doc: String,
        check: ((String) -> String?)? = nil
    ) -> ConfigField {
        ConfigField(path: path, allowed: allowed, doc: doc, read: { .string($0[keyPath: key]) }) { config, value in
            let text: String
            switch value {
            case .string(let string): text = string
            case .int(let integer): text = String(integer)
            case .double(let double): text = String(double)
            default: return "expected a string"
            }
            if let problem = check?(text) { return problem }
            config[keyPath: key] = text
            return nil
        }
    }

    /// One of a fixed set of words; `unsupported` names known values that are not available yet.
    static func choice(
        _ path: String, _ key: WritableKeyPath<EngineConfig, String>, _ options: [String], unsupported: [String: String] = [:], _ doc: String
    ) -> ConfigField {
        let allowed = "one of " + options.joined(separator: ", ")
        return string(path, key, allowed: allowed, doc) { text in
            if let reason = unsupported[text] { return reason }
            guard options.contains(text) else {
                let hint = Suggestion.closest(to: text, in: options).map { " (did you mean \"\($0)\"?)" } ?? ""
                return "must be \(allowed)\(hint)"
            }
            return nil
        }
    }

    static func numbers(_ path: String, _ key: WritableKeyPath<EngineConfig, [Double]>, _ range: ClosedRange<Double>, _ doc: String) -> ConfigField {
        let bounds = "between \(formatBound(range.lowerBound)) and \(formatBound(range.upperBound))"
        return ConfigField(path: path, allowed: "a list of numbers \(bounds)", doc: doc,
                           read: { .list($0[keyPath: key].map { .double($0) }) }) { config, value in
            guard case .list(let items) = value, !items.isEmpty else { return "expected a non-empty list of numbers" }
            var numbers: [Double] = []
            for item in items {
                switch item {
                case .int(let integer): numbers.append(Double(integer))
                case .double(let double): numbers.append(double)
                default: return "expected a list of numbers, found \(item)"
                }
                guard range.contains(numbers.last!) else { return "every entry must be \(bounds), found \(item)" }
            }
            config[keyPath: key] = numbers
            return nil
        }
    }

    static func strings(_ path: String, _ key: WritableKeyPath<EngineConfig, [String]>, options: [String], _ doc: String) -> ConfigField {
        let allowed = "a list of " + options.joined(separator: ", ")
        return ConfigField(path: path, allowed: allowed, doc: doc, read: { .list($0[keyPath: key].map { .string($0) }) }) { config, value in
            guard case .list(let items) = value, !items.isEmpty else { return "expected a non-empty list" }
            var words: [String] = []
            for item in items {
                guard case .string(let word) = item, options.contains(word) else { return "entries must be \(options.joined(separator: ", ")), found \(item)" }
                guard !words.contains(word) else { return "\(word) is listed twice" }
                words.append(word)
            }
            config[keyPath: key] = words
            return nil
        }
    }
}

private func formatBound(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
