import DequeModule
import HuracanCore
import HuracanRedis
import Synchronization

/// The engine's bounded buffer in front of Redis Streams. `publish` never blocks: messages wait
/// here and `run` sends them in pipelined XADD batches. While Redis is away nothing is lost
/// within the bound: orders and executions wait (a full buffer answers backpressure and the
/// engine keeps them), market data, features and signals drop their oldest entries.
/// After a connection failure a batch is sent again, so delivery is at least once.
public final class RedisOutbox: BusPublisher {
    public let bus: RedisStreamsBus
    /// Messages held per class (lossless, lossy).
    public let capacity: Int
    private let state: Locked<State>

    struct State {
        var lossless = Deque<(stream: String, message: BusMessage)>()
        var lossy = Deque<(stream: String, message: BusMessage)>()
        var status = RedisOutboxStatus()
        /// Lossy entries dropped from the front since the start (to tell, after a send, how
        /// many of the sent ones are already gone).
        var lossyDropped = 0
    }

    public init(bus: RedisStreamsBus, capacity: Int) {
        self.bus = bus
        self.capacity = max(1, capacity)
        self.state = Locked(State())
    }

    public func publish(batch messages: some Collection<BusMessage>, to stream: String) -> BatchPublishResult {
        let lossless = StreamName.isLossless(stream)
        let capacity = capacity
        return state.withLock { s in
            var result = BatchPublishResult()
            for message in messages {
                if lossless {
                    guard s.lossless.count < capacity else {
                        result.backpressure = true
                        s.status.backpressure += 1
                        return result
                    }
                    s.lossless.append((stream, message))
                } else {
                    if s.lossy.count >= capacity {
                        s.lossy.removeFirst()
                        s.lossyDropped += 1
                        result.conflated += 1
                        s.status.conflated += 1
                    }
                    s.lossy.append((stream, message))
                }
                result.published += 1
            }
            return result
        }
    }

    /// Everyone may read a Redis stream: consumers live in other processes.
    public func mayHaveReaders(_ stream: String) -> Bool { true }

    public var status: RedisOutboxStatus {
        state.withLock { s in
            var status = s.status
            status.queuedLossless = s.lossless.count
            status.queuedLossy = s.lossy.count
            return status
        }
    }

    /// Sends up to `max` waiting messages (orders and executions first) in one pipelined write;
    /// they leave the buffer only once Redis has answered. Returns how many were sent.
    @discardableResult
    public func flush(max: Int = 2_048) async throws(RedisError) -> Int {
        let (batch, droppedBefore) = state.withLock { s in
            let fromLossless = Swift.min(max, s.lossless.count)
            let fromLossy = Swift.min(max - fromLossless, s.lossy.count)
            return (Array(s.lossless.prefix(fromLossless)) + Array(s.lossy.prefix(fromLossy)), s.lossyDropped)
        }
        guard !batch.isEmpty else { return 0 }
        let losslessCount = batch.prefix { StreamName.isLossless($0.stream) }.count
        do {
            _ = try await bus.publish(batch)
        } catch {
            state.withLock { s in
                s.status.connected = false
                s.status.lastError = error.description
                s.status.failures += 1
            }
            throw error
        }
        state.withLock { s in
            s.lossless.removeFirst(losslessCount)
            // Lossy entries may have been conflated meanwhile: remove only the sent ones still here.
            let stillHere = Swift.max(0, batch.count - losslessCount - (s.lossyDropped - droppedBefore))
            s.lossy.removeFirst(stillHere)
            s.lossyDropped += stillHere
            s.status.sent += batch.count
            s.status.connected = true
        }
        return batch.count
    }

    /// Keeps sending until cancelled: batches back to back while messages wait, a short sleep
    /// when idle, a growing pause (up to 1 s) while Redis is unreachable. `afterFlush` runs
    /// after each attempt (the shared risk ledger sends its changes there).
    public func run(afterFlush: @Sendable () async -> Void = {}) async {
        var pause = Duration.milliseconds(20)
        while !Task.isCancelled {
            do {
                let sent = try await flush()
                pause = .milliseconds(20)
                await afterFlush()
                if sent == 0 { try? await Task.sleep(for: .milliseconds(5)) }
            } catch {
                await afterFlush()
                try? await Task.sleep(for: pause)
                pause = Swift.min(pause * 2, .seconds(1))
            }
        }
    }

    /// Removes and returns every waiting message, orders and executions first (at shutdown,
    /// when Redis stays unreachable, so that the caller can keep them elsewhere).
    public func takeAll() -> [(stream: String, message: BusMessage)] {
        state.withLock { s in
            let all = Array(s.lossless) + Array(s.lossy)
            s.lossyDropped += s.lossy.count
            s.lossless.removeAll()
            s.lossy.removeAll()
            return all
        }
    }

    /// Sends what is left (at shutdown), giving up after `timeout`.
    public func drain(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let waiting = state.withLock { $0.lossless.count + $0.lossy.count }
            if waiting == 0 { return true }
            if (try? await flush()) == nil { try? await Task.sleep(for: .milliseconds(50)) }
        }
        return state.withLock { $0.lossless.isEmpty && $0.lossy.isEmpty }
    }
}

/// What the outbox has done, for health checks and metrics.
public struct RedisOutboxStatus: Sendable, Hashable {
    /// Whether the last send reached Redis.
    public var connected = false
    public var queuedLossless = 0
    public var queuedLossy = 0
    public var sent = 0
    public var conflated = 0
    public var backpressure = 0
    public var failures = 0
    public var lastError: String?
    public init() {}
}
