// Benchmarks of the in-process message bus (HuracanBus), for the target "in-process bus: at least
// 5 million messages/s" (at most 200 ns per message end to end: publish + read + ack).
//
// Run from Benchmarks/: `swift package --disable-sandbox benchmark --target BusBenchmarks`.
//
// How to read the numbers: as in CoreBenchmarks (see the top of CoreBenchmarks.swift). Every
// benchmark here uses `scalingFactor: .kilo`: one sample moves 1000 messages (or runs 1000 codec
// round trips), and the `*` columns are per message (per round trip). Messages per second is
// 1e9 / (ns per message); the throughput column is samples per second scaled the same way, so it
// reads as (thousands of) messages per second. Mallocs are per message, reported only.

import Benchmark
import HuracanBus
import HuracanCore
import Synchronization
#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

// MARK: - Inputs

/// `count` distinct fills as `.execution` messages (pseudo-random ids, prices and quantities).
func makeExecutions(count: Int) -> [BusMessage] {
    let venues = VenueID.allCases
    var time: Int64 = 1_767_225_600 * 1_000_000_000
    return (0..<count).map { i in
        time += 1_000_000
        let price = try! FixedDecimal(parsing: "\(65_000 + i % 97).\(i % 10)")
        let quantity = try! FixedDecimal(parsing: "0.\(100 + i % 900)")
        let fee = try! FixedDecimal(parsing: "0.0\(1 + i % 9)")
        return .execution(ExecutionMessage(
            clientOrderID: "hc-\(100_000 + i)", tradeID: "T\(9_000_000 + i)", coin: "BTC", venue: venues[i % venues.count],
            side: i % 2 == 0 ? .buy : .sell, price: price, quantity: quantity, fee: fee,
            liquidity: i % 3 == 0 ? .maker : .taker, time: Timestamp(nanoseconds: time)
        ))
    }
}

/// A typical order on `orders:global`: a limit entry of a scalp trade.
func makeOrder() -> BusMessage {
    .order(OrderMessage(
        clientOrderID: "hc-1767225600-000042", coin: "BTC", venue: .binance, side: .buy, type: .limit,
        timeInForce: .postOnly, quantity: try! FixedDecimal(parsing: "0.125"), price: try! FixedDecimal(parsing: "65000.1"),
        reduceOnly: false, tradeID: 42, style: .scalp, reason: "entry",
        time: Timestamp(nanoseconds: 1_767_225_600_123_456_789)
    ))
}

/// The bus as the engine configures it by default (`message_bus.queue_capacity` 65,536, 4 consumers per group).
func makeBus() -> InProcessBus {
    InProcessBus(capacityPerStream: 65_536, maxConsumersPerGroup: 4, clock: { 0 })
}

let streams = StreamName()
let group = "pnl"

// MARK: - Publisher thread of the concurrent benchmark

/// A thread that publishes the input messages to `stream` in a loop until stopped, retrying on
/// backpressure (after `sched_yield`) as a lossless publisher must.
final class Publisher: @unchecked Sendable {
    let bus: InProcessBus
    let stream: String
    let messages: [BusMessage]
    let stopRequested = Atomic<Bool>(false)
    let stopped = Atomic<Bool>(false)
    private var thread = pthread_t()

    init(bus: InProcessBus, stream: String, messages: [BusMessage]) {
        self.bus = bus
        self.stream = stream
        self.messages = messages
    }

    func run() {
        var i = 0
        while !stopRequested.load(ordering: .relaxed) {
            if bus.publish(messages[i & (messages.count - 1)], to: stream).id != nil {
                i &+= 1
            } else {
                sched_yield()
            }
        }
        stopped.store(true, ordering: .releasing)
    }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
        var handle: pthread_t?
        precondition(pthread_create(&handle, nil, { Unmanaged<Publisher>.fromOpaque($0).takeRetainedValue().run(); return nil }, box) == 0)
        thread = handle!
        #else
        precondition(pthread_create(&thread, nil, { Unmanaged<Publisher>.fromOpaque($0!).takeRetainedValue().run(); return nil }, box) == 0)
        #endif
    }

    func stop() {
        stopRequested.store(true, ordering: .relaxed)
        pthread_join(thread, nil)
    }
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.throughput, .wallClock, .mallocCountTotal]
    let reportOnly = Benchmark.Configuration(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(2))
    let executions = makeExecutions(count: 4_096) // a power of two, indexed by mask

    // One operation = one `.execution` message through `executions:global` (lossless) with one
    // consumer group and one consumer: each sample publishes 1000 messages, reads them back in
    // one `read(max: 1000)` and acknowledges them in one `ack` (acked entries leave the stream, so
    // it stays empty between samples). Single thread: the cost of the bus itself, no contention.
    let batchBus = makeBus()
    let batchStream = streams.executionsGlobal
    batchBus.createGroup(stream: batchStream, group: group)
    var batchIDs: [UInt64] = []
    batchIDs.reserveCapacity(1_000)
    var batchCursor = 0
    Benchmark("InProcessBus publish+read+ack (executions, batches of 1000)", configuration: reportOnly) { benchmark in
        let count = benchmark.scaledIterations.count
        let start = batchCursor
        batchCursor &+= count
        benchmark.startMeasurement()
        for i in 0..<count {
            precondition(batchBus.publish(executions[(start &+ i) & 4_095], to: batchStream).id != nil)
        }
        let deliveries = try! batchBus.read(stream: batchStream, group: group, consumer: "c1", max: count)
        batchIDs.removeAll(keepingCapacity: true)
        for delivery in deliveries { batchIDs.append(delivery.id) }
        let acked = try! batchBus.ack(stream: batchStream, group: group, ids: batchIDs)
        benchmark.stopMeasurement()
        precondition(deliveries.count == count && acked == count)
    }

    // The same with one batch publish per sample (one lock of the stream for the 1000 messages),
    // as the engine publishes each round.
    nonisolated(unsafe) var batchCursor2 = 0
    var batchMessages: [BusMessage] = []
    batchMessages.reserveCapacity(1_000)
    Benchmark("InProcessBus batch publish+read+ack (executions, batches of 1000)", configuration: reportOnly) { benchmark in
        let count = benchmark.scaledIterations.count
        let start = batchCursor2
        batchCursor2 &+= count
        batchMessages.removeAll(keepingCapacity: true)
        for i in 0..<count { batchMessages.append(executions[(start &+ i) & 4_095]) }
        benchmark.startMeasurement()
        let result = batchBus.publish(batch: batchMessages, to: batchStream)
        let deliveries = try! batchBus.read(stream: batchStream, group: group, consumer: "c1", max: count)
        batchIDs.removeAll(keepingCapacity: true)
        for delivery in deliveries { batchIDs.append(delivery.id) }
        let acked = try! batchBus.ack(stream: batchStream, group: group, ids: batchIDs)
        benchmark.stopMeasurement()
        precondition(result.published == count && deliveries.count == count && acked == count)
    }

    // One operation = one message, with one publisher thread and one consumer thread at once:
    // a publisher thread (started in setup, stopped in teardown) publishes `.execution` messages
    // to `executions:global` without pause, retrying on backpressure; each sample is the consumer
    // (the benchmark thread) reading and acknowledging 1000 of them, in reads of at most 1000,
    // spinning when the stream is momentarily empty. The figure is the steady rate of the pair,
    // both sides contending for the stream's lock; it needs 2 free cores.
    let concurrentStream = streams.executionsGlobal
    nonisolated(unsafe) var concurrentBus = makeBus()
    nonisolated(unsafe) var publisher: Publisher?
    var concurrentIDs: [UInt64] = []
    concurrentIDs.reserveCapacity(1_000)
    Benchmark(
        "InProcessBus publish+read+ack (executions, 1 publisher + 1 consumer thread)",
        configuration: reportOnly,
        closure: { benchmark in
            let count = benchmark.scaledIterations.count
            var received = 0
            benchmark.startMeasurement()
            while received < count {
                let deliveries = try! concurrentBus.read(stream: concurrentStream, group: group, consumer: "c1", max: count - received)
                if deliveries.isEmpty { continue }
                concurrentIDs.removeAll(keepingCapacity: true)
                for delivery in deliveries { concurrentIDs.append(delivery.id) }
                received += try! concurrentBus.ack(stream: concurrentStream, group: group, ids: concurrentIDs)
            }
            benchmark.stopMeasurement()
        },
        setup: {
            concurrentBus = makeBus()
            concurrentBus.createGroup(stream: concurrentStream, group: group)
            let p = Publisher(bus: concurrentBus, stream: concurrentStream, messages: executions)
            p.start()
            publisher = p
        },
        teardown: {
            publisher?.stop()
            publisher = nil
        }
    )

    // BusCodec on one order message (the wire format is JSON through Foundation's coders).
    // One operation = encode then decode; report only (it allocates).
    let order = makeOrder()
    let orderBytes = BusCodec.encode(order)
    precondition((try? BusCodec.decode(orderBytes)) == order, "order message does not round-trip")
    Benchmark("BusCodec.encode+decode (order)", configuration: reportOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! BusCodec.decode(BusCodec.encode(order)))
        }
    }
    Benchmark("BusCodec.encode (order)", configuration: reportOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(BusCodec.encode(order))
        }
    }
    Benchmark("BusCodec.decode (order)", configuration: reportOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! BusCodec.decode(orderBytes))
        }
    }
}
