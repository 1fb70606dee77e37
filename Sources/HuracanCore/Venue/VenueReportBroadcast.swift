import Synchronization

/// The fan-out behind `ExchangeVenue.reports()`: every subscriber gets every report from its
/// subscription on, in the order they are sent. Callers that must keep reports in venue order
/// send while holding their own lock (this one is only ever taken inside it).
public final class VenueReportBroadcast: Sendable {
    private let subscribers = Locked<(next: Int, list: [(id: Int, continuation: AsyncStream<VenueReport>.Continuation)])>((0, []))

    public init() {}

    /// A new, independent stream of the reports sent from now on.
    public func subscribe() -> AsyncStream<VenueReport> {
        let (stream, continuation) = AsyncStream.makeStream(of: VenueReport.self, bufferingPolicy: .unbounded)
        let id = subscribers.withLock { state in
            state.next += 1
            state.list.append((state.next, continuation))
            return state.next
        }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { $0.list.removeAll { $0.id == id } } }
        return stream
    }

    public func send(_ report: VenueReport) {
        subscribers.withLock { for s in $0.list { s.continuation.yield(report) } }
    }

    /// Ends every subscriber's stream.
    public func finish() {
        let list = subscribers.withLock { state in
            defer { state.list.removeAll() }
            return state.list
        }
        for s in list { s.continuation.finish() }
    }
}
