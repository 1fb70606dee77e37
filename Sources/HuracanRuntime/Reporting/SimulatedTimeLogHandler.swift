import Foundation
import HuracanCore
import Logging
import Synchronization

/// The simulated time of a backtest, for its log lines: the engine sets it every round.
public final class SimulatedLogClock: Sendable {
    private let nanoseconds = Atomic<Int64>(.min)

    public init() {}

    public func set(_ time: Timestamp) { nanoseconds.store(time.nanoseconds, ordering: .relaxed) }

    /// Nil until the engine started.
    public var time: Timestamp? {
        let value = nanoseconds.load(ordering: .relaxed)
        return value == .min ? nil : Timestamp(nanoseconds: value)
    }
}

/// Log lines of a backtest stamped with the simulated time they happened at (`... (sim)`), not
/// the wall clock: a breaker trip at 06:12 of the data reads as 06:12. Before the engine starts,
/// lines carry the wall clock. Written to standard error like swift-log's stream handler.
public struct SimulatedTimeLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let clock: SimulatedLogClock
    let output: @Sendable (String) -> Void

    /// `output` receives each line (standard error by default).
    public init(label: String, clock: SimulatedLogClock, output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.clock = clock
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let stamp = clock.time.map { "\($0) (sim)" } ?? WallClock.now().description
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        output("\(stamp) \(event.level) \(label):\(fields) [\(event.source)] \(event.message)\n")
    }
}
