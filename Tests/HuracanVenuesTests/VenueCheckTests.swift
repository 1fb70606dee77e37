import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanVenues
import HuracanTestSupport
import Testing

/// `venues check` logic against the fake venues: connectivity, skew, key permissions, mapping.
@Suite(.serialized) struct VenueCheckTests {
    static let csv = """
    rank,coin,sector,tier,tick_size,lot_size,min_notional,multiplier,binance_symbol,okx_symbol,bybit_symbol,okx_contract_value
    1,BTC,L1,1,0.1,0.001,50,1,BTCUSDT,BTC-USDT-SWAP,BTCUSDT,0.01
    2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1
    3,SOL,L1,1,0.01,0.01,5,1,SOLUSDT,SOL-USDT-SWAP,SOLUSDT,1
    """

    @Test(arguments: VenueID.allCases)
    func reportsSkewPermissionsAndUnlistedSymbols(venue: VenueID) async throws {
        let server = try await TestMarkets.startServer(venue)
        try await awaitingStop({ await server.stop() }) {
            server.setClockOffset(milliseconds: 250)
            let universe = try Universe(csv: Self.csv, source: "test")
            let report = await VenueCheck.run(api: TestMarkets.api(server), universe: universe)
            #expect(report.reachable)
            #expect(abs((report.skewMilliseconds ?? 0) - 250) < 100)
            #expect(report.instruments == 3)
            #expect(report.mappingProblems.contains { $0.coin == "SOL" && $0.reason == "not listed by the venue" })
            if venue == .okx {
                // One contract of 0.01 BTC is coarser than the universe's 0.001 lot: reported.
                #expect(report.mappingProblems.contains { $0.coin == "BTC" && $0.reason.contains("lot") })
            } else {
                #expect(report.mappingProblems.map(\.coin) == ["SOL"])
            }
            #expect(report.permissions?.contains("trade") == true)
            #expect(report.errors.isEmpty)
            #expect(!report.isHealthy)
            #expect(report.lines.joined(separator: "\n").contains("not listed"))
        }
    }

    @Test func unreachableVenueIsReported() async throws {
        let client = VenueRESTClient(venue: .bybit, endpoints: .local(.bybit, port: 1), credentials: nil)
        let report = await VenueCheck.run(api: VenueAPI(client: client, directory: SymbolDirectory(venue: .bybit)), universe: try Universe(csv: Self.csv, source: "t"))
        #expect(!report.reachable)
        #expect(!report.errors.isEmpty)
    }
}
