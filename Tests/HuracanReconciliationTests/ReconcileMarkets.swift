import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Logging

/// The coins the fake venues list in the reconciliation tests (as in the venue tests: OKX sizes
/// in contracts of 0.01 BTC, 0.1 ETH, 100 XRP).
enum ReconcileMarkets {
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

    /// One order lot of `coin` in base units on `venue` (OKX: one contract).
    static func lot(_ venue: VenueID, _ coin: String) -> Quantity {
        let instrument = instruments(venue).first { $0.coin == coin }!
        return instrument.baseLotSize
    }

    static func directory(_ venue: VenueID) -> SymbolDirectory {
        var directory = SymbolDirectory(venue: venue)
        for i in instruments(venue) { directory.add(symbol: i.symbol, coin: i.coin, contractValue: i.contractValue) }
        return directory
    }

    static func symbol(_ venue: VenueID, _ coin: String) -> String { instruments(venue).first { $0.coin == coin }!.symbol }

    static func startServer(_ venue: VenueID) async throws -> FakeVenueServer {
        let server = FakeVenueServer(venue: venue, instruments: instruments(venue), tickInterval: .milliseconds(50))
        try await server.start()
        return server
    }

    static func api(_ server: FakeVenueServer, timeout: Duration = .seconds(10)) -> VenueAPI {
        var configuration = VenueRESTClient.Configuration()
        configuration.timeout = timeout
        configuration.backoffBase = .milliseconds(20)
        let client = VenueRESTClient(venue: server.venue, endpoints: .local(server.venue, port: server.port), credentials: server.credentials,
                                     configuration: configuration, logger: logger)
        return VenueAPI(client: client, directory: directory(server.venue))
    }

    static var logger: Logger {
        var logger = Logger(label: "test.reconcile")
        logger.logLevel = .critical
        return logger
    }

    /// A fake venue execution as the engine's `Fill` (what the private stream would have delivered).
    static func fill(_ f: FakeFill, venue: VenueID, coin: String) -> Fill {
        Fill(clientOrderID: f.clientOrderID, tradeID: String(f.tradeID), coin: coin, venue: venue, side: f.side, price: f.price, quantity: f.quantity,
             fee: f.fee, liquidity: f.isMaker ? .maker : .taker, time: Timestamp(milliseconds: f.time))
    }
}
