import Foundation
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing

@Suite struct ParquetFileTests {
    static var codecs: [ParquetCodec] {
        [.uncompressed, .snappy, .gzip] + (ParquetCodec.zstdAvailable ? [.zstd] : [])
    }

    @Test(arguments: codecs)
    func writerAndReaderRoundTrip(codec: ParquetCodec) throws {
        let dir = TestPaths.temporaryDirectory("parquet")
        let table = ParquetSamples.table(rows: 10_000)
        var options = ParquetWriterOptions(codec: codec)
        options.rowGroupRows = 3_000
        options.pageBytes = 4_096
        options.metadata = ["huracan.schema": "test"]
        let path = dir.appendingPathComponent("t.parquet").path
        try ParquetWriter.write(table, to: path, options: options)
        let file = try ParquetFile(path: path)
        #expect(file.schema == table.schema)
        #expect(file.rowCount == 10_000)
        #expect(file.rowGroups.count == 4)
        #expect(file.metadata["huracan.schema"] == "test")
        let back = try file.read()
        #expect(back == table)
        // Only some columns, in another order.
        let some = try file.read(columns: ["price", "coin"])
        #expect(some.columns[0] == table.columns[2])
        #expect(some.columns[1] == table.columns[1])
        // Statistics for pruning.
        let stats = try #require(file.rowGroups[0].statistics[0])
        #expect(stats.min == .int(table.columns[0].int64s[0]))
        #expect(stats.max == .int(table.columns[0].int64s[2_999]))
        #expect(file.rowGroups[0].statistics[3]?.nullCount == Int64(table.columns[3].validity![0..<3_000].filter { !$0 }.count))
    }

    @Test func emptyAndSingleRowFiles() throws {
        let dir = TestPaths.temporaryDirectory("parquet")
        for rows in [0, 1, 17] {
            let path = dir.appendingPathComponent("r\(rows).parquet").path
            let table = ParquetSamples.table(rows: rows)
            try ParquetWriter.write(table, to: path)
            #expect(try ParquetFile(path: path).read() == table)
        }
    }

    @Test(arguments: codecs)
    func pyarrowReadsOurFiles(codec: ParquetCodec) throws {
        let python = try Python.require(["pyarrow"])
        let dir = TestPaths.temporaryDirectory("parquet")
        let table = ParquetSamples.table(rows: 5_000, seed: 9)
        var options = ParquetWriterOptions(codec: codec)
        options.rowGroupRows = 2_000
        let path = dir.appendingPathComponent("ours.parquet").path
        try ParquetWriter.write(table, to: path, options: options)
        let dump = try PythonDump(try Python.run(python, ParquetSamples.dumpScript, [path]))
        #expect(dump.rows == 5_000)
        #expect(dump.types["time"] == "timestamp[ns, tz=UTC]")
        #expect(dump.types["coin"] == "string")
        #expect(dump.types["count"] == "int32")
        let ours = table.textColumns()
        for field in table.schema.fields {
            #expect(dump.columns[field.name] == ours[field.name], "column \(field.name)")
        }
        // pyarrow sees our statistics.
        let stats = try Python.run(python, """
        import sys, pyarrow.parquet as pq
        s = pq.ParquetFile(sys.argv[1]).metadata.row_group(0).column(4).statistics
        print(s.has_min_max, s.min, s.max, s.null_count)
        """, [path])
        #expect(stats.trimmingCharacters(in: .whitespacesAndNewlines) == "True -500 \(1_999 * 1_000_003 - 500) 0")
    }

    /// pyarrow rewrites our sample with each codec, with and without dictionaries, pages v1 and
    /// v2; our reader must give back the same rows.
    @Test func weReadPyarrowFiles() throws {
        let python = try Python.require(["pyarrow"])
        let dir = TestPaths.temporaryDirectory("parquet")
        let table = ParquetSamples.table(rows: 3_000, seed: 5)
        let source = dir.appendingPathComponent("source.parquet").path
        try ParquetWriter.write(table, to: source)
        let output = try Python.run(python, """
        import sys, os, pyarrow.parquet as pq
        t = pq.read_table(sys.argv[1])
        out = sys.argv[2]
        for codec in ["snappy", "zstd", "gzip", "none", "brotli"]:
            for dictionary in [True, False]:
                for page in ["1.0", "2.0"]:
                    name = os.path.join(out, f"{codec}-{dictionary}-{page}.parquet")
                    pq.write_table(t, name, compression=codec, use_dictionary=dictionary, data_page_version=page, row_group_size=1000, data_page_size=2000)
                    print(name)
        """, [source, dir.path])
        let files = output.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".parquet") }
        #expect(files.count == 20)
        for path in files {
            let file = try ParquetFile(path: path)
            #expect(file.rowGroups.count == 3, "\(path)")
            let back = try file.read()
            #expect(back.textColumns() == table.textColumns(), "\(path)")
        }
    }

    /// pyarrow's `compression='lz4'` is LZ4_RAW; `write_page_checksum=True` stores a CRC-32 per
    /// page. Both read back; a flipped byte inside a value page is caught by its checksum with
    /// the file, row group, column and page named, instead of reading back wrong numbers.
    @Test func lz4RawAndPageChecksums() throws {
        let python = try Python.require(["pyarrow"])
        let dir = TestPaths.temporaryDirectory("parquet-crc")
        defer { try? FileManager.default.removeItem(at: dir) }
        let table = ParquetSamples.table(rows: 3_000, seed: 8)
        let source = dir.appendingPathComponent("source.parquet").path
        try ParquetWriter.write(table, to: source)
        let output = try Python.run(python, """
        import sys, os, pyarrow.parquet as pq
        t = pq.read_table(sys.argv[1])
        for codec in ["lz4", "none"]:
            name = os.path.join(sys.argv[2], f"{codec}-crc.parquet")
            pq.write_table(t, name, compression=codec, write_page_checksum=True, use_dictionary=False, row_group_size=1000, data_page_size=2000)
            print(name)
        """, [source, dir.path])
        let files = output.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".parquet") }
        try #require(files.count == 2)
        if ParquetCodec.lz4RawAvailable {
            let lz4 = try ParquetFile(path: files[0])
            #expect(try lz4.read().textColumns() == table.textColumns(), "LZ4_RAW pages read back")
        } else {
            #expect { try ParquetFile(path: files[0]).read() } throws: { ($0 as? ParquetError).map { $0.cause == .unsupported && $0.message.contains("liblz4") } == true }
        }
        // Uncompressed pages with checksums: flip one byte in the middle of the file (value bytes).
        let plain = try Data(contentsOf: URL(fileURLWithPath: files[1]))
        #expect(try ParquetFile(data: plain, path: "crc.parquet").read().textColumns() == table.textColumns(), "checksums verify on a good file")
        var damaged = plain
        damaged[plain.count / 3] ^= 0x5A
        #expect {
            try ParquetFile(data: damaged, path: "crc.parquet").read()
        } throws: { error in
            guard let error = error as? ParquetError else { return false }
            return error.file == "crc.parquet" && error.cause == .damaged && error.message.contains("is damaged: its checksum is") && error.message.contains("row group")
                && error.message.contains("column")
        }
    }

    @Test func duckdbAndPolarsReadOurFiles() throws {
        let python = try Python.require(["duckdb", "polars"])
        let dir = TestPaths.temporaryDirectory("parquet")
        let table = ParquetSamples.table(rows: 20_000, seed: 11)
        let path = dir.appendingPathComponent("ours.parquet").path
        var options = ParquetWriterOptions()
        options.rowGroupRows = 7_000
        try ParquetWriter.write(table, to: path, options: options)
        let output = try Python.run(python, """
        import sys, duckdb, polars as pl
        r = duckdb.sql(f"select count(*), count(quantity), sum(id), sum(count), count(distinct coin), sum(case when is_buyer_maker then 1 else 0 end), epoch_ns(max(time)) from read_parquet('{sys.argv[1]}')").fetchall()[0]
        print(" ".join(str(v) for v in r))
        df = pl.read_parquet(sys.argv[1])
        print(df.height, df["quantity"].null_count(), df["id"].sum(), df["coin"].n_unique(), df["note"].null_count())
        """, [path])
        let lines = output.split(separator: "\n").map(String.init)
        let validQuantity = table.columns[3].validity!.filter { $0 }.count
        let ids = table.columns[4].int64s.reduce(0, +)
        let counts = table.columns[5].int32s.reduce(0) { $0 + Int64($1) }
        let makers = table.columns[6].bools.filter { $0 }.count
        let maxTime = table.columns[0].int64s.max()!
        #expect(lines.first == "20000 \(validQuantity) \(ids) \(counts) 5 \(makers) \(maxTime)")
        let nullNotes = table.columns[7].validity!.filter { !$0 }.count
        #expect(lines.dropFirst().first == "20000 \(20_000 - validQuantity) \(ids) 5 \(nullNotes)")
    }

    @Test func realSamplesWrittenByPandas() throws {
        let folder = TestPaths.shared.appendingPathComponent("market-data")
        let quotes = folder.appendingPathComponent("binance-BTCUSDT-quotes-2021-01-08.parquet").path
        let trades = folder.appendingPathComponent("binance-BTCUSDT-trades-2021-01-08.parquet").path
        guard ParquetCodec.brotliAvailable else {
            // Without libbrotlidec the reader must say so clearly.
            #expect(throws: ParquetError.self) { try ParquetFile(path: quotes).read() }
            try MissingTool.skip("libbrotlidec.so.1 (the samples are Brotli-compressed)", install: "apt-get install libbrotli1")
        }
        let q = try ParquetFile(path: quotes)
        #expect(q.rowCount == 451)
        #expect(q.schema.fields.map(\.name) == ["timestamp", "symbol", "ask_size", "ask", "bid_size", "bid"])
        #expect(q.schema.fields[0].type == .timestamp)
        let qt = try q.read()
        #expect(qt.rowCount == 451)
        let t0 = qt.columns[0].int64s[0]
        #expect(Timestamp(nanoseconds: t0).dayNumber == UTCDateProbe.day(2021, 1, 8))
        #expect(qt["symbol"]!.strings.allSatisfy { $0 == "BTC/USDT" })
        #expect(qt["ask"]!.doubles.allSatisfy { $0 > 30_000 && $0 < 50_000 })
        let t = try ParquetFile(path: trades).read()
        #expect(t.rowCount == 2_001)
        #expect(Set(t["buyer_maker"]!.strings) == ["True", "False"])
    }

    @Test func corruptAndTruncatedFilesGiveErrorsNamingTheFile() throws {
        let dir = TestPaths.temporaryDirectory("parquet")
        let path = dir.appendingPathComponent("good.parquet").path
        var options = ParquetWriterOptions()
        options.rowGroupRows = 400
        options.pageBytes = 1_000
        try ParquetWriter.write(ParquetSamples.table(rows: 1_000), to: path, options: options)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // Truncated at every 37th byte.
        var truncatedErrors = 0
        for length in stride(from: 0, to: good.count, by: 37) {
            do {
                _ = try ParquetFile(data: good.prefix(length), path: "cut.parquet").read()
                Issue.record("truncated to \(length) bytes read without error")
            } catch {
                #expect(error.file == "cut.parquet")
                #expect(!error.message.isEmpty)
                truncatedErrors += 1
            }
        }
        #expect(truncatedErrors > 10)
        // Flipped bytes anywhere: an error or (for value bytes) different values, never a crash.
        var random = SplitMix(seed: 99)
        var failures = 0
        for trial in 0..<3_000 {
            var bytes = good
            let count = 1 + trial % 3
            for _ in 0..<count {
                // Mostly the footer, where structure lives.
                let inFooter = random.next() % 2 == 0
                let index = inFooter ? bytes.count - 1 - Int(random.next() % 900) : Int(random.next() % UInt64(bytes.count))
                bytes[index] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
            do { _ = try ParquetFile(data: bytes, path: "flipped.parquet").read() } catch {
                #expect(error.file == "flipped.parquet")
                failures += 1
            }
        }
        #expect(failures > 100)
        // Error texts say what is wrong.
        let cut = try #require(throws: ParquetError.self) { try ParquetFile(data: good.prefix(good.count - 3), path: "x.parquet") }
        #expect(cut.description.contains("x.parquet"))
        #expect(cut.description.contains("truncated") && cut.cause == .damaged)
        let missing = try #require(throws: ParquetError.self) { try ParquetFile(path: dir.appendingPathComponent("none.parquet").path) }
        #expect(missing.description.contains("none.parquet") && missing.cause == .io)
        // A good file read as another kind of record: the columns are not there.
        let other = try #require(throws: ParquetError.self) { _ = try BookRecord.records(from: try ParquetFile(data: good, path: "good.parquet").read(), file: "good.parquet") }
        #expect(other.cause == .schemaMismatch && other.message.contains("missing column"), "\(other)")
    }
}

/// Days since the epoch for a calendar date (tests only).
enum UTCDateProbe {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
        var c = DateComponents()
        c.year = y; c.month = m; c.day = d
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return Int64(calendar.date(from: c)!.timeIntervalSince1970 / 86_400)
    }
}
