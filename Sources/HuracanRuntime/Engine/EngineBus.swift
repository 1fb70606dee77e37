import Foundation
import HuracanBus
import HuracanCore
import Logging

/// The engine's side of the message bus: after every round the coordinator publishes the
/// round's orders (with the trade and reason behind each), risk throttles and blocks
/// (`orders:global`), fills (`executions:global`) and signals (`signals:{coin}`, only while a
/// consumer group listens on that coin's stream).
///
/// Orders and executions are never dropped: a publish refused with backpressure stays queued
/// here and is retried first next round. The engine's own audit consumer group reads and
/// acknowledges `orders:global` and `executions:global`, so an embedded engine with no other
/// consumer does not fill its streams; other consumers join with their own groups.
final class EngineBus {
    static let auditGroup = "huracan-audit"

    let bus: InProcessBus
    let names: StreamName
    private let logger: Logger
    private var retry: [(stream: String, message: BusMessage)] = []
    private(set) var backpressured = 0

    init(bus: InProcessBus, prefix: String, logger: Logger) {
        self.bus = bus
        self.names = StreamName(prefix: prefix)
        self.logger = logger
        for stream in [names.ordersGlobal, names.executionsGlobal] {
            _ = bus.createGroup(stream: stream, group: Self.auditGroup, fromStart: true)
        }
    }

    /// Messages waiting for room on a lossless stream.
    var waiting: Int { retry.count }

    func publish(intents: [OrderIntent], decisions: [RiskDecisionRecord], fills: [Fill], signals: [SignalRecord], universe: Universe) {
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
            guard !bus.stats(stream: names.signals(coin)).groups.isEmpty else { continue }
            queue.append((names.signals(coin), .signal(SignalMessage(coin: coin, style: signal.style, side: signal.side, edgeBps: signal.edgeBps,
                                                                       confidence: signal.confidence, edgeAfterCostBps: signal.edgeAfterCostBps, time: signal.time))))
        }
        // One batch per stream, in order; what a full stream refuses waits, in order, for the next round.
        var order: [String] = []
        var batches: [String: [BusMessage]] = [:]
        for (stream, message) in queue {
            if batches[stream] == nil { order.append(stream) }
            batches[stream, default: []].append(message)
        }
        for stream in order {
            let messages = batches[stream]!
            let result = bus.publish(batch: messages, to: stream)
            if result.backpressure {
                backpressured += 1
                retry += messages[result.published...].map { (stream, $0) }
            }
        }
        if !retry.isEmpty { logger.warning("message bus full: \(retry.count) messages wait for consumers (kept, retried next round)") }
        drainAudit()
    }

    /// The audit consumer: reads and acknowledges what the engine published.
    private func drainAudit() {
        for stream in [names.ordersGlobal, names.executionsGlobal] {
            while let deliveries = try? bus.read(stream: stream, group: Self.auditGroup, consumer: "engine", max: 4_096), !deliveries.isEmpty {
                _ = try? bus.ack(stream: stream, group: Self.auditGroup, ids: deliveries.map(\.id))
            }
        }
    }

    /// Stream statistics for metrics: orders, executions and all signal streams summed.
    func statistics(signalCoins: [String]) -> [(stream: String, stats: StreamStats)] {
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
