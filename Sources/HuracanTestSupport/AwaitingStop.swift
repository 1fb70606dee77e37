/// Runs `body`, then awaits `stop`, also when `body` throws: a server, journal or rig started
/// by a test is stopped before the test ends. (`defer { Task { await server.stop() } }` leaves
/// the stop running after the test, racing the next one for ports, files and CPU.)
public func awaitingStop<T>(_ stop: () async -> Void, _ body: () async throws -> T) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await stop()
        throw error
    }
    await stop()
    return result
}
