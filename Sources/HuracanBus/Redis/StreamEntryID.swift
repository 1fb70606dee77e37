/// A Redis stream entry id, `milliseconds-sequence`, ordered as Redis orders them.
public struct StreamEntryID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: UInt64
    public var sequence: UInt64

    public init(milliseconds: UInt64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// Parses `1700000000000-3`; nil for anything else.
    public init?(_ text: String) {
        self.init(utf8: text.utf8)
    }

    init?(utf8: some Sequence<UInt8>) {
        var ms: UInt64 = 0, seq: UInt64 = 0
        var digits = 0
        var seenDash = false
        for byte in utf8 {
            if byte == UInt8(ascii: "-") {
                guard !seenDash, digits > 0 else { return nil }
                seenDash = true
                digits = 0
                continue
            }
            guard byte >= 48, byte <= 57, digits < 20 else { return nil }
            let (times10, o1) = (seenDash ? seq : ms).multipliedReportingOverflow(by: 10)
            let (value, o2) = times10.addingReportingOverflow(UInt64(byte - 48))
            guard !o1, !o2 else { return nil }
            if seenDash { seq = value } else { ms = value }
            digits += 1
        }
        guard seenDash, digits > 0 else { return nil }
        self.init(milliseconds: ms, sequence: seq)
    }

    public static let zero = StreamEntryID(milliseconds: 0, sequence: 0)
    public var description: String { "\(milliseconds)-\(sequence)" }
    public static func < (a: StreamEntryID, b: StreamEntryID) -> Bool {
        (a.milliseconds, a.sequence) < (b.milliseconds, b.sequence)
    }
}

/// One entry read from a Redis stream through a consumer group. An entry whose payload does not
/// decode is still handed over (with the decoding error) so the consumer can acknowledge it and
/// report it: a poison message must not block a group forever, nor crash the reader.
///
/// A Redis entry may carry several messages (one `m` field each, see
/// `RedisStreamsBus.messagesPerEntry`); each becomes one `StreamEntry` with the same `id`, told
/// apart by `part`. Redis acknowledges whole entries: acknowledge an id once all its parts are done.
public struct StreamEntry: Sendable {
    public let id: StreamEntryID
    public let stream: String
    public let payload: Result<BusMessage, BusDecodeError>
    /// True when the entry came back through XAUTOCLAIM (another consumer had it before).
    public let claimed: Bool
    /// This message's place among the messages of its Redis entry (0-based), and their number.
    public let part: Int
    public let parts: Int

    public init(id: StreamEntryID, stream: String, payload: Result<BusMessage, BusDecodeError>, claimed: Bool, part: Int = 0, parts: Int = 1) {
        self.id = id
        self.stream = stream
        self.payload = payload
        self.claimed = claimed
        self.part = part
        self.parts = parts
    }

    public var message: BusMessage? { try? payload.get() }
    /// Whether this is the last message of its Redis entry (its id may be acknowledged after it).
    public var isLastPart: Bool { part == parts - 1 }
}
