/// The seam between the engine and its message bus: Redis-Streams-style streams with consumer
/// groups. The in-process bus implements it for one machine; a Redis client implements it with
/// XADD / XREADGROUP / XACK / XAUTOCLAIM.
///
/// Delivery is at least once: an entry read by a consumer stays pending in its group until
/// acknowledged, and entries of a consumer that died can be claimed by another after an idle time.
public protocol MessageBus: Sendable {
    /// Appends `message` to `stream` (created on first use). Never blocks: a full lossless stream
    /// answers `.backpressure`, a full lossy stream drops its oldest entry (`.conflated`).
    func publish(_ message: BusMessage, to stream: String) -> PublishResult

    /// Creates consumer group `group` on `stream` (creating the stream if needed). The group
    /// starts at the stream's next entry, or at its oldest retained entry when `fromStart`.
    /// Returns false (and changes nothing) when the group already exists.
    @discardableResult
    func createGroup(stream: String, group: String, fromStart: Bool) -> Bool

    /// Up to `max` entries the group has not yet delivered to anyone, oldest first; they become
    /// pending for `consumer` until acknowledged. A consumer is registered on its first read or
    /// claim; throws `BusError.tooManyConsumers` when that would exceed the group's limit.
    func read(stream: String, group: String, consumer: String, max: Int) throws(BusError) -> [Delivery]

    /// Acknowledges processed entries; returns how many were pending in the group (others are ignored).
    @discardableResult
    func ack(stream: String, group: String, ids: [UInt64]) throws(BusError) -> Int

    /// XAUTOCLAIM: takes over up to `max` of the group's pending entries, oldest first, that were
    /// last delivered at least `minIdleNanoseconds` before `now`, and redelivers them to
    /// `consumer` with their delivery count raised by one.
    func claim(
        stream: String, group: String, consumer: String, minIdleNanoseconds: Int64, now: Int64, max: Int
    ) throws(BusError) -> [Delivery]

    /// Forgets a consumer (it frees its place under the limit); its pending entries stay pending
    /// for `claim`. Returns how many entries it still had pending.
    @discardableResult
    func removeConsumer(stream: String, group: String, consumer: String) throws(BusError) -> Int

    /// Counters of one stream; all zero for a stream never used.
    func stats(stream: String) -> StreamStats
}

extension MessageBus {
    /// Creates a group that starts at the stream's next entry.
    @discardableResult
    public func createGroup(stream: String, group: String) -> Bool {
        createGroup(stream: stream, group: group, fromStart: false)
    }
}
