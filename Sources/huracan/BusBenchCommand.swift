import ArgumentParser
import Foundation
import HuracanBus
import HuracanCore
import HuracanRedis

struct BusBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-bus",
        abstract: "Measure the message bus: the in-process bus, and publish-to-consume over Redis Streams beside redis-benchmark.",
        discussion: """
        Build with -c release. In-process: one thread publishes batches of 1000 fills to
        executions:global, reads them through a consumer group and acknowledges them (the median
        of --runs). Redis (with --redis-port): pipelined XADD batches of 1000 binary-encoded fills
        while a consumer group reads (XREADGROUP COUNT 1000) and acknowledges; then, when
        redis-benchmark is installed, its pipelined XADD rate on the same server with a payload of
        the same size. The server should be a throwaway one: the benchmark writes streams
        bench:* and deletes them afterwards.
        """
    )

    @Option(help: "Messages per run.")
    var messages = 2_000_000

    @Option(help: "Runs of the in-process measurement (the median is reported; 0 skips it).")
    var runs = 5

    @Option(help: "Port of a redis-server on 127.0.0.1 to measure against.")
    var redisPort: Int?

    func run() async throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let fills = Self.fills(4_096)
        var rates: [Double] = []
        for _ in 0..<runs { rates.append(Self.inProcess(fills, count: messages)) }
        rates.sort()
        if !rates.isEmpty { print("in-process bus, publish(batch 1000) + read + ack, 1 thread: median \(Self.format(rates[rates.count / 2])) messages/s "
              + "(runs: \(rates.map { Self.format($0) }.joined(separator: ", ")))") }
        guard let redisPort else { return }
        let publishOnly = try await Self.redisPublish(fills, count: min(messages, 1_000_000), port: redisPort)
        print("Redis Streams, publish only (pipelined XADD, 2 connections): \(Self.format(publishOnly)) messages/s")
        let redis = try await Self.redis(fills, count: min(messages, 1_000_000), port: redisPort)
        print("Redis Streams, publish -> consume -> ack over loopback (at least once): \(Self.format(redis.rate)) messages/s "
              + "(\(redis.count) messages, \(redis.bytes) bytes each)")
        let atMostOnce = try await Self.redis(fills, count: min(messages, 1_000_000), port: redisPort, acknowledge: false)
        print("Redis Streams, publish -> consume with NOACK (at most once, lossy streams): \(Self.format(atMostOnce.rate)) messages/s")
        if let reference = Self.redisBenchmark(port: redisPort, payloadBytes: redis.bytes, count: min(messages, 1_000_000)) {
            print("redis-benchmark XADD (-P 1000, same server, \(redis.bytes)-byte field): \(Self.format(reference)) requests/s; "
                  + "our publish is \(String(format: "%.2f", publishOnly / reference)) of it, publish-to-consume \(String(format: "%.2f", redis.rate / reference)) "
                  + "with acks, \(String(format: "%.2f", atMostOnce.rate / reference)) at most once")
        } else {
            print("redis-benchmark not found: install redis-tools for the comparison")
        }
    }

    static func format(_ rate: Double) -> String { rate >= 1e6 ? String(format: "%.2f M", rate / 1e6) : String(format: "%.0f k", rate / 1e3) }

    static func fills(_ count: Int) -> [BusMessage] {
        (0..<count).map { (i: Int) -> BusMessage in
            let price = try! FixedDecimal(parsing: "\(65_000 + i % 97).\(i % 10)")
            let quantity = try! FixedDecimal(parsing: "0.\(100 + i % 900)")
            let fee = try! FixedDecimal(parsing: "0.0\(1 + i % 9)")
            let side: Side = i % 2 == 0 ? .buy : .sell
            let liquidity: Liquidity = i % 3 == 0 ? .maker : .taker
            let time = Timestamp(nanoseconds: 1_767_225_600_000_000_000 + Int64(i) * 1_000_000)
            let fill = ExecutionMessage(clientOrderID: "hc-\(100_000 + i)", tradeID: "T\(9_000_000 + i)", coin: "BTC", venue: VenueID.allCases[i % 3],
                                        side: side, price: price, quantity: quantity, fee: fee, liquidity: liquidity, time: time)
            return .execution(fill)
        }
    }

    /// Messages per second through the in-process bus on one thread.
    static func inProcess(_ fills: [BusMessage], count: Int) -> Double {
        let bus = InProcessBus(capacityPerStream: 65_536, maxConsumersPerGroup: 4, clock: { 0 })
        let stream = StreamName().executionsGlobal
        bus.createGroup(stream: stream, group: "pnl")
        var batch: [BusMessage] = []
        batch.reserveCapacity(1_000)
        var ids: [UInt64] = []
        ids.reserveCapacity(1_000)
        let clock = ContinuousClock()
        let start = clock.now
        var moved = 0
        while moved < count {
            batch.removeAll(keepingCapacity: true)
            for i in 0..<1_000 { batch.append(fills[(moved + i) & 4_095]) }
            _ = bus.publish(batch: batch, to: stream)
            let deliveries = try! bus.read(stream: stream, group: "pnl", consumer: "c1", max: 1_000)
            ids.removeAll(keepingCapacity: true)
            for delivery in deliveries { ids.append(delivery.id) }
            moved += try! bus.ack(stream: stream, group: "pnl", ids: ids)
        }
        return Double(moved) / seconds(clock.now - start)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// Publish-to-consume through Redis: a publisher pipelining XADD batches and a consumer
    /// group reader acknowledging what it decoded, concurrently.
    static func redis(_ fills: [BusMessage], count: Int, port: Int, acknowledge: Bool = true) async throws -> (rate: Double, count: Int, bytes: Int) {
        let client = RedisClient(RedisConfiguration(port: port, poolSize: 2, commandTimeoutSeconds: 30))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client, losslessMaxLength: 10_000_000)
        let stream = "bench:executions"
        try await client.send(["DEL", .text(stream)])
        try await bus.createGroup(stream: stream, group: "bench")
        let connection = try await client.dedicatedConnection()
        defer { connection.close() }
        let clock = ContinuousClock()
        let start = clock.now
        async let published = publishFromTwoTasks(fills, count: count, bus: bus, stream: stream)
        var consumed = 0
        var undecodable = 0
        // Each batch is acknowledged while the next one is read (the ack of a batch overlaps the
        // next XREADGROUP; an entry is acknowledged only after it was decoded).
        var acking: Task<Int, any Error>?
        var received = 0
        while received < count {
            let entries = try await bus.read(streams: [stream], group: "bench", consumer: "c1", count: 1_000, blockMilliseconds: 1_000,
                                             noAck: !acknowledge, on: connection)
            undecodable += entries.filter { $0.message == nil }.count
            received += entries.count
            guard acknowledge else {
                consumed += entries.count
                continue
            }
            if let acking { consumed += try await acking.value }
            let ids = entries.map(\.id)
            acking = ids.isEmpty ? nil : Task { try await bus.ack(stream: stream, group: "bench", ids: ids) }
        }
        if let acking { consumed += try await acking.value }
        _ = try await published
        let rate = Double(consumed) / seconds(clock.now - start)
        try await client.send(["DEL", .text(stream)])
        guard undecodable == 0 else { throw ValidationError("\(undecodable) entries did not decode") }
        return (rate, consumed, BusCodec.encodeBinary(fills[0]).count)
    }

    /// Two publishers, each with one pipelined XADD batch of 1000 in flight on its own pooled
    /// connection; returns how many messages were appended.
    static func publishFromTwoTasks(_ fills: [BusMessage], count: Int, bus: RedisStreamsBus, stream: String) async throws -> Int {
        let cap = bus.maxLength(of: stream)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for part in 0..<2 {
                group.addTask {
                    var sent = 0
                    let share = count / 2 + (part == 0 ? count % 2 : 0)
                    while sent < share {
                        let n = min(1_000, share - sent)
                        sent += try await bus.publish(commands: (0..<n).map { bus.addCommand(fills[(sent + $0) & 4_095], to: stream, cap: cap) })
                    }
                    return sent
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Pipelined XADD batches of 1000 from two publishers, nobody reading.
    static func redisPublish(_ fills: [BusMessage], count: Int, port: Int) async throws -> Double {
        let client = RedisClient(RedisConfiguration(port: port, poolSize: 2, commandTimeoutSeconds: 30))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client, losslessMaxLength: 10_000_000)
        let stream = "bench:publish"
        try await client.send(["DEL", .text(stream)])
        let clock = ContinuousClock()
        let start = clock.now
        let sent = try await publishFromTwoTasks(fills, count: count, bus: bus, stream: stream)
        let rate = Double(sent) / seconds(clock.now - start)
        try await client.send(["DEL", .text(stream)])
        return rate
    }

    /// redis-benchmark's pipelined XADD rate on the same server, or nil without the tool.
    static func redisBenchmark(port: Int, payloadBytes: Int, count: Int) -> Double? {
        let paths = ["/usr/bin/redis-benchmark", "/usr/local/bin/redis-benchmark"]
        guard let tool = paths.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "-n", String(count), "-P", "1000", "-c", "4", "-q",
                             "XADD", "bench:reference", "*", "m", String(repeating: "x", count: payloadBytes)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let cleanup = Process()
        cleanup.executableURL = URL(fileURLWithPath: tool.replacingOccurrences(of: "redis-benchmark", with: "redis-cli"))
        cleanup.arguments = ["-p", String(port), "DEL", "bench:reference"]
        cleanup.standardOutput = FileHandle.nullDevice
        try? cleanup.run()
        cleanup.waitUntilExit()
        // "XADD ...: 669642.81 requests per second, p50=..."
        guard let range = text.range(of: #"([0-9.]+) requests per second"#, options: .regularExpression) else { return nil }
        return Double(text[range].split(separator: " ")[0])
    }
}
