import Foundation
import HuracanBus
import HuracanCore
import Synchronization

/// Records what travels on the message bus into the data lake: a consumer group on the given
/// streams, read on its own thread, buffered per kind with a bound, written in batches and
/// acknowledged only after the write (at least once). Works with any `MessageBus` (in-process
/// or Redis). Trading never waits for it: publishing is non-blocking, and a recorder that falls
/// behind only makes the lossy streams (market data, features, signals) conflate.
public final class BusRecorder: Sendable {
    public struct Configuration: Sendable {
        /// Streams to record.
        public var streams: [String]
        public var group = "huracan-recorder"
        public var consumer = "recorder-1"
        /// Rows buffered (all kinds together) before a write; the memory bound.
        public var flushRows = 50_000
        /// Longest time rows wait in memory.
        public var flushInterval: Duration = .seconds(60)
        /// Entries read per stream per poll.
        public var batchSize = 2_048
        /// Pause when every stream is empty.
        public var idleSleep: Duration = .milliseconds(20)

        public init(streams: [String]) { self.streams = streams }

        /// The engine's streams: orders, executions, and per coin market data, features and signals.
        public static func engine(prefix: String, coins: [String]) -> Configuration {
            let names = StreamName(prefix: prefix)
            return Configuration(streams: [names.ordersGlobal, names.executionsGlobal]
                + coins.flatMap { [names.marketData($0), names.features($0), names.signals($0)] })
        }
    }

    /// Counters of a recorder.
    public struct Stats: Sendable, Hashable {
        public var rowsWritten = 0
        public var flushes = 0
        public var buffered = 0
        public var maxBuffered = 0
        public var writeErrors = 0
        public var lastError: String?
    }

    public let configuration: Configuration
    private let bus: any MessageBus
    private let lake: DataLake
    private let state = Locked(State())
    private let done = DispatchSemaphore(value: 0)

    private struct State {
        var stats = Stats()
        var stopping = false
        var started = false
        /// Features rows handed over directly by feature builders, waiting for the thread.
        var inbox: [FeaturesRecord] = []
    }

    /// Hands features rows to the recorder without the bus (feature builders storing what they
    /// compute). Never blocks: returns false, keeping nothing, when the inbox already holds
    /// `flushRows` rows (storage has fallen behind; the caller counts the loss).
    public func record(features rows: [FeaturesRecord]) -> Bool {
        state.withLock { s in
            guard !s.stopping, s.inbox.count + rows.count <= configuration.flushRows else { return false }
            s.inbox.append(contentsOf: rows)
            return true
        }
    }

    public init(bus: any MessageBus, lake: DataLake, configuration: Configuration) {
        self.bus = bus
        self.lake = lake
        self.configuration = configuration
        for stream in configuration.streams { bus.createGroup(stream: stream, group: configuration.group, fromStart: true) }
    }

    public var stats: Stats { state.withLock { $0.stats } }

    /// Starts the recording thread.
    public func start() {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            loop()
            done.signal()
        }
        thread.name = "huracan-recorder"
        thread.start()
    }

    /// Asks the thread to drain what is readable, write everything buffered and stop; returns
    /// when the last write is done.
    public func stop() {
        let running = state.withLock { s -> Bool in
            s.stopping = true
            return s.started
        }
        if running { done.wait() }
    }

    private func loop() {
        var buffers = RecordBuffers()
        var pending: [String: [UInt64]] = [:]
        let clock = ContinuousClock()
        var lastFlush = clock.now
        while true {
            let (stopping, handed) = state.withLock { s -> (Bool, [FeaturesRecord]) in
                defer { s.inbox.removeAll() }
                return (s.stopping, s.inbox)
            }
            var readAny = !handed.isEmpty
            buffers.features.append(contentsOf: handed)
            for stream in configuration.streams {
                guard let deliveries = try? bus.read(stream: stream, group: configuration.group, consumer: configuration.consumer,
                                                     max: configuration.batchSize), !deliveries.isEmpty else { continue }
                readAny = true
                for delivery in deliveries { buffers.add(delivery.message) }
                pending[stream, default: []].append(contentsOf: delivery(ids: deliveries))
                if buffers.count >= configuration.flushRows { break }
            }
            state.withLock {
                $0.stats.buffered = buffers.count
                $0.stats.maxBuffered = max($0.stats.maxBuffered, buffers.count)
            }
            let due = clock.now - lastFlush >= configuration.flushInterval
            if buffers.count >= configuration.flushRows || (due && buffers.count > 0) || (stopping && !readAny) {
                flush(&buffers, &pending)
                lastFlush = clock.now
            }
            if stopping && !readAny { return }
            if !readAny { Thread.sleep(forTimeInterval: Double(configuration.idleSleep.components.attoseconds) / 1e18 + Double(configuration.idleSleep.components.seconds)) }
        }
    }

    private func delivery(ids deliveries: [Delivery]) -> [UInt64] { deliveries.map(\.id) }

    private func flush(_ buffers: inout RecordBuffers, _ pending: inout [String: [UInt64]]) {
        let rows = buffers.count
        do {
            try buffers.write(to: lake)
            for (stream, ids) in pending { _ = try? bus.ack(stream: stream, group: configuration.group, ids: ids) }
            pending.removeAll(keepingCapacity: true)
            buffers = RecordBuffers()
            state.withLock {
                $0.stats.rowsWritten += rows
                $0.stats.flushes += 1
                $0.stats.buffered = 0
            }
        } catch {
            // Entries stay pending on the bus (not acknowledged); the buffer is dropped so memory
            // stays bounded, and the entries can be claimed again.
            buffers = RecordBuffers()
            pending.removeAll(keepingCapacity: true)
            state.withLock {
                $0.stats.writeErrors += 1
                $0.stats.lastError = "\(error)"
                $0.stats.buffered = 0
            }
        }
    }
}
