/// One problem found in the configuration: where, what was given, and what is allowed.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    /// Key path, e.g. `engine.risk.per_coin_max_exposure_pct`.
    public var path: String
    /// The offending value as text (already redacted for secret-looking keys), if any.
    public var value: String?
    public var message: String
    /// Where it came from: `file.yaml:12` or `environment HURACAN_ENGINE__...`.
    public var source: String?

    public init(path: String, value: String?, message: String, source: String?) {
        self.path = path
        self.value = value
        self.message = message
        self.source = source
    }

    public var description: String {
        var text = path
        if let value { text += " = \(value)" }
        if let source { text += " (\(source))" }
        return text + ": " + message
    }
}

/// All problems of a configuration at once, so a user fixes them in one pass.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }

    public var description: String {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return "configuration has \(count):\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Keys whose values are secrets by their name: never echo such a value back.
func looksSecret(_ path: String) -> Bool {
    let last = path.split(separator: ".").last.map(String.init)?.lowercased() ?? path.lowercased()
    if last.hasSuffix("_env") || last.hasSuffix("_file") { return false }
    return ["key", "secret", "password", "passphrase", "token"].contains { last.contains($0) }
}
