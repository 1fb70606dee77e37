import HuracanCore

/// One stream of stored market events: one kind (book, trades or funding) of one coin across
/// its day partitions, in time order, holding one decoded row group at a time.
final class StoredStreamCursor {
    let coin: CoinIndex
    let kind: DataKind
    private let files: [String]
    private let from: Int64
    private let to: Int64
    private var fileIndex = -1
    private var file: ParquetFile?
    private var group = 0
    /// The decoded row group; `position` is the next event.
    private(set) var events: [MarketEvent] = []
    private(set) var position = 0

    init(coin: CoinIndex, kind: DataKind, files: [String], from: Timestamp, to: Timestamp) {
        self.coin = coin
        self.kind = kind
        self.files = files
        self.from = from.nanoseconds
        self.to = to.nanoseconds
    }

    /// Time of the next event, or nil at the end of the stream.
    var currentTime: Int64? { position < events.count ? events[position].time.nanoseconds : nil }

    /// Loads the first row group with an event in range; call once before reading.
    func start() throws { try refill() }

    /// Moves past the next event.
    func advance() throws {
        position += 1
        if position >= events.count { try refill() }
    }

    /// Appends the stream's events before `end` (nanoseconds) to `out`, loading row groups as
    /// needed.
    func append(before end: Int64, into out: inout [MarketEvent]) throws {
        while position < events.count {
            var last = position
            let count = events.count
            while last < count && events[last].time.nanoseconds < end { last += 1 }
            if last > position { out.append(contentsOf: events[position..<last]) }
            position = last
            guard position >= count else { return }
            try refill()
        }
    }

    /// Loads row groups (and files) until one has an event in range, or the stream ends.
    private func refill() throws {
        while position >= events.count {
            if let file, group < file.rowGroups.count {
                // Into the same buffer: no allocation per row group.
                events.removeAll(keepingCapacity: true)
                try MarketEventDecoder.decode(kind, in: file, rowGroup: group, coin: coin, from: from, to: to, into: &events)
                group += 1
                position = 0
                continue
            }
            file = nil
            fileIndex += 1
            guard fileIndex < files.count else {
                events = [] // the stream is done: its buffer goes
                position = 0
                return
            }
            file = try ParquetFile(path: files[fileIndex], statistics: .firstColumn)
            group = 0
        }
    }
}
