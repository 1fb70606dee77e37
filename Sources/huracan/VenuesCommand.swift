import ArgumentParser
import Foundation
import HuracanCore
import HuracanConfig
import HuracanExchanges
import HuracanRuntime
import HuracanVenues

/// `huracan venues`: the real exchange adapters (Binance USD-M, OKX v5, Bybit v5).
struct VenuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venues",
        abstract: "Real exchange adapters: connectivity checks and benchmarks.",
        subcommands: [Check.self, Bench.self, Fake.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connectivity, clock skew, key permissions and instrument mapping of a venue (read-only, never trades).",
            discussion: """
            Keys come from the environment variables or files named in engine.venues.<venue> (never from
            the command line, never logged): by default HURACAN_<VENUE>_API_KEY, HURACAN_<VENUE>_API_SECRET
            and for OKX HURACAN_OKX_PASSPHRASE, or api_key_file / api_secret_file / passphrase_file.
            URLs come from engine.venues.<venue> (rest_url, or testnet_rest_url when testnet is on).
            """)

        @Option(help: "binance, okx or bybit.")
        var venue: String

        @Option(name: .shortAndLong, help: "Configuration file (YAML) for the universe.")
        var config: String?

        @Flag(help: "Use the venue's testnet / demo endpoints (overrides engine.venues.<venue>.testnet).")
        var testnet = false

        @Option(help: "REST base URL (overrides the default, e.g. a local fake venue).")
        var restURL: String?

        func run() async throws {
            guard let venueID = VenueID(rawValue: venue) else { throw ValidationError("unknown venue \(venue): use binance, okx or bybit") }
            let engineConfig = try loadOrExit(config)
            let universe = try UniverseLoader.load(for: engineConfig)
            var venueConfig = engineConfig.venues[venueID]
            if testnet { venueConfig.testnet = true }
            let urls = venueConfig.activeURLs
            var endpoints = VenueEndpoints.configured(venueID, rest: urls.rest, webSocket: urls.webSocket, demo: venueConfig.testnet && venueID == .okx)
            if let restURL { endpoints.rest = restURL }
            let credentials = try EngineRunner.credentials(venueID, config: engineConfig)
            let client = VenueRESTClient(venue: venueID, endpoints: endpoints, credentials: credentials)
            let report = await VenueCheck.run(api: VenueAPI(client: client, directory: SymbolDirectory(universe: universe, venue: venueID)), universe: universe)
            for line in report.lines { print(line) }
            if !report.isHealthy { throw ExitCode(1) }
        }
    }


    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Depth updates applied per second (Bybit parser on a real sample) and in-process order round trip.",
            discussion: "Build with -c release for meaningful figures.")

        @Option(help: "A Bybit orderbook JSONL sample (snapshot first, then deltas).")
        var bybitSample = "../shared/market-data/bybit-linear-XRPUSDT-orderbook500-2024-12-01.jsonl"

        @Option(help: "Seconds to run the depth benchmark.")
        var seconds = 3.0

        @Option(help: "Order round trips per venue.")
        var iterations = 20_000

        func run() throws {
            guard let data = FileManager.default.contents(atPath: bybitSample) else {
                throw ValidationError("cannot read --bybit-sample \(bybitSample)")
            }
            let lines = data.split(separator: 0x0A).map { Array($0.last == 0x0D ? $0.dropLast() : $0[...]) }.filter { !$0.isEmpty }
            let depth = try ExchangeBenchmarks.bybitDepth(lines: lines, duration: .milliseconds(Int64(seconds * 1000)))
            print(String(format: "bybit orderbook.500 deltas (parse + apply): %.0f messages/s, %.0f level updates/s (%d messages)",
                         depth.messagesPerSecond, depth.levelsPerSecond, depth.messages))
            let parse = try ExchangeBenchmarks.bybitDepthParseOnly(lines: lines, duration: .milliseconds(Int64(max(1, seconds / 3) * 1000)))
            print(String(format: "  of which parsing alone (same messages, nothing applied): %.0f messages/s, %.0f ns per message",
                         parse.messagesPerSecond, 1e9 / parse.messagesPerSecond))
            let feed = try VenueFeedBenchmarks.bybitFeedDepth(lines: lines, duration: .milliseconds(Int64(seconds * 1000)))
            print(String(format: "bybit orderbook.500 deltas through the live market feed (frame bytes, parse, book in the feed's table, top published): %.0f messages/s, %.0f ns per message",
                         feed.messagesPerSecond, 1e9 / feed.messagesPerSecond))
            for venue in VenueID.allCases {
                let result = try ExchangeBenchmarks.orderRoundTrip(venue: venue, iterations: iterations)
                print(String(format: "%@ order round trip in process (validate, encode, sign, parse ack, parse fill, apply): p50 %.1f µs, p99 %.1f µs, max %.1f µs",
                             venue.rawValue, Double(result.percentile(50)) / 1000, Double(result.percentile(99)) / 1000, Double(result.samples.last ?? 0) / 1000))
            }
        }
    }
}
