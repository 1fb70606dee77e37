import Dispatch
import Foundation
import HuracanCore
import HuracanStorage
import Synchronization

/// A backtest's stored data, read on a thread of its own ahead of the engine: Parquet decoding
/// and the per-coin merge run on the second core while the first replays. The reader hands
/// over batches of simulated time (each coin's events in order, as `StoredCoinStreams` reads
/// them), at most `aheadBatches` ahead, so memory stays bounded; a coin's events arrive in the
/// same order as when read in place, so trades do not change.
final class PrefetchedStoredSource: MarketEventSource {
    /// Every coin's events in a span of simulated time, coin after coin.
    struct Batch: Sendable {
        /// End of the span (nanoseconds, exclusive): later batches hold only later events.
        var end: Int64
        var events: [MarketEvent] = []
        /// Each coin's part of `events` not handed over yet (coins with events only).
        var runs: [Run] = []
    }

    struct Run: Sendable {
        /// The engine's index of the coin (`MarketEvent.coin`).
        var coin: Int
        var start: Int
        var end: Int
    }

    /// Batches the reader may hold ready beyond the one being replayed.
    static let aheadBatches = 2
    /// Events per batch the reader aims at (the span adapts to the data's density).
    static let targetBatchEvents = 65_536

    private let channel = BatchChannel(capacity: aheadBatches)
    private var current: Batch?
    private var finished = false
    let fileCount: Int

    init(_ streams: StoredCoinStreams) {
        fileCount = streams.fileCount
        nonisolated(unsafe) let owned = streams // from here on touched only by the reader thread
        let channel = channel
        let thread = Thread {
            do {
                try Self.read(owned, into: channel)
                channel.finish(error: nil)
            } catch {
                channel.finish(error: StoredBacktestError("\(error)"))
            }
        }
        thread.name = "huracan-replay-reader"
        thread.start()
    }

    deinit { channel.stop() }

    /// The reader thread: batches until the data ends or the engine no longer wants them.
    private static func read(_ streams: StoredCoinStreams, into channel: BatchChannel) throws {
        let to = streams.to.nanoseconds
        var span: Int64 = 1_000_000_000
        var capacity = 1_024
        while true {
            var earliest = Int64.max
            for coin in 0..<streams.coinCount {
                if let t = streams.nextTime(coin: coin), t < earliest { earliest = t }
            }
            guard earliest < to else { return }
            // A spent batch's buffer when the engine has handed one back (no allocation per batch).
            var batch = Batch(end: min(to, earliest + span), events: channel.takeSpentBuffer() ?? [])
            batch.events.reserveCapacity(capacity)
            for coin in 0..<streams.coinCount {
                let start = batch.events.count
                try streams.take(coin: coin, before: batch.end, into: &batch.events)
                if batch.events.count > start { batch.runs.append(Run(coin: Int(batch.events[start].coin), start: start, end: batch.events.count)) }
            }
            // Dense data: shorter spans; sparse: longer (bounded memory either way).
            if batch.events.count > 2 * targetBatchEvents { span = max(span / 2, 1_000_000) }
            else if batch.events.count < targetBatchEvents / 2 { span = min(span * 2, 3_600_000_000_000) }
            capacity = batch.events.count
            guard channel.put(batch) else { return }
        }
    }

    /// The next batch with events left, or nil at the end.
    private func currentBatch() throws -> Batch? {
        while true {
            if let current, !current.runs.isEmpty { return current }
            if var spent = current.take() {
                spent.events.removeAll(keepingCapacity: true)
                channel.giveBack(spent.events)
            }
            guard !finished else { return nil }
            guard let next = try channel.next() else {
                finished = true
                return nil
            }
            current = next
        }
    }

    func nextEventTime() throws -> Timestamp? {
        guard let batch = try currentBatch() else { return nil }
        var earliest = Timestamp.distantFuture
        for run in batch.runs { earliest = min(earliest, batch.events[run.start].time) }
        return earliest
    }

    func load(until end: Timestamp, into sink: (MarketEvent) -> Void) throws {
        try load(until: end) { _, events in
            for event in events { sink(event) }
        }
    }

    func load(until end: Timestamp, into queues: inout [[MarketEvent]]) throws -> Int {
        var added = 0
        try load(until: end) { coin, events in
            queues[coin].append(contentsOf: events)
            added += events.count
        }
        return added
    }

    /// Hands over each coin's events before `end`, a coin's at once.
    private func load(until end: Timestamp, _ body: (_ coin: Int, _ events: ArraySlice<MarketEvent>) -> Void) throws {
        while var batch = try currentBatch() {
            current = nil
            var kept = 0
            for r in batch.runs.indices {
                var run = batch.runs[r]
                var last = run.start
                while last < run.end && batch.events[last].time < end { last += 1 }
                if last > run.start {
                    body(run.coin, batch.events[run.start..<last])
                    run.start = last
                }
                if run.start < run.end {
                    batch.runs[kept] = run
                    kept += 1
                }
            }
            batch.runs.removeLast(batch.runs.count - kept)
            let spanEnd = batch.end
            current = batch
            // Later batches start at this one's end: read on only when it is before `end`.
            guard batch.runs.isEmpty, spanEnd < end.nanoseconds else { return }
        }
    }
}

/// The bounded hand-over between the reader thread and the engine.
private final class BatchChannel: Sendable {
    private struct State: ~Copyable {
        var batches: [PrefetchedStoredSource.Batch] = []
        var finished = false
        var error: StoredBacktestError?
        var stopped = false
        /// Buffers of batches the engine has replayed, for the reader to fill again.
        var spent: [[MarketEvent]] = []
    }

    private let state = Mutex(State())
    private let filled = DispatchSemaphore(value: 0)
    private let free: DispatchSemaphore

    init(capacity: Int) { free = DispatchSemaphore(value: capacity) }

    /// Waits for room; false once the engine stopped reading.
    func put(_ batch: PrefetchedStoredSource.Batch) -> Bool {
        free.wait()
        let accepted = state.withLock { state in
            guard !state.stopped else { return false }
            state.batches.append(batch)
            return true
        }
        if accepted { filled.signal() }
        return accepted
    }

    func finish(error: StoredBacktestError?) {
        state.withLock {
            $0.finished = true
            $0.error = error
        }
        filled.signal()
    }

    /// Waits for the next batch; nil at the end, the reader's error if it failed.
    func next() throws(StoredBacktestError) -> PrefetchedStoredSource.Batch? {
        filled.wait()
        let taken: Result<PrefetchedStoredSource.Batch?, StoredBacktestError> = state.withLock { state in
            if !state.batches.isEmpty { return .success(state.batches.removeFirst()) }
            if let error = state.error { return .failure(error) }
            return .success(nil)
        }
        switch taken {
        case .success(let batch?):
            free.signal()
            return batch
        case .success(nil):
            filled.signal() // the end stays visible to later calls
            return nil
        case .failure(let error):
            filled.signal()
            throw error
        }
    }

    /// Hands a replayed batch's buffer back to the reader.
    func giveBack(_ buffer: [MarketEvent]) {
        state.withLock { if $0.spent.count < 2 { $0.spent.append(buffer) } }
    }

    func takeSpentBuffer() -> [MarketEvent]? { state.withLock { $0.spent.popLast() } }

    /// The engine stopped reading: the reader ends at its next batch.
    func stop() {
        state.withLock { $0.stopped = true }
        free.signal()
    }
}
