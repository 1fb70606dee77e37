import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanTestSupport
import HuracanVenues
import Logging
import Synchronization

/// The coins the fake venues list in these tests.
enum TestMarkets {
    static func instruments(_ venue: VenueID) -> [FakeInstrument] { FakeInstrument.sample(venue) }

    static func directory(_ venue: VenueID) -> SymbolDirectory {
        var directory = SymbolDirectory(venue: venue)
        for i in instruments(venue) { directory.add(symbol: i.symbol, coin: i.coin, contractValue: i.contractValue) }
        return directory
    }

    static func symbol(_ venue: VenueID, _ coin: String) -> String { instruments(venue).first { $0.coin == coin }!.symbol }

    static func startServer(_ venue: VenueID, tick: Duration = .milliseconds(50)) async throws -> FakeVenueServer {
        let server = FakeVenueServer(venue: venue, instruments: instruments(venue), tickInterval: tick)
        try await server.start()
        return server
    }

    /// Runs `body` against a started fake venue and stops the server before returning, also when
    /// `body` throws, so no server outlives its test (a `defer { Task { await server.stop() } }`
    /// leaves the shutdown racing the next test).
    static func withServer(_ venue: VenueID, tick: Duration = .milliseconds(50), _ body: (FakeVenueServer) async throws -> Void) async throws {
        let server = try await startServer(venue, tick: tick)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func api(_ server: FakeVenueServer, credentials: VenueCredentials? = nil, timeout: Duration = .seconds(10)) -> VenueAPI {
        server.api(credentials: credentials, timeout: timeout)
    }

    /// A client whose key is right and whose secret is not: the venue refuses its signatures.
    static func wrongSecretAPI(_ server: FakeVenueServer) -> VenueAPI {
        api(server, credentials: VenueCredentials(apiKey: server.credentials.apiKey, secret: "not-the-secret", passphrase: server.credentials.passphrase, origin: "test"))
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}


/// Collects a venue's reports in the background.
final class ReportCollector: Sendable {
    let task: Task<Void, Never>
    private let box: ReportBox

    final class ReportBox: Sendable {
        let reports = Locked<[VenueReport]>([])
    }

    init(_ venue: LiveVenue) {
        let stream = venue.reports()
        let box = ReportBox()
        self.box = box
        task = Task { for await report in stream { box.reports.withLock { $0.append(report) } } }
    }
    var all: [VenueReport] { box.reports.withLock { $0 } }
    func fills(_ id: String) -> [Fill] { all.compactMap { if case .fill(let f) = $0, f.clientOrderID == id { f } else { nil } } }
    /// The quantity reported filled for `id`, over all its fills.
    func filled(_ id: String) -> FixedDecimal { fills(id).reduce(.zero) { $0 + $1.quantity } }
    func accepted(_ id: String) -> Int { all.filter { if case .accepted(let c, _, _) = $0, c == id { true } else { false } }.count }
    func rejected(_ id: String) -> Bool { all.contains { if case .rejected(let c, _, _) = $0, c == id { true } else { false } } }
    func cancelled(_ id: String) -> Bool { all.contains { if case .cancelled(let c, _) = $0, c == id { true } else { false } } }
}
