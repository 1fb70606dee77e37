import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import Logging

/// The coins the fake venues list in the reconciliation tests (as in the venue tests: OKX sizes
/// in contracts of 0.01 BTC, 0.1 ETH, 100 XRP).
enum ReconcileMarkets {
    static func instruments(_ venue: VenueID) -> [FakeInstrument] { FakeInstrument.sample(venue) }

    /// One order lot of `coin` in base units on `venue` (OKX: one contract).
    static func lot(_ venue: VenueID, _ coin: String) -> Quantity {
        let instrument = instruments(venue).first { $0.coin == coin }!
        return instrument.baseLotSize
    }

    static func symbol(_ venue: VenueID, _ coin: String) -> String { instruments(venue).first { $0.coin == coin }!.symbol }

    static func startServer(_ venue: VenueID) async throws -> FakeVenueServer {
        let server = FakeVenueServer(venue: venue, instruments: instruments(venue), tickInterval: .milliseconds(50))
        try await server.start()
        return server
    }

    static func api(_ server: FakeVenueServer, timeout: Duration = .seconds(10)) -> VenueAPI {
        server.api(timeout: timeout, logger: logger)
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
