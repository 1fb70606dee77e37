import Foundation
import HuracanBus
import HuracanCore
import HuracanRedis
import HuracanStorage
import HuracanTestSupport
import Testing

/// The recorder on Redis Streams, against a real redis-server started by each test.
@Suite(.serialized) struct RedisBusRecorderTests {
    static let names = StreamName(prefix: "huracan")

    static func messages() -> [(stream: String, message: BusMessage)] {
        var out: [(stream: String, message: BusMessage)] = []
        for r in RecordSamples.book(600) {
            out.append((names.marketData(r.coin), .market(MarketMessage(coin: r.coin, venue: r.venue, kind: .book, time: r.time, bid: r.top.bidPrice,
                                                                        bidSize: r.top.bidSize, ask: r.top.askPrice, askSize: r.top.askSize))))
        }
        for r in RecordSamples.features(100) { out.append((names.features(r.coin), .features(FeaturesMessage(coin: r.coin, time: r.time, features: r.features)))) }
        for r in RecordSamples.orders(80) { out.append((names.ordersGlobal, .order(r.message))) }
        for r in RecordSamples.fills(70) { out.append((names.executionsGlobal, .execution(ExecutionMessage(r.fill)))) }
        return out
    }

    /// Everything published to Redis is written to the lake and acknowledged; rows read by a
    /// recorder that died before writing them are taken over by the next one.
    @Test func recordsRedisStreamsAndTakesOverWhatADeadRecorderLeft() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(RedisConfiguration(port: server.port, reconnectBaseSeconds: 0.01, reconnectMaxSeconds: 0.2))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client)
        var configuration = BusRecorder.Configuration.engine(prefix: "huracan", coins: RecordSamples.coins)
        configuration.flushRows = 250
        configuration.batchSize = 100
        configuration.flushInterval = .seconds(3_600)
        // A first recorder read 100 entries of the orders stream and died before writing them.
        for stream in configuration.streams { _ = try await bus.createGroup(stream: stream, group: configuration.group, fromStart: true) }
        let all = Self.messages()
        _ = try await bus.publish(all)
        let lost = try await bus.read(streams: [Self.names.ordersGlobal], group: configuration.group, consumer: configuration.consumer, count: 50)
        #expect(lost.count == 50)

        let lake = DataLake(root: TestPaths.temporaryDirectory("redis-recorder"))
        let recorder = RedisBusRecorder(bus: bus, lake: lake, configuration: configuration, blockMilliseconds: 50)
        let running = Task { try await recorder.run() }
        // More arrives while it runs.
        let later = RecordSamples.fills(90).suffix(20).map { (stream: Self.names.executionsGlobal, message: BusMessage.execution(ExecutionMessage($0.fill))) }
        let taken = { recorder.stats.rowsWritten + recorder.stats.buffered }
        #expect(await eventually(.seconds(20)) { taken() == all.count }, "the recorder took over and read what was there: \(taken())")
        _ = try await bus.publish(Array(later))
        #expect(await eventually(.seconds(20)) { taken() == all.count + later.count }, "and what came while it ran: \(taken())")
        recorder.stop()
        try await running.value

        let stats = recorder.stats
        #expect(stats.writeErrors == 0, "\(stats.lastError ?? "")")
        #expect(stats.rowsWritten == all.count + later.count)
        #expect(stats.flushes >= 3, "flushed at 250 rows and at stop")
        // Bounded: the flush size plus one read (the batch spread over the streams).
        #expect(stats.maxBuffered <= 250 + 100)
        #expect(try lake.read(BookRecord.self).count == 600)
        #expect(try lake.read(FeaturesRecord.self).count == 100)
        #expect(Set(try lake.read(OrderRecord.self)) == Set(RecordSamples.orders(80)))
        #expect(try lake.read(FillRecord.self).count == 90)
        for stream in configuration.streams {
            let info = try await bus.info(stream: stream)
            #expect(info.groups[configuration.group]?.pending ?? 0 == 0, "\(stream) has entries left pending")
        }
    }
}
