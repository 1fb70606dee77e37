import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// How commands meet SIGINT and SIGTERM (`huracan run` and `venues fake` have their own
/// service groups, with graceful shutdown and SIGHUP). The command runs in its own task beside a
/// `ServiceGroup` that traps both signals; a signal cancels the command, which stops at its next
/// check (between files, coins or folds; within a second of a backtest; a trainer it started is
/// sent SIGTERM) without writing partial results, and the process exits 130. A command still
/// running 10 seconds after the signal is ended there (also 130).
enum CommandLifecycle {
    static let exitStatus: Int32 = 130
    static let grace: Duration = .seconds(10)

    /// Waits for `work` under signal supervision; returns its result, or exits 130 when it was
    /// interrupted.
    static func supervise(_ work: Task<Void, any Error>) async throws {
        var logger = Logger(label: "huracan.signals")
        logger.logLevel = .error
        let service = CommandService(work: work)
        let group = ServiceGroup(configuration: .init(services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)], gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await group.run()
        let result = await work.result
        if service.interrupted.load(ordering: .relaxed) {
            if case .failure = result {
                printError("interrupted: stopped before finishing; nothing more was written")
                exit(exitStatus)
            }
        }
        try result.get()
    }
}

/// The command's task as the group's one service: graceful shutdown (the signal) cancels it.
final class CommandService: Service, Sendable {
    let work: Task<Void, any Error>
    let interrupted = Atomic<Bool>(false)

    init(work: Task<Void, any Error>) { self.work = work }

    func run() async throws {
        await withGracefulShutdownHandler {
            _ = await work.result   // its error is read by `supervise`
        } onGracefulShutdown: {
            self.interrupted.store(true, ordering: .relaxed)
            self.work.cancel()
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: Double(CommandLifecycle.grace.components.seconds))
                printError("interrupted: the command did not stop within \(CommandLifecycle.grace.components.seconds) s; ending it")
                exit(CommandLifecycle.exitStatus)
            }
        }
    }
}
