import Foundation
import HuracanCore
import HuracanExchanges

/// `huracan venues check`: connectivity, clock skew, key permissions and instrument mapping of
/// one venue, with read-only calls (nothing is traded).
public struct VenueCheckReport: Sendable {
    public var venue: VenueID
    public var reachable = false
    public var skewMilliseconds: Double?
    public var roundTripMilliseconds: Double?
    public var instruments = 0
    public var mappingProblems: [InstrumentMapping.Problem] = []
    /// nil when no key was configured.
    public var permissions: String?
    public var errors: [String] = []

    public var isHealthy: Bool { reachable && errors.isEmpty && mappingProblems.isEmpty && abs(skewMilliseconds ?? 0) < 1000 }

    public var lines: [String] {
        var out = ["\(venue): " + (reachable ? "reachable" : "NOT reachable")]
        if let skew = skewMilliseconds, let rtt = roundTripMilliseconds {
            out.append(String(format: "  clock skew %+.1f ms (round trip %.1f ms)%@", skew, rtt, abs(skew) >= 1000 ? " — too large, check NTP" : ""))
        }
        out.append("  instruments listed: \(instruments); universe symbols with problems: \(mappingProblems.count)")
        for problem in mappingProblems { out.append("    \(problem)") }
        out.append("  key: " + (permissions ?? "none configured (public checks only)"))
        for error in errors { out.append("  error: \(error)") }
        return out
    }
}

public enum VenueCheck {
    public static func run(api: VenueAPI, universe: Universe) async -> VenueCheckReport {
        var report = VenueCheckReport(venue: api.venue)
        do {
            // A few probes: the one with the shortest round trip is kept (`ServerTimeOffset`).
            var offset = try await api.client.syncTime()
            for _ in 0..<4 { offset = try await api.client.syncTime() }
            report.reachable = true
            report.skewMilliseconds = offset.skewMilliseconds
            report.roundTripMilliseconds = Double(offset.roundTripNanoseconds) / 1e6
        } catch {
            report.errors.append("server time: \(error)")
            return report
        }
        do {
            let instruments = try await api.instruments()
            report.instruments = instruments.count
            report.mappingProblems = InstrumentMapping.check(universe: universe, venue: api.venue, instruments: instruments)
        } catch {
            report.errors.append("instruments: \(error)")
        }
        if api.client.hasCredentials {
            do { report.permissions = try await api.keyPermissions() } catch { report.errors.append("key permissions: \(error)") }
        }
        return report
    }
}
