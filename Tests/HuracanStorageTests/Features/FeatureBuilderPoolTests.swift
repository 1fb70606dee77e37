import Foundation
import HuracanBus
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing

@Suite struct FeatureBuilderPoolTests {
    /// Market data of three coins for `seconds` of event time: a book top every 100 ms and a
    /// trade every 300 ms, on a random walk.
    static func marketData(coins: [String], seconds: Int) -> [String: [MarketMessage]] {
        var out: [String: [MarketMessage]] = [:]
        let start = UTCDate(year: 2025, month: 1, day: 27).start.nanoseconds
        for (c, coin) in coins.enumerated() {
            var random = SplitMix(seed: UInt64(c + 11))
            var mid = 100.0 * Double(c + 1)
            var messages: [MarketMessage] = []
            for i in 0..<(seconds * 10) {
                mid *= 1 + (random.uniform() - 0.5) * 0.002
                let t = Timestamp(nanoseconds: start + Int64(i) * 100_000_000 + Int64(c))
                messages.append(MarketMessage(coin: coin, venue: .binance, kind: .book, time: t, bid: mid - 0.01, bidSize: random.uniform() * 4,
                                              ask: mid + 0.01, askSize: random.uniform() * 4))
                if i % 3 == 0 {
                    messages.append(MarketMessage(coin: coin, venue: .binance, kind: .trade, time: t + .milliseconds(1), price: mid, size: random.uniform(),
                                                  aggressor: random.uniform() < 0.5 ? .buy : .sell))
                }
            }
            out[coin] = messages
        }
        return out
    }

    /// What one FeatureState per coin gives, sequentially: one row per coin per second of event time.
    static func expected(_ data: [String: [MarketMessage]]) -> [FeaturesRecord] {
        var rows: [FeaturesRecord] = []
        for (coin, messages) in data {
            var state = FeatureState()
            var next = Int64.min
            for m in messages {
                state.update(m.event(coinIndex: 0))
                guard m.time.nanoseconds >= next, state.bookUpdates > 0 else { continue }
                next = (m.time.nanoseconds / 1_000_000_000 + 1) * 1_000_000_000
                rows.append(FeaturesRecord(time: m.time, coin: coin, features: state.features()))
            }
        }
        return rows
    }

    /// Raw data -> bus -> two workers -> features published on `features:{coin}` and stored in
    /// the lake through the recorder, equal to computing them sequentially.
    @Test func workersTurnMarketDataIntoPublishedAndStoredFeatures() throws {
        let coins = ["BTC", "ETH", "SOL"]
        let bus = InProcessBus(capacityPerStream: 100_000, maxConsumersPerGroup: 4, clock: { 0 })
        let names = StreamName(prefix: "huracan")
        let lake = DataLake(root: TestPaths.temporaryDirectory("features"))
        var recording = BusRecorder.Configuration(streams: [])
        recording.flushRows = 1_000
        recording.flushInterval = .seconds(3_600)
        let recorder = BusRecorder(bus: bus as any MessageBus, lake: lake, configuration: recording)
        var configuration = FeatureBuilderPool.Configuration(coins: coins, prefix: "huracan")
        configuration.workers = 2
        configuration.batchSize = 64
        let pool = FeatureBuilderPool(bus: bus as any MessageBus, configuration: configuration, recorder: recorder)
        // A downstream consumer (the signal side) listens on the features streams.
        for coin in coins { bus.createGroup(stream: names.features(coin), group: "signals", fromStart: true) }
        recorder.start()
        pool.start()
        let data = Self.marketData(coins: coins, seconds: 150)
        // Publishers interleave coins, as the engine does round by round.
        for i in 0..<data["BTC"]!.count {
            for coin in coins where i < data[coin]!.count { _ = bus.publish(.market(data[coin]![i]), to: names.marketData(coin)) }
        }
        pool.stop()
        recorder.stop()

        let expected = Self.expected(data)
        let stats = pool.stats
        #expect(stats.consumed == data.values.reduce(0) { $0 + $1.count })
        #expect(stats.published == expected.count)
        #expect(stats.stored == expected.count && stats.storeRefused == 0)
        // Published: one per coin per second, the same values as sequential computation.
        var published: [FeaturesRecord] = []
        for coin in coins {
            for delivery in try bus.read(stream: names.features(coin), group: "signals", consumer: "s", max: 10_000) {
                guard case .features(let m) = delivery.message else { continue }
                published.append(FeaturesRecord(m))
            }
        }
        #expect(published.count == 3 * 150)
        let key: (FeaturesRecord) -> String = { "\($0.coin)/\($0.time.nanoseconds)" }
        #expect(Dictionary(uniqueKeysWithValues: published.map { (key($0), $0) }) == Dictionary(uniqueKeysWithValues: expected.map { (key($0), $0) }))
        // Stored in the features dataset, partitioned by coin and day.
        let stored = try lake.read(FeaturesRecord.self)
        #expect(Dictionary(uniqueKeysWithValues: stored.map { (key($0), $0) }) == Dictionary(uniqueKeysWithValues: expected.map { (key($0), $0) }))
        #expect(Set(lake.partitions(kinds: [.features]).map(\.coin)) == Set(coins))
        // Everything consumed was acknowledged.
        for coin in coins {
            #expect(bus.stats(stream: names.marketData(coin)).groups[configuration.group]?.pending == 0)
        }
    }

    /// A recorder whose inbox is full refuses rows instead of blocking the builders.
    @Test func aFullRecorderInboxRefusesWithoutBlocking() {
        let bus = InProcessBus(capacityPerStream: 100, maxConsumersPerGroup: 4, clock: { 0 })
        var recording = BusRecorder.Configuration(streams: [])
        recording.flushRows = 10
        let recorder = BusRecorder(bus: bus as any MessageBus, lake: DataLake(root: TestPaths.temporaryDirectory("features")), configuration: recording)
        let row = FeaturesRecord(time: Timestamp(nanoseconds: 1), coin: "BTC", features: Features())
        #expect(recorder.record(features: Array(repeating: row, count: 8)))
        #expect(!recorder.record(features: Array(repeating: row, count: 8)))
    }
}
