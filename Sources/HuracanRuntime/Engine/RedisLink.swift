import Foundation
import HuracanBus
import HuracanConfig
import HuracanCore
import HuracanRedis
import Logging
import ServiceLifecycle
import Synchronization

/// An engine's connection to Redis when `message_bus.type` is `redis_streams`: the client, the
/// Streams outbox the engine publishes to, and the risk ledger shared with the other engine
/// processes. `run` keeps both flowing and reads the streams' lengths and consumer lag.
public final class RedisLink: Sendable {
    public let client: RedisClient
    public let bus: RedisStreamsBus
    public let outbox: RedisOutbox
    public let gate: RedisRiskGate
    public let names: StreamName
    let logger: Logger
    /// Where messages Redis could not take before shutdown are kept (JSON lines).
    let dataDirectory: String
    private let streamStats = Locked<[(stream: String, stats: StreamStats)]>([])

    /// Connects (failing with a clear error when Redis does not answer), and retires what an
    /// earlier run of this process left in the shared ledger.
    public static func connect(config: EngineConfig, universe: Universe, logger: Logger) async throws -> RedisLink {
        let bus = config.messageBus
        let password = try Secret.resolve(environmentVariable: bus.passwordEnv, file: bus.passwordFile)
        let client = RedisClient(RedisConfiguration(host: bus.host, port: bus.port, password: password?.value, tls: bus.tls, tlsCAFile: bus.tlsCAFile.isEmpty ? nil : bus.tlsCAFile, poolSize: 2))
        let link = RedisLink(client: client, config: config, universe: universe, logger: logger)
        do {
            let retired = try await link.gate.retirePreviousRun()
            if retired > 0 { logger.notice("shared risk ledger: removed \(retired) entries left by an earlier run of process \(config.processIndex)") }
        } catch {
            client.shutdown()
            throw RedisLinkError(message: "message_bus: cannot reach Redis at \(client.configuration.address): \(error)")
        }
        logger.info("message bus: Redis Streams at \(client.configuration.address), prefix \(bus.streamPrefix); process \(config.processIndex) of \(config.processCount), \(universe.count) coins")
        return link
    }

    init(client: RedisClient, config: EngineConfig, universe: Universe, logger: Logger) {
        self.client = client
        self.bus = RedisStreamsBus(client: client, lossyMaxLength: max(1_000, config.messageBus.queueCapacity / 4),
                                   maxConsumersPerGroup: config.messageBus.maxConsumersPerGroup,
                                   messagesPerEntry: config.messageBus.messagesPerEntry)
        self.outbox = RedisOutbox(bus: bus, capacity: config.messageBus.queueCapacity)
        self.gate = RedisRiskGate(client: client, prefix: config.messageBus.streamPrefix, processIndex: config.processIndex, universe: universe)
        self.names = StreamName(prefix: config.messageBus.streamPrefix)
        self.logger = logger
        self.dataDirectory = config.dataDir
    }

    /// Sends published messages and risk changes until cancelled; every few seconds reads the
    /// global streams' length and consumer groups (for health and metrics).
    public func run() async {
        let gate = gate, outbox = outbox
        let lastInfo = Locked(ContinuousClock.now - .seconds(10))
        let outage = Locked<(since: ContinuousClock.Instant?, logged: Bool)>((nil, false))
        await outbox.run {
            try? await gate.flush()
            self.logConnectionChange(outage)
            let due = lastInfo.withLock { last in
                guard ContinuousClock.now - last >= .seconds(5) else { return false }
                last = .now
                return true
            }
            if due { await self.refreshStreamStats() }
        }
        if !(await outbox.drain(timeout: .seconds(30))) { keepUnsent() }
        try? await gate.flush()
    }

    /// One log line when Redis has been away for 2 seconds and one when it is back (not one per
    /// failed batch: right after a restart the pooled connections fail and recover one by one).
    private func logConnectionChange(_ outage: Locked<(since: ContinuousClock.Instant?, logged: Bool)>) {
        let connected = outbox.status.connected
        let now = ContinuousClock.now
        let change: Bool? = outage.withLock { outage in
            if connected {
                defer { outage = (nil, false) }
                return outage.logged ? true : nil
            }
            let since = outage.since ?? now
            outage.since = since
            guard !outage.logged, now - since >= .seconds(2) else { return nil }
            outage.logged = true
            return false
        }
        switch change {
        case true?: logger.notice("message bus: Redis reachable again; the orders and executions kept meanwhile are being sent")
        case false?: logger.warning("message bus: Redis unreachable; orders and executions wait in the outbox, no new entries until the shared risk ledger is back")
        case nil: break
        }
    }

    /// Redis did not take everything before shutdown: the rest goes to a JSON-lines file in the
    /// data directory (orders and executions are never dropped), named in an error log line.
    private func keepUnsent() {
        let left = outbox.takeAll()
        guard !left.isEmpty else { return }
        let stamp = WallClock.now().nanoseconds / 1_000_000
        let path = (dataDirectory as NSString).appendingPathComponent("bus-unsent-\(stamp).jsonl")
        var text = ""
        for (stream, message) in left {
            text += "{\"stream\":\"\(stream)\",\"message\":" + String(decoding: BusCodec.encode(message), as: UTF8.self) + "}\n"
        }
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            logger.error("message bus: Redis did not take \(left.count) messages before shutdown; they are kept in \(path)")
        } catch {
            logger.critical("message bus: \(left.count) messages could not be sent to Redis nor written to \(path): \(error)")
        }
    }

    private func refreshStreamStats() async {
        var result: [(stream: String, stats: StreamStats)] = []
        for (label, stream) in [("orders", names.ordersGlobal), ("executions", names.executionsGlobal)] {
            guard let info = try? await bus.info(stream: stream) else { continue }
            var stats = StreamStats()
            stats.length = info.length
            stats.lastID = info.lastID.milliseconds
            for (name, group) in info.groups {
                var g = StreamStats.Group()
                g.pending = group.pending
                g.lag = group.lag ?? 0
                g.consumers = group.consumers
                stats.groups[name] = g
            }
            result.append((label, stats))
        }
        let status = outbox.status
        var published = StreamStats()
        published.published = status.sent
        published.conflated = status.conflated
        published.backpressure = status.backpressure
        result.append(("all", published))
        streamStats.withLock { $0 = result }
    }

    /// Lengths and consumer groups of the global streams, as last read.
    public var statistics: [(stream: String, stats: StreamStats)] { streamStats.withLock { $0 } }

    /// Health: connected, messages waiting, largest consumer lag.
    public var health: (connected: Bool, summary: String) {
        let status = outbox.status
        let lag = statistics.flatMap { $0.stats.groups.values.map { $0.lag + $0.pending } }.max() ?? 0
        let waiting = status.queuedLossless + status.queuedLossy
        let connected = client.isConnected && (status.connected || status.sent == 0)
        let text = "Redis at \(client.configuration.address) \(connected ? "connected" : "unreachable"): \(waiting) messages waiting, "
            + "largest consumer lag \(lag), \(gate.unsentChanges) risk changes unsent"
            + (connected ? "" : "; last error: \(status.lastError ?? "none")")
        return (connected, text)
    }

    public func shutdown() { client.shutdown() }
}

/// Redis could not be used at start.
public struct RedisLinkError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
