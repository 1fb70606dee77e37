import HuracanBus
import HuracanCore
import HuracanRedis
import HuracanTestSupport
import Testing

/// The Redis Streams bus against a real redis-server started by each test.
@Suite(.serialized) struct RedisStreamsBusTests {
    func withBus(password: String? = nil, messagesPerEntry: Int = 1, _ body: (RedisStreamsBus, RedisServer) async throws -> Void) async throws {
        let server = try RedisServer.start(password: password)
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port, password: password, reconnectBaseSeconds: 0.01, reconnectMaxSeconds: 0.2))
        defer { client.shutdown() }
        try await body(RedisStreamsBus(client: client, lossyMaxLength: 1_000, maxConsumersPerGroup: 3, messagesPerEntry: messagesPerEntry), server)
    }

    @Test func messagesPublishedTogetherArePackedIntoEntriesAndAcknowledgedOnce() async throws {
        try await withBus(messagesPerEntry: 16) { bus, _ in
            let fills = names.executionsGlobal, orders = names.ordersGlobal
            try await bus.createGroup(stream: fills, group: "pnl")
            // Interleaved: 40 fills and 5 orders in one publish.
            let batch = (0..<45).map { i in i % 9 == 8 ? (stream: orders, message: order(i)) : (stream: fills, message: execution(i)) }
            let ids = try await bus.publish(batch)
            #expect(ids.count == 45)
            #expect(try await bus.info(stream: fills).length == 3, "40 fills in entries of 16, 16 and 8")
            #expect(try await bus.info(stream: orders).length == 1)
            let entries = try await bus.read(streams: [fills], group: "pnl", consumer: "c1", count: 10)
            #expect(entries.compactMap(\.message) == batch.filter { $0.stream == fills }.map(\.message), "every fill, in publish order")
            #expect(entries.map(\.part) == Array(0..<16) + Array(0..<16) + Array(0..<8))
            #expect(entries.map(\.parts) == Array(repeating: 16, count: 32) + Array(repeating: 8, count: 8))
            #expect(entries.map(\.id) == zip(batch, ids).filter { $0.0.stream == fills }.map(\.1), "publish returns each message's entry id")
            #expect(Set(entries.map(\.id)).count == 3)
            #expect(try await bus.ack(stream: fills, group: "pnl", ids: entries.map(\.id)) == 3)
            #expect(try await bus.info(stream: fills).groups["pnl"]?.pending == 0)
        }
    }

    @Test func aConsumerStoppingInsideAnEntryLeavesItPendingWhole() async throws {
        try await withBus(messagesPerEntry: 16) { bus, _ in
            let stream = names.executionsGlobal
            try await bus.createGroup(stream: stream, group: "pnl")
            _ = try await bus.publish((0..<20).map { (stream: stream, message: execution($0)) })
            var first: [BusMessage] = []
            let stopping = RedisStreamConsumer(bus: bus, streams: [stream], group: "pnl", consumer: "a", claimIdleMilliseconds: 60_000)
            try await stopping.run { entry in
                first.append(entry.message!)
                return first.count < 5
            }
            #expect(first.count == 5)
            #expect(try await bus.info(stream: stream).groups["pnl"]?.pending == 2, "the half-handled entry (and the one after it) stay pending")
            try await Task.sleep(for: .milliseconds(20))   // idle longer than claimIdleMilliseconds 10
            var second: [BusMessage] = []
            let taking = RedisStreamConsumer(bus: bus, streams: [stream], group: "pnl", consumer: "b", claimIdleMilliseconds: 10)
            try await taking.run { entry in
                second.append(entry.message!)
                return second.count < 20
            }
            #expect(second == (0..<20).map { execution($0) }, "the claimed entries come back whole, in order")
            #expect(try await bus.info(stream: stream).groups["pnl"]?.pending == 0)
        }
    }

    @Test func atMostOnceReadsLeaveNothingPendingAndAreNeverRedelivered() async throws {
        try await withBus { bus, _ in
            let stream = names.marketData("ETH")
            try await bus.createGroup(stream: stream, group: "dash")
            _ = try await bus.publish((1...5).map { (stream: stream, message: market($0)) })
            let consumer = RedisStreamConsumer(bus: bus, streams: [stream], group: "dash", consumer: "d1", claimIdleMilliseconds: 1, atMostOnce: true)
            var seen: [BusMessage] = []
            try await consumer.run { entry in
                if let message = entry.message { seen.append(message) }
                return seen.count < 5
            }
            #expect(seen == (1...5).map { market($0) })
            #expect(try await bus.info(stream: stream).groups["dash"]?.pending == 0, "NOACK reads keep no pending entries")
            // Another consumer of the group gets nothing again, even with claiming.
            let other = try await bus.claim(stream: stream, group: "dash", consumer: "d2", minIdleMilliseconds: 0, count: 10)
            #expect(other.entries.isEmpty)
            #expect(try await bus.read(streams: [stream], group: "dash", consumer: "d2", count: 10, noAck: true).isEmpty)
        }
    }

    @Test func roundTripOnEveryStream() async throws {
        try await withBus { bus, _ in
            let cases: [(String, BusMessage)] = [
                (names.marketData("BTC"), market(1)), (names.features("DOGE"), featuresMessage(2)), (names.signals("SOL"), signal(3)),
                (names.ordersGlobal, order(4)), (names.ordersGlobal, riskDecision(5)), (names.executionsGlobal, execution(6)),
            ]
            for (stream, _) in cases { try await bus.createGroup(stream: stream, group: "g") }
            #expect(try await bus.createGroup(stream: names.ordersGlobal, group: "g") == false, "a second create reports the existing group")
            let ids = try await bus.publish(cases.map { (stream: $0.0, message: $0.1) })
            #expect(ids.count == cases.count)
            var received: [BusMessage] = []
            for stream in Set(cases.map(\.0)).sorted() {
                let entries = try await bus.read(streams: [stream], group: "g", consumer: "c1", count: 10)
                received += entries.compactMap(\.message)
                #expect(try await bus.ack(stream: stream, group: "g", ids: entries.map(\.id)) == entries.count)
            }
            #expect(Set(received) == Set(cases.map(\.1)))
            let info = try await bus.info(stream: names.ordersGlobal)
            #expect(info.length == 2)
            #expect(info.groups["g"]?.pending == 0)
            #expect(info.groups["g"]?.lag == 0)
        }
    }

    @Test(arguments: [1, 16]) func deadConsumersPendingEntriesAreClaimedByAnother(messagesPerEntry: Int) async throws {
        try await withBus(messagesPerEntry: messagesPerEntry) { bus, _ in
            // Entries of 1 or 16 messages: A takes 60 or 4 entries, acknowledges 25 or 2 of them, then dies.
            let (takeEntries, ackEntries) = messagesPerEntry == 1 ? (60, 25) : (4, 2)
            let (takenMessages, ackedMessages) = (takeEntries * messagesPerEntry, ackEntries * messagesPerEntry)
            let stream = names.ordersGlobal
            try await bus.createGroup(stream: stream, group: "risk")
            _ = try await bus.publish((0..<100).map { (stream: stream, message: order($0)) })
            let taken = try await bus.read(streams: [stream], group: "risk", consumer: "A", count: takeEntries)
            #expect(taken.count == takenMessages)
            try await bus.ack(stream: stream, group: "risk", ids: taken.prefix(ackedMessages).map(\.id))
            var processed: [BusMessage: Int] = [:]
            for entry in taken.prefix(ackedMessages) { processed[entry.message!, default: 0] += 1 }

            // Consumer B reads the rest and, after the idle timeout, claims what A left pending.
            let rest = try await bus.read(streams: [stream], group: "risk", consumer: "B", count: 100)
            #expect(rest.count == 100 - takenMessages)
            #expect(try await bus.claim(stream: stream, group: "risk", consumer: "B", minIdleMilliseconds: 60_000).entries.isEmpty,
                    "nothing is idle long enough yet")
            try await Task.sleep(for: .milliseconds(120))   // idle longer than the claim's 100 ms
            let claimed = try await bus.claim(stream: stream, group: "risk", consumer: "B", minIdleMilliseconds: 100, count: 100)
            let claimedFromA = claimed.entries.filter { entry in taken.contains { $0.id == entry.id } }
            #expect(claimedFromA.count == takenMessages - ackedMessages)
            #expect(claimedFromA.allSatisfy { $0.claimed })
            for entry in rest + claimedFromA { processed[entry.message!, default: 0] += 1 }
            try await bus.ack(stream: stream, group: "risk", ids: (rest + claimedFromA).map(\.id))
            #expect(try await bus.removeConsumer("A", stream: stream, group: "risk") == 0, "A has nothing left pending")

            #expect(processed.count == 100, "none lost")
            #expect(processed.values.allSatisfy { $0 == 1 }, "none processed twice after its ack")
            #expect(try await bus.info(stream: stream).groups["risk"]?.pending == 0)
            #expect(try await bus.claim(stream: stream, group: "risk", consumer: "C", minIdleMilliseconds: 0).entries.isEmpty,
                    "acknowledged entries are never redelivered")
        }
    }

    @Test func restartedRedisLosesNoAcknowledgedMessage() async throws {
        try await withBus { bus, server in
            let stream = names.executionsGlobal
            try await bus.createGroup(stream: stream, group: "pnl")
            var published: [StreamEntryID] = []
            var acknowledged: Set<StreamEntryID> = []
            var processed: [StreamEntryID: Int] = [:]
            for round in 0..<6 {
                if round == 3 {
                    server.kill()
                    await #expect(throws: RedisError.self) { try await bus.publish(execution(999), to: stream) }
                    try server.start()
                }
                // Like any consumer, retry while the pool reconnects after the restart.
                let ids = try await retrying { try await bus.publish((0..<50).map { (stream: stream, message: execution(round * 50 + $0)) }) }
                published += ids
                let entries = try await retrying { try await bus.read(streams: [stream], group: "pnl", consumer: "pnl-1", count: 1_000) }
                for entry in entries { processed[entry.id, default: 0] += 1 }
                _ = try await retrying { try await bus.ack(stream: stream, group: "pnl", ids: entries.map(\.id)) }
                acknowledged.formUnion(entries.map(\.id))
            }
            #expect(acknowledged == Set(published), "every published message was delivered and acknowledged across the restart")
            #expect(processed.values.allSatisfy { $0 == 1 })
            let info = try await bus.info(stream: stream)
            #expect(info.length == published.count)
            #expect(info.groups["pnl"]?.pending == 0, "acknowledgements survived the restart")
        }
    }

    @Test func consumerLimitPerGroup() async throws {
        try await withBus { bus, _ in
            let stream = names.signals("BTC")
            try await bus.createGroup(stream: stream, group: "g")
            for consumer in ["a", "b", "c"] { try await bus.register(consumer: consumer, stream: stream, group: "g") }
            try await bus.register(consumer: "a", stream: stream, group: "g")
            do {
                try await bus.register(consumer: "d", stream: stream, group: "g")
                Issue.record("a fourth consumer was accepted")
            } catch let error as RedisError {
                #expect(error.description.contains("max_consumers_per_group"))
            }
            #expect(try await bus.info(stream: stream).groups["g"]?.consumers == 3)
        }
    }

    @Test func lossyStreamsAreTrimmedApproximately() async throws {
        try await withBus { bus, _ in
            let stream = names.marketData("ETH")
            for chunk in 0..<10 { _ = try await bus.publish((0..<1_000).map { (stream: stream, message: market(chunk * 1_000 + $0)) }) }
            let length = try await bus.info(stream: stream).length
            #expect(length >= 1_000 && length < 2_500, "MAXLEN ~ 1000 keeps about 1000 entries, got \(length)")
        }
    }

    @Test func undecodableEntriesAreHandedOverWithTheirError() async throws {
        try await withBus { bus, _ in
            let stream = names.ordersGlobal
            try await bus.createGroup(stream: stream, group: "g")
            try await bus.client.send(["XADD", .text(stream), "*", "m", "{\"v\":1,\"type\":\"order\""])
            try await bus.client.send(["XADD", .text(stream), "*", "other", "x"])
            try await bus.publish(order(1), to: stream)
            let entries = try await bus.read(streams: [stream], group: "g", consumer: "c", count: 10)
            #expect(entries.count == 3)
            #expect(entries[0].message == nil && entries[1].message == nil)
            #expect(entries[2].message == order(1))
            if case .failure(let error) = entries[0].payload { #expect(error.description.contains("bytes")) }
        }
    }

    @Test func blockingReadWakesOnPublish() async throws {
        try await withBus(password: "pw") { bus, _ in
            let stream = names.ordersGlobal
            try await bus.createGroup(stream: stream, group: "g")
            let connection = try await bus.client.dedicatedConnection()
            defer { connection.close() }
            async let entries = bus.read(streams: [stream], group: "g", consumer: "c", count: 10, blockMilliseconds: 5_000, on: connection)
            #expect(await eventually(.seconds(5)) { ((try? await bus.client.send(["INFO", "clients"]).string) ?? "").contains("blocked_clients:1") },
                    "the read is waiting in Redis")
            try await bus.publish(order(7), to: stream)
            #expect(try await entries.map(\.message) == [order(7)])
            #expect(try await bus.read(streams: [stream], group: "g", consumer: "c", count: 10, blockMilliseconds: 50, on: connection).isEmpty)
        }
    }
}

/// Runs `operation` until it succeeds (at most about 5 s), as a client does across a restart.
func retrying<T>(_ operation: () async throws -> T) async throws -> T {
    for _ in 0..<250 {
        if let value = try? await operation() { return value }
        try await Task.sleep(for: .milliseconds(20))   // retry interval
    }
    return try await operation()
}
