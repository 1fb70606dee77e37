import ArgumentParser
import HuracanConfig
import HuracanCore

struct UniverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "universe",
        abstract: "Inspect the coin universe.",
        subcommands: [List.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List coins, optionally by sector or venue.")

        @Option(help: "Only this sector (\(Sector.allCases.map(\.rawValue).joined(separator: ", "))).")
        var sector: String?

        @Option(help: "Only coins listed on this venue (binance, okx, bybit).")
        var venue: String?

        @Option(name: .long, help: "Configuration file naming the universe; the embedded defaults when omitted.")
        var config: String?

        func run() throws {
            let engine = try loadOrExit(config)
            let universe: Universe
            do { universe = try UniverseLoader.load(path: engine.universeFile) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            var sectorFilter: Sector?
            if let sector {
                guard let match = Sector.allCases.first(where: { $0.rawValue.lowercased() == sector.lowercased() }) else {
                    throw ValidationError("unknown sector \"\(sector)\"; allowed: \(Sector.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sectorFilter = match
            }
            var venueFilter: VenueID?
            if let venue {
                guard let match = VenueID(rawValue: venue.lowercased()) else {
                    throw ValidationError("unknown venue \"\(venue)\"; allowed: binance, okx, bybit")
                }
                venueFilter = match
            }
            let rows = universe.instruments.filter { instrument in
                (sectorFilter == nil || instrument.sector == sectorFilter) && (venueFilter == nil || instrument.venueSymbols[venueFilter!] != nil)
            }
            let table = TextTable(columns: ["rank", "coin", "sector", "tier", "tick", "lot", "min notional", "binance", "okx", "bybit"])
            for i in rows {
                table.add([String(i.rank), i.coin, i.sector.rawValue, String(i.tier), i.tickSize.description, i.lotSize.description,
                           i.minNotional.description, i.venueSymbols[.binance] ?? "-", i.venueSymbols[.okx] ?? "-", i.venueSymbols[.bybit] ?? "-"])
            }
            print(table.render(), terminator: "")
            print("\(rows.count) of \(universe.count) coins")
        }
    }
}
