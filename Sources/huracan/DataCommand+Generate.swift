import ArgumentParser
import Foundation
import HuracanCore
import HuracanRuntime
import HuracanStorage

extension DataCommand {
    /// `huracan data generate`: the simulated market written as book, trade and funding partitions.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the simulated market (the configured universe, seed and update interval) into the data lake.",
            discussion: "A realistic multi-coin data set for stored-data backtests and benchmarks: per coin, book tops at the coin's quote rate (liquid coins several a second, quiet ones a few a minute), trades and funding."
        )

        @OptionGroup var location: Location

        @Option(help: "Number of coins (the universe's first, most liquid first).")
        var coins = 20

        @Option(help: "First instant, YYYY-MM-DD (UTC midnight).")
        var from = "2025-01-27"

        @Option(help: "Hours of data.")
        var hours = 1.0

        @Option(help: "Keep one book top in this many (1 keeps every quote).")
        var bookEvery = 1

        func run() throws {
            guard let day = UTCDate(parsing: from) else { throw ValidationError("--from must be a date YYYY-MM-DD, got \(from)") }
            guard hours > 0, coins > 0, bookEvery > 0 else { throw ValidationError("--hours, --coins and --book-every must be positive") }
            let config = try loadOrExit(location.config)
            let lake = try location.lake()
            let to = day.start + .nanoseconds(Int64(hours * 3_600e9))
            let clock = ContinuousClock()
            let began = clock.now
            let summary = try SimulatedDataSet.generate(config: config, lake: lake, coins: coins, from: day.start, to: to, bookEvery: bookEvery) { done, s in
                if done % 20 == 0 || done == coins {
                    FileHandle.standardError.write(Data("generated \(done)/\(coins) coins, \(s.rows) rows\n".utf8))
                }
            }
            let seconds = (clock.now - began).seconds
            print("wrote \(summary.books) book tops, \(summary.trades) trades, \(summary.funding) funding rows for \(summary.coins) coins into \(summary.files) files under \(lake.root.path) in \(String(format: "%.1f", seconds))s")
        }
    }

    /// `huracan data bench-replay`: the k-way merge alone, without the engine.
    struct BenchReplay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-replay",
            abstract: "Benchmark: merge the stored book, trade and funding partitions of every coin in time order (no engine) and report events/s."
        )

        @OptionGroup var location: Location

        @Option(help: "First day, YYYY-MM-DD.")
        var from: String

        @Option(help: "Day after the last (default: one day after --from).")
        var to: String?

        func run() throws {
            guard let start = UTCDate(parsing: from) else { throw ValidationError("--from must be a date YYYY-MM-DD, got \(from)") }
            let end = try to.map { text -> UTCDate in
                guard let d = UTCDate(parsing: text) else { throw ValidationError("--to must be a date YYYY-MM-DD, got \(text)") }
                return d
            } ?? UTCDate(daysSinceEpoch: start.daysSinceEpoch + 1)
            let lake = try location.lake()
            let names = StoredMarketReplay.storedCoins(lake: lake, from: start, through: UTCDate(daysSinceEpoch: end.daysSinceEpoch - 1))
            let clock = ContinuousClock()
            let began = clock.now
            let replay = try StoredMarketReplay(lake: lake, coins: names.enumerated().map { ($1, CoinIndex($0)) }, from: start.start, to: end.start)
            var count = 0
            var previous = Int64.min
            var checksum = 0.0
            while let event = try replay.next() {
                guard event.time.nanoseconds >= previous else { throw ValidationError("merge out of order at event \(count)") }
                previous = event.time.nanoseconds
                switch event.payload {
                case .book(let top): checksum += top.bidPrice
                case .trade(let price, _, _): checksum += price
                case .funding(_, let mark), .fundingSettlement(_, let mark): checksum += mark
                }
                count += 1
            }
            let seconds = (clock.now - began).seconds
            print("merged \(count) events of \(names.count) coins from \(replay.fileCount) files in \(String(format: "%.2f", seconds))s: \(Int(Double(count) / max(seconds, 1e-9))) events/s (checksum \(Int(checksum) % 1000))")
        }
    }
}
