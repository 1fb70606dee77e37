#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, used where the standard library's `Synchronization.Mutex`
/// would do. The reason: ThreadSanitizer intercepts pthread mutexes but, on Linux, not the
/// futex inside `Mutex`, so every access under a `Mutex` reads to it as a race (a ten-line
/// program with four threads appending under one `Mutex` gets four reports). With this lock a
/// `swift test --sanitize=thread` run reports only real races. Uncontended cost is the same
/// order (one atomic each way).
// @unchecked: `value` is only touched between pthread_mutex_lock and unlock on `mutex`.
public final class Locked<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    @inlinable @inline(__always)
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
