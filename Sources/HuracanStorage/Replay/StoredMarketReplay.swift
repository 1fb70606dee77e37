import HeapModule
import HuracanCore

/// Market events from the data lake in timestamp order across coins and kinds (book, trades,
/// funding), for exports and the merge benchmark (backtests read per coin, `StoredCoinStreams`):
/// a k-way merge (a heap keyed by each cursor's next time) over one cursor per kind and
/// coin, each walking its day partitions in order and holding one row group at a time, so memory
/// is bounded by (coins x kinds x one row group) whatever the date range.
public final class StoredMarketReplay {
    private struct Entry: Comparable {
        var time: Int64
        var order: Int
        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.order) < (b.time, b.order) }
    }

    private let cursors: [StoredStreamCursor]
    private var heap = Heap<Entry>()
    public let from: Timestamp
    public let to: Timestamp
    public private(set) var delivered = 0
    public let fileCount: Int

    /// - Parameters:
    ///   - coins: coin name and the engine's index for it.
    ///   - from, to: half-open time range.
    public init(lake: DataLake, coins: [(name: String, index: CoinIndex)], from: Timestamp, to: Timestamp,
                kinds: [DataKind] = [.book, .trades, .funding]) throws {
        self.from = from
        self.to = to
        let streams = try StoredCoinStreams(lake: lake, coins: coins, from: from, to: to, kinds: kinds)
        fileCount = streams.fileCount
        // Coin by coin, each coin's kinds in order: the heap's ties follow this order.
        cursors = streams.cursors.flatMap { $0 }
        for (i, cursor) in cursors.enumerated() {
            if let time = cursor.currentTime { heap.insert(Entry(time: time, order: i)) }
        }
    }

    /// The next event in time order (ties: book before trades before funding of the same
    /// coin, then by coin), or nil at the end.
    public func next() throws -> MarketEvent? {
        guard let top = heap.popMin() else { return nil }
        let cursor = cursors[top.order]
        let event = cursor.events[cursor.position]
        try cursor.advance()
        if let following = cursor.currentTime { heap.insert(Entry(time: following, order: top.order)) }
        delivered += 1
        return event
    }

    /// The time span of the stored book, trade and funding data of `coins` (all when nil): the
    /// first event's time and just after the last one's, from the files' time statistics (only
    /// the first and last days' files are opened, footers only). Nil when nothing is stored.
    public static func span(lake: DataLake, coins: Set<String>? = nil) throws -> (from: Timestamp, to: Timestamp)? {
        let partitions = lake.partitions(kinds: [.book, .trades, .funding], coins: coins)
        guard let firstDay = partitions.map(\.day).min(), let lastDay = partitions.map(\.day).max() else { return nil }
        var lo: Int64?, hi: Int64?
        for partition in partitions where partition.day == firstDay || partition.day == lastDay {
            // Only the time column's statistics are read (the first column of every kind).
            let file = try ParquetFile(path: partition.path, statistics: .firstColumn)
            for group in file.rowGroups {
                guard let stats = group.statistics.first ?? nil, case .int(let min)? = stats.min, case .int(let max)? = stats.max else {
                    // No time statistics: the whole days.
                    lo = Swift.min(lo ?? .max, firstDay.start.nanoseconds)
                    hi = Swift.max(hi ?? .min, UTCDate(daysSinceEpoch: lastDay.daysSinceEpoch + 1).start.nanoseconds - 1)
                    continue
                }
                lo = Swift.min(lo ?? .max, min)
                hi = Swift.max(hi ?? .min, max)
            }
        }
        guard let lo, let hi else { return nil }
        return (Timestamp(nanoseconds: lo), Timestamp(nanoseconds: hi + 1))
    }

    /// Coins (names) with any stored book, trade or funding data in the lake.
    public static func storedCoins(lake: DataLake, from: UTCDate, through: UTCDate) -> [String] {
        Array(Set(lake.partitions(kinds: [.book, .trades, .funding], from: from, through: through).map(\.coin))).sorted()
    }
}
