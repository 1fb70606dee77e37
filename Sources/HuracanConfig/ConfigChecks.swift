import Foundation
import HuracanCore

// Checks on single string values; each returns the problem in words, or nil.

func nonEmpty(_ text: String) -> String? { text.isEmpty ? "must not be empty" : nil }

func hostName(_ text: String) -> String? {
    guard !text.isEmpty else { return "must not be empty" }
    let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:_".contains($0)) }
    return allowed ? nil : "is not a valid host name or IP address"
}

func identifier(_ text: String) -> String? {
    guard !text.isEmpty else { return "must not be empty" }
    return text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) ? nil : "may only contain letters, digits, _ and -"
}

func environmentName(_ text: String) -> String? {
    guard let first = text.first, first.isLetter || first == "_" else { return "must be an environment variable name (letters, digits, _)" }
    return text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) ? nil : "must be an environment variable name (letters, digits, _)"
}

func date(_ text: String) -> String? { UTCDate(parsing: text) == nil ? "is not a valid date (YYYY-MM-DD)" : nil }

/// The parts of a URL the engine needs; deliberately strict.
struct ParsedURL: Equatable {
    var scheme: String
    var user: String?
    var password: String?
    var host: String
    var port: Int?
    var path: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        var rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        path = String(rest[authorityEnd...])
        rest = authority
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
            authority = authority[authority.index(after: at)...]
        }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(number) else { return nil }
            port = number
            authority = authority[..<colon]
        }
        host = String(authority)
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0 == "+" }), hostName(host) == nil else { return nil }
    }
}

func url(_ schemes: [String]) -> (String) -> String? {
    { text in
        guard let parsed = ParsedURL(text) else { return "is not a valid URL (expected \(schemes.joined(separator: " or "))://host[:port][/path])" }
        guard schemes.contains(parsed.scheme) else { return "must use \(schemes.joined(separator: " or ")), not \(parsed.scheme)" }
        return parsed.password == nil ? nil : "must not contain a password; use the *_env or *_file keys"
    }
}

func databaseURL(_ text: String) -> String? {
    if text.hasPrefix("sqlite:") {
        return text.dropFirst("sqlite:".count).isEmpty ? "sqlite: needs a file path, e.g. sqlite:./data/huracan.sqlite" : nil
    }
    guard let parsed = ParsedURL(text), ["postgresql", "postgres"].contains(parsed.scheme), parsed.path.count > 1 else {
        return "is not a valid database URL (expected postgresql://[user@]host[:port]/database or sqlite:PATH)"
    }
    if parsed.password != nil { return "must not contain a password; use model_registry.metadata_db_password_env or _file" }
    let query = parsed.path.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
    for item in query.split(separator: "&") {
        let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
        switch pair[0] {
        case "sslmode":
            let modes = ["disable", "prefer", "require", "verify-ca", "verify-full"]
            if pair.count < 2 || !modes.contains(pair[1]) { return "sslmode must be one of \(modes.joined(separator: ", "))" }
        case "sslrootcert":
            if pair.count < 2 || pair[1].isEmpty { return "sslrootcert needs a PEM file path" }
        default:
            return "has an unknown parameter \"\(pair[0])\" (known: sslmode, sslrootcert)"
        }
    }
    return nil
}

func rayAddress(_ text: String) -> String? {
    if text.isEmpty { return nil }
    let candidate = text.contains("://") ? text : "ray://" + text
    guard let parsed = ParsedURL(candidate), parsed.scheme == "ray" || parsed.scheme == "http" else {
        return "is not a valid Ray address (expected ray://host:port or host:port)"
    }
    return nil
}
