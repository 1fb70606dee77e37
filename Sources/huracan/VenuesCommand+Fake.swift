import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanFakeVenues
import UnixSignals

extension VenuesCommand {
    /// `huracan venues fake`: a local stand-in for a venue, to rehearse paper and live runs offline.
    struct Fake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a fake Binance, OKX or Bybit on 127.0.0.1 (its REST and WebSocket protocol, a synthetic market, one account).",
            discussion: """
            For rehearsing huracan run --mode paper|live without a real account or the internet: the
            universe's coins listed by the venue trade on a random-walk market; orders are matched
            against it; signatures are checked with the printed test key. Prints the configuration
            lines and environment variables that point the engine at it, then serves until Ctrl-C.
            """)

        @Option(help: "binance, okx or bybit.")
        var venue: String

        @Option(name: .shortAndLong, help: "Configuration file (YAML) for the universe.")
        var config: String?

        @Option(help: "List only the universe's first N coins.")
        var coins: Int = 20

        @Option(help: "Milliseconds between market moves.")
        var tickMs: Int = 100

        @Option(help: "Write the bound port to this file once listening (for scripts).")
        var portFile: String?

        func run() async throws {
            guard let venueID = VenueID(rawValue: venue.lowercased()) else { throw ValidationError("unknown venue \(venue): use binance, okx or bybit") }
            guard coins > 0 else { throw ValidationError("--coins must be at least 1") }
            let engineConfig = try loadOrExit(config)
            let universe = try UniverseLoader.load(for: engineConfig)
            let listed = Universe(instruments: Array(universe.instruments.filter { $0.venueSymbols[venueID] != nil }.prefix(coins)))
            let server = FakeVenueServer(venue: venueID, instruments: FakeInstrument.fromUniverse(listed, venue: venueID), tickInterval: .milliseconds(tickMs))
            try await server.start()
            let v = engineConfig.venues[venueID]
            let prefix = "engine.venues.\(venueID)"
            print("fake \(venueID) on 127.0.0.1:\(server.port) with \(listed.count) coins")
            print("configuration:\n  \(prefix).testnet: false\n  \(prefix).rest_url: \(server.restURL)\n  \(prefix).ws_url: \(server.webSocketURL)")
            print("test account keys (fake, accepted only by this server):")
            print("  export \(v.apiKeyEnv)=\(server.credentials.apiKey)")
            print("  export \(v.apiSecretEnv)=\(server.credentials.secret)")
            if let passphrase = server.credentials.passphrase { print("  export \(v.passphraseEnv)=\(passphrase)") }
            fflush(nil)
            if let portFile { try "\(server.port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { break }
            await server.stop()
        }
    }
}
