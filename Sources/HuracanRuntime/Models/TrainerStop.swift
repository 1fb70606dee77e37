import Foundation
import HuracanCore

/// A trainer process started by a run, stopped (SIGTERM) when that run is cancelled (engine
/// shutdown, Ctrl-C), also when the cancellation comes before the process has started.
final class TrainerStop: Sendable {
    private let state = Locked<(pid: pid_t?, stopped: Bool)>((nil, false))

    /// Runs `operation` (which starts the trainer and reports it to `started`); cancelling the
    /// calling task stops the trainer.
    func stoppingOnCancel<T>(_ operation: () async throws -> T) async throws -> T {
        try await withTaskCancellationHandler(operation: operation, onCancel: { self.stop() })
    }

    /// Records the started trainer; stops it at once when cancellation came first.
    func started(_ pid: pid_t) {
        let stopNow = state.withLock { state in
            state.pid = pid
            return state.stopped
        }
        if stopNow { kill(pid, SIGTERM) }
    }

    func stop() {
        let pid = state.withLock { state in
            state.stopped = true
            return state.pid
        }
        if let pid { kill(pid, SIGTERM) }
    }
}
