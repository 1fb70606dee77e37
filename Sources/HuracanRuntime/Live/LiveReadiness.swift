import Foundation
import HuracanCore
import HuracanExchanges
import HuracanJournal
import HuracanVenues
import Synchronization

/// The live-trading readiness checks behind `/ready`, probed against the real venue every
/// interval: its REST API answers and its clock is close to ours, the private stream is up, the
/// active coins' books are in sync, and the order journal answers. Probes run on their own task;
/// `/ready` reads the last results.
final class LiveReadiness: Sendable {
    let api: VenueAPI
    let journal: OrderJournal
    let userStream: VenueUserStream
    let bookHealth: BookHealth
    let coins: [String]
    /// Clock skew (ms) beyond which signed requests risk the venue's receive window.
    let maxSkewMilliseconds: Double
    private let results = Locked<[HealthCheckResult]>([])

    init(api: VenueAPI, journal: OrderJournal, userStream: VenueUserStream, bookHealth: BookHealth, coins: [String], maxSkewMilliseconds: Double = 1_000) {
        self.api = api
        self.journal = journal
        self.userStream = userStream
        self.bookHealth = bookHealth
        self.coins = coins
        self.maxSkewMilliseconds = maxSkewMilliseconds
    }

    /// The checks as of the last probe (empty before the first).
    var checks: [HealthCheckResult] { results.withLock { $0 } }

    /// Probes every `interval` until cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            let checks = await probe()
            results.withLock { $0 = checks }
            try? await Task.sleep(for: interval)
        }
    }

    func probe() async -> [HealthCheckResult] {
        let venue = api.venue
        var out: [HealthCheckResult] = []
        // Venue REST and clock.
        let clock = ContinuousClock()
        var started = clock.now
        do {
            let offset = try await api.client.syncTime()
            let skew = offset.skewMilliseconds
            let ok = abs(skew) <= maxSkewMilliseconds
            out.append(result("exchange_api", ok ? .ok : .degraded, since: started,
                              "\(venue) REST answers; clock skew \(String(format: "%+.1f", skew)) ms\(ok ? "" : " (more than \(Int(maxSkewMilliseconds)) ms: signed requests may be refused)")"))
        } catch {
            out.append(result("exchange_api", .failing, since: started, "\(venue) REST does not answer: \(error)"))
        }
        // Private stream.
        let up = userStream.authenticated.load(ordering: .relaxed)
        out.append(HealthCheckResult(name: "user_stream", status: up ? .ok : .failing, latencySeconds: 0,
                                     message: up ? "\(venue) private stream connected (\(userStream.connection.disconnects.load(ordering: .relaxed)) disconnects since start)"
                                                 : "\(venue) private stream down: fills are read back over REST when it returns"))
        // Books.
        let inSync = coins.filter { bookHealth.canOpen($0, venue: venue) }.count
        let share = coins.isEmpty ? 1 : Double(inSync) / Double(coins.count)
        let bookStatus: HealthCheckResult.Status = share >= 0.9 ? .ok : share >= 0.5 ? .degraded : .failing
        out.append(HealthCheckResult(name: "order_books", status: bookStatus, latencySeconds: 0,
                                     message: "\(inSync) of \(coins.count) active coins' books in sync on \(venue) (\(bookHealth.resyncCount) resyncs since start)"))
        // Journal.
        started = clock.now
        do {
            _ = try await journal.lastFillTime(venue: venue)
            out.append(result("journal", .ok, since: started, "order journal answers"))
        } catch {
            out.append(result("journal", .failing, since: started, "order journal does not answer: \(error)"))
        }
        return out
    }

    private func result(_ name: String, _ status: HealthCheckResult.Status, since start: ContinuousClock.Instant, _ message: String) -> HealthCheckResult {
        let elapsed = ContinuousClock().now - start
        return HealthCheckResult(name: name, status: status, latencySeconds: Double(elapsed.nanosecondsTotal) / 1e9, message: message)
    }
}
