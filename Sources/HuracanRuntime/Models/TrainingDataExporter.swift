import Foundation
import HuracanCore
import HuracanSimVenue
import HuracanStorage

/// Writes a training data set, from the simulated market or from stored market data: per coin,
/// one row per second of market data once features are warm (the same cadence and code as the
/// pipeline's regime updates), partitioned like the data lake: `{out}/{coin}/{YYYYMMDD}.csv`.
/// Columns: `ts_ns`, `mid`, `regime`, then `Features.names` (schema `Features.schemaVersion`).
/// The trainer reads these files, or the Parquet files of the same layout and columns.
public enum TrainingDataExporter {
    public static var header: String { (["ts_ns", "mid", "regime"] + Features.names).joined(separator: ",") }

    /// From the simulated market. Returns the number of rows written per coin.
    @discardableResult
    public static func export(universe: Universe, coins: [CoinIndex], seed: UInt64, start: Timestamp, hours: Double, venues: [VenueID],
                              updateIntervalMs: Double, to folder: URL, progress: (String, Int) -> Void = { _, _ in }) throws -> [String: Int] {
        let parameters = SimulationParameters(seed: seed, start: start, updateIntervalMs: updateIntervalMs)
        let market = SimulatedMarket(universe: universe, parameters: parameters, venues: venues)
        let steps = Int64(hours * 3_600e9) / parameters.stepNanoseconds
        var counts: [String: Int] = [:]
        var events: [MarketEvent] = []
        for index in coins {
            let name = universe[index].coin
            var writer = try FeatureRows(folder: folder.appendingPathComponent(name))
            var coin = market.makeCoin(index)
            for step in 0..<steps {
                events.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &coin, into: &events)
                for event in events { try writer.add(event) }
            }
            try writer.finish()
            counts[name] = writer.rows
            progress(name, writer.rows)
        }
        return counts
    }

    /// From the data lake: `coins`' stored book tops, trades and funding in [from, to).
    @discardableResult
    public static func export(lake: DataLake, coins: [String], from: Timestamp, to: Timestamp, folder: URL,
                              progress: (String, Int) -> Void = { _, _ in }) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in coins {
            var writer = try FeatureRows(folder: folder.appendingPathComponent(name))
            let replay = try StoredMarketReplay(lake: lake, coins: [(name, CoinIndex(0))], from: from, to: to)
            while let event = try replay.next() { try writer.add(event) }
            try writer.finish()
            counts[name] = writer.rows
            progress(name, writer.rows)
        }
        return counts
    }

    /// One coin's rows: features updated by every event, a row per second of book updates.
    struct FeatureRows {
        let folder: URL
        var state = FeatureState()
        var regime = RegimeClassifier()
        var next = Timestamp.epoch
        var day = Int64.min
        var text = ""
        var rows = 0

        init(folder: URL) throws {
            self.folder = folder
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        mutating func add(_ event: MarketEvent) throws {
            state.update(event)
            guard event.kind == .book, event.time >= next, state.isWarm else { return }
            let features = state.features()
            let current = regime.update(features, at: event.time)
            next = event.time + .nanoseconds(1_000_000_000)
            let eventDay = event.time.nanoseconds / 86_400_000_000_000
            if eventDay != day {
                try flush()
                day = eventDay
            }
            var line = "\(event.time.nanoseconds),\(state.mid),\(current.rawValue)"
            for i in 0..<Features.count { line += ",\(features[i])" }
            text += line + "\n"
            rows += 1
            if text.utf8.count > 1 << 20 { try flush() }
        }

        mutating func finish() throws { try flush() }

        private mutating func flush() throws {
            guard day != Int64.min, !text.isEmpty else { return }
            let file = folder.appendingPathComponent(UTCDate(daysSinceEpoch: day).compact + ".csv")
            if !FileManager.default.fileExists(atPath: file.path) {
                try Data((TrainingDataExporter.header + "\n").utf8).write(to: file)
            }
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
            text = ""
        }
    }
}
