/// A value handed from one thread to another by a hand-off that orders every access to it: a
/// thread started with it and joined (or waited for) before the sender touches it again, or a
/// semaphore pair where the sender parks while the receiver runs. The compiler cannot see such
/// an ordering, so the hand-off says it here, in one place: the engine's coordinator thread and
/// the shard worker threads are its only users.
///
/// Use it only at the hand-off itself, never to store shared state: anything both sides may
/// touch at the same time belongs behind `Locked` or in an atomic.
// @unchecked: soundness rests on the hand-off described above, which the users document.
public struct ThreadHandOff<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
