import Foundation
import HuracanCore
import HuracanSimVenue

/// Writes a training data set from the simulated market: per coin, one row per second of
/// market data once features are warm (the same cadence and code as the pipeline's regime
/// updates), partitioned like the data lake: `{out}/{coin}/{YYYYMMDD}.csv`.
/// Columns: `ts_ns`, `mid`, `regime`, then `Features.names` (schema `Features.schemaVersion`).
/// The trainer reads these files, or the Parquet files of the same layout and columns.
public enum TrainingDataExporter {
    public static var header: String { (["ts_ns", "mid", "regime"] + Features.names).joined(separator: ",") }

    /// Returns the number of rows written per coin.
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
            let coinFolder = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: coinFolder, withIntermediateDirectories: true)
            var coin = market.makeCoin(index)
            var state = FeatureState()
            var regime = RegimeClassifier()
            var next = Timestamp.epoch
            var day = Int64.min
            var text = ""
            var rows = 0
            func flush() throws {
                guard day != Int64.min, !text.isEmpty else { return }
                let date = UTCDate(daysSinceEpoch: day)
                let file = coinFolder.appendingPathComponent(date.compact + ".csv")
                if !FileManager.default.fileExists(atPath: file.path) {
                    try Data((header + "\n").utf8).write(to: file)
                }
                let handle = try FileHandle(forWritingTo: file)
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(text.utf8))
                try handle.close()
                text = ""
            }
            for step in 0..<steps {
                events.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &coin, into: &events)
                for event in events {
                    state.update(event)
                    guard event.kind == .book, event.time >= next, state.isWarm else { continue }
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
                }
                if text.utf8.count > 1 << 20 { try flush() }
            }
            try flush()
            counts[name] = rows
            progress(name, rows)
        }
        return counts
    }
}
