import ServiceLifecycle

/// A long-running task as a service (Redis link, venue feeds and streams): cancelled when the
/// group shuts down gracefully.
struct TaskService: Service {
    let body: @Sendable () async -> Void
    init(_ body: @escaping @Sendable () async -> Void) { self.body = body }

    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
    }
}
