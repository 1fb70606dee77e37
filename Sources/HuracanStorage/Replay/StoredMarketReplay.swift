import HeapModule
import HuracanCore

/// Market events from the data lake in timestamp order across coins and kinds (book, trades,
/// funding): a k-way merge (a heap keyed by each cursor's next time) over one cursor per kind and
/// coin, each walking its day partitions in order and holding one row group at a time, so memory
/// is bounded by (coins x kinds x one row group) whatever the date range.
public final class StoredMarketReplay {
    /// One stream of events: one kind of one coin across its days.
    private final class Cursor {
        let coin: CoinIndex
        let kind: DataKind
        var files: [String]
        var fileIndex = -1
        var file: ParquetFile?
        var group = 0
        var events: [MarketEvent] = []
        var position = 0

        init(coin: CoinIndex, kind: DataKind, files: [String]) {
            self.coin = coin
            self.kind = kind
            self.files = files
        }

        var current: MarketEvent? { position < events.count ? events[position] : nil }

        /// Moves to the next event, loading the next row group or file when needed.
        func advance(from: Timestamp, to: Timestamp) throws {
            position += 1
            while position >= events.count {
                if let file, group < file.rowGroups.count {
                    events = try load(file, group, from: from, to: to)
                    group += 1
                    position = 0
                    continue
                }
                fileIndex += 1
                guard fileIndex < files.count else {
                    events = []
                    position = 0
                    return
                }
                file = try ParquetFile(path: files[fileIndex])
                group = 0
            }
        }

        private func load(_ file: ParquetFile, _ group: Int, from: Timestamp, to: Timestamp) throws -> [MarketEvent] {
            // Row groups entirely outside the range are skipped on their time statistics.
            if let stats = file.rowGroups[group].statistics.first ?? nil, case .int(let lo)? = stats.min, case .int(let hi)? = stats.max,
               hi < from.nanoseconds || lo >= to.nanoseconds {
                return []
            }
            let table = try file.read(rowGroup: group)
            var out: [MarketEvent]
            switch kind {
            case .book: out = try BookRecord.records(from: table, file: file.path).map { $0.event(coinIndex: coin) }
            case .trades: out = try TradeRecord.records(from: table, file: file.path).map { $0.event(coinIndex: coin) }
            case .funding: out = try FundingRecord.records(from: table, file: file.path).map { $0.event(coinIndex: coin) }
            default: out = []
            }
            return out.filter { $0.time >= from && $0.time < to }
        }
    }

    private struct Entry: Comparable {
        var time: Int64
        var order: Int
        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.order) < (b.time, b.order) }
    }

    private var cursors: [Cursor] = []
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
        let firstDay = UTCDate(daysSinceEpoch: from.dayNumber)
        let lastDay = UTCDate(daysSinceEpoch: Timestamp(nanoseconds: to.nanoseconds - 1).dayNumber)
        var files = 0
        for (name, index) in coins {
            for kind in kinds {
                let partitions = lake.partitions(kinds: [kind], coins: [name], from: firstDay, through: lastDay)
                guard !partitions.isEmpty else { continue }
                files += partitions.count
                cursors.append(Cursor(coin: index, kind: kind, files: partitions.map(\.path)))
            }
        }
        fileCount = files
        for (i, cursor) in cursors.enumerated() {
            try cursor.advance(from: from, to: to)
            if let event = cursor.current { heap.insert(Entry(time: event.time.nanoseconds, order: i)) }
        }
    }

    /// The next event in time order (ties: book before trades before funding of the same
    /// coin, then by coin), or nil at the end.
    public func next() throws -> MarketEvent? {
        guard let top = heap.popMin() else { return nil }
        let cursor = cursors[top.order]
        let event = cursor.current!
        try cursor.advance(from: from, to: to)
        if let following = cursor.current { heap.insert(Entry(time: following.time.nanoseconds, order: top.order)) }
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
            let file = try ParquetFile(path: partition.path)
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
