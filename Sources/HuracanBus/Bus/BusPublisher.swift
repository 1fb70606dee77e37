/// Where an engine publishes: the in-process bus, or the outbox in front of Redis Streams.
/// Publishing never blocks the caller.
public protocol BusPublisher: Sendable {
    /// Publishes `messages` in order; a full lossless stream refuses the rest (`backpressure`),
    /// a full lossy stream conflates its oldest entries.
    func publish(batch messages: some Collection<BusMessage>, to stream: String) -> BatchPublishResult
    /// Whether anyone may read `stream`: per-coin streams are published only then, so that 400
    /// unread streams cost nothing.
    func mayHaveReaders(_ stream: String) -> Bool
}

extension InProcessBus: BusPublisher {
    /// A consumer group exists on the stream.
    public func mayHaveReaders(_ stream: String) -> Bool { hasConsumerGroups(stream: stream) }
}
