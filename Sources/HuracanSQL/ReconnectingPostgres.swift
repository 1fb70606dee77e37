import Foundation
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection that comes back by itself: when the server restarted or the network
/// dropped it, the next statement connects again (one attempt; a failure is that statement's
/// error). Statements run on the one connection in the order they are sent, as before.
/// `PostgresKit`'s `sql()` turns it into the `SQLDatabase` the registry and journal use.
final class ReconnectingPostgres: PostgresDatabase {
    let configuration: PostgresConnection.Configuration
    let eventLoop: any EventLoop
    let logger: Logger
    private let keeper: Keeper

    init(first: PostgresConnection, configuration: PostgresConnection.Configuration, eventLoop: any EventLoop, logger: Logger) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        keeper = Keeper(connection: first)
    }

    /// The open connection, connecting again when the last one closed.
    func connection() async throws -> PostgresConnection {
        try await keeper.connection { [configuration, eventLoop, logger] attempt, id in
            // Logged once per outage: every statement meanwhile tries (and fails) again.
            if attempt == 1 { logger.warning("PostgreSQL connection lost: connecting again on each use until the server is back") }
            let connection = try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: id, logger: logger)
            logger.notice("PostgreSQL connection restored (after \(attempt) attempts)")
            return connection
        }
    }

    func send(_ request: any PostgresRequest, logger: Logger) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.connection() }.flatMap { $0.send(request, logger: logger) }
    }

    func withConnection<T>(_ closure: @escaping (PostgresConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        eventLoop.makeFutureWithTask { try await self.connection() }.flatMap(closure)
    }

    func close() async throws {
        try await keeper.close()
    }

    /// The current connection and the one reconnect in flight (callers that arrive meanwhile
    /// wait for it instead of opening their own).
    private actor Keeper {
        var current: PostgresConnection?
        var pending: Task<PostgresConnection, any Error>?
        /// Failed attempts of the current outage, and connections opened so far (their ids).
        var attempts = 0
        var opened = 1
        var closed = false

        init(connection: PostgresConnection) { current = connection }

        func connection(_ connect: @escaping @Sendable (_ attempt: Int, _ id: Int) async throws -> PostgresConnection) async throws -> PostgresConnection {
            if let current, !current.isClosed { return current }
            guard !closed else { throw SQLDatabaseError(.closed, "the PostgreSQL connection was closed by the engine") }
            if let pending { return try await pending.value }
            attempts += 1
            opened += 1
            let task = Task { [attempts, opened] in try await connect(attempts, opened) }
            pending = task
            defer { pending = nil }
            let connection = try await task.value
            current = connection
            attempts = 0
            return connection
        }

        func close() async throws {
            closed = true
            if let current, !current.isClosed { try await current.close() }
        }
    }
}
