import HuracanCore
import HuracanExchanges
import HuracanVenues
import Logging
import Synchronization

extension FakeInstrument {
    /// BTC, ETH and XRP as `venue` lists them (OKX in contracts of 0.01 BTC, 0.1 ETH and 100 XRP):
    /// the coins the tests trade on the fake venues.
    public static func sample(_ venue: VenueID) -> [FakeInstrument] {
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
}

extension FakeVenueServer {
    /// The instruments this server lists.
    public var instruments: [FakeInstrument] { state.withLock { $0.books.values.map(\.instrument) }.sorted { $0.symbol < $1.symbol } }

    /// Native symbol -> coin (and OKX contract value) of the listed instruments.
    public var directory: SymbolDirectory {
        var directory = SymbolDirectory(venue: venue)
        for i in instruments { directory.add(symbol: i.symbol, coin: i.coin, contractValue: i.contractValue) }
        return directory
    }

    /// A REST client of this server signed with its account's keys (or `credentials`), with a
    /// short backoff for tests.
    public func api(credentials: VenueCredentials? = nil, timeout: Duration = .seconds(10), logger: Logger = Logger(label: "fake-venue-client")) -> VenueAPI {
        var configuration = VenueRESTClient.Configuration()
        configuration.timeout = timeout
        configuration.backoffBase = .milliseconds(20)
        let client = VenueRESTClient(venue: venue, endpoints: .local(venue, port: port), credentials: credentials ?? self.credentials,
                                     configuration: configuration, logger: logger)
        return VenueAPI(client: client, directory: directory)
    }
}
