import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit

/// An open SQL database, SQLite or PostgreSQL, behind one `SQLDatabase` interface: the model
/// registry and the order journal use the same code on both and ask `dialect` only for the few
/// type names and casts that differ.
public final class SQLDatabaseHandle: Sendable {
    public enum Dialect: String, Sendable { case sqlite, postgresql }

    public let url: DatabaseURL
    public let dialect: Dialect
    public let sql: any SQLDatabase
    /// The PostgreSQL connection, connected again after a restart; nil with SQLite.
    let postgres: ReconnectingPostgres?
    private let sqlite: SQLiteConnection?

    private init(url: DatabaseURL, sql: any SQLDatabase, postgres: ReconnectingPostgres?, sqlite: SQLiteConnection?) {
        self.url = url
        self.sql = sql
        self.postgres = postgres
        self.sqlite = sqlite
        dialect = postgres == nil ? .sqlite : .postgresql
    }

    /// Opens the database at `url`. A SQLite file and its folder are created when missing; a
    /// PostgreSQL password is read from `password` (resolved by the caller from env or file).
    public static func open(url: DatabaseURL, password: String? = nil, logger: Logger = Logger(label: "huracan.sql")) async throws -> SQLDatabaseHandle {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        switch url {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw SQLDatabaseError(.unavailable, "\(url): cannot create the folder \(folder.path): \(error.localizedDescription)")
            }
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: eventLoop).get()
            } catch {
                throw SQLDatabaseError(.unavailable, "\(url): cannot open the SQLite file: \(error)")
            }
            let handle = SQLDatabaseHandle(url: url, sql: connection.sql(queryLogLevel: .trace), postgres: nil, sqlite: connection)
            // Several processes (engine, CLI) share the file: wait for locks rather than fail.
            try await handle.sql.raw("PRAGMA busy_timeout = 10000").run()
            try await handle.sql.raw("PRAGMA journal_mode = WAL").run()
            return handle
        case .postgres(let host, let port, let user, let database, let tls):
            let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database,
                                                                 tls: try postgresTLS(tls, url: url))
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 1, logger: logger)
            } catch let error as PSQLError where error.code == .sslUnsupported {
                throw SQLDatabaseError(.tls, "\(url): the server does not offer TLS, and sslmode \(tls.mode.rawValue) requires it (enable ssl on the server, or use sslmode=prefer)")
            } catch let error as PSQLError where error.underlying is NIOSSLError || error.underlying is BoringSSLError {
                throw SQLDatabaseError(.tls, "\(url): the TLS handshake failed: \(error.underlying.map { String(describing: $0) } ?? "unknown"). "
                                       + "Check sslrootcert (the authority that signed the server's certificate) and, with verify-full, that the host matches the certificate")
            } catch {
                throw SQLDatabaseError(.unavailable, "\(url): cannot connect: \(String(reflecting: error)). Is the server running and the database created (createdb \(database))?")
            }
            let database = ReconnectingPostgres(first: connection, configuration: configuration, eventLoop: eventLoop, logger: logger)
            return SQLDatabaseHandle(url: url, sql: database.sql(queryLogLevel: .trace), postgres: database, sqlite: nil)
        }
    }

    /// PostgresNIO's TLS setting for libpq's `sslmode`.
    static func postgresTLS(_ tls: PostgresTLS, url: DatabaseURL) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls.mode {
        case .disable: return .disable
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let file = tls.rootCertificateFile {
            guard FileManager.default.isReadableFile(atPath: file) else { throw SQLDatabaseError(.tls, "\(url): cannot read sslrootcert \(file)") }
            configuration.trustRoots = .file(file)
        }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw SQLDatabaseError(.tls, "\(url): the TLS settings cannot be used: \(error)")
        }
        return tls.mode == .prefer ? .prefer(context) : .require(context)
    }

    /// Opens `text` (`sqlite:PATH` or `postgresql://...`).
    public static func open(_ text: String, password: String? = nil, logger: Logger = Logger(label: "huracan.sql")) async throws -> SQLDatabaseHandle {
        try await open(url: DatabaseURL(text), password: password, logger: logger)
    }

    public func close() async throws {
        if let postgres { try await postgres.close() }
        if let sqlite { try await sqlite.close().get() }
    }

    /// Runs `body` with the database open, closing it afterwards whatever happens.
    public static func with<T>(_ text: String, password: String? = nil, logger: Logger = Logger(label: "huracan.sql"),
                               _ body: (SQLDatabaseHandle) async throws -> T) async throws -> T {
        let handle = try await open(text, password: password, logger: logger)
        do {
            let result = try await body(handle)
            try await handle.close()
            return result
        } catch {
            try? await handle.close()
            throw error
        }
    }

    // MARK: dialect

    /// The column type of a JSON document: JSONB in PostgreSQL, TEXT in SQLite.
    public var jsonType: String { dialect == .postgresql ? "JSONB" : "TEXT" }
    /// The column type of a UTC time: TIMESTAMPTZ in PostgreSQL; SQLite stores seconds as REAL.
    public var timestampType: String { dialect == .postgresql ? "TIMESTAMPTZ" : "TIMESTAMP" }
    /// The column type of a 64-bit float.
    public var doubleType: String { dialect == .postgresql ? "DOUBLE PRECISION" : "REAL" }

    /// A bound JSON text as a value of the JSON column type.
    public func json(_ text: String) -> SQLQueryString {
        dialect == .postgresql ? "CAST(\(bind: text) AS JSONB)" : "\(bind: text)"
    }
}

extension SQLDatabaseHandle {
    /// PostgreSQL LISTEN on `channel`: calls `body` with each notification's payload until the
    /// task is cancelled. When the connection is lost it listens again once the server is back
    /// (retrying every `retry`, logged once per outage), and calls `resumed` so the caller can
    /// catch up on what it missed. `listening` is called each time LISTEN is in place (a readiness
    /// signal). Returns at once with SQLite (no notifications).
    public func listen(channel: String, retry: Duration = .seconds(1), listening: @Sendable () -> Void = {},
                       resumed: @Sendable () async -> Void = {}, _ body: @Sendable (String) async -> Void) async throws {
        guard let postgres else { return }
        var lost = false
        while !Task.isCancelled {
            var reason = "the connection closed"
            do {
                let notifications = try await postgres.connection().listen(channel)
                listening()
                if lost {
                    postgres.logger.notice("listening on \(channel) again")
                    lost = false
                    await resumed()
                }
                for try await notification in notifications { await body(notification.payload) }
            } catch where !Task.isCancelled {
                reason = SQLDatabaseError.describe(error)
            }
            if Task.isCancelled { break }
            if !lost { postgres.logger.warning("LISTEN \(channel) lost (\(reason)): listening again when PostgreSQL is back") }
            lost = true
            try await Task.sleep(for: retry)
        }
    }
}
