import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (optionally TLS) connection to Redis. Commands are pipelined: many may be in flight,
/// replies are matched in order. A command without a reply within the timeout closes the
/// connection (pipelined replies cannot be re-matched after one is lost).
public final class RedisConnection: Sendable {
    let channel: any Channel
    let commandTimeout: TimeAmount

    init(channel: any Channel, commandTimeout: TimeAmount) {
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    /// Connects, authenticates when a password is configured, and checks the server with PING.
    public static func connect(
        _ configuration: RedisConfiguration, on eventLoop: any EventLoop
    ) async throws(RedisError) -> RedisConnection {
        let sslContext: NIOSSLContext?
        if configuration.tls {
            do {
                var tls = TLSConfiguration.makeClientConfiguration()
                if let file = configuration.tlsCAFile { tls.trustRoots = .file(file) }
                sslContext = try NIOSSLContext(configuration: tls)
            } catch {
                throw .connectionLost("TLS set-up failed: \(error)")
            }
        } else {
            sslContext = nil
        }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(Int64(configuration.connectTimeoutSeconds * 1_000)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        // SNI takes names only; an IP address is checked against the certificate's IP entries.
                        let isAddress = configuration.host.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: isAddress ? nil : configuration.host)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler())
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            throw .connectionLost("cannot connect to \(configuration.address): \(error)")
        }
        let connection = RedisConnection(channel: channel, commandTimeout: .milliseconds(Int64(configuration.commandTimeoutSeconds * 1_000)))
        do throws(RedisError) {
            if let password = configuration.password {
                var auth: [RESPArgument] = ["AUTH"]
                if let user = configuration.username { auth.append(.text(user)) }
                auth.append(.text(password))
                do {
                    _ = try await connection.send(auth)
                } catch .server(let message) {
                    throw RedisError.authenticationFailed(message)
                }
            }
            let pong = try await connection.send(["PING"])
            guard pong.string == "PONG" else { throw RedisError.unexpectedReply(command: "PING", reply: pong.description) }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    public var isActive: Bool { channel.isActive }

    /// Sends one command; a Redis error reply throws `RedisError.server`.
    @discardableResult
    public func send(_ command: [RESPArgument]) async throws(RedisError) -> RESPValue {
        let reply = try await pipeline([command])[0]
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }

    /// Sends commands in one write and returns their replies in order. Error replies are
    /// returned as `.error` values, not thrown, so one failed command does not hide the others.
    public func pipeline(_ commands: [[RESPArgument]]) async throws(RedisError) -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await Self.awaiting(pipelineFuture(commands))
    }

    /// `pipeline` as a future completed on the connection's event loop: for callers on threads
    /// of their own that must not wait on Swift's cooperative pool.
    public func pipelineFuture(_ commands: [[RESPArgument]]) -> EventLoopFuture<[RESPValue]> {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        submit(.arguments(commands), .values(promise), timeout: true)
        return promise.futureResult
    }

    /// Sends commands in one write and returns each reply's bytes, unparsed (a complete, checked
    /// RESP value each), for callers that read large replies in place with `RESPReader`.
    /// `timeout: false` is for blocking reads (XREADGROUP BLOCK) whose wait is the point.
    public func frames(_ commands: [[RESPArgument]], timeout: Bool = true) async throws(RedisError) -> [ByteBuffer] {
        guard !commands.isEmpty else { return [] }
        return try await frames(.arguments(commands), timeout: timeout)
    }

    /// `frames` for `count` commands already written in RESP into `encoded` (see
    /// `RESPEncoder.writeArrayHeader` and `writeBulk`); `name` names them in errors.
    public func frames(encoded: ByteBuffer, count: Int, name: String) async throws(RedisError) -> [ByteBuffer] {
        guard count > 0 else { return [] }
        return try await frames(.encoded(encoded, count: count, name: name), timeout: true)
    }

    private func frames(_ commands: RedisCommandBatch.Commands, timeout: Bool) async throws(RedisError) -> [ByteBuffer] {
        let promise = channel.eventLoop.makePromise(of: [ByteBuffer].self)
        submit(commands, .frames(promise), timeout: timeout)
        return try await Self.awaiting(promise.futureResult)
    }

    /// Writes a batch; with `timeout`, a batch unanswered within the command timeout fails and
    /// closes the connection (its later replies could not be matched any more).
    private func submit(_ commands: RedisCommandBatch.Commands, _ replies: RedisCommandBatch.Replies, timeout: Bool) {
        if timeout {
            let scheduled = channel.eventLoop.scheduleTask(in: commandTimeout) { [channel, commandTimeout] in
                replies.fail(RedisError.timeout(command: Self.name(of: commands), seconds: Double(commandTimeout.nanoseconds) / 1e9))
                channel.close(promise: nil)
            }
            switch replies {
            case .values(let promise): promise.futureResult.whenComplete { _ in scheduled.cancel() }
            case .frames(let promise): promise.futureResult.whenComplete { _ in scheduled.cancel() }
            }
        }
        channel.writeAndFlush(RedisCommandBatch(commands: commands, replies: replies), promise: nil)
    }

    private static func awaiting<T: Sendable>(_ future: EventLoopFuture<T>) async throws(RedisError) -> T {
        do {
            return try await future.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw .connectionLost("\(error)")
        }
    }

    public func close() {
        channel.close(promise: nil)
    }

    static func name(of commands: RedisCommandBatch.Commands) -> String {
        switch commands {
        case .arguments(let arguments): name(of: arguments)
        case .encoded(_, let count, let name): count == 1 ? name : "\(name) (+\(count - 1) pipelined)"
        }
    }

    static func name(of commands: [[RESPArgument]]) -> String {
        guard let first = commands.first?.first else { return "(empty)" }
        let name: String
        switch first {
        case .text(let text): name = text
        default: name = "(binary)"
        }
        return commands.count == 1 ? name : "\(name) (+\(commands.count - 1) pipelined)"
    }
}
