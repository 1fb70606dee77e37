import Foundation
import HuracanCore
import Logging
import Synchronization

/// The last few warnings (and worse) a run logged, for the terminal view: the screen redraws
/// every second, so a kill-switch trip or a breaker would otherwise scroll away.
public final class RecentWarnings: Sendable {
    private let lines = Locked<[String]>([])
    public let capacity: Int

    public init(capacity: Int = 6) { self.capacity = capacity }

    public func add(_ line: String) {
        lines.withLock {
            $0.append(line)
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
    }

    public var latest: [String] { lines.withLock { $0 } }
}

/// Passes every log event to `inner` and keeps warnings and worse in `warnings`.
public struct WarningRecordingLogHandler: LogHandler {
    var inner: any LogHandler
    let warnings: RecentWarnings

    public init(_ inner: any LogHandler, warnings: RecentWarnings) {
        self.inner = inner
        self.warnings = warnings
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        if event.level >= .warning {
            warnings.add("\(WallClock.now()) \(event.level) \(event.message)")
        }
        inner.log(event: event)
    }
}
