import Foundation
/// Prints the effective configuration as YAML, with secrets redacted.
public enum ConfigRenderer {
    public static func yaml(_ config: EngineConfig) -> String {
        var lines: [String] = []
        var open: [Substring] = []
        for field in ConfigSchema.fields {
            let parts = field.path.split(separator: ".")
            let parents = parts.dropLast()
            var common = 0
            while common < min(open.count, parents.count), open[common] == parents[parents.startIndex + common] { common += 1 }
            open = Array(open.prefix(common))
            for part in parents.dropFirst(common) {
                lines.append(String(repeating: "  ", count: open.count) + part + ":")
                open.append(part)
            }
            let value = redacted(field.path, field.value(in: config).yamlText)
            lines.append(String(repeating: "  ", count: open.count) + parts.last! + ": " + value)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Markdown reference of every key: path, default, allowed values, meaning, environment name.
    public static func reference() -> String {
        let defaults = EngineConfig()
        var text = "| key | default | allowed | meaning |\n|---|---|---|---|\n"
        for field in ConfigSchema.fields {
            let value = field.value(in: defaults).yamlText.replacingOccurrences(of: "|", with: "\\|")
            text += "| `\(field.path)` | `\(value)` | \(field.allowed) | \(field.doc) |\n"
        }
        return text
    }

    static func redacted(_ path: String, _ text: String) -> String {
        looksSecret(path) ? "\"<redacted>\"" : redactCredentials(in: text)
    }
}

/// Replaces the password of any `scheme://user:password@host` in `text` with `***`.
func redactCredentials(in text: String) -> String {
    guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
          let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
    return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
}

extension ConfigValue {
    /// YAML spelling of the value.
    var yamlText: String {
        switch self {
        case .string(let text): "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .list(let items): "[" + items.map(\.yamlText).joined(separator: ", ") + "]"
        case .double(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) + ".0" : String(value)
        default: description
        }
    }
}
