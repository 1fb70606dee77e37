import HuracanBus
import HuracanCore
import Testing

private func makeBus(capacity: Int = 100, consumers: Int = 10, clock: TestClock = TestClock()) -> InProcessBus {
    InProcessBus(capacityPerStream: capacity, maxConsumersPerGroup: consumers, clock: clock.read)
}

@Suite("In-process bus")
struct InProcessBusTests {
    static let specStreams: [(String, @Sendable (Int) -> BusMessage)] = [
        (names.marketData("BTC"), { market($0) }),
        (names.features("BTC"), { featuresMessage($0) }),
        (names.signals("BTC"), { signal($0) }),
        (names.ordersGlobal, { order($0) }),
        (names.executionsGlobal, { execution($0) }),
    ]

    @Test(arguments: 0..<5)
    func publishReadAckRoundTripOnEverySpecStream(_ index: Int) throws {
        let (stream, make) = Self.specStreams[index]
        let bus = makeBus()
        #expect(bus.createGroup(stream: stream, group: "g"))
        #expect(!bus.createGroup(stream: stream, group: "g"), "second create is a no-op")
        let sent = (1...5).map(make)
        for (i, message) in sent.enumerated() { #expect(bus.publish(message, to: stream) == .published(id: UInt64(i + 1))) }
        let got = try bus.read(stream: stream, group: "g", consumer: "c1", max: 10)
        #expect(got.map(\.message) == sent)
        #expect(got.map(\.id) == [1, 2, 3, 4, 5])
        #expect(got.allSatisfy { $0.deliveryCount == 1 })
        #expect(try bus.read(stream: stream, group: "g", consumer: "c1", max: 10).isEmpty)
        #expect(bus.stats(stream: stream).groups["g"]?.pending == 5)
        #expect(try bus.ack(stream: stream, group: "g", ids: got.map(\.id) + [99]) == 5)
        let stats = bus.stats(stream: stream)
        #expect(stats.length == 0 && stats.published == 5 && stats.groups["g"]?.pending == 0 && stats.groups["g"]?.lag == 0)
        // Messages survive the wire format too.
        for d in got { #expect(try BusCodec.decode(BusCodec.encode(d.message)) == d.message) }
    }

    @Test func unknownGroupIsAnError() {
        let bus = makeBus()
        #expect(throws: BusError.noSuchGroup(stream: "s", group: "g")) { try bus.read(stream: "s", group: "g", consumer: "c", max: 1) }
        _ = bus.publish(order(1), to: "s")
        #expect(throws: BusError.noSuchGroup(stream: "s", group: "g")) { try bus.ack(stream: "s", group: "g", ids: [1]) }
    }

    @Test func groupsStartAtNextEntryUnlessFromStart() throws {
        let bus = makeBus()
        let s = names.ordersGlobal
        for i in 1...3 { _ = bus.publish(order(i), to: s) }
        #expect(bus.stats(stream: s).length == 3, "kept while no group exists")
        bus.createGroup(stream: s, group: "all", fromStart: true)
        bus.createGroup(stream: s, group: "new")
        _ = bus.publish(order(4), to: s)
        #expect(try bus.read(stream: s, group: "all", consumer: "a", max: 10).map(\.id) == [1, 2, 3, 4])
        #expect(try bus.read(stream: s, group: "new", consumer: "n", max: 10).map(\.id) == [4])
    }

    @Test func groupCreatedAtTheEndReleasesEntriesNobodyWants() throws {
        let bus = makeBus(capacity: 3)
        let s = names.ordersGlobal
        for i in 1...3 { _ = bus.publish(order(i), to: s) }
        #expect(bus.publish(order(4), to: s) == .backpressure)
        bus.createGroup(stream: s, group: "g")
        #expect(bus.stats(stream: s).length == 0)
        #expect(bus.publish(order(4), to: s) == .published(id: 4))
    }

    @Test func everyGroupGetsEveryMessageOnceAcrossItsConsumers() throws {
        let bus = makeBus()
        let s = names.executionsGlobal
        bus.createGroup(stream: s, group: "pnl")
        bus.createGroup(stream: s, group: "audit")
        for i in 1...50 { _ = bus.publish(execution(i), to: s) }
        var seen: [UInt64] = []
        var turn = 0
        while true {
            let consumer = "c\(turn % 3)"
            turn += 1
            let batch = try bus.read(stream: s, group: "pnl", consumer: consumer, max: 7)
            if batch.isEmpty { break }
            seen += batch.map(\.id)
            try bus.ack(stream: s, group: "pnl", ids: batch.map(\.id))
        }
        #expect(seen == Array(1...50))
        #expect(bus.stats(stream: s).length == 50, "still needed by the audit group")
        #expect(bus.stats(stream: s).groups["audit"]?.lag == 50)
        let audit = try bus.read(stream: s, group: "audit", consumer: "a", max: 100)
        #expect(audit.map(\.id) == Array(1...50))
        try bus.ack(stream: s, group: "audit", ids: audit.map(\.id))
        #expect(bus.stats(stream: s).length == 0)
    }

    @Test func deadConsumerEntriesAreClaimedAfterIdleTimeAndNoneLost() throws {
        let clock = TestClock()
        let bus = makeBus(clock: clock)
        let s = names.ordersGlobal
        bus.createGroup(stream: s, group: "risk")
        for i in 1...10 { _ = bus.publish(order(i), to: s) }
        let dead = try bus.read(stream: s, group: "risk", consumer: "dead", max: 4)  // 1...4, never acked
        let alive = try bus.read(stream: s, group: "risk", consumer: "alive", max: 3)  // 5...7
        try bus.ack(stream: s, group: "risk", ids: alive.map(\.id))
        #expect(dead.map(\.id) == [1, 2, 3, 4])

        clock.advance(1_000_000_000)
        #expect(try bus.claim(stream: s, group: "risk", consumer: "alive", minIdleNanoseconds: 5_000_000_000, now: clock.value, max: 10).isEmpty)
        clock.advance(5_000_000_000)
        let claimed = try bus.claim(stream: s, group: "risk", consumer: "alive", minIdleNanoseconds: 5_000_000_000, now: clock.value, max: 3)
        #expect(claimed.map(\.id) == [1, 2, 3])
        #expect(claimed.allSatisfy { $0.deliveryCount == 2 })
        #expect(claimed.map(\.message) == dead.prefix(3).map(\.message))
        // Freshly claimed entries are not idle again at once.
        let rest = try bus.claim(stream: s, group: "risk", consumer: "alive", minIdleNanoseconds: 5_000_000_000, now: clock.value, max: 10)
        #expect(rest.map(\.id) == [4])
        try bus.ack(stream: s, group: "risk", ids: (claimed + rest).map(\.id))
        let tail = try bus.read(stream: s, group: "risk", consumer: "alive", max: 10)
        #expect(tail.map(\.id) == [8, 9, 10])
        try bus.ack(stream: s, group: "risk", ids: tail.map(\.id))

        clock.advance(100_000_000_000)
        #expect(try bus.claim(stream: s, group: "risk", consumer: "alive", minIdleNanoseconds: 0, now: clock.value, max: 10).isEmpty,
                "nothing is delivered again after ack")
        let stats = bus.stats(stream: s)
        #expect(stats.length == 0)
        #expect(stats.groups["risk"] == {
            var g = StreamStats.Group()
            g.consumers = 2; g.delivered = 10; g.acknowledged = 10; g.claimed = 4
            return g
        }())
    }

    @Test func losslessBackpressureLosesNothing() throws {
        let bus = makeBus(capacity: 8)
        let s = names.ordersGlobal
        bus.createGroup(stream: s, group: "g")
        var next = 1, published = 0, delivered: [BusMessage] = [], sent: [BusMessage] = []
        func publishUntilBackpressure() {
            while true {
                let message = order(next)
                let result = bus.publish(message, to: s)
                if result == .backpressure { return }
                #expect(result == .published(id: UInt64(next)))
                sent.append(message)
                next += 1
                published += 1
            }
        }
        publishUntilBackpressure()
        #expect(published == 8)
        // Delivered but unacked entries still hold their place.
        let first = try bus.read(stream: s, group: "g", consumer: "c", max: 5)
        #expect(bus.publish(order(next), to: s) == .backpressure)
        try bus.ack(stream: s, group: "g", ids: first.map(\.id))
        delivered += first.map(\.message)
        publishUntilBackpressure()
        #expect(published == 13)
        while true {
            let batch = try bus.read(stream: s, group: "g", consumer: "c", max: 3)
            if batch.isEmpty { break }
            delivered += batch.map(\.message)
            try bus.ack(stream: s, group: "g", ids: batch.map(\.id))
        }
        #expect(delivered == sent)
        let stats = bus.stats(stream: s)
        #expect(stats.published == 13 && stats.conflated == 0 && stats.backpressure == 3 && stats.length == 0)
    }

    @Test func lossyStreamsConflateOldestAndCountLostEntries() throws {
        let bus = makeBus(capacity: 4)
        let s = names.marketData("BTC")
        // No group: oldest entries make room.
        for i in 1...4 { #expect(bus.publish(market(i), to: s) == .published(id: UInt64(i))) }
        #expect(bus.publish(market(5), to: s) == .conflated(id: 5))
        #expect(bus.stats(stream: s).conflated == 1 && bus.stats(stream: s).length == 4)

        bus.createGroup(stream: s, group: "features", fromStart: true)
        let first = try bus.read(stream: s, group: "features", consumer: "f", max: 2)  // 2, 3 pending
        #expect(first.map(\.id) == [2, 3])
        for i in 6...9 { #expect(bus.publish(market(i), to: s) == .conflated(id: UInt64(i))) }
        // Dropped 2, 3 (pending: delivered, not lost) then 4, 5 (never read: lost to the group).
        let stats = bus.stats(stream: s)
        #expect(stats.conflated == 5 && stats.length == 4 && stats.published == 9)
        #expect(stats.groups["features"]?.conflatedUnread == 2)
        #expect(stats.groups["features"]?.pending == 0)
        #expect(stats.groups["features"]?.lag == 4)
        #expect(try bus.ack(stream: s, group: "features", ids: [2, 3]) == 0, "conflated entries are no longer pending")
        let rest = try bus.read(stream: s, group: "features", consumer: "f", max: 10)
        #expect(rest.map(\.id) == [6, 7, 8, 9])
        #expect(rest.map(\.message) == (6...9).map { market($0) })
        try bus.ack(stream: s, group: "features", ids: rest.map(\.id))
        #expect(bus.stats(stream: s).length == 0)
    }

    @Test func maxConsumersPerGroupIsEnforced() throws {
        let clock = TestClock()
        let bus = makeBus(consumers: 2, clock: clock)
        let s = names.signals("ETH")
        bus.createGroup(stream: s, group: "g")
        bus.createGroup(stream: s, group: "other")
        _ = bus.publish(signal(1), to: s)
        _ = try bus.read(stream: s, group: "g", consumer: "a", max: 1)
        _ = try bus.read(stream: s, group: "g", consumer: "b", max: 1)
        _ = try bus.read(stream: s, group: "g", consumer: "a", max: 1)  // known consumer: fine
        let refused = BusError.tooManyConsumers(stream: s, group: "g", consumer: "c", limit: 2)
        #expect(throws: refused) { try bus.read(stream: s, group: "g", consumer: "c", max: 1) }
        #expect(throws: refused) { try bus.claim(stream: s, group: "g", consumer: "c", minIdleNanoseconds: 0, now: 0, max: 1) }
        #expect(refused.description.contains("max_consumers_per_group"))
        _ = try bus.read(stream: s, group: "other", consumer: "c", max: 1)  // limit is per group
        #expect(bus.stats(stream: s).groups["g"]?.consumers == 2)
        // Removing a dead consumer frees its place; its pending entry stays claimable.
        #expect(try bus.removeConsumer(stream: s, group: "g", consumer: "a") == 1)
        let claimed = try bus.claim(stream: s, group: "g", consumer: "c", minIdleNanoseconds: 0, now: clock.value, max: 5)
        #expect(claimed.map(\.id) == [1])
    }

    @Test func statsReportLagAndPending() throws {
        let bus = makeBus()
        let s = names.ordersGlobal
        bus.createGroup(stream: s, group: "g")
        for i in 1...10 { _ = bus.publish(order(i), to: s) }
        #expect(bus.stats(stream: s).groups["g"]?.lag == 10)
        let batch = try bus.read(stream: s, group: "g", consumer: "c", max: 4)
        var g = try #require(bus.stats(stream: s).groups["g"])
        #expect(g.lag == 6 && g.pending == 4 && g.delivered == 4)
        try bus.ack(stream: s, group: "g", ids: [batch[1].id, batch[3].id])  // out of order
        g = try #require(bus.stats(stream: s).groups["g"])
        #expect(g.lag == 6 && g.pending == 2 && g.acknowledged == 2)
        #expect(bus.stats(stream: s).length == 8)
        #expect(bus.stats(stream: s).lastID == 10)
        #expect(bus.stats(stream: "never-used") == StreamStats())
    }

    @Test func batchPublishKeepsOrderAndStopsAtBackpressure() throws {
        let bus = makeBus(capacity: 5)
        let stream = names.ordersGlobal
        #expect(bus.createGroup(stream: stream, group: "g"))
        let sent = (1...8).map { order($0) }
        let first = bus.publish(batch: sent, to: stream)
        #expect(first == BatchPublishResult(published: 5, conflated: 0, backpressure: true))
        let got = try bus.read(stream: stream, group: "g", consumer: "c", max: 10)
        #expect(got.map(\.message) == Array(sent.prefix(5)))
        _ = try bus.ack(stream: stream, group: "g", ids: got.map(\.id))
        // The caller retries the refused tail, in order: nothing lost, nothing twice.
        let second = bus.publish(batch: sent[5...], to: stream)
        #expect(second == BatchPublishResult(published: 3, conflated: 0, backpressure: false))
        #expect(try bus.read(stream: stream, group: "g", consumer: "c", max: 10).map(\.message) == Array(sent[5...]))

        let lossy = makeBus(capacity: 3)
        let result = lossy.publish(batch: (1...5).map { market($0) }, to: names.marketData("BTC"))
        #expect(result == BatchPublishResult(published: 5, conflated: 2, backpressure: false))
    }
}
