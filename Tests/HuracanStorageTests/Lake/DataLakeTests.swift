import Foundation
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing

@Suite struct DataLakeTests {
    /// Every schema through our writer and reader, partitioned by coin and day.
    @Test func everySchemaRoundTripsThroughTheLake() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        try check(lake, RecordSamples.book())
        try check(lake, RecordSamples.trades())
        try check(lake, RecordSamples.funding())
        try check(lake, RecordSamples.features())
        try check(lake, RecordSamples.signals())
        try check(lake, RecordSamples.orders())
        try check(lake, RecordSamples.fills())
        // 7 kinds x 2 coins x 2 days.
        #expect(lake.partitions().count == 28)
        #expect(FileManager.default.fileExists(atPath: lake.root.appendingPathComponent("trades/ETH/20250128.parquet").path))
    }

    private func check<R: StoredRecord>(_ lake: DataLake, _ records: [R]) throws {
        let written = try lake.append(records)
        #expect(written.count == 4, "\(R.kind)")
        let back = try lake.read(R.self)
        let expected = records.sorted { ($0.coin, $0.time) < ($1.coin, $1.time) }
        #expect(back == expected, "\(R.kind)")
        // Pruning by coin and day range.
        let eth = try lake.read(R.self, coins: ["ETH"], from: RecordSamples.day1, through: RecordSamples.day1)
        #expect(eth == expected.filter { $0.coin == "ETH" && $0.time.dayNumber == RecordSamples.day1.daysSinceEpoch }, "\(R.kind)")
    }

    @Test func appendMergesInTimeOrder() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        let trades = RecordSamples.trades(40).filter { $0.coin == "BTC" }
        // Later half first, then the earlier half: the partition ends sorted by time.
        try lake.append(Array(trades[10...]))
        try lake.append(Array(trades[..<10]))
        #expect(try lake.read(TradeRecord.self) == trades)
    }

    /// pyarrow reads every kind we write and writes them back; we read pyarrow's files.
    @Test func everySchemaRoundTripsThroughPyarrow() throws {
        let python = try Python.require(["pyarrow"])
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        try lake.append(RecordSamples.book())
        try lake.append(RecordSamples.trades())
        try lake.append(RecordSamples.funding())
        try lake.append(RecordSamples.features())
        try lake.append(RecordSamples.signals())
        try lake.append(RecordSamples.orders())
        try lake.append(RecordSamples.fills())
        let copy = TestPaths.temporaryDirectory("lake-pyarrow")
        _ = try Python.run(python, """
        import sys, os, glob, pyarrow.parquet as pq
        src, dst = sys.argv[1], sys.argv[2]
        for path in glob.glob(os.path.join(src, "*", "*", "*.parquet")):
            t = pq.read_table(path)
            out = os.path.join(dst, os.path.relpath(path, src))
            os.makedirs(os.path.dirname(out), exist_ok=True)
            pq.write_table(t, out, compression="zstd")
        """, [lake.root.path, copy.path])
        let theirs = DataLake(root: copy)
        #expect(theirs.partitions().count == 28)
        try same(BookRecord.self, theirs, lake)
        try same(TradeRecord.self, theirs, lake)
        try same(FundingRecord.self, theirs, lake)
        try same(FeaturesRecord.self, theirs, lake)
        try same(ModelSignalRecord.self, theirs, lake)
        try same(OrderRecord.self, theirs, lake)
        try same(FillRecord.self, theirs, lake)
    }

    private func same<R: StoredRecord>(_ type: R.Type, _ a: DataLake, _ b: DataLake) throws {
        let left: [R] = try a.read(R.self)
        let right: [R] = try b.read(R.self)
        #expect(left.count == 100)
        #expect(left == right, "\(R.kind)")
    }

    /// DuckDB over the partitioned folder gives the same aggregates as our reader.
    @Test func duckdbAggregatesMatchOurReader() throws {
        let python = try Python.require(["duckdb"])
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        let trades = RecordSamples.trades(2_000)
        try lake.append(trades)
        let fills = RecordSamples.fills(500)
        try lake.append(fills)
        let output = try Python.run(python, """
        import sys, duckdb
        root = sys.argv[1]
        rows = duckdb.sql(f"select coin, count(*), count(trade_id), round(sum(price * size), 6), sum(case when side = 'buy' then 1 else 0 end) from read_parquet('{root}/trades/*/*.parquet') group by coin order by coin").fetchall()
        for r in rows: print(*r)
        f = duckdb.sql(f"select sum(cast(price as decimal(38,8)) * cast(quantity as decimal(38,8))), sum(cast(fee as decimal(38,18))) from read_parquet('{root}/fills/*/*.parquet')").fetchall()[0]
        print(*f)
        """, [lake.root.path])
        let lines = output.split(separator: "\n").map(String.init)
        let ours = try lake.read(TradeRecord.self)
        for (i, coin) in ["BTC", "ETH"].enumerated() {
            let rows = ours.filter { $0.coin == coin }
            let notional = rows.reduce(0.0) { $0 + $1.price * $1.size }
            let parts = lines[i].split(separator: " ")
            #expect(parts[0] == Substring(coin))
            #expect(Int(parts[1]) == rows.count)
            #expect(Int(parts[2]) == rows.filter { $0.tradeID != nil }.count)
            #expect(abs((Double(parts[3]) ?? 0) - notional) < 1e-5)
            #expect(Int(parts[4]) == rows.filter { $0.side == .buy }.count)
        }
        let storedFills = try lake.read(FillRecord.self)
        let notional = storedFills.reduce(FixedDecimal.zero) { $0 + $1.fill.notional }
        let fees = storedFills.reduce(FixedDecimal.zero) { $0 + $1.fill.fee }
        let f = lines[2].split(separator: " ")
        #expect(try FixedDecimal(parsing: String(f[0])) == notional)
        #expect(try FixedDecimal(parsing: String(f[1])) == fees)
    }

    /// polars reads a partitioned directory written by us (a glob over coins and days, and a
    /// lazy scan with a filter) and gets the same aggregates as our reader.
    @Test func polarsAggregatesOverAPartitionedDirectoryMatchOurReader() throws {
        let python = try Python.require(["polars"])
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        try lake.append(RecordSamples.trades(3_000))
        try lake.append(RecordSamples.book(2_000))
        let output = try Python.run(python, """
        import sys, polars as pl
        root = sys.argv[1]
        t = pl.read_parquet(f"{root}/trades/*/*.parquet")
        g = t.group_by("coin").agg(pl.len().alias("n"), pl.col("trade_id").count().alias("ids"), (pl.col("price") * pl.col("size")).sum().alias("notional"),
                                   (pl.col("side") == "buy").sum().alias("buys"), pl.col("time").max().dt.epoch("ns").alias("last")).sort("coin")
        for r in g.iter_rows(): print(*r)
        b = pl.scan_parquet(f"{root}/book/BTC/*.parquet").filter(pl.col("ask_price") > pl.col("bid_price")).select(pl.len(), pl.col("bid_size").sum()).collect()
        print(*b.row(0))
        print(len(pl.read_parquet(f"{root}/book/*/*.parquet").columns))
        """, [lake.root.path])
        let lines = output.split(separator: "\n").map(String.init)
        let trades = try lake.read(TradeRecord.self)
        #expect(Set(lake.partitions(kinds: [.trades]).map(\.day)).count > 1, "samples span several days")
        for (i, coin) in Set(trades.map(\.coin)).sorted().enumerated() {
            let rows = trades.filter { $0.coin == coin }
            let parts = lines[i].split(separator: " ")
            #expect(parts[0] == Substring(coin))
            #expect(Int(parts[1]) == rows.count)
            #expect(Int(parts[2]) == rows.filter { $0.tradeID != nil }.count)
            #expect(abs((Double(parts[3]) ?? 0) - rows.reduce(0.0) { $0 + $1.price * $1.size }) < 1e-6)
            #expect(Int(parts[4]) == rows.filter { $0.side == .buy }.count)
            #expect(Int64(parts[5]) == rows.map(\.time.nanoseconds).max())
        }
        let book = try lake.read(BookRecord.self, coins: ["BTC"]).filter { $0.top.askPrice > $0.top.bidPrice }
        let b = lines[lines.count - 2].split(separator: " ")
        #expect(Int(b[0]) == book.count)
        #expect(abs((Double(b[1]) ?? 0) - book.reduce(0.0) { $0 + $1.top.bidSize }) < 1e-6)
        #expect(Int(lines[lines.count - 1]) == BookRecord.schema.fields.count)
    }

    @Test func pruneDeletesOnlyOldDays() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        try lake.append(RecordSamples.book())
        let day2 = UTCDate(daysSinceEpoch: RecordSamples.day1.daysSinceEpoch + 1)
        let dry = try lake.prune(before: day2, dryRun: true)
        #expect(dry.count == 2)
        #expect(lake.partitions().count == 4)
        try lake.prune(before: day2, dryRun: false)
        #expect(lake.partitions().map(\.day) == [day2, day2])
    }

    @Test func badCoinNamesAreRefused() {
        let lake = DataLake(root: TestPaths.temporaryDirectory("lake"))
        let bad = BookRecord(time: .epoch, coin: "../etc", venue: .binance, top: BookTop(bidPrice: 1, bidSize: 1, askPrice: 2, askSize: 1))
        #expect(throws: DataLakeError.self) { try lake.append([bad]) }
    }

    /// A child process rewriting a partition is killed mid-write: the partition is either absent
    /// or complete, and only hidden temporary files remain, which the lake removes.
    @Test func killDuringWriteLeavesNoPartialFile() throws {
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let root = TestPaths.temporaryDirectory("lake-crash")
        let lake = DataLake(root: root)
        for attempt in 0..<6 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: huracan)
            process.arguments = ["data", "bench-write", "--data", root.path, "--rows", "300000", "--files", "2", "--loop"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill at different moments of the write cycle.
            Thread.sleep(forTimeInterval: 0.4 + Double(attempt) * 0.23)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            for partition in lake.partitions() {
                let file = try ParquetFile(path: partition.path)
                #expect(file.rowCount == 300_000)
                #expect(try file.read(columns: ["time"]).rowCount == 300_000)
            }
        }
        let leftovers = lake.removeTemporaryFiles()
        print("crash test: \(lake.partitions().count) complete partitions, \(leftovers.count) temporary files removed")
        let names = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".parquet") || $0.contains(".tmp-") }
        #expect(names.allSatisfy { !$0.contains(".tmp-") })
    }
}
