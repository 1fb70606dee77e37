import ArgumentParser
import Foundation
import HuracanBus
import HuracanConfig
import HuracanRedis
import HuracanRuntime
import HuracanStorage
import Synchronization

struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Read bus streams from Redis through a consumer group and print each message as a JSON line.",
        discussion: """
        Streams are named as in the spec without the prefix: orders (orders:global), executions
        (executions:global), signals:BTC, market_data:BTC, features:BTC. Each message is printed
        and then acknowledged; entries another consumer of the group left pending longer than
        --claim-idle are taken over, so a consumer that dies loses nothing. Redis comes from
        engine.message_bus (host, port, password_env / password_file, tls, stream_prefix).
        """
    )

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String?

    @Option(name: .long, help: "Stream to read (repeatable): orders, executions, signals:COIN, market_data:COIN, features:COIN.")
    var stream: [String] = ["orders", "executions"]

    @Option(help: "Consumer group.")
    var group = "huracan-consume"

    @Option(help: "Consumer name within the group (default: host-pid).")
    var consumer: String?

    @Flag(help: "A new group starts at the oldest retained entry instead of the next one.")
    var fromStart = false

    @Option(help: "Take over entries pending this long with a dead consumer, e.g. 30s.")
    var claimIdle = "60s"

    @Option(help: "Stop after this many messages.")
    var count: Int?

    @Flag(help: "Record the messages into the data lake (engine.data_dir, or --data) instead of printing them; entries are acknowledged after they are written. With --count, stop after that many rows.")
    var record = false

    @Flag(help: "At most once (XREADGROUP NOACK): nothing is acknowledged or ever redelivered; for market_data and features, whose newest message is what counts. Not with --record.")
    var atMostOnce = false

    @Option(help: "Data lake directory for --record (default: engine.data_dir).")
    var data: String?

    func run() async throws {
        let engineConfig = try loadOrExit(config)
        let bus = engineConfig.messageBus
        let names = StreamName(prefix: bus.streamPrefix)
        let streams = try stream.map { try Self.streamName($0, names: names) }
        let password = try Secret.resolve(environmentVariable: bus.passwordEnv, file: bus.passwordFile)
        let client = RedisClient(RedisConfiguration(host: bus.host, port: bus.port, password: password?.value, tls: bus.tls))
        defer { client.shutdown() }
        let consumer = RedisStreamConsumer(
            bus: RedisStreamsBus(client: client, maxConsumersPerGroup: bus.maxConsumersPerGroup), streams: streams, group: group,
            consumer: consumer ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)",
            fromStart: fromStart, claimIdleMilliseconds: Int(try parseDuration(claimIdle) * 1_000), atMostOnce: atMostOnce
        )
        if atMostOnce, record { throw ValidationError("--at-most-once cannot be used with --record: recorded entries are acknowledged after they are written") }
        if record {
            var recording = BusRecorder.Configuration(streams: streams)
            recording.group = group
            recording.consumer = consumer.consumer
            let lakePath = data ?? engineConfig.dataDir
            let recorder = RedisBusRecorder(bus: consumer.bus, lake: DataLake(path: lakePath), configuration: recording)
            let finished = FinishedFlag()
            let task = Task {
                defer { finished.value.store(true, ordering: .releasing) }
                try await recorder.run()
            }
            if let count {
                // Stop once `count` rows are written or buffered (the recorder writes them on stop).
                while recorder.stats.rowsWritten + recorder.stats.buffered < count, !finished.value.load(ordering: .acquiring), !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                recorder.stop()
            }
            do {
                try await Self.untilCancelled(task)
            } catch {
                printError("consume --record: \(ReadableError.describe(error))")
                throw ExitCode(1)
            }
            printError("recorded \(recorder.stats.rowsWritten) rows into \(lakePath)")
            return
        }
        let limit = count
        let stdout = FileHandle.standardOutput
        let task = Task {
            var seen = 0
            return try await consumer.run { entry in
                seen += 1
                switch entry.payload {
                case .success(let message):
                    let line = "{\"stream\":\"\(entry.stream)\",\"id\":\"\(entry.id)\",\"claimed\":\(entry.claimed),\"message\":"
                        + String(decoding: BusCodec.encode(message), as: UTF8.self) + "}\n"
                    stdout.write(Data(line.utf8))
                case .failure(let error):
                    printError("\(entry.stream) entry \(entry.id) skipped: \(error)")
                }
                return limit.map { seen < $0 } ?? true
            }
        }
        do {
            _ = try await Self.untilCancelled(task)
        } catch let error as RedisError {
            printError("consume: \(ReadableError.describe(error))")
            throw ExitCode(1)
        }
    }

    /// Waits for `task`; SIGINT or SIGTERM (which cancel the command) cancel it too, and it
    /// finishes its work cleanly (the normal way to end a consumer).
    static func untilCancelled<T: Sendable>(_ task: Task<T, any Error>) async throws -> T {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    static func streamName(_ text: String, names: StreamName) throws -> String {
        switch text {
        case "orders", "orders:global": return names.ordersGlobal
        case "executions", "executions:global": return names.executionsGlobal
        default:
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw ValidationError("unknown stream \"\(text)\": use orders, executions, signals:COIN, market_data:COIN or features:COIN")
            }
            switch parts[0] {
            case "signals": return names.signals(parts[1])
            case "market_data": return names.marketData(parts[1])
            case "features": return names.features(parts[1])
            default: throw ValidationError("unknown stream \"\(text)\": use orders, executions, signals:COIN, market_data:COIN or features:COIN")
            }
        }
    }
}

/// Set when a background task has ended.
final class FinishedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
