import Synchronization
import HuracanCore

/// The embedded message bus: bounded in-memory streams with Redis-Streams semantics
/// (consumer groups, pending entries, acknowledgements, claims), for one process.
///
/// Each stream holds at most `capacityPerStream` entries. An entry is removed once every group
/// has had it delivered and acknowledged. Lossless streams (orders, executions) never drop: when
/// full, `publish` answers `.backpressure`. Lossy streams (market data, features, signals) drop
/// their oldest entry when full, even one a group has not read (counted as `conflatedUnread`).
/// Without any group, entries stay until a lossy stream needs room, so a group created later
/// with `fromStart: true` can read them.
public final class InProcessBus: MessageBus, Sendable {
    /// One stream and its lock. Sendable: immutable apart from the lock-guarded state.
    private final class Stream: Sendable {
        let state: Locked<StreamState>
        init(_ state: StreamState) { self.state = Locked(state) }
    }

    public let capacityPerStream: Int
    public let maxConsumersPerGroup: Int
    private let clock: @Sendable () -> Int64
    private let isLossless: @Sendable (String) -> Bool
    private let streams = Locked<[String: Stream]>([:])

    /// - Parameters:
    ///   - capacityPerStream: entries retained per stream, at least 1.
    ///   - maxConsumersPerGroup: `engine.message_bus.max_consumers_per_group`, at least 1.
    ///   - clock: nanoseconds now, stamped on deliveries for idle times of `claim`.
    ///   - isLossless: which streams must never drop; by default the spec's classification.
    public init(
        capacityPerStream: Int, maxConsumersPerGroup: Int, clock: @escaping @Sendable () -> Int64,
        isLossless: @escaping @Sendable (String) -> Bool = StreamName.isLossless
    ) {
        precondition(capacityPerStream >= 1, "capacityPerStream must be at least 1, got \(capacityPerStream)")
        precondition(maxConsumersPerGroup >= 1, "maxConsumersPerGroup must be at least 1, got \(maxConsumersPerGroup)")
        self.capacityPerStream = capacityPerStream
        self.maxConsumersPerGroup = maxConsumersPerGroup
        self.clock = clock
        self.isLossless = isLossless
    }

    private func stream(_ name: String) -> Stream {
        streams.withLock { table in
            if let stream = table[name] { return stream }
            let stream = Stream(StreamState(lossless: isLossless(name), capacity: capacityPerStream))
            table[name] = stream
            return stream
        }
    }

    private func existing(_ name: String) -> Stream? { streams.withLock { $0[name] } }

    public func publish(_ message: BusMessage, to stream: String) -> PublishResult {
        self.stream(stream).state.withLock { $0.publish(message) }
    }

    /// Publishes `messages` in order under one lock of the stream. Stops at the first message a
    /// lossless stream refuses: that one and the rest are not published (`published` tells how
    /// many were), so the caller keeps them in order and retries.
    public func publish(batch messages: some Collection<BusMessage>, to stream: String) -> BatchPublishResult {
        self.stream(stream).state.withLock { state in
            var result = BatchPublishResult()
            for message in messages {
                switch state.publish(message) {
                case .published: result.published += 1
                case .conflated:
                    result.published += 1
                    result.conflated += 1
                case .backpressure:
                    result.backpressure = true
                    return result
                }
            }
            return result
        }
    }

    @discardableResult
    public func createGroup(stream: String, group: String, fromStart: Bool) -> Bool {
        self.stream(stream).state.withLock { $0.createGroup(group, fromStart: fromStart) }
    }

    public func read(stream: String, group: String, consumer: String, max: Int) throws(BusError) -> [Delivery] {
        guard let box = existing(stream) else { throw .noSuchGroup(stream: stream, group: group) }
        let now = clock()
        let limit = maxConsumersPerGroup
        return try box.state.withLock { (state) throws(BusError) in
            try state.read(group: group, consumer: consumer, max: max, limit: limit, now: now, stream: stream)
        }
    }

    @discardableResult
    public func ack(stream: String, group: String, ids: [UInt64]) throws(BusError) -> Int {
        guard let box = existing(stream) else { throw .noSuchGroup(stream: stream, group: group) }
        return try box.state.withLock { (state) throws(BusError) in try state.ack(group: group, ids: ids, stream: stream) }
    }

    public func claim(
        stream: String, group: String, consumer: String, minIdleNanoseconds: Int64, now: Int64, max: Int
    ) throws(BusError) -> [Delivery] {
        guard let box = existing(stream) else { throw .noSuchGroup(stream: stream, group: group) }
        let limit = maxConsumersPerGroup
        return try box.state.withLock { (state) throws(BusError) in
            try state.claim(group: group, consumer: consumer, minIdle: minIdleNanoseconds, now: now, max: max, limit: limit, stream: stream)
        }
    }

    /// Claims with the bus clock's current time.
    public func claim(stream: String, group: String, consumer: String, minIdleNanoseconds: Int64, max: Int) throws(BusError) -> [Delivery] {
        try claim(stream: stream, group: group, consumer: consumer, minIdleNanoseconds: minIdleNanoseconds, now: clock(), max: max)
    }

    @discardableResult
    public func removeConsumer(stream: String, group: String, consumer: String) throws(BusError) -> Int {
        guard let box = existing(stream) else { throw .noSuchGroup(stream: stream, group: group) }
        return try box.state.withLock { (state) throws(BusError) in
            try state.removeConsumer(group: group, consumer: consumer, stream: stream)
        }
    }

    /// Whether the stream has a consumer group (a cheap check, for publishers).
    public func hasConsumerGroups(stream: String) -> Bool {
        existing(stream)?.state.withLock { $0.hasGroups } ?? false
    }

    public func stats(stream: String) -> StreamStats {
        existing(stream)?.state.withLock { $0.stats() } ?? StreamStats()
    }
}
