import Dispatch
import HuracanCore

/// The data lake's book, trade and funding events of each coin, read coin by coin: each coin's
/// kinds merged in time order (ties: book, then trades, then funding), without ordering coins
/// against each other. A backtest files events per coin anyway, so it needs no merge across
/// coins; memory is one decoded row group per coin and kind.
public final class StoredCoinStreams {
    /// Per coin (in the order given), its streams in kind order, each started.
    let cursors: [[StoredStreamCursor]]
    public let from: Timestamp
    public let to: Timestamp
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
        // One listing of the lake for every coin and kind (a listing per coin and kind read each
        // kind's folder of all coins again: 1,200 listings of 400 entries at 400 coins).
        var filesByStream: [String: [String]] = [:]
        let wanted = Set(coins.map(\.name))
        for partition in lake.partitions(kinds: kinds, coins: wanted, from: firstDay, through: lastDay) {
            filesByStream["\(partition.kind.rawValue)/\(partition.coin)", default: []].append(partition.path)
        }
        let plans: [[StoredStreamCursor]] = coins.map { name, index in
            kinds.compactMap { kind in
                filesByStream["\(kind.rawValue)/\(name)"].map { StoredStreamCursor(coin: index, kind: kind, files: $0, from: from, to: to) }
            }
        }
        fileCount = filesByStream.values.reduce(0) { $0 + $1.count }
        // Opening a file and decoding its first row group is most of the start: coins in parallel.
        // Each cursor is started by exactly one iteration; the first failure in coin order is thrown.
        let failures = Locked<[Int: any Error]>([:])
        nonisolated(unsafe) let unstarted = plans
        DispatchQueue.concurrentPerform(iterations: unstarted.count) { coin in
            for cursor in unstarted[coin] {
                do { try cursor.start() } catch {
                    failures.withLock { $0[coin] = error }
                    return
                }
            }
        }
        if let first = failures.withLock({ $0.min { $0.key < $1.key } }) { throw first.value }
        cursors = plans
    }

    /// Coins, in the order given at init.
    public var coinCount: Int { cursors.count }

    /// Time of the coin's next event (position in the `coins` given at init), nil when it has none left.
    public func nextTime(coin: Int) -> Int64? {
        var best: Int64?
        for cursor in cursors[coin] {
            if let t = cursor.currentTime, t < (best ?? .max) { best = t }
        }
        return best
    }

    /// Appends the coin's events before `end` (nanoseconds) to `out`, in time order.
    public func take(coin: Int, before end: Int64, into out: inout [MarketEvent]) throws {
        let mine = cursors[coin]
        if mine.count == 1 {
            try mine[0].append(before: end, into: &out)
            return
        }
        // Runs: the stream with the earliest next event hands over everything up to the next
        // event of any other stream (equal times go to the earlier kind first).
        while true {
            var first = -1, firstTime = Int64.max
            for (i, cursor) in mine.enumerated() {
                if let t = cursor.currentTime, t < firstTime {
                    first = i
                    firstTime = t
                }
            }
            guard first >= 0, firstTime < end else { return }
            // The tightest bound: `end`, each later kind's next time (inclusive) and each earlier
            // kind's (exclusive); at equal times the exclusive bound is the tighter.
            var limit = (time: end, inclusive: false)
            for (i, cursor) in mine.enumerated() where i != first {
                guard let t = cursor.currentTime else { continue }
                let inclusive = i > first
                if t < limit.time || (t == limit.time && !inclusive) { limit = (t, inclusive) }
            }
            // An inclusive bound is another stream's next time, below `end`: one past it is safe.
            try mine[first].append(before: limit.inclusive ? limit.time + 1 : limit.time, into: &out)
        }
    }
}
