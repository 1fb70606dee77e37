import HuracanRedis

/// A consumer of Redis streams through a consumer group, as `huracan consume` and other
/// out-of-process readers (recorder, risk monitor) run it: it takes over entries a dead
/// consumer left pending for longer than `claimIdleMilliseconds`, reads new entries with a
/// blocking XREADGROUP on a connection of its own, hands each to `handle`, and acknowledges a
/// batch only after `handle` returned for its entries (a crash in between redelivers them). An
/// entry that does not decode is handed over with its error and acknowledged too (a poison
/// message must not block the group).
public struct RedisStreamConsumer: Sendable {
    public let bus: RedisStreamsBus
    public let streams: [String]
    public let group: String
    public let consumer: String
    public var fromStart: Bool
    public var claimIdleMilliseconds: Int
    public var batchSize: Int
    public var blockMilliseconds: Int
    /// At most once (XREADGROUP NOACK): entries are neither acknowledged nor ever redelivered.
    /// For lossy streams (market data, features) where the newest data matters, not every message.
    public var atMostOnce: Bool

    public init(bus: RedisStreamsBus, streams: [String], group: String, consumer: String, fromStart: Bool = false,
                claimIdleMilliseconds: Int = 60_000, batchSize: Int = 500, blockMilliseconds: Int = 1_000, atMostOnce: Bool = false) {
        self.atMostOnce = atMostOnce
        self.bus = bus
        self.streams = streams
        self.group = group
        self.consumer = consumer
        self.fromStart = fromStart
        self.claimIdleMilliseconds = claimIdleMilliseconds
        self.batchSize = batchSize
        self.blockMilliseconds = blockMilliseconds
    }

    /// Creates the group on every stream (if missing) and registers this consumer.
    public func prepare() async throws(RedisError) {
        for stream in streams {
            try await bus.createGroup(stream: stream, group: group, fromStart: fromStart)
            try await bus.register(consumer: consumer, stream: stream, group: group)
        }
    }

    /// Runs until cancelled or `handle` returns false (stop after this entry). Returns how many
    /// entries were handled. Connection failures are retried with a pause; they never lose an
    /// entry (an unacknowledged entry stays pending and is claimed again).
    @discardableResult
    public func run(handle: (StreamEntry) async -> Bool) async throws(RedisError) -> Int {
        try await prepare()
        var handled = 0
        var connection: RedisConnection?
        var lastClaim = ContinuousClock.now - .seconds(3_600)
        defer { connection?.close() }
        while !Task.isCancelled {
            do throws(RedisError) {
                var entries: [StreamEntry] = []
                if !atMostOnce, ContinuousClock.now - lastClaim >= .milliseconds(min(claimIdleMilliseconds, 5_000)) {
                    for stream in streams {
                        entries += try await bus.claim(stream: stream, group: group, consumer: consumer,
                                                       minIdleMilliseconds: claimIdleMilliseconds, count: batchSize).entries
                    }
                    lastClaim = .now
                }
                if entries.isEmpty {
                    if connection == nil || connection?.isActive == false { connection = try await bus.client.dedicatedConnection() }
                    entries = try await bus.read(streams: streams, group: group, consumer: consumer, count: batchSize,
                                                 blockMilliseconds: blockMilliseconds, noAck: atMostOnce, on: connection)
                }
                // Handle the batch, then acknowledge what was handled, per stream, in one call each.
                var done: [String: [StreamEntryID]] = [:]
                var stop = false
                for entry in entries {
                    stop = !(await handle(entry))
                    handled += 1
                    // An entry is acknowledged once all its messages were handled; one left
                    // half done stays pending and comes back whole (at least once).
                    if entry.isLastPart { done[entry.stream, default: []].append(entry.id) }
                    if stop { break }
                }
                if !atMostOnce { for (stream, ids) in done { try await bus.ack(stream: stream, group: group, ids: ids) } }
                if stop { return handled }
            } catch {
                if case .closed = error { throw error }
                connection?.close()
                connection = nil
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        return handled
    }
}
