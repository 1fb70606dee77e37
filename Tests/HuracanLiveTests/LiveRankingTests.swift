import Foundation
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import HuracanTestSupport
import HuracanVenues
import Testing

/// On a real venue the active set is ranked on the venue's own 24 h statistics (range, quotes),
/// not on the simulated market's coin profiles: change the venue's figures and the set follows.
@Suite(.serialized) struct LiveRankingTests {
    @Test(arguments: VenueID.allCases)
    func theActiveSetFollowsTheVenuesDayStatistics(venue: VenueID) async throws {
        var chosen: [String] = []
        for calm in ["BTC", "XRP"] {
            let folder = TestPaths.temporaryDirectory("live-ranking-\(venue)-\(calm)")
            let instruments = try EngineProcess.instruments(venue)
            let server = FakeVenueServer(venue: venue, instruments: instruments, tickInterval: .milliseconds(100))
            // Every coin moves 8 % a day except the calm one (0.1 %): it ranks last.
            for instrument in instruments {
                server.setDayStatistics(symbol: instrument.symbol, range: instrument.coin == calm ? FixedDecimal(units: 1, exponent: 3) : FixedDecimal(units: 8, exponent: 2))
            }
            try await server.start()
            let config = try EngineProcess.writeConfig(folder: folder, server: server, activeCoins: 2)
            let engine = try EngineProcess.start(["run", "-c", config.path, "--mode", "paper", "--venue", venue.rawValue, "--duration", "2s", "--log-level", "info"],
                                                 server: server, output: folder.appendingPathComponent("run.txt"))
            #expect(await engine.waitForExit(timeout: .seconds(60)) == 0, "\(engine.text.suffix(2_000))")
            let text = engine.text
            let line = try #require(text.split(separator: "\n").first { $0.contains("active set (ranked on \(venue)'s 24 h statistics)") }, "\(text.suffix(2_000))")
            let set = String(line.split(separator: ": ").last ?? "")
            chosen.append(set)
            #expect(!set.contains(calm), "\(venue): the calm coin \(calm) was chosen: \(line)")
            await server.stop()
        }
        #expect(chosen[0] != chosen[1], "\(venue): \(chosen)")
    }
}
