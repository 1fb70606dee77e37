import Foundation
import HuracanBus
import HuracanCore
import Logging

/// The engine's side of the message bus: after every round the coordinator publishes the
/// round's orders (with the trade and reason behind each), risk throttles and blocks
/// (`orders:global`), fills (`executions:global`), signals (`signals:{coin}`), the latest book
/// top of each coin that changed (`market_data:{coin}`) and each coin's features once per
/// second (`features:{coin}`). Per-coin streams are published only while someone may read them.
///
/// Orders and executions are never dropped: a publish refused with backpressure stays queued
/// here and is retried first next round. On the in-process bus the engine's own audit consumer
/// group reads and acknowledges `orders:global` and `executions:global`, so an embedded engine
/// with no other consumer does not fill its streams; other consumers join with their own
/// groups. With Redis (`remote`), everything goes to its outbox instead.
final class EngineBus {
    static let auditGroup = "huracan-audit"

    /// The in-process bus (embedded default; in-process consumers such as the recorder).
    let bus: InProcessBus
    /// The Redis Streams outbox when `message_bus.type` is `redis_streams`.
    let remote: RedisOutbox?
    let names: StreamName
    private let logger: Logger
    private var retry: [(stream: String, message: BusMessage)] = []
    private(set) var backpressured = 0
    /// Per coin (universe index): time of the last book top and features published.
    private var lastMarket: [Int64]
    private var lastFeatures: [Int64]
    /// Per coin (universe index): its `market_data` and `features` stream names, made once
    /// (every coin's, every round, was a string built twice).
    private var coinStreams: [(market: String, features: String)?]

    init(bus: InProcessBus, remote: RedisOutbox? = nil, remoteStatistics: (@Sendable () -> [(stream: String, stats: StreamStats)])? = nil,
         prefix: String, coinCount: Int, logger: Logger) {
        self.bus = bus
        self.remote = remote
        self.remoteStatistics = remoteStatistics
        self.names = StreamName(prefix: prefix)
        self.logger = logger
        lastMarket = [Int64](repeating: 0, count: coinCount)
        lastFeatures = [Int64](repeating: 0, count: coinCount)
        coinStreams = Array(repeating: nil, count: coinCount)
        if remote == nil {
            for stream in [names.ordersGlobal, names.executionsGlobal] {
                _ = bus.createGroup(stream: stream, group: Self.auditGroup, fromStart: true)
            }
        }
    }

    private var publisher: any BusPublisher { remote ?? bus }

    /// The latest book top of each coin whose book changed since the last round, and its
    /// features once per second of market time.
    func marketMessages(coin index: Int, named coin: String, venue: VenueID, features state: borrowing FeatureState,
                        into queue: inout [(stream: String, message: BusMessage)]) {
        let time = state.lastEventTime.nanoseconds
        guard time > lastMarket[index], state.bookUpdates > 0 else { return }
        let streams = coinStreams[index] ?? (names.marketData(coin), names.features(coin))
        coinStreams[index] = streams
        let marketStream = streams.market
        if publisher.mayHaveReaders(marketStream) {
            let top = state.top
            queue.append((marketStream, .market(MarketMessage(coin: coin, venue: venue, kind: .book, time: state.lastEventTime,
                                                              bid: top.bidPrice, bidSize: top.bidSize, ask: top.askPrice, askSize: top.askSize))))
        }
        lastMarket[index] = time
        guard time - lastFeatures[index] >= 1_000_000_000, state.isWarm else { return }
        let featuresStream = streams.features
        if publisher.mayHaveReaders(featuresStream) {
            queue.append((featuresStream, .features(FeaturesMessage(coin: coin, time: state.lastEventTime, features: state.features()))))
        }
        lastFeatures[index] = time
    }

    /// Messages waiting for room on a lossless stream.
    var waiting: Int { retry.count }

    func publish(intents: [OrderIntent], decisions: [RiskDecisionRecord], fills: [Fill], signals: [SignalRecord],
                 market: [(stream: String, message: BusMessage)] = [], universe: Universe) {
        var queue = retry
        retry.removeAll(keepingCapacity: true)
        for intent in intents {
            queue.append((names.ordersGlobal, .order(OrderMessage(intent.request, tradeID: intent.tradeID, style: intent.style, reason: intent.reason, time: intent.time))))
        }
        for record in decisions {
            queue.append((names.ordersGlobal, .riskDecision(RiskDecisionMessage(record.check, coin: universe[record.coin].coin, venue: record.venue,
                                                                                 requestedNotional: record.requestedNotional, time: record.time))))
        }
        for fill in fills { queue.append((names.executionsGlobal, .execution(ExecutionMessage(fill)))) }
        for signal in signals {
            let coin = universe[signal.coin].coin
            // Signal streams are lossy and per coin: published only while someone listens, so
            // 400 unread streams never hold memory.
            guard publisher.mayHaveReaders(names.signals(coin)) else { continue }
            queue.append((names.signals(coin), .signal(SignalMessage(coin: coin, style: signal.style, side: signal.side, edgeBps: signal.edgeBps,
                                                                       confidence: signal.confidence, edgeAfterCostBps: signal.edgeAfterCostBps, time: signal.time))))
        }
        queue += market
        // One batch per stream, in order; what a full stream refuses waits, in order, for the next round.
        var order: [String] = []
        var batches: [String: [BusMessage]] = [:]
        for (stream, message) in queue {
            if batches[stream] == nil { order.append(stream) }
            batches[stream, default: []].append(message)
        }
        for stream in order {
            let messages = batches[stream]!
            let result = publisher.publish(batch: messages, to: stream)
            if result.backpressure {
                backpressured += 1
                retry += messages[result.published...].map { (stream, $0) }
            }
        }
        if !retry.isEmpty { logger.warning("message bus full: \(retry.count) messages wait for consumers (kept, retried next round)") }
        if remote == nil { drainAudit() }
    }

    /// The audit consumer: reads and acknowledges what the engine published.
    private func drainAudit() {
        for stream in [names.ordersGlobal, names.executionsGlobal] {
            while let deliveries = try? bus.read(stream: stream, group: Self.auditGroup, consumer: "engine", max: 4_096), !deliveries.isEmpty {
                _ = try? bus.ack(stream: stream, group: Self.auditGroup, ids: deliveries.map(\.id))
            }
        }
    }

    /// Statistics of the Redis streams (read by the Redis link), when publishing to Redis.
    let remoteStatistics: (@Sendable () -> [(stream: String, stats: StreamStats)])?

    /// Stream statistics for metrics: orders, executions and all signal streams summed.
    func statistics(signalCoins: [String]) -> [(stream: String, stats: StreamStats)] {
        if let remoteStatistics { return remoteStatistics() }
        var result = [("orders", bus.stats(stream: names.ordersGlobal)), ("executions", bus.stats(stream: names.executionsGlobal))]
        var signals = StreamStats()
        for coin in signalCoins {
            let s = bus.stats(stream: names.signals(coin))
            signals.length += s.length
            signals.published += s.published
            signals.conflated += s.conflated
        }
        result.append(("signals", signals))
        return result
    }
}
