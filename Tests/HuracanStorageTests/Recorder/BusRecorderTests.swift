import Foundation
import HuracanBus
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing

@Suite struct BusRecorderTests {
    @Test func recordsEveryKindFromTheBusWithBoundedMemoryAndFlushesOnStop() throws {
        let bus = InProcessBus(capacityPerStream: 100_000, maxConsumersPerGroup: 4, clock: { 0 })
        let lake = DataLake(root: TestPaths.temporaryDirectory("recorder"))
        var configuration = BusRecorder.Configuration.engine(prefix: "huracan", coins: ["BTC", "ETH"])
        configuration.flushRows = 300
        configuration.batchSize = 100
        configuration.flushInterval = .seconds(3_600)
        let recorder = BusRecorder(bus: bus as any MessageBus, lake: lake, configuration: configuration)
        recorder.start()
        let names = StreamName(prefix: "huracan")
        let book = RecordSamples.book(1_000), trades = RecordSamples.trades(500), funding = RecordSamples.funding(50)
        for r in book {
            _ = bus.publish(.market(MarketMessage(coin: r.coin, venue: r.venue, kind: .book, time: r.time, bid: r.top.bidPrice, bidSize: r.top.bidSize,
                                                  ask: r.top.askPrice, askSize: r.top.askSize)), to: names.marketData(r.coin))
        }
        for r in trades {
            _ = bus.publish(.market(MarketMessage(coin: r.coin, venue: r.venue, kind: .trade, time: r.time, price: r.price, size: r.size, aggressor: r.side)),
                            to: names.marketData(r.coin))
        }
        for r in funding {
            _ = bus.publish(.market(MarketMessage(coin: r.coin, venue: r.venue, kind: r.isSettlement ? .fundingSettlement : .funding, time: r.time,
                                                  price: r.markPrice, size: r.rate)), to: names.marketData(r.coin))
        }
        for r in RecordSamples.features(200) { _ = bus.publish(.features(FeaturesMessage(coin: r.coin, time: r.time, features: r.features)), to: names.features(r.coin)) }
        for r in RecordSamples.signals(100) { _ = bus.publish(.signal(r.message), to: names.signals(r.coin)) }
        for r in RecordSamples.orders(100) { _ = bus.publish(.order(r.message), to: names.ordersGlobal) }
        for r in RecordSamples.fills(100) { _ = bus.publish(.execution(ExecutionMessage(r.fill)), to: names.executionsGlobal) }
        recorder.stop()
        let stats = recorder.stats
        #expect(stats.writeErrors == 0, "\(stats.lastError ?? "")")
        #expect(stats.rowsWritten == 1_000 + 500 + 50 + 200 + 100 + 100 + 100)
        #expect(stats.flushes >= 5)
        // Bounded: never much more than flushRows plus one read batch in memory.
        #expect(stats.maxBuffered <= 300 + 100)
        #expect(try lake.read(BookRecord.self).count == 1_000)
        #expect(Set(try lake.read(TradeRecord.self)) == Set(trades.map { var t = $0; t.tradeID = nil; return t }))
        #expect(try lake.read(FundingRecord.self).count == 50)
        #expect(try lake.read(FeaturesRecord.self).count == 200)
        #expect(Set(try lake.read(ModelSignalRecord.self)) == Set(RecordSamples.signals(100)))
        #expect(Set(try lake.read(OrderRecord.self)) == Set(RecordSamples.orders(100)))
        #expect(Set(try lake.read(FillRecord.self)) == Set(RecordSamples.fills(100)))
        // Everything acknowledged: nothing pending in the recorder's group.
        for stream in configuration.streams {
            let pending = try bus.read(stream: stream, group: configuration.group, consumer: "check", max: 10)
            #expect(pending.isEmpty, "\(stream)")
        }
    }

    @Test func publishingNeverWaitsForASlowRecorder() throws {
        let bus = InProcessBus(capacityPerStream: 1_000, maxConsumersPerGroup: 4, clock: { 0 })
        let lake = DataLake(root: TestPaths.temporaryDirectory("recorder"))
        var configuration = BusRecorder.Configuration(streams: [StreamName().marketData("BTC")])
        configuration.flushRows = 100_000
        // Not started: the recorder's group exists but nobody reads. Market data conflates;
        // publishing still returns at once.
        _ = BusRecorder(bus: bus, lake: lake, configuration: configuration)
        let clock = ContinuousClock()
        let start = clock.now
        for r in RecordSamples.book(20_000) where r.coin == "BTC" {
            let result = bus.publish(.market(MarketMessage(coin: r.coin, venue: r.venue, kind: .book, time: r.time)), to: StreamName().marketData("BTC"))
            #expect(result != .backpressure)
        }
        #expect(clock.now - start < .seconds(5))
    }
}
