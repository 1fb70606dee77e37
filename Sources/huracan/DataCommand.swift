import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanStorage

/// `huracan data`: the partitioned Parquet data lake under `engine.data_dir`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect, import into and prune the Parquet data lake ({data_dir}/{kind}/{coin}/{YYYYMMDD}.parquet).",
        subcommands: [List.self, Import.self, Prune.self, Generate.self, BenchWrite.self, BenchReplay.self]
    )

    /// The lake folder: --data, else engine.data_dir from the configuration.
    struct Location: ParsableArguments {
        @Option(name: .long, help: "Data directory (default: engine.data_dir).")
        var data: String?

        @Option(name: .shortAndLong, help: "Configuration file (YAML) for engine.data_dir.")
        var config: String?

        func lake() throws -> DataLake {
            if let data { return DataLake(path: data) }
            return DataLake(path: try loadOrExit(config).dataDir)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Show stored partitions: kind, coin, days, rows and size.")

        @OptionGroup var location: Location

        @Option(help: "Only this kind (\(DataKind.allCases.map(\.rawValue).joined(separator: ", "))).")
        var kind: String?

        @Option(help: "Only these coins, comma-separated.")
        var coin: String?

        @Flag(help: "One line per file instead of one per kind and coin.")
        var files = false

        func run() throws {
            let lake = try location.lake()
            let kinds = try parseKinds(kind)
            let coins = coin.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
            let partitions = lake.partitions(kinds: kinds, coins: coins)
            if partitions.isEmpty {
                print("no partitions under \(lake.root.path)")
                return
            }
            if files {
                let table = TextTable(columns: ["kind", "coin", "day", "rows", "size", "path"])
                for p in partitions {
                    let rows = (try? ParquetFile(path: p.path).rowCount).map(String.init) ?? "unreadable"
                    table.add([p.kind.rawValue, p.coin, p.day.description, rows, byteCount(p.bytes), p.path])
                }
                print(table.render(), terminator: "")
                return
            }
            let table = TextTable(columns: ["kind", "coin", "days", "first", "last", "rows", "size"])
            var totalRows = 0, totalBytes: Int64 = 0
            for (key, group) in Dictionary(grouping: partitions, by: { "\($0.kind.rawValue)/\($0.coin)" }).sorted(by: { $0.key < $1.key }) {
                let rows = group.reduce(0) { $0 + ((try? ParquetFile(path: $1.path).rowCount) ?? 0) }
                let bytes = group.reduce(Int64(0)) { $0 + $1.bytes }
                totalRows += rows
                totalBytes += bytes
                let parts = key.split(separator: "/")
                table.add([String(parts[0]), String(parts[1]), String(group.count), group.first!.day.description, group.last!.day.description,
                           String(rows), byteCount(bytes)])
            }
            print(table.render(), terminator: "")
            print("\(partitions.count) files, \(totalRows) rows, \(byteCount(totalBytes)) under \(lake.root.path)")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import Binance USD-M dumps (bookTicker, aggTrades, trades, klines, fundingRate, depth snapshot/update rows; .csv or .zip), Bybit orderbook JSONL and Tardis.dev CSV (book_snapshot_5/25, trades, quotes).",
            discussion: "Bad rows are reported with file and line number; the rest is imported. The format is detected from the file name and header unless --format is given."
        )

        @OptionGroup var location: Location

        @Argument(help: "Files to import (.csv, .csv.gz, .zip, .jsonl, .parquet); depth files in time order (snapshot first).")
        var files: [String]

        @Option(help: "Layout: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: String?

        @Option(help: "Coin name to store under (default: the universe's coin for the venue's symbol, 1000PEPEUSDT -> PEPE, prices in the engine's units).")
        var coin: String?

        @Flag(help: "Ignore the universe: store each symbol under its base asset (BTCUSDT -> BTC), prices unscaled.")
        var noUniverse = false

        @Option(help: "Venue for files that do not name one (default binance).")
        var venue: String?

        @Option(help: "Bad rows to print (all are counted).")
        var showIssues = 20

        @Option(help: "Depth files whose update ids jump: resync (drop the book until the next snapshot) or continue (apply to the last book).")
        var depthGaps = "resync"

        func run() throws {
            let lake = try location.lake()
            var chosen: ImportFormat?
            if let format {
                guard let f = ImportFormat(rawValue: format) else {
                    throw ValidationError("unknown format \(format); allowed: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                chosen = f
            }
            let importer = DataImporter(lake: lake)
            guard let gaps = DepthGapPolicy(rawValue: depthGaps) else { throw ValidationError("--depth-gaps must be resync or continue, got \(depthGaps)") }
            importer.depthGaps = gaps
            importer.coin = coin
            if coin == nil, !noUniverse {
                let config = try loadOrExit(location.config)
                do { importer.symbols = UniverseSymbols(universe: try UniverseLoader.load(for: config)) } catch {
                    printError("the universe could not be read (\(error)); pass --coin or --no-universe")
                    throw ExitCode(1)
                }
            }
            if let venue {
                guard let v = VenueID(rawValue: venue.lowercased()) else { throw ValidationError("unknown venue \(venue)") }
                importer.venue = v
            }
            let isTerminal = isatty(STDERR_FILENO) == 1
            importer.progress = { p in
                let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesDone) / Double(p.bytesTotal)) : 0
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                let line = "[\(bar)] \(Int(fraction * 100))% \((p.file as NSString).lastPathComponent): \(p.rows) rows, \(p.issues) bad"
                FileHandle.standardError.write(Data((isTerminal ? "\r" + line : line + "\n").utf8))
            }
            let clock = ContinuousClock()
            let start = clock.now
            for file in files {
                try Task.checkCancellation()   // Ctrl-C: stop between files (each is written whole or not at all)
                do { try importer.importFile(file, format: chosen) } catch {
                    if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
                    printError(ReadableError.describe(error))
                    throw ExitCode(1)
                }
            }
            if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            let report = importer.report
            for issue in report.issues.prefix(showIssues) { printError("bad row \(issue)") }
            if report.issueCount > showIssues { printError("... and \(report.issueCount - showIssues) more bad rows") }
            let kinds = report.rows.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            for (what, factor) in report.scaling.sorted(by: { $0.key < $1.key }) {
                print("scaled \(what): prices x\(String(format: "%g", factor)), sizes /\(String(format: "%g", factor)) (the universe's multiplier)")
            }
            print("imported \(report.totalRows) rows (\(kinds.isEmpty ? "none" : kinds)) from \(files.count) files into \(report.partitions.count) partitions in \(String(format: "%.2f", (clock.now - start).seconds))s; \(report.issueCount) bad rows skipped")
            if report.totalRows == 0 {
                printError("nothing was imported from \(files.joined(separator: ", ")): \(report.issueCount > 0 ? "every row was bad" : "no rows found")")
                throw ExitCode(1)
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete partitions older than a number of days (UTC).")

        @OptionGroup var location: Location

        @Option(help: "Age such as 30d: partitions of days before today minus this are deleted.")
        var olderThan: String

        @Option(help: "Only this kind.")
        var kind: String?

        @Flag(help: "List what would be deleted, delete nothing.")
        var dryRun = false

        func run() throws {
            guard olderThan.hasSuffix("d"), let days = Int(olderThan.dropLast()), days >= 0 else {
                throw ValidationError("--older-than must be a number of days such as 30d, got \(olderThan)")
            }
            let lake = try location.lake()
            let today = WallClock.now().dayNumber
            let cutoff = UTCDate(daysSinceEpoch: today - Int64(days))
            let removed = try lake.prune(before: cutoff, kinds: try parseKinds(kind), dryRun: dryRun)
            for p in removed { print("\(dryRun ? "would delete" : "deleted") \(p.path)") }
            let bytes = removed.reduce(Int64(0)) { $0 + $1.bytes }
            print("\(removed.count) partitions before \(cutoff) (\(byteCount(bytes)))\(dryRun ? ", dry run: nothing deleted" : " deleted")")
            let temporary = dryRun ? [] : lake.removeTemporaryFiles()
            if !temporary.isEmpty { print("removed \(temporary.count) temporary files of interrupted writes") }
        }
    }

    /// Writes synthetic book tops as fast as possible: the write benchmark, and the child
    /// process the crash-safety test kills mid-write.
    struct BenchWrite: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "bench-write", abstract: "Benchmark: write synthetic book-top partitions and report rows/s.")

        @Option(name: .long, help: "Data directory to write into.")
        var data: String

        @Option(help: "Rows per file.")
        var rows = 1_000_000

        @Option(help: "Files to write (one coin each, same day).")
        var files = 1

        @Option(help: "Codec: snappy, zstd, gzip, none.")
        var codec = "snappy"

        @Flag(help: "Keep rewriting forever (for crash tests).")
        var loop = false

        func run() throws {
            guard let codec = ParquetCodec(name: codec) else { throw ValidationError("unknown codec \(codec)") }
            var options = ParquetWriterOptions.lake(codec: codec)
            options.dictionaryForStrings = true
            let lake = DataLake(path: data, options: options)
            let day = UTCDate(year: 2025, month: 1, day: 27)
            var round = 0
            repeat {
                for f in 0..<files {
                    let coin = "C\(f)"
                    let table = BookRecord.makeTable(syntheticBook(coin: coin, rows: rows, day: day, seed: UInt64(f + round)))
                    let clock = ContinuousClock()
                    let start = clock.now
                    try lake.writeAtomically(table, kind: .book, to: lake.path(.book, coin: coin, day: day))
                    let elapsed = (clock.now - start).seconds
                    let size = (try? FileManager.default.attributesOfItem(atPath: lake.path(.book, coin: coin, day: day))[.size] as? NSNumber)?.int64Value ?? 0
                    print("wrote \(rows) rows (\(codec)) in \(String(format: "%.3f", elapsed))s: \(Int(Double(rows) / elapsed)) rows/s, \(byteCount(size))")
                }
                round += 1
            } while loop
        }
    }
}

/// Deterministic random-walk book tops for one coin and day.
func syntheticBook(coin: String, rows: Int, day: UTCDate, seed: UInt64) -> [BookRecord] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    var mid = 100.0
    var out: [BookRecord] = []
    out.reserveCapacity(rows)
    let start = day.start.nanoseconds
    let step = max(1, 86_400_000_000_000 / Int64(max(rows, 1)))
    for i in 0..<rows {
        mid *= 1 + (next() - 0.5) * 0.0004
        let spread = mid * 0.0001 * (1 + next())
        let top = BookTop(bidPrice: ((mid - spread / 2) * 100).rounded() / 100, bidSize: (next() * 50).rounded() / 10,
                          askPrice: ((mid + spread / 2) * 100).rounded() / 100, askSize: (next() * 50).rounded() / 10)
        out.append(BookRecord(time: Timestamp(nanoseconds: start + Int64(i) * step), coin: coin, venue: .binance, top: top))
    }
    return out
}

func parseKinds(_ text: String?) throws -> [DataKind] {
    guard let text else { return DataKind.allCases }
    var kinds: [DataKind] = []
    for part in text.split(separator: ",") {
        guard let kind = DataKind(rawValue: String(part)) else {
            throw ValidationError("unknown kind \(part); allowed: \(DataKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        kinds.append(kind)
    }
    return kinds
}

func byteCount(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes), unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
