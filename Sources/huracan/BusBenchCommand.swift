import ArgumentParser
import Foundation
import HuracanBus
import HuracanConfig
import HuracanCore
import HuracanRedis

struct BusBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-bus",
        abstract: "Measure the message bus: the in-process bus, and publish-to-consume over Redis Streams beside redis-benchmark.",
        discussion: """
        Build with -c release. In-process: one thread publishes batches of 1000 fills to
        executions:global, reads them through a consumer group and acknowledges them (the median
        of --runs). Redis (with --redis-port): two publishers pipeline batches of 1000 binary-encoded
        fills while a consumer group reads (XREADGROUP COUNT 1000) and acknowledges, with acks and
        with NOACK, first one message per entry, then --messages-per-entry per entry; each phase
        prints the CPU time per message of redis-server (INFO CPU) and of this process. Then, when
        redis-benchmark is installed, its pipelined XADD rate on the same server with a field of the
        same size, and every rate as a fraction of it. The server should be a throwaway one: the
        benchmark writes streams bench:* and deletes them afterwards.
        """
    )

    @Option(help: "Messages per run.")
    var messages = 2_000_000

    @Option(help: "Runs of the in-process measurement (the median is reported; 0 skips it).")
    var runs = 5

    @Option(help: "Port of a redis-server on 127.0.0.1 to measure against.")
    var redisPort: Int?

    @Option(help: "Messages packed per Redis entry in the packed runs (engine.message_bus.messages_per_entry); runs with one message per entry come first.")
    var messagesPerEntry = EngineConfig().messageBus.messagesPerEntry

    func run() async throws {
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let fills = Self.fills(4_096)
        var rates: [Double] = []
        for _ in 0..<runs { rates.append(Self.inProcess(fills, count: messages)) }
        rates.sort()
        if !rates.isEmpty { print("in-process bus, publish(batch 1000) + read + ack, 1 thread: median \(Self.format(rates[rates.count / 2])) messages/s "
              + "(runs: \(rates.map { Self.format($0) }.joined(separator: ", ")))") }
        guard let redisPort else { return }
        let count = min(messages, 1_000_000)
        let bytes = BusCodec.encodeBinary(fills[0]).count
        print("Redis Streams over loopback, \(count) messages of \(bytes) bytes, pipelined batches of 1000 from 2 publishers, "
              + "consumer group read COUNT 1000:")
        let meter = try await CPUMeter(port: redisPort)
        var results: [(name: String, rate: Double)] = []
        for perEntry in Set([1, messagesPerEntry]).sorted() {
            let packing = perEntry == 1 ? "1 message per entry" : "\(perEntry) messages per entry"
            let publishOnly = try await Self.redisPublish(fills, count: count, port: redisPort, messagesPerEntry: perEntry)
            print("  publish only, \(packing): \(Self.format(publishOnly)) messages/s; \(try await meter.lap(count))")
            let acknowledged = try await Self.redis(fills, count: count, port: redisPort, messagesPerEntry: perEntry)
            print("  publish -> consume -> ack (at least once), \(packing): \(Self.format(acknowledged)) messages/s; \(try await meter.lap(count))")
            let atMostOnce = try await Self.redis(fills, count: count, port: redisPort, messagesPerEntry: perEntry, acknowledge: false)
            print("  publish -> consume NOACK (at most once), \(packing): \(Self.format(atMostOnce)) messages/s; \(try await meter.lap(count))")
            results += [("publish only, \(packing)", publishOnly), ("publish-to-consume with acks, \(packing)", acknowledged),
                        ("publish-to-consume at most once, \(packing)", atMostOnce)]
        }
        guard let reference = Self.redisBenchmark(port: redisPort, payloadBytes: bytes, count: count) else {
            print("redis-benchmark not found: install redis-tools for the comparison")
            return
        }
        print("redis-benchmark XADD -P 1000 -c 4 (same server, \(bytes)-byte field): \(Self.format(reference)) requests/s; \(try await meter.lap(count))")
        for result in results { print(String(format: "  %@: %.2f of redis-benchmark", result.name, result.rate / reference)) }
    }

    /// CPU time per message of redis-server (INFO CPU) and of this process (getrusage) between laps.
    final class CPUMeter {
        let client: RedisClient
        var server: Double
        var own: Double

        init(port: Int) async throws {
            client = RedisClient(RedisConfiguration(port: port, poolSize: 1))
            server = 0
            own = Self.ownSeconds()
            server = try await serverSeconds()
        }

        deinit { client.shutdown() }

        func serverSeconds() async throws -> Double {
            let text = try await client.send(["INFO", "CPU"]).string ?? ""
            return text.split(whereSeparator: \.isNewline).reduce(0) { sum, line in
                let parts = line.split(separator: ":")
                guard parts.count == 2, parts[0] == "used_cpu_sys" || parts[0] == "used_cpu_user" else { return sum }
                return sum + (Double(parts[1]) ?? 0)
            }
        }

        static func ownSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }

        /// "CPU per message: redis-server X us, huracan Y us" since the last lap.
        func lap(_ messages: Int) async throws -> String {
            let (nowServer, nowOwn) = (try await serverSeconds(), Self.ownSeconds())
            defer { (server, own) = (nowServer, nowOwn) }
            return String(format: "CPU per message: redis-server %.2f us, huracan %.2f us", (nowServer - server) / Double(messages) * 1e6,
                          (nowOwn - own) / Double(messages) * 1e6)
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
            let fill = ExecutionMessage(Fill(clientOrderID: "hc-\(100_000 + i)", tradeID: "T\(9_000_000 + i)", coin: "BTC", venue: VenueID.allCases[i % 3],
                                             side: side, price: price, quantity: quantity, fee: fee, liquidity: liquidity, time: time))
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
    static func redis(_ fills: [BusMessage], count: Int, port: Int, messagesPerEntry: Int, acknowledge: Bool = true) async throws -> Double {
        let client = RedisClient(RedisConfiguration(port: port, poolSize: 2, commandTimeoutSeconds: 30))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client, losslessMaxLength: 10_000_000, messagesPerEntry: messagesPerEntry)
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
            acking = ids.isEmpty ? nil : Task {
                _ = try await bus.ack(stream: stream, group: "bench", ids: ids)
                return ids.count
            }
        }
        if let acking { consumed += try await acking.value }
        _ = try await published
        let rate = Double(consumed) / seconds(clock.now - start)
        try await client.send(["DEL", .text(stream)])
        guard undecodable == 0 else { throw ValidationError("\(undecodable) entries did not decode") }
        return rate
    }

    /// Two publishers, each with one pipelined batch of 1000 messages in flight on its own pooled
    /// connection (packed as the bus packs them); returns how many messages were appended.
    static func publishFromTwoTasks(_ fills: [BusMessage], count: Int, bus: RedisStreamsBus, stream: String) async throws -> Int {
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for part in 0..<2 {
                group.addTask {
                    var sent = 0
                    let share = count / 2 + (part == 0 ? count % 2 : 0)
                    while sent < share {
                        let n = min(1_000, share - sent)
                        _ = try await bus.publish((0..<n).map { (stream, fills[(sent + $0) & 4_095]) })
                        sent += n
                    }
                    return sent
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Pipelined XADD batches of 1000 from two publishers, nobody reading.
    static func redisPublish(_ fills: [BusMessage], count: Int, port: Int, messagesPerEntry: Int) async throws -> Double {
        let client = RedisClient(RedisConfiguration(port: port, poolSize: 2, commandTimeoutSeconds: 30))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client, losslessMaxLength: 10_000_000, messagesPerEntry: messagesPerEntry)
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
