import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Logging
import Synchronization

/// The coins the fake venues list in these tests.
enum TestMarkets {
    static func instruments(_ venue: VenueID) -> [FakeInstrument] {
        switch venue {
        case .okx:
            return [
                FakeInstrument(coin: "BTC", symbol: "BTC-USDT-SWAP", tickSize: FixedDecimal(units: 1, exponent: 1), lotSize: 1, minNotional: 0, contractValue: FixedDecimal(units: 1, exponent: 2), startPrice: 90_000),
                FakeInstrument(coin: "ETH", symbol: "ETH-USDT-SWAP", tickSize: FixedDecimal(units: 1, exponent: 2), lotSize: 1, minNotional: 0, contractValue: FixedDecimal(units: 1, exponent: 1), startPrice: 3_000),
                FakeInstrument(coin: "XRP", symbol: "XRP-USDT-SWAP", tickSize: FixedDecimal(units: 1, exponent: 4), lotSize: 1, minNotional: 0, contractValue: 100, startPrice: FixedDecimal(units: 22_000, exponent: 4)),
            ]
        default:
            return [
                FakeInstrument(coin: "BTC", symbol: "BTCUSDT", tickSize: FixedDecimal(units: 1, exponent: 1), lotSize: FixedDecimal(units: 1, exponent: 3), startPrice: 90_000),
                FakeInstrument(coin: "ETH", symbol: "ETHUSDT", tickSize: FixedDecimal(units: 1, exponent: 2), lotSize: FixedDecimal(units: 1, exponent: 3), startPrice: 3_000),
                FakeInstrument(coin: "XRP", symbol: "XRPUSDT", tickSize: FixedDecimal(units: 1, exponent: 4), lotSize: FixedDecimal(units: 1, exponent: 1), startPrice: FixedDecimal(units: 22_000, exponent: 4)),
            ]
        }
    }

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
        var configuration = VenueRESTClient.Configuration()
        configuration.timeout = timeout
        configuration.backoffBase = .milliseconds(20)
        let client = VenueRESTClient(venue: server.venue, endpoints: .local(server.venue, port: server.port), credentials: credentials ?? server.credentials,
                                     configuration: configuration)
        return VenueAPI(client: client, directory: directory(server.venue))
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}

/// Polls `condition` (async, never blocking a thread) until it holds or `timeout` passes.
func eventually(_ timeout: Duration = .seconds(30), _ condition: @Sendable () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}

/// Collects a venue's reports in the background.
final class ReportCollector: Sendable {
    let task: Task<Void, Never>
    private let box: ReportBox

    final class ReportBox: Sendable {
        let reports = Mutex<[VenueReport]>([])
    }

    init(_ venue: LiveVenue) {
        let stream = venue.reports()
        let box = ReportBox()
        self.box = box
        task = Task { for await report in stream { box.reports.withLock { $0.append(report) } } }
    }
    var all: [VenueReport] { box.reports.withLock { $0 } }
    func fills(_ id: String) -> [Fill] { all.compactMap { if case .fill(let f) = $0, f.clientOrderID == id { f } else { nil } } }
    func accepted(_ id: String) -> Int { all.filter { if case .accepted(let c, _, _) = $0, c == id { true } else { false } }.count }
    func rejected(_ id: String) -> Bool { all.contains { if case .rejected(let c, _, _) = $0, c == id { true } else { false } } }
    func cancelled(_ id: String) -> Bool { all.contains { if case .cancelled(let c, _) = $0, c == id { true } else { false } } }
}
