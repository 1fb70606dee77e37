import Foundation
import HuracanBus
import HuracanCore
import HuracanRedis
import Synchronization

/// The recorder on Redis Streams (`message_bus.type: redis_streams`): the same consumer group,
/// buffering and files as `BusRecorder`, read with a blocking XREADGROUP over every recorded
/// stream on a connection of its own. Entries are acknowledged only after the rows they carry
/// are written (at least once); at start it first takes over what an earlier recorder left
/// pending (a crash between read and write), so nothing read is lost. `stop()` ends the loop
/// within one block interval, after a last read, write and acknowledgement.
public final class RedisBusRecorder: Sendable {
    public let configuration: BusRecorder.Configuration
    private let bus: RedisStreamsBus
    private let lake: DataLake
    /// Longest wait for new entries before the loop checks for a flush or a stop.
    private let blockMilliseconds: Int
    private let state = Locked(State())

    private struct State {
        var stats = BusRecorder.Stats()
        var stopping = false
        var decodeErrors = 0
    }

    public init(bus: RedisStreamsBus, lake: DataLake, configuration: BusRecorder.Configuration, blockMilliseconds: Int = 200) {
        self.bus = bus
        self.lake = lake
        self.configuration = configuration
        self.blockMilliseconds = blockMilliseconds
    }

    public var stats: BusRecorder.Stats { state.withLock { $0.stats } }
    /// Entries whose payload did not decode (acknowledged and skipped, counted).
    public var decodeErrors: Int { state.withLock { $0.decodeErrors } }

    /// Asks `run()` to write what it holds and return.
    public func stop() { state.withLock { $0.stopping = true } }

    /// Reads, buffers, writes and acknowledges until `stop()` or cancellation.
    public func run() async throws(RedisError) {
        for stream in configuration.streams {
            _ = try await bus.createGroup(stream: stream, group: configuration.group, fromStart: true)
        }
        var buffers = RecordBuffers()
        var pending: [String: [StreamEntryID]] = [:]
        // What an earlier run read but did not write (it died first) is taken over now.
        for stream in configuration.streams {
            while true {
                let claimed = try await bus.claim(stream: stream, group: configuration.group, consumer: configuration.consumer,
                                                  minIdleMilliseconds: 0, count: configuration.batchSize)
                take(claimed.entries, into: &buffers, &pending)
                if buffers.count >= configuration.flushRows { await flush(&buffers, &pending) }
                if claimed.entries.count < configuration.batchSize { break }
            }
        }
        // XREADGROUP's COUNT applies to each stream: spread the batch over them, so one read
        // holds at most max(batchSize, streams) entries.
        let perStream = max(1, configuration.batchSize / max(1, configuration.streams.count))
        var connection: RedisConnection?
        defer { connection?.close() }
        var lastFlush = ContinuousClock.now
        while true {
            let stopping = state.withLock { $0.stopping } || Task.isCancelled
            var readAny = false
            do throws(RedisError) {
                if connection == nil || connection?.isActive == false { connection = try await bus.client.dedicatedConnection() }
                let entries = try await bus.read(streams: configuration.streams, group: configuration.group, consumer: configuration.consumer,
                                                 count: perStream, blockMilliseconds: stopping ? nil : blockMilliseconds, on: connection)
                readAny = !entries.isEmpty
                take(entries, into: &buffers, &pending)
            } catch {
                if case .closed = error { throw error }
                connection?.close()
                connection = nil
                state.withLock { $0.stats.lastError = "\(error)" }
                if !stopping { try? await Task.sleep(for: .milliseconds(200)) }
            }
            state.withLock {
                $0.stats.buffered = buffers.count
                $0.stats.maxBuffered = max($0.stats.maxBuffered, buffers.count)
            }
            let due = ContinuousClock.now - lastFlush >= configuration.flushInterval
            if buffers.count >= configuration.flushRows || (due && !pending.isEmpty) || (stopping && !readAny) {
                await flush(&buffers, &pending)
                lastFlush = .now
            }
            if stopping && !readAny { return }
        }
    }

    private func take(_ entries: [StreamEntry], into buffers: inout RecordBuffers, _ pending: inout [String: [StreamEntryID]]) {
        var undecodable = 0
        for entry in entries {
            if let message = entry.message { buffers.add(message) } else { undecodable += 1 }
            pending[entry.stream, default: []].append(entry.id)
        }
        if undecodable > 0 { state.withLock { $0.decodeErrors += undecodable } }
    }

    private func flush(_ buffers: inout RecordBuffers, _ pending: inout [String: [StreamEntryID]]) async {
        let rows = buffers.count
        do {
            try buffers.write(to: lake)
            state.withLock {
                $0.stats.rowsWritten += rows
                $0.stats.flushes += 1
                $0.stats.buffered = 0
            }
        } catch {
            // Not acknowledged: the entries stay pending and are taken over at the next start.
            state.withLock {
                $0.stats.writeErrors += 1
                $0.stats.lastError = "\(error)"
            }
            buffers = RecordBuffers()
            pending.removeAll(keepingCapacity: true)
            return
        }
        buffers = RecordBuffers()
        for (stream, ids) in pending {
            do { _ = try await bus.ack(stream: stream, group: configuration.group, ids: ids) } catch {
                // Written but not acknowledged: recorded again after a restart (at least once).
                state.withLock { $0.stats.lastError = "acknowledging \(stream): \(error)" }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }
}
