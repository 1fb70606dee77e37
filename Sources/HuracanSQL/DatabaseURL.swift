import Foundation

/// Where a database lives: `sqlite:PATH` (embedded, the default) or
/// `postgresql://[user@]host[:port]/database` (a real server). Passwords never appear in the
/// URL; they come from an environment variable or a file (`SQLDatabaseHandle.open`).
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, database: String)

    public init(_ text: String) throws(SQLDatabaseError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw SQLDatabaseError("\(text): sqlite: needs a file path, e.g. sqlite:./data/huracan.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme) else {
            throw SQLDatabaseError("\(text): not a database URL (expected postgresql://[user@]host[:port]/database or sqlite:PATH)")
        }
        guard components.password == nil else {
            throw SQLDatabaseError("\(scheme)://…: the URL must not contain a password; use model_registry.metadata_db_password_env or _file")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else { throw SQLDatabaseError("\(text): names no database (expected postgresql://host/database)") }
        let user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self = .postgres(host: components.host ?? "localhost", port: components.port ?? 5432, user: user, database: database)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let user, let database): "postgresql://\(user)@\(host):\(port)/\(database)"
        }
    }
}

/// A database error whose message names the database, the operation and, where known, the fix.
public struct SQLDatabaseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
