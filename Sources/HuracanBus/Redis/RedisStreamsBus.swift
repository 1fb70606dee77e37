import HuracanRedis
import NIOCore

/// The message bus on Redis Streams: XADD with approximate MAXLEN trimming (XTRIM), consumer groups
/// (XGROUP), XREADGROUP, XACK and XAUTOCLAIM, so that entries left pending by a dead consumer
/// are taken over by another after an idle time and nothing is lost.
///
/// Each entry holds one or more fields `m`, each with one message in the compact binary bus
/// encoding (`BusCodec.encodeBinary`; readers also accept the JSON form). Messages published
/// together to the same stream share an entry, up to `messagesPerEntry`: Redis's work (append,
/// pending list, acknowledgement) is per entry, so packing multiplies what one server carries.
/// Lossy streams (market data, features, signals) are trimmed to `lossyMaxLength`; lossless
/// streams (orders, executions) to the much larger `losslessMaxLength`, a safety cap that
/// consumers keep far away from (their lag is reported by `groupInfo`).
public final class RedisStreamsBus: Sendable {
    public let client: RedisClient
    public let lossyMaxLength: Int
    public let losslessMaxLength: Int
    public let maxConsumersPerGroup: Int
    /// Most messages written into one entry (`engine.message_bus.messages_per_entry`); 1 writes
    /// one entry per message.
    public let messagesPerEntry: Int

    public init(client: RedisClient, lossyMaxLength: Int = 10_000, losslessMaxLength: Int = 1_000_000, maxConsumersPerGroup: Int = 10,
                messagesPerEntry: Int = 1) {
        self.client = client
        self.messagesPerEntry = max(1, messagesPerEntry)
        self.lossyMaxLength = lossyMaxLength
        self.losslessMaxLength = losslessMaxLength
        self.maxConsumersPerGroup = maxConsumersPerGroup
    }

    // MARK: Publishing

    /// The MAXLEN applied to `stream`.
    public func maxLength(of stream: String) -> Int { StreamName.isLossless(stream) ? losslessMaxLength : lossyMaxLength }

    /// Appends one message; returns its entry id.
    @discardableResult
    public func publish(_ message: BusMessage, to stream: String) async throws(RedisError) -> StreamEntryID {
        try await publish([(stream, message)])[0]
    }

    /// Appends messages to their streams in one pipelined write, packed as `Packing` says;
    /// returns the entry id of each message, in the order given (messages sharing an entry share
    /// its id). On a connection failure some may have been appended: the caller keeps them all
    /// and publishes again (consumers see at-least-once delivery, as with any Redis consumer group).
    @discardableResult
    public func publish(_ messages: [(stream: String, message: BusMessage)]) async throws(RedisError) -> [StreamEntryID] {
        guard !messages.isEmpty else { return [] }
        let packing = Packing(messages, messagesPerEntry: messagesPerEntry)
        var commands = ByteBuffer()
        writeAddCommands(messages, packing, into: &commands)
        let replies = try await client.frames(encoded: commands, count: packing.entries.count + packing.streams.count, name: "XADD")
        var ids = [StreamEntryID](repeating: .zero, count: messages.count)
        for (reply, entry) in zip(replies, packing.entries) {
            let id = try Self.entryID(reply)
            for index in packing.order[entry.messages] { ids[index] = id }
        }
        for trim in replies.dropFirst(packing.entries.count) { try Self.checkTrim(trim) }
        return ids
    }

    /// Writes one `XADD stream * m <message> [m <message> ...]` per entry, the messages encoded
    /// in binary straight into the command buffer, then one `XTRIM stream MAXLEN ~ cap` per
    /// stream: trimming once per batch rather than per entry saves the server a quarter of its
    /// XADD work (measured), and a stream passes its cap by at most one batch.
    func writeAddCommands(_ messages: [(stream: String, message: BusMessage)], _ packing: Packing, into buffer: inout ByteBuffer) {
        var prefix = ByteBuffer()
        var prefixStream: String?
        var message: [UInt8] = []
        message.reserveCapacity(256)
        for entry in packing.entries {
            if entry.stream != prefixStream {
                prefix.clear()
                for argument in ["XADD", entry.stream, "*"] { RESPEncoder.writeBulk(argument, into: &prefix) }
                prefixStream = entry.stream
            }
            RESPEncoder.writeArrayHeader(3 + 2 * entry.messages.count, into: &buffer)
            buffer.writeImmutableBuffer(prefix)
            for index in packing.order[entry.messages] {
                buffer.writeStaticString("$1\r\nm\r\n")
                BusCodec.encodeBinary(messages[index].message, into: &message)
                message.withUnsafeBytes { RESPEncoder.writeBulk($0, into: &buffer) }
            }
        }
        for stream in packing.streams {
            RESPEncoder.writeArrayHeader(5, into: &buffer)
            for argument in ["XTRIM", stream, "MAXLEN", "~", String(maxLength(of: stream))] { RESPEncoder.writeBulk(argument, into: &buffer) }
        }
    }

    // MARK: Groups and consumers

    /// Creates `group` on `stream` (and the stream). Returns false when the group exists.
    @discardableResult
    public func createGroup(stream: String, group: String, fromStart: Bool = false) async throws(RedisError) -> Bool {
        do {
            try await client.send(["XGROUP", "CREATE", .text(stream), .text(group), fromStart ? "0" : "$", "MKSTREAM"])
            return true
        } catch let error where error.serverCode == "BUSYGROUP" {
            return false
        }
    }

    /// Registers `consumer` in `group`, refusing it when the group would exceed
    /// `maxConsumersPerGroup` (engine.message_bus.max_consumers_per_group).
    public func register(consumer: String, stream: String, group: String) async throws(RedisError) {
        let created = try await client.send(["XGROUP", "CREATECONSUMER", .text(stream), .text(group), .text(consumer)])
        guard created.int == 1 else { return }
        let consumers = try await client.send(["XINFO", "CONSUMERS", .text(stream), .text(group)])
        let count = consumers.array?.count ?? 0
        if count > maxConsumersPerGroup {
            try await client.send(["XGROUP", "DELCONSUMER", .text(stream), .text(group), .text(consumer)])
            throw .server("LIMIT consumer \"\(consumer)\" refused on \(stream) group \"\(group)\": the group already has \(maxConsumersPerGroup) consumers (engine.message_bus.max_consumers_per_group)")
        }
    }

    /// Removes a consumer. Redis drops its pending entries with it, so claim them first
    /// (`claim`) when it died with work in hand; returns how many it still had.
    @discardableResult
    public func removeConsumer(_ consumer: String, stream: String, group: String) async throws(RedisError) -> Int {
        Int(try await client.send(["XGROUP", "DELCONSUMER", .text(stream), .text(group), .text(consumer)]).int ?? 0)
    }

    // MARK: Reading

    /// Up to `count` entries never delivered to the group, now pending for `consumer`. Without
    /// `blockMilliseconds` it answers at once (possibly empty); with it, it waits on its own
    /// connection (`connection`) for that long.
    ///
    /// With `noAck` the entries are delivered at most once: Redis keeps no pending entry for
    /// them, so they need no XACK and are never claimed again. For lossy streams (market data,
    /// features) whose consumers want the newest data rather than every message; it halves the
    /// server's work per message.
    public func read(
        streams: [String], group: String, consumer: String, count: Int, blockMilliseconds: Int? = nil, noAck: Bool = false,
        on connection: RedisConnection? = nil
    ) async throws(RedisError) -> [StreamEntry] {
        var command: [RESPArgument] = ["XREADGROUP", "GROUP", .text(group), .text(consumer), "COUNT", .int(count)]
        if let blockMilliseconds { command += ["BLOCK", .int(blockMilliseconds)] }
        if noAck { command.append("NOACK") }
        command.append("STREAMS")
        command += streams.map { .text($0) }
        command += streams.map { _ in ">" }
        let frame: ByteBuffer
        if let connection {
            frame = try await connection.frames([command], timeout: blockMilliseconds == nil)[0]
        } else {
            frame = try await client.frames([command])[0]
        }
        return try StreamReply.readGroup(frame)
    }

    /// Acknowledges processed entries; returns how many were pending. An id repeated next to
    /// itself (the parts of one entry) is sent once.
    @discardableResult
    public func ack(stream: String, group: String, ids: [StreamEntryID]) async throws(RedisError) -> Int {
        guard !ids.isEmpty else { return 0 }
        var command: [RESPArgument] = ["XACK", .text(stream), .text(group)]
        command.reserveCapacity(3 + ids.count)
        var previous: StreamEntryID?
        for id in ids where id != previous {
            command.append(.text(id.description))
            previous = id
        }
        let reply = try await client.send(command)
        return Int(reply.int ?? 0)
    }

    /// XAUTOCLAIM: takes over up to `count` of the group's entries pending for at least
    /// `minIdleMilliseconds` (their consumer died or stalled) and hands them to `consumer`.
    /// Entries trimmed away while pending are acknowledged (they cannot be processed) and
    /// counted in `deleted`.
    public func claim(
        stream: String, group: String, consumer: String, minIdleMilliseconds: Int, count: Int = 100
    ) async throws(RedisError) -> (entries: [StreamEntry], deleted: Int) {
        var start = StreamEntryID.zero
        var entries: [StreamEntry] = []
        var deleted = 0
        repeat {
            let frame = try await client.frames([["XAUTOCLAIM", .text(stream), .text(group), .text(consumer), .int(minIdleMilliseconds),
                                                  .text(start.description), "COUNT", .int(count - entries.count)]])[0]
            let (next, claimed, gone) = try StreamReply.autoClaim(frame, stream: stream)
            entries += claimed
            if !gone.isEmpty {
                deleted += gone.count
                _ = try await ack(stream: stream, group: group, ids: gone)
            }
            start = next
        } while start != .zero && entries.count < count
        return (entries, deleted)
    }

    // MARK: Inspection

    /// Length and per-group pending, lag and consumers of a stream (XINFO STREAM / GROUPS).
    public func info(stream: String) async throws(RedisError) -> RedisStreamInfo {
        let replies = try await client.pipeline([["XINFO", "STREAM", .text(stream)], ["XINFO", "GROUPS", .text(stream)]])
        if case .error(let message) = replies[0] {
            if message.contains("no such key") { return RedisStreamInfo(length: 0, lastID: .zero, groups: [:]) }
            throw .server(message)
        }
        let streamFields = Self.fields(replies[0])
        var info = RedisStreamInfo(
            length: Int(streamFields["length"]?.int ?? 0),
            lastID: streamFields["last-generated-id"]?.string.flatMap(StreamEntryID.init) ?? .zero,
            groups: [:]
        )
        for group in replies[1].array ?? [] {
            let f = Self.fields(group)
            guard let name = f["name"]?.string else { continue }
            info.groups[name] = RedisStreamInfo.Group(
                consumers: Int(f["consumers"]?.int ?? 0), pending: Int(f["pending"]?.int ?? 0),
                lag: f["lag"]?.int.map { Int($0) }, lastDelivered: f["last-delivered-id"]?.string.flatMap(StreamEntryID.init) ?? .zero
            )
        }
        return info
    }

    // MARK: Reply parsing

    /// An XTRIM's answer: the number of entries removed, or an error.
    static func checkTrim(_ reply: ByteBuffer) throws(RedisError) {
        try RESPReader.read(reply, command: "XTRIM") { reader throws(RESPError) in
            guard reader.nextType == UInt8(ascii: ":") else { throw .malformed("expected the number of entries removed") }
        }
    }

    /// The entry id an XADD answered.
    static func entryID(_ reply: ByteBuffer) throws(RedisError) -> StreamEntryID {
        try RESPReader.read(reply, command: "XADD") { reader throws(RESPError) in
            guard let text = try reader.bulk(), let id = StreamEntryID(utf8: text) else { throw .malformed("expected an entry id") }
            return id
        }
    }

    /// A flat `[name, value, name, value...]` reply as a dictionary.
    static func fields(_ value: RESPValue) -> [String: RESPValue] {
        var result: [String: RESPValue] = [:]
        let items = value.array ?? []
        var index = 0
        while index + 1 < items.count {
            if let key = items[index].string { result[key] = items[index + 1] }
            index += 2
        }
        return result
    }
}

/// What XINFO tells about a stream.
public struct RedisStreamInfo: Sendable, Hashable {
    public struct Group: Sendable, Hashable {
        public var consumers: Int
        public var pending: Int
        /// Entries not yet delivered to the group (Redis 7); nil when Redis cannot tell.
        public var lag: Int?
        public var lastDelivered: StreamEntryID
    }
    public var length: Int
    public var lastID: StreamEntryID
    public var groups: [String: Group]
}
