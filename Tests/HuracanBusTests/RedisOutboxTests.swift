import HuracanBus
import HuracanCore
import HuracanRedis
import HuracanTestSupport
import Testing

/// The engine's buffer in front of Redis: never blocks, keeps orders and executions while Redis
/// is away (within its bound), conflates market data, and sends everything once Redis is back.
@Suite(.serialized) struct RedisOutboxTests {
    @Test func buffersWhileRedisIsDownAndFlushesAfter() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port, poolSize: 1, reconnectBaseSeconds: 0.01, reconnectMaxSeconds: 0.05))
        defer { client.shutdown() }
        let outbox = RedisOutbox(bus: RedisStreamsBus(client: client, lossyMaxLength: 100_000), capacity: 500)
        #expect(outbox.publish(batch: (0..<10).map { order($0) }, to: names.ordersGlobal) == BatchPublishResult(published: 10))
        #expect(try await outbox.flush() == 10)
        #expect(outbox.status.connected)

        server.kill()
        let orders = outbox.publish(batch: (10..<110).map { order($0) }, to: names.ordersGlobal)
        let published = outbox.publish(batch: (0..<2_000).map { market($0) }, to: names.marketData("BTC"))
        #expect(orders == BatchPublishResult(published: 100))
        #expect(published.published == 2_000 && published.conflated == 1_500, "market data keeps the newest 500")
        await #expect(throws: RedisError.self) { try await outbox.flush() }
        #expect(!outbox.status.connected)
        #expect(outbox.status.queuedLossless == 100 && outbox.status.queuedLossy == 500)

        try server.start()
        #expect(await outbox.drain(timeout: .seconds(10)))
        #expect(try await client.send(["XLEN", .text(names.ordersGlobal)]).int == 110, "no order lost across the outage")
        #expect(try await client.send(["XLEN", .text(names.marketData("BTC"))]).int == 500)
        let bus = RedisStreamsBus(client: client)
        try await bus.createGroup(stream: names.ordersGlobal, group: "check", fromStart: true)
        let entries = try await bus.read(streams: [names.ordersGlobal], group: "check", consumer: "c", count: 1_000)
        #expect(entries.compactMap(\.message) == (0..<110).map { order($0) }, "in publish order")
        try await bus.createGroup(stream: names.marketData("BTC"), group: "check", fromStart: true)
        let ticks = try await bus.read(streams: [names.marketData("BTC")], group: "check", consumer: "c", count: 1_000)
        #expect(ticks.compactMap(\.message) == (1_500..<2_000).map { market($0) }, "the newest 500 ticks, in order")
    }

    @Test func fullBufferPushesBackOnOrdersInsteadOfDropping() async throws {
        let client = RedisClient(RedisConfiguration(port: try FreePorts.take(), poolSize: 1))
        defer { client.shutdown() }
        let outbox = RedisOutbox(bus: RedisStreamsBus(client: client), capacity: 10)
        let result = outbox.publish(batch: (0..<15).map { execution($0) }, to: names.executionsGlobal)
        #expect(result == BatchPublishResult(published: 10, conflated: 0, backpressure: true))
        #expect(outbox.status.queuedLossless == 10 && outbox.status.backpressure == 1)
        #expect(outbox.mayHaveReaders(names.signals("BTC")))
    }
}
