import Foundation
import HuracanCore
import Yams

/// Builds the effective configuration: spec defaults < YAML file < environment variables.
///
/// Every problem is collected (unknown keys with a suggestion, wrong types, out-of-range values,
/// inconsistent limits) and reported together in one `ConfigError`.
public struct ConfigLoader {
    /// Prefix of environment overrides: `HURACAN_ENGINE__ACTIVE_COINS=100`.
    public static let environmentPrefix = "HURACAN_ENGINE__"

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads `path`, or the embedded `config/default.yaml` when nil.
    public func load(path: String?) throws(ConfigError) -> EngineConfig {
        let text: String
        let source: String
        if let path {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError(issues: [ConfigIssue(path: "file", value: path, message: "cannot read the configuration file: \(error.localizedDescription)", source: nil)])
            }
            source = path
        } else {
            text = EmbeddedResources.defaultConfig
            source = "embedded default.yaml"
        }
        return try load(yaml: text, source: source)
    }

    /// Loads YAML text; `source` names it in error messages.
    public func load(yaml text: String, source: String) throws(ConfigError) -> EngineConfig {
        var config = EngineConfig()
        var issues: [ConfigIssue] = []
        let fields = ConfigSchema.fields
        let byPath = Dictionary(uniqueKeysWithValues: fields.map { ($0.path, $0) })

        do {
            if let root = try Yams.compose(yaml: text) {
                apply(node: root, prefix: "", fields: byPath, to: &config, issues: &issues, source: source)
            }
        } catch {
            issues.append(ConfigIssue(path: "file", value: nil, message: "is not valid YAML: \(error)", source: source))
        }

        for (name, text) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix(Self.environmentPrefix) {
            let path = name.dropFirst("HURACAN_".count).lowercased().replacingOccurrences(of: "__", with: ".")
            let origin = "environment \(name)"
            guard let field = byPath[path] else {
                issues.append(unknownKey(path, value: .string(text), source: origin))
                continue
            }
            let value = ConfigValue.parse(environment: text)
            if let problem = field.write(&config, value) {
                issues.append(ConfigIssue(path: path, value: shown(value, path), message: "\(problem) (allowed: \(field.allowed))", source: origin))
            }
        }

        issues += ConfigValidator.crossChecks(config)
        if !issues.isEmpty { throw ConfigError(issues: issues) }
        return config
    }

    private func apply(
        node: Node, prefix: String, fields: [String: ConfigField], to config: inout EngineConfig,
        issues: inout [ConfigIssue], source: String
    ) {
        let location = node.mark.map { "\(source):\($0.line)" } ?? source
        guard case .mapping(let mapping) = node else {
            if prefix.isEmpty, case .scalar(let scalar) = node, scalar.string.isEmpty { return }
            issues.append(ConfigIssue(path: prefix.isEmpty ? "file" : prefix, value: nil, message: "expected a mapping of keys", source: location))
            return
        }
        let knownPrefixes = Set(fields.keys.flatMap { path in
            let parts = path.split(separator: ".")
            return (1..<parts.count).map { parts[0..<$0].joined(separator: ".") }
        })
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            let path = prefix.isEmpty ? key : prefix + "." + key
            let keyLocation = keyNode.mark.map { "\(source):\($0.line)" } ?? source
            if let field = fields[path] {
                let value = Self.value(of: valueNode)
                if let problem = field.write(&config, value) {
                    issues.append(ConfigIssue(path: path, value: shown(value, path), message: "\(problem) (allowed: \(field.allowed))", source: keyLocation))
                }
            } else if knownPrefixes.contains(path) {
                if case .scalar(let scalar) = valueNode, scalar.string.isEmpty || Self.value(of: valueNode) == .string("") { continue }
                apply(node: valueNode, prefix: path, fields: fields, to: &config, issues: &issues, source: source)
            } else {
                issues.append(unknownKey(path, value: Self.value(of: valueNode), source: keyLocation))
            }
        }
    }

    private func unknownKey(_ path: String, value: ConfigValue, source: String) -> ConfigIssue {
        let paths = ConfigSchema.fields.map(\.path)
        var message = "unknown key"
        if let guess = Suggestion.closest(to: path, in: paths) ?? paths.first(where: { $0.hasPrefix(path + "_") }) {
            message += " (did you mean \(guess)?)"
        } else if let last = path.split(separator: ".").last, let guess = Suggestion.closest(to: String(last), in: paths.map { String($0.split(separator: ".").last!) }),
                  let full = paths.first(where: { $0.hasSuffix("." + guess) }) {
            message += " (did you mean \(full)?)"
        }
        return ConfigIssue(path: path, value: shown(value, path), message: message, source: source)
    }

    private func shown(_ value: ConfigValue, _ path: String) -> String? {
        if value == .mapping { return nil }
        return looksSecret(path) ? "<redacted>" : redactCredentials(in: value.description)
    }

    static func value(of node: Node) -> ConfigValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if let number = node.int { return .int(number) }
                if let number = node.float { return .double(number) }
                if let flag = node.bool { return .bool(flag) }
                if node.null != nil { return .string("") }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .list(sequence.map { value(of: $0) })
        case .mapping:
            return .mapping
        case .alias:
            return .string("\(node)")
        }
    }
}
