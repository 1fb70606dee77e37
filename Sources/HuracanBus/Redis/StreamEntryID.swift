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
        var ms: UInt64 = 0, seq: UInt64 = 0
        var digits = 0
        var seenDash = false
        for byte in text.utf8 {
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
public struct StreamEntry: Sendable {
    public let id: StreamEntryID
    public let stream: String
    public let payload: Result<BusMessage, BusDecodeError>
    /// True when the entry came back through XAUTOCLAIM (another consumer had it before).
    public let claimed: Bool

    public var message: BusMessage? { try? payload.get() }
}
