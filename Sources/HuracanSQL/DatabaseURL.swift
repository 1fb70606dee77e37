import Foundation
import PostgresNIO

/// Where a database lives: `sqlite:PATH` (embedded, the default) or
/// `postgresql://[user@]host[:port]/database[?sslmode=MODE&sslrootcert=FILE]` (a real server,
/// TLS as libpq spells it). Passwords never appear in the URL; they come from an environment
/// variable or a file (`SQLDatabaseHandle.open`).
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, database: String, tls: PostgresTLS)

    public init(_ text: String) throws(SQLDatabaseError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw SQLDatabaseError(.invalidURL, "\(text): sqlite: needs a file path, e.g. sqlite:./data/huracan.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme) else {
            throw SQLDatabaseError(.invalidURL, "\(text): not a database URL (expected postgresql://[user@]host[:port]/database or sqlite:PATH)")
        }
        guard components.password == nil else {
            throw SQLDatabaseError(.invalidURL, "\(scheme)://…: the URL must not contain a password; use model_registry.metadata_db_password_env or _file")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else { throw SQLDatabaseError(.invalidURL, "\(text): names no database (expected postgresql://host/database)") }
        let user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        var tls = PostgresTLS()
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(PostgresTLS.Mode.init(rawValue:)) else {
                    throw SQLDatabaseError(.invalidURL, "\(scheme)://…: sslmode \"\(item.value ?? "")\" is not one of \(PostgresTLS.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls.mode = mode
            case "sslrootcert":
                guard let file = item.value, !file.isEmpty else { throw SQLDatabaseError(.invalidURL, "\(scheme)://…: sslrootcert needs a PEM file path") }
                tls.rootCertificateFile = file
            default:
                throw SQLDatabaseError(.invalidURL, "\(scheme)://…: unknown parameter \"\(item.name)\" (known: sslmode, sslrootcert)")
            }
        }
        self = .postgres(host: components.host ?? "localhost", port: components.port ?? 5432, user: user, database: database, tls: tls)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let user, let database, let tls): "postgresql://\(user)@\(host):\(port)/\(database)\(tls.query)"
        }
    }
}

/// TLS to a PostgreSQL server, with libpq's `sslmode` values: `disable` (plain), `prefer` (TLS
/// when the server offers it, the default), `require` (TLS or fail, certificate not checked),
/// `verify-ca` (the certificate must chain to `sslrootcert`, or the system's authorities),
/// `verify-full` (and name the host).
public struct PostgresTLS: Sendable, Hashable {
    public enum Mode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var mode: Mode = .prefer
    public var rootCertificateFile: String?

    public init(mode: Mode = .prefer, rootCertificateFile: String? = nil) {
        self.mode = mode
        self.rootCertificateFile = rootCertificateFile
    }

    /// The URL query that gives these settings back (empty for the default).
    var query: String {
        var items: [String] = []
        if mode != .prefer { items.append("sslmode=\(mode.rawValue)") }
        if let rootCertificateFile { items.append("sslrootcert=\(rootCertificateFile)") }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }
}

/// A database error: what kind (`cause`, for callers that act on it) and a message naming the
/// database, the operation and, where known, the fix.
public struct SQLDatabaseError: Error, Sendable, CustomStringConvertible {
    public enum Cause: String, Sendable, Hashable {
        /// The database URL or its parameters are wrong.
        case invalidURL
        /// The database (file or server) cannot be reached or opened.
        case unavailable
        /// TLS was asked for and could not be set up or verified.
        case tls
        /// The schema is newer than this build, or a migration failed.
        case schema
        /// The connection was closed by the engine.
        case closed
    }

    public var cause: Cause
    public var message: String
    public init(_ cause: Cause, _ message: String) {
        self.cause = cause
        self.message = message
    }
    public var description: String { message }

    /// A short readable cause for any database error: PostgreSQL's own message and code (its
    /// errors describe themselves as a generic placeholder), else the error's description.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] {
            return "PostgreSQL: \(message) (\(error.serverInfo?[.sqlState] ?? error.code.description))"
        }
        if let underlying = error.underlying { return "PostgreSQL \(error.code.description): \(underlying)" }
        return "PostgreSQL \(error.code.description)"
    }
}
