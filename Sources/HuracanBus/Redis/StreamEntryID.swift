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
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let ms = UInt64(parts[0]), let seq = UInt64(parts[1]) else { return nil }
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
