import HuracanBus
import HuracanRedis

/// Records Redis streams into the data lake from a process of its own (`huracan consume
/// --record`): reads through a consumer group, buffers rows by kind up to `flushRows`, writes
/// them, and acknowledges the entries only after the write, so a recorder that dies loses
/// nothing (another one claims what it left pending). Orders and executions become order and
/// fill rows, market data book, trade and funding rows, features and signals their own.
public struct RedisBusRecorder: Sendable {
    public let consumer: RedisStreamConsumer
    public let lake: DataLake
    public var flushRows: Int
    public var flushInterval: Duration

    public init(consumer: RedisStreamConsumer, lake: DataLake, flushRows: Int = 50_000, flushInterval: Duration = .seconds(60)) {
        self.consumer = consumer
        self.lake = lake
        self.flushRows = flushRows
        self.flushInterval = flushInterval
    }

    /// Records until cancelled or `limit` entries were recorded, then writes what is buffered.
    /// Returns the rows written.
    @discardableResult
    public func run(limit: Int? = nil) async throws -> Int {
        try await consumer.prepare()
        var buffers = BusRecorder.Buffers()
        var pending: [String: [StreamEntryID]] = [:]
        var written = 0
        var seen = 0
        var lastFlush = ContinuousClock.now
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let rows = buffers.count
            try buffers.write(to: lake)
            for (stream, ids) in pending { try await consumer.bus.ack(stream: stream, group: consumer.group, ids: ids) }
            buffers = BusRecorder.Buffers()
            pending.removeAll()
            written += rows
            lastFlush = .now
        }
        let connection = try await consumer.bus.client.dedicatedConnection()
        defer { connection.close() }
        var lastClaim = ContinuousClock.now - .seconds(3_600)
        while !Task.isCancelled, limit.map({ seen < $0 }) ?? true {
            var entries: [StreamEntry] = []
            if ContinuousClock.now - lastClaim >= .seconds(5) {
                for stream in consumer.streams {
                    entries += try await consumer.bus.claim(stream: stream, group: consumer.group, consumer: consumer.consumer,
                                                            minIdleMilliseconds: consumer.claimIdleMilliseconds).entries
                }
                lastClaim = .now
            }
            if entries.isEmpty {
                entries = try await consumer.bus.read(streams: consumer.streams, group: consumer.group, consumer: consumer.consumer,
                                                      count: consumer.batchSize, blockMilliseconds: consumer.blockMilliseconds, on: connection)
            }
            for entry in entries.prefix(limit.map { $0 - seen } ?? entries.count) {
                // An entry that does not decode is acknowledged with the batch: it cannot be stored.
                if let message = entry.message { buffers.add(message) }
                pending[entry.stream, default: []].append(entry.id)
                seen += 1
            }
            if buffers.count >= flushRows || ContinuousClock.now - lastFlush >= flushInterval { try await flush() }
        }
        try await flush()
        return written
    }
}
