import Foundation
import HuracanCore

/// One stored file: a kind of record, a coin and a UTC day.
public struct Partition: Sendable, Hashable, Comparable {
    public var kind: DataKind
    public var coin: String
    public var day: UTCDate
    public var path: String
    public var bytes: Int64

    public static func < (lhs: Partition, rhs: Partition) -> Bool {
        (lhs.kind.rawValue, lhs.coin, lhs.day.daysSinceEpoch) < (rhs.kind.rawValue, rhs.coin, rhs.day.daysSinceEpoch)
    }
}

/// A problem with the data directory, naming the path.
public struct DataLakeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The partitioned Parquet data lake: `{root}/{kind}/{coin}/{YYYYMMDD}.parquet`, one file per
/// kind of record, coin and UTC day, rows sorted by time (see docs/data-lake.md).
///
/// Writes are atomic: a file is written beside its partition as `.{YYYYMMDD}.parquet.tmp-*`,
/// fsynced, renamed over the partition, and the folder is fsynced; a crash leaves either the
/// old partition or the new one, plus at most a hidden temporary file that readers ignore and
/// `removeTemporaryFiles()` deletes.
public struct DataLake: Sendable {
    public let root: URL
    public var options: ParquetWriterOptions

    public init(root: URL, options: ParquetWriterOptions = .lake()) {
        self.root = root
        self.options = options
    }

    public init(path: String, options: ParquetWriterOptions = .lake()) {
        self.init(root: URL(fileURLWithPath: path), options: options)
    }

    /// Coin names become folder names: letters, digits, `-`, `_` and `.` only.
    public static func isValidCoin(_ coin: String) -> Bool {
        !coin.isEmpty && coin.count <= 64 && coin != "." && coin != ".."
            && coin.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.".unicodeScalars.contains($0) }
    }

    public func folder(_ kind: DataKind, coin: String) -> URL {
        root.appendingPathComponent(kind.rawValue).appendingPathComponent(coin)
    }

    public func path(_ kind: DataKind, coin: String, day: UTCDate) -> String {
        folder(kind, coin: coin).appendingPathComponent("\(day.compact).parquet").path
    }

    // MARK: listing and pruning

    /// Stored partitions, pruned by kind, coins and an inclusive day range, using only folder
    /// and file names (no file is opened).
    public func partitions(kinds: [DataKind] = DataKind.allCases, coins: Set<String>? = nil, from: UTCDate? = nil,
                           through: UTCDate? = nil) -> [Partition] {
        let fm = FileManager.default
        var result: [Partition] = []
        for kind in kinds {
            let kindFolder = root.appendingPathComponent(kind.rawValue)
            guard let coinNames = try? fm.contentsOfDirectory(atPath: kindFolder.path) else { continue }
            for coin in coinNames where !coin.hasPrefix(".") {
                if let coins, !coins.contains(coin) { continue }
                let coinFolder = kindFolder.appendingPathComponent(coin)
                guard let files = try? fm.contentsOfDirectory(atPath: coinFolder.path) else { continue }
                for file in files where file.hasSuffix(".parquet") && !file.hasPrefix(".") {
                    guard let day = UTCDate(parsing: String(file.dropLast(8))) else { continue }
                    if let from, day < from { continue }
                    if let through, through < day { continue }
                    let path = coinFolder.appendingPathComponent(file).path
                    let size = (try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
                    result.append(Partition(kind: kind, coin: coin, day: day, path: path, bytes: size))
                }
            }
        }
        return result.sorted()
    }

    /// Deletes partitions whose day is before `before` (or only lists them when `dryRun`).
    @discardableResult
    public func prune(before: UTCDate, kinds: [DataKind] = DataKind.allCases, coins: Set<String>? = nil, dryRun: Bool) throws -> [Partition] {
        let old = partitions(kinds: kinds, coins: coins, through: UTCDate(daysSinceEpoch: before.daysSinceEpoch - 1))
        if !dryRun {
            for partition in old { try FileManager.default.removeItem(atPath: partition.path) }
        }
        return old
    }

    /// Removes temporary files left by interrupted writes; returns their paths.
    @discardableResult
    public func removeTemporaryFiles() -> [String] {
        var removed: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix("."), name.contains(".parquet.tmp-") {
                let path = root.appendingPathComponent(relative).path
                if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
            }
        }
        return removed
    }

    // MARK: writing

    /// Stores `records`, grouped by coin and UTC day; each touched partition is merged with what
    /// it already holds (rows stay sorted by time) and replaced atomically. Returns the paths written.
    @discardableResult
    public func append<R: StoredRecord>(_ records: [R]) throws -> [String] {
        var groups: [String: [Int64: [R]]] = [:]
        for record in records {
            guard Self.isValidCoin(record.coin) else { throw DataLakeError("coin \"\(record.coin)\" cannot be a folder name (letters, digits, - _ . only)") }
            groups[record.coin, default: [:]][record.time.dayNumber, default: []].append(record)
        }
        var written: [String] = []
        for (coin, days) in groups.sorted(by: { $0.key < $1.key }) {
            for (dayNumber, rows) in days.sorted(by: { $0.key < $1.key }) {
                let day = UTCDate(daysSinceEpoch: dayNumber)
                let path = self.path(R.kind, coin: coin, day: day)
                var merged: [R] = []
                if FileManager.default.fileExists(atPath: path) {
                    merged = try read(R.self, path: path)
                }
                let existing = merged.count
                merged.append(contentsOf: rows)
                if !Self.isSorted(merged, from: max(0, existing - 1)) {
                    // Stable: equal times keep their arrival order.
                    merged = merged.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
                }
                try writeAtomically(R.makeTable(merged), kind: R.kind, to: path)
                written.append(path)
            }
        }
        return written
    }

    private static func isSorted<R: StoredRecord>(_ rows: [R], from start: Int) -> Bool {
        var i = start + 1
        while i < rows.count {
            if rows[i].time < rows[i - 1].time { return false }
            i += 1
        }
        return true
    }

    /// Writes `table` to `path` through a temporary file, fsync and rename.
    public func writeAtomically(_ table: ParquetTable, kind: DataKind, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        var options = options
        options.metadata["huracan.kind"] = kind.rawValue
        options.metadata["huracan.schema_version"] = String(kind.schemaVersion)
        do {
            try ParquetWriter.write(table, to: temporary, options: options)
            guard rename(temporary, path) == 0 else {
                throw DataLakeError("\(path): rename from \(temporary) failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        // Make the rename itself durable.
        let fd = open(folder.path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            _ = close(fd)
        }
    }

    // MARK: reading

    public func read<R: StoredRecord>(_ type: R.Type, path: String) throws -> [R] {
        let file = try ParquetFile(path: path)
        return try R.records(from: try file.read(), file: path)
    }

    /// All records of one kind for some coins and an inclusive day range, partition by partition
    /// (coin, then day), each sorted by time.
    public func read<R: StoredRecord>(_ type: R.Type, coins: Set<String>? = nil, from: UTCDate? = nil, through: UTCDate? = nil) throws -> [R] {
        var out: [R] = []
        for partition in partitions(kinds: [R.kind], coins: coins, from: from, through: through) {
            out.append(contentsOf: try read(R.self, path: partition.path))
        }
        return out
    }
}

extension DataKind {
    var schemaVersion: Int {
        switch self {
        case .book: BookRecord.schemaVersion
        case .trades: TradeRecord.schemaVersion
        case .funding: FundingRecord.schemaVersion
        case .klines: KlineRecord.schemaVersion
        case .features: FeaturesRecord.schemaVersion
        case .signals: ModelSignalRecord.schemaVersion
        case .orders: OrderRecord.schemaVersion
        case .fills: FillRecord.schemaVersion
        }
    }
}
