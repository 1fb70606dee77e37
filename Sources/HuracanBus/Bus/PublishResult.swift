/// What happened to a published message.
public enum PublishResult: Sendable, Hashable {
    /// Appended with this entry id.
    case published(id: UInt64)
    /// A lossless stream (orders, executions) is full of undelivered or unacknowledged entries.
    /// Nothing was dropped and nothing was appended: the caller keeps the message and retries.
    case backpressure
    /// A lossy stream (market data, features, signals) was full: its oldest entry was dropped
    /// to make room, and the message was appended with this id.
    case conflated(id: UInt64)

    /// The new entry's id, nil on backpressure.
    public var id: UInt64? {
        switch self {
        case .published(let id), .conflated(let id): id
        case .backpressure: nil
        }
    }
}
