import HuracanBus
import HuracanRedis
import HuracanTestSupport
import NIOCore
import NIOPosix
import Testing

@Suite(.serialized) struct RedisClientTests {
    @Test func commandsAndPipelining() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port))
        defer { client.shutdown() }
        try await client.send(["SET", "greeting", "hello"])
        #expect(try await client.send(["GET", "greeting"]).string == "hello")
        #expect(try await client.send(["GET", "missing"]).isNull)
        let replies = try await client.pipeline(Array(repeating: ["INCR", "counter"], count: 1_000))
        #expect(replies.last?.int == 1_000)
        await #expect(throws: RedisError.self) { try await client.send(["NOSUCHCOMMAND"]) }
        // An error reply inside a pipeline does not hide the other replies.
        let mixed = try await client.pipeline([["GET", "greeting"], ["INCR", "greeting"], ["GET", "greeting"]])
        #expect(mixed[0].string == "hello")
        if case .error = mixed[1] {} else { Issue.record("expected an error reply, got \(mixed[1])") }
        #expect(mixed[2].string == "hello")
    }

    /// A reply of many megabytes arrives in many reads; it is parsed once (incrementally), well
    /// within the command timeout.
    @Test func largeRepliesAreParsedIncrementally() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port, commandTimeoutSeconds: 10))
        defer { client.shutdown() }
        let value = String(repeating: "v", count: 40)
        for chunk in 0..<5 {
            _ = try await client.pipeline([["RPUSH", "big"] + (0..<10_000).map { i in .text("\(value)-\(chunk * 10_000 + i)") }])
        }
        let reply = try await client.send(["LRANGE", "big", "0", "-1"])
        #expect(reply.array?.count == 50_000)
        #expect(reply.array?.last?.string == "\(value)-49999")
    }

    @Test func authenticatesAndNeverShowsThePassword() async throws {
        let server = try RedisServer.start(password: "s3cret-pass")
        defer { server.stop() }
        let good = RedisClient(RedisConfiguration(port: server.port, password: "s3cret-pass"))
        defer { good.shutdown() }
        #expect(try await good.send(["PING"]).string == "PONG")

        let wrong = RedisClient(RedisConfiguration(port: server.port, password: "not-it"))
        defer { wrong.shutdown() }
        do {
            try await wrong.send(["PING"])
            Issue.record("wrong password accepted")
        } catch {
            guard case .authenticationFailed = error else { Issue.record("unexpected \(error)"); return }
            #expect(!error.description.contains("not-it"))
        }
        #expect(!"\(RedisConfiguration(port: server.port, password: "s3cret-pass"))".contains("s3cret"))

        let none = RedisClient(RedisConfiguration(port: server.port))
        defer { none.shutdown() }
        await #expect(throws: RedisError.self) { try await none.send(["GET", "x"]) }
    }

    @Test func connectsOverTLSWithTheConfiguredCA() async throws {
        let server = try RedisServer.start(password: "tls-pass", tls: true)
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port, password: "tls-pass", tls: true, tlsCAFile: server.caFile))
        defer { client.shutdown() }
        try await client.send(["SET", "k", "over tls"])
        #expect(try await client.send(["GET", "k"]).string == "over tls")

        let untrusted = RedisClient(RedisConfiguration(port: server.port, password: "tls-pass", tls: true, poolSize: 1))
        defer { untrusted.shutdown() }
        await #expect(throws: RedisError.self, "a certificate from an unknown CA is refused") { try await untrusted.send(["PING"]) }
        let plain = RedisClient(RedisConfiguration(port: server.port, password: "tls-pass", poolSize: 1, commandTimeoutSeconds: 1))
        defer { plain.shutdown() }
        await #expect(throws: RedisError.self, "plain text to a TLS port fails") { try await plain.send(["PING"]) }
    }

    @Test func reconnectsAfterTheServerRestarts() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port, poolSize: 1, reconnectBaseSeconds: 0.01, reconnectMaxSeconds: 0.1))
        defer { client.shutdown() }
        try await client.send(["SET", "k", "1"])
        server.kill()
        await #expect(throws: RedisError.self) { try await client.send(["GET", "k"]) }
        #expect(!client.isConnected)
        try server.start()
        var value: String?
        for _ in 0..<100 {
            if let v = try? await client.send(["GET", "k"]).string { value = v; break }
            try await Task.sleep(for: .milliseconds(20))   // retry interval
        }
        #expect(value == "1", "append-only file kept the write and the client reconnected")
        #expect(client.isConnected)
    }

    @Test func unreachableServerFailsFastWithBackoff() async throws {
        let port = try FreePorts.take()
        let client = RedisClient(RedisConfiguration(port: port, poolSize: 1, reconnectBaseSeconds: 1))
        defer { client.shutdown() }
        await #expect(throws: RedisError.self) { try await client.send(["PING"]) }
        do {
            try await client.send(["PING"])
        } catch {
            #expect(error.description.contains("next attempt in"), "\(error)")
        }
    }

    /// A server that answers every command with `reply` bytes.
    func withGarbageServer(_ reply: String, _ body: (Int) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Replier(reply: reply)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        try await body(channel.localAddress!.port!)
    }

    @Test(arguments: ["?garbage\r\n", "$5\r\nab\r\n\r\n", ":12x\r\n"])
    func malformedRepliesAreErrorsNotCrashes(reply: String) async throws {
        try await withGarbageServer(reply) { port in
            let client = RedisClient(RedisConfiguration(port: port, poolSize: 1, commandTimeoutSeconds: 1))
            defer { client.shutdown() }
            do {
                try await client.send(["GET", "x"])
                Issue.record("malformed reply accepted")
            } catch let error as RedisError {
                #expect(isConnectionProblem(error), "\(error)")
            }
        }
    }

    /// XREADGROUP replies are read in place: a reply of the wrong shape, broken RESP, a bad
    /// entry id or an error reply is an error naming the command, never a crash.
    @Test(arguments: [
        ("*1\r\n*2\r\n:5\r\n*0\r\n", "unexpected reply to XREADGROUP"),
        ("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$5\r\nnotid\r\n*0\r\n", "unexpected reply to XREADGROUP"),
        ("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*3\r\n$3\r\n1-1\r\n*0\r\n+x\r\n", "unexpected reply to XREADGROUP"),
        ("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n?x\r\n", "malformed reply"),
        ("-NOGROUP No such key 's'\r\n", "NOGROUP"),
    ])
    func malformedStreamRepliesAreErrorsNotCrashes(reply: String, expected: String) async throws {
        try await withGarbageServer(reply) { port in
            let client = RedisClient(RedisConfiguration(port: port, poolSize: 1, commandTimeoutSeconds: 1))
            defer { client.shutdown() }
            let bus = RedisStreamsBus(client: client)
            do {
                _ = try await bus.read(streams: ["s"], group: "g", consumer: "c", count: 10)
                Issue.record("malformed reply accepted")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test func truncatedReplyTimesOut() async throws {
        try await withGarbageServer("$10\r\nabc") { port in
            let client = RedisClient(RedisConfiguration(port: port, poolSize: 1, commandTimeoutSeconds: 0.3))
            defer { client.shutdown() }
            do {
                try await client.send(["GET", "x"])
                Issue.record("truncated reply accepted")
            } catch let error as RedisError {
                guard case .timeout = error else { Issue.record("expected a timeout, got \(error)"); return }
            }
        }
    }
}

/// Whether `error` is one a broken peer should produce (never a crash, never a value).
func isConnectionProblem(_ error: RedisError) -> Bool {
    switch error {
    case .protocolViolation, .connectionLost, .timeout: true
    default: false
    }
}

/// Answers the connection's PING, then replies to the next command with fixed (broken) bytes.
final class Replier: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: String
    var answered = 0
    init(reply: String) { self.reply = reply }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        answered += 1
        let bytes = answered == 1 ? "+PONG\r\n" : answered == 2 ? reply : ""
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: bytes)), promise: nil)
    }
}
