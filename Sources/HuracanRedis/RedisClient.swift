import Foundation
import NIOCore
import NIOPosix
import NIOConcurrencyHelpers
import Synchronization

/// A pool of pipelined connections to one Redis server, with reconnect and backoff.
///
/// A broken connection is replaced on the next call; while a server stays unreachable, calls
/// fail fast with `RedisError.connectionLost` until the backoff delay (doubled per failure, with
/// jitter) has passed, so a dead server is not hammered. Commands are never resent by the
/// client: whether a retry is safe is the caller's decision.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let slots: [SlotBox]
    private let next = Atomic<Int>(0)
    private let shutDown = Atomic<Bool>(false)

    enum Slot {
        case idle(failures: Int, retryAt: ContinuousClock.Instant?)
        case connecting(Task<RedisConnection, any Error>)
        case connected(RedisConnection)
    }

    public init(_ configuration: RedisConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
        self.slots = (0..<configuration.poolSize).map { _ in SlotBox() }
    }

    /// Sends one command on the next pooled connection; error replies throw `.server`.
    @discardableResult
    public func send(_ command: [RESPArgument]) async throws(RedisError) -> RESPValue {
        try await onNextConnection { connection throws(RedisError) in try await connection.send(command) }
    }

    /// Sends commands pipelined in one write on one connection; replies in order, error replies
    /// as `.error` values.
    public func pipeline(_ commands: [[RESPArgument]]) async throws(RedisError) -> [RESPValue] {
        try await onNextConnection { connection throws(RedisError) in try await connection.pipeline(commands) }
    }

    /// `pipeline` returning each reply's bytes unparsed (see `RedisConnection.frames`).
    public func frames(_ commands: [[RESPArgument]]) async throws(RedisError) -> [ByteBuffer] {
        try await onNextConnection { connection throws(RedisError) in try await connection.frames(commands) }
    }

    /// `frames` for commands already written in RESP (see `RedisConnection.frames(encoded:count:name:)`).
    public func frames(encoded: ByteBuffer, count: Int, name: String) async throws(RedisError) -> [ByteBuffer] {
        try await onNextConnection { connection throws(RedisError) in try await connection.frames(encoded: encoded, count: count, name: name) }
    }

    /// Runs `body` on the next pooled connection; a failure that may leave it out of step closes it.
    private func onNextConnection<T: Sendable>(_ body: (RedisConnection) async throws(RedisError) -> T) async throws(RedisError) -> T {
        let connection = try await connection()
        do {
            return try await body(connection)
        } catch {
            noteFailure(error, of: connection)
            throw error
        }
    }

    /// A pooled connection that is up now, without waiting (nil when none is): for callers on
    /// threads of their own, with `RedisConnection.pipelineFuture`.
    public func connectedConnection() -> RedisConnection? {
        guard !shutDown.load(ordering: .relaxed) else { return nil }
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<slots.count {
            let found: RedisConnection? = slots[(start + offset) % slots.count].state.withLockedValue { state in
                if case .connected(let connection) = state, connection.isActive { return connection }
                return nil
            }
            if let found { return found }
        }
        return nil
    }

    /// A connection of its own (not pooled), for blocking commands; the caller closes it.
    public func dedicatedConnection() async throws(RedisError) -> RedisConnection {
        guard !shutDown.load(ordering: .relaxed) else { throw .closed }
        return try await RedisConnection.connect(configuration, on: group.next())
    }

    /// Whether at least one pooled connection is up.
    public var isConnected: Bool {
        slots.contains { slot in slot.state.withLockedValue { if case .connected(let c) = $0 { c.isActive } else { false } } }
    }

    /// Closes every connection; later calls throw `.closed`.
    public func shutdown() {
        shutDown.store(true, ordering: .relaxed)
        for slot in slots {
            slot.state.withLockedValue { state in
                switch state {
                case .connected(let connection): connection.close()
                case .connecting(let task): task.cancel()
                case .idle: break
                }
                state = .idle(failures: 0, retryAt: nil)
            }
        }
    }

    /// The next pooled connection: the round-robin slot's, or when that one is waiting out a
    /// reconnect backoff, the next slot's that is up or connecting (after an outage the slots
    /// reconnect one by one; a command should not fail while one of them is back).
    private func connection() async throws(RedisError) -> RedisConnection {
        guard !shutDown.load(ordering: .relaxed) else { throw .closed }
        let first = next.wrappingAdd(1, ordering: .relaxed).oldValue
        var task: Task<RedisConnection, any Error>?
        var backoff: RedisError?
        for k in 0..<slots.count {
            switch attempt(slots[(first + k) % slots.count]) {
            case .success(let t): task = t
            case .failure(let error): backoff = backoff ?? error
            }
            if task != nil { break }
        }
        guard let task else { throw backoff ?? .connectionLost("\(configuration.address) unreachable") }
        do {
            return try await task.value
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionLost("\(error)")
        }
    }

    /// The slot's connection (up, or being made), or the backoff it is waiting out.
    private func attempt(_ slot: SlotBox) -> Result<Task<RedisConnection, any Error>, RedisError> {
        slot.state.withLockedValue { state in
            switch state {
            case .connected(let connection) where connection.isActive:
                return .success(Task { connection })
            case .connecting(let task):
                return .success(task)
            case .connected:
                return .success(startConnecting(slot, &state, failures: 0))
            case .idle(let failures, let retryAt):
                if let retryAt, ContinuousClock.now < retryAt {
                    let wait = ContinuousClock.now.duration(to: retryAt)
                    let milliseconds = wait.components.seconds * 1_000 + wait.components.attoseconds / 1_000_000_000_000_000
                    return .failure(.connectionLost("\(configuration.address) unreachable; next attempt in \(milliseconds) ms"))
                }
                return .success(startConnecting(slot, &state, failures: failures))
            }
        }
    }

    /// Starts a connection attempt for `slot`; it leaves the slot connected, or idle with a
    /// backoff delay (base x 2^failures, capped, +-20 % jitter).
    private func startConnecting(_ slot: SlotBox, _ state: inout Slot, failures: Int) -> Task<RedisConnection, any Error> {
        let configuration = configuration
        let eventLoop = group.next()
        let task = Task<RedisConnection, any Error> {
            do {
                let connection = try await RedisConnection.connect(configuration, on: eventLoop)
                slot.state.withLockedValue { $0 = .connected(connection) }
                return connection
            } catch {
                let delay = min(configuration.reconnectMaxSeconds, configuration.reconnectBaseSeconds * pow(2, Double(min(failures, 20))))
                let jittered = delay * Double.random(in: 0.8...1.2)
                slot.state.withLockedValue { $0 = .idle(failures: failures + 1, retryAt: .now + .milliseconds(Int(jittered * 1_000))) }
                throw error
            }
        }
        state = .connecting(task)
        return task
    }

    /// A command failed: a connection that may be out of step with its replies is closed, so
    /// the next call reconnects.
    private func noteFailure(_ error: RedisError, of connection: RedisConnection) {
        switch error {
        case .connectionLost, .timeout, .protocolViolation: connection.close()
        default: break
        }
    }
}

/// One pool slot (a class so that the array of slots can hold a lock per slot (NIOLockedValueBox: a pthread mutex ThreadSanitizer can see)).
final class SlotBox: Sendable {
    let state = NIOLockedValueBox(RedisClient.Slot.idle(failures: 0, retryAt: nil))
}
