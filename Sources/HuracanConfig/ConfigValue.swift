import Foundation

/// A configuration value as read from YAML or the environment, before it is typed.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case list([ConfigValue])
    /// A mapping where a single value was expected (for error messages).
    case mapping

    public var description: String {
        switch self {
        case .int(let value): String(value)
        case .double(let value): formatNumber(value)
        case .bool(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .mapping: "a mapping"
        }
    }

    /// Parses an environment variable: numbers, booleans, `[a, b]` or `a,b` lists, else a string.
    static func parse(environment text: String) -> ConfigValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
            let inner = trimmed.dropFirst().dropLast()
            if inner.trimmingCharacters(in: .whitespaces).isEmpty { return .list([]) }
            return .list(inner.split(separator: ",").map { parse(environment: String($0)) })
        }
        if trimmed.contains(","), !trimmed.hasPrefix("\"") {
            return .list(trimmed.split(separator: ",").map { parse(environment: String($0)) })
        }
        if let value = Int(trimmed) { return .int(value) }
        if let value = Double(trimmed) { return .double(value) }
        switch trimmed.lowercased() {
        case "true", "yes", "on": return .bool(true)
        case "false", "no", "off": return .bool(false)
        default: break
        }
        if trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"") && trimmed.count >= 2 {
            return .string(String(trimmed.dropFirst().dropLast()))
        }
        return .string(trimmed)
    }
}

func formatNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) + ".0" : String(value)
}
