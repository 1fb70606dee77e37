/// A bus call that cannot be served.
public enum BusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The group (or its stream) does not exist: call `createGroup` first.
    case noSuchGroup(stream: String, group: String)
    /// A new consumer would exceed `message_bus.max_consumers_per_group`.
    case tooManyConsumers(stream: String, group: String, consumer: String, limit: Int)

    public var description: String {
        switch self {
        case .noSuchGroup(let stream, let group):
            "bus: no consumer group \"\(group)\" on stream \"\(stream)\"; create it with createGroup first"
        case .tooManyConsumers(let stream, let group, let consumer, let limit):
            "bus: consumer \"\(consumer)\" refused on \(stream) group \"\(group)\": the group already has "
                + "\(limit) consumers (engine.message_bus.max_consumers_per_group); remove a dead consumer or raise the limit"
        }
    }
}
