import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Logging

/// Coins and clients for the live-trading tests against the fake venues.
enum LiveTestMarkets {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func instruments(_ venue: VenueID) -> [FakeInstrument] {
        let okx = venue == .okx
        func symbol(_ coin: String) -> String { okx ? "\(coin)-USDT-SWAP" : "\(coin)USDT" }
        return [
            FakeInstrument(coin: "BTC", symbol: symbol("BTC"), tickSize: FixedDecimal(units: 1, exponent: 1), lotSize: okx ? 1 : FixedDecimal(units: 1, exponent: 3),
                           minNotional: okx ? 0 : 5, contractValue: okx ? FixedDecimal(units: 1, exponent: 2) : 1, startPrice: 90_000),
            FakeInstrument(coin: "ETH", symbol: symbol("ETH"), tickSize: FixedDecimal(units: 1, exponent: 2), lotSize: okx ? 1 : FixedDecimal(units: 1, exponent: 3),
                           minNotional: okx ? 0 : 5, contractValue: okx ? FixedDecimal(units: 1, exponent: 1) : 1, startPrice: 3_000),
            FakeInstrument(coin: "XRP", symbol: symbol("XRP"), tickSize: FixedDecimal(units: 1, exponent: 4), lotSize: okx ? 1 : FixedDecimal(units: 1, exponent: 1),
                           minNotional: okx ? 0 : 5, contractValue: okx ? 100 : 1, startPrice: FixedDecimal(units: 22_000, exponent: 4)),
        ]
    }

    static func api(_ server: FakeVenueServer) -> VenueAPI {
        var configuration = VenueRESTClient.Configuration()
        configuration.timeout = .seconds(5)
        configuration.backoffBase = .milliseconds(20)
        let client = VenueRESTClient(venue: server.venue, endpoints: .local(server.venue, port: server.port), credentials: server.credentials,
                                     configuration: configuration)
        var directory = SymbolDirectory(venue: server.venue)
        for i in instruments(server.venue) { directory.add(symbol: i.symbol, coin: i.coin, contractValue: i.contractValue) }
        return VenueAPI(client: client, directory: directory)
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(_ timeout: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
