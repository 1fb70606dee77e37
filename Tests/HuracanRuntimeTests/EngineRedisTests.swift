import Foundation
import HuracanBus
import HuracanConfig
import HuracanCore
import HuracanRedis
@testable import HuracanRuntime
import HuracanTestSupport
import Testing

/// The engine on Redis Streams: while Redis is away it opens nothing (the shared ledger is out
/// of reach) but keeps what it must publish, and after Redis is back every order reaches it.
@Suite(.serialized) struct EngineRedisTests {
    @Test func engineKeepsItsCoinsSafeWhileRedisIsAwayAndLosesNoOrder() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        var config = try testConfig(activeCoins: 6, perLoop: 3)
        config.messageBus.type = "redis_streams"
        config.messageBus.host = "127.0.0.1"
        config.messageBus.port = server.port
        let link = try await RedisLink.connect(config: config, universe: try EngineRunner.processUniverse(config).0, logger: quiet)
        defer { link.shutdown() }
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, redis: link, logger: quiet)
        let sync = Task { await link.run() }

        func run(minutes: Int) async {
            let until = engine.now + .seconds(Int64(minutes) * 60)
            let running = ThreadHandOff(engine) // the test waits for the thread before touching the engine
            await onThread { running.value.run(until: until, pacing: .asFastAsPossible, statusInterval: 3_600) }
        }
        func unavailable() -> Int { engine.risk.snapshot().decisions[.block]?[.sharedLedgerUnavailable] ?? 0 }

        await run(minutes: 20)
        let before = engine.totals()
        #expect(before.riskApproved > 0, "trades opened with Redis up")
        #expect(unavailable() == 0)

        server.kill()
        await run(minutes: 20)
        let during = engine.totals()
        #expect(during.riskApproved + during.riskThrottled == before.riskApproved + before.riskThrottled, "no entry without the shared ledger")
        #expect(unavailable() > 0, "entries were blocked as shared_ledger_unavailable")
        #expect(!link.health.connected)

        try server.start()
        var resumed = false
        for _ in 0..<40 where !resumed {
            await run(minutes: 2)
            resumed = engine.totals().riskApproved > during.riskApproved
            if !resumed { try await Task.sleep(for: .milliseconds(250)) }   // poll interval
        }
        #expect(resumed, "entries resume once Redis is back")
        sync.cancel()
        await sync.value

        let bus = RedisStreamsBus(client: link.client)
        let names = StreamName(prefix: config.messageBus.streamPrefix)
        try await bus.createGroup(stream: names.ordersGlobal, group: "audit", fromStart: true)
        let entries = try await bus.read(streams: [names.ordersGlobal], group: "audit", consumer: "a", count: 1_000_000)
        let orders = entries.filter { if case .order = $0.message { true } else { false } }
        // At least once: a batch cut off by the kill is sent again, so an order may appear twice
        // (consumers dedupe by client_order_id); none may be missing.
        let unique = Set(orders.compactMap { if case .order(let o) = $0.message { o.clientOrderID } else { nil } })
        #expect(unique.count == engine.totals().ordersSent, "every order the engine sent is on orders:global, across the outage")
        #expect(orders.count - unique.count <= 2_048, "only a batch in flight at the kill can be sent twice")
    }
}
