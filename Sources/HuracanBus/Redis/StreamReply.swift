import HuracanRedis
import NIOCore

/// Reads XREADGROUP and XAUTOCLAIM replies in place (`RESPReader` over the reply's bytes): each
/// `m` field is decoded straight from the socket buffer into a message, without a `RESPValue`
/// tree or a copy of its bytes. A reply of another shape is `RedisError.unexpectedReply`, an
/// error reply `RedisError.server`.
enum StreamReply {
    /// XREADGROUP: null (nothing new), or per stream `[name, [entry, ...]]`.
    static func readGroup(_ frame: ByteBuffer) throws(RedisError) -> [StreamEntry] {
        try RESPReader.read(frame, command: "XREADGROUP") { reader throws(RESPError) in
            var entries: [StreamEntry] = []
            for _ in 0..<(try reader.array() ?? 0) {
                guard try reader.array() == 2, let name = try reader.bulk() else { throw .malformed("a stream is not [name, entries]") }
                let stream = String(decoding: name, as: UTF8.self)
                let count = try reader.array() ?? 0
                entries.reserveCapacity(entries.count + count)
                for _ in 0..<count { try entry(&reader, stream: stream, claimed: false, into: &entries) }
            }
            return entries
        }
    }

    /// XAUTOCLAIM: `[next id, [entry, ...], [deleted id, ...]]` (Redis 6.2 sends no third part
    /// and nulls for deleted entries).
    static func autoClaim(_ frame: ByteBuffer, stream: String) throws(RedisError) -> (next: StreamEntryID, entries: [StreamEntry], deleted: [StreamEntryID]) {
        try RESPReader.read(frame, command: "XAUTOCLAIM") { reader throws(RESPError) in
            guard let parts = try reader.array(), parts >= 2, let nextBytes = try reader.bulk(), let next = StreamEntryID(utf8: nextBytes) else {
                throw .malformed("not [next id, entries, ...]")
            }
            var entries: [StreamEntry] = []
            for _ in 0..<(try reader.array() ?? 0) { try entry(&reader, stream: stream, claimed: true, into: &entries) }
            var deleted: [StreamEntryID] = []
            if parts >= 3 {
                for _ in 0..<(try reader.array() ?? 0) {
                    guard let bytes = try reader.bulk(), let id = StreamEntryID(utf8: bytes) else { throw .malformed("a deleted entry id is not an id") }
                    deleted.append(id)
                }
                for _ in 3..<parts { try reader.skip() }
            }
            return (next, entries, deleted)
        }
    }

    /// One entry, `[id, [field, value, ...]]`: one `StreamEntry` per `m` field (an entry without
    /// any gives one failed payload, so that it is still acknowledged and reported). A null
    /// entry (deleted while pending, Redis 6.2) gives nothing.
    private static func entry(_ reader: inout RESPReader, stream: String, claimed: Bool, into entries: inout [StreamEntry]) throws(RESPError) {
        guard let pair = try reader.array() else { return }
        guard pair == 2, let idBytes = try reader.bulk(), let id = StreamEntryID(utf8: idBytes) else { throw .malformed("an entry is not [id, fields]") }
        let fieldCount = try reader.array() ?? 0
        // First pass on a copy: how many messages the entry holds.
        var probe = reader
        var parts = 0
        for _ in 0..<(fieldCount / 2) {
            if isMessageField(try probe.bulk()) { parts += 1 }
            try probe.skip()
        }
        guard parts > 0 else {
            for _ in 0..<fieldCount { try reader.skip() }
            entries.append(StreamEntry(id: id, stream: stream, payload: .failure(.missingField(type: "stream entry", field: "m")), claimed: claimed))
            return
        }
        var part = 0
        for _ in 0..<(fieldCount / 2) {
            guard isMessageField(try reader.bulk()) else {
                try reader.skip()
                continue
            }
            let payload: Result<BusMessage, BusDecodeError>
            if reader.nextType == UInt8(ascii: "$"), let bytes = try reader.bulk() {
                payload = Result { () throws(BusDecodeError) in try BusCodec.decode(bytes) }
            } else {
                try reader.skip()
                payload = .failure(.missingField(type: "stream entry", field: "m"))
            }
            entries.append(StreamEntry(id: id, stream: stream, payload: payload, claimed: claimed, part: part, parts: parts))
            part += 1
        }
        if fieldCount % 2 == 1 { try reader.skip() }
    }

    private static func isMessageField(_ name: UnsafeRawBufferPointer?) -> Bool {
        guard let name else { return false }
        return name.count == 1 && name[0] == UInt8(ascii: "m")
    }
}
