import Foundation
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing
import ZIPFoundation

@Suite struct DataImporterTests {
    static let samples = TestPaths.shared.appendingPathComponent("market-data")

    @Test func realSamplesImport() throws {
        let lake = DataLake(root: TestPaths.temporaryDirectory("import"))
        let importer = DataImporter(lake: lake)
        try importer.importFile(Self.samples.appendingPathComponent("tardis-binance-futures_book_snapshot_5_BTCUSDT.csv").path)
        try importer.importFile(Self.samples.appendingPathComponent("tardis-binance-futures_book_snapshot_25_BTCUSDT.csv").path)
        try importer.importFile(Self.samples.appendingPathComponent("btc-perp-1m-2022-01.csv.gz").path)
        if ParquetCodec.brotliAvailable {
            try importer.importFile(Self.samples.appendingPathComponent("binance-BTCUSDT-quotes-2021-01-08.parquet").path)
            try importer.importFile(Self.samples.appendingPathComponent("binance-BTCUSDT-trades-2021-01-08.parquet").path)
        }
        let report = importer.report
        #expect(report.issueCount == 0, "\(report.issues.prefix(3))")
        #expect(report.rows[.klines] == 45_031)
        let book = try lake.read(BookRecord.self, coins: ["BTC"])
        #expect(book.count == (ParquetCodec.brotliAvailable ? 471 : 20))
        let first = try #require(book.first { $0.time == Timestamp(microseconds: 1_598_918_403_696_000) })
        #expect(first.top == BookTop(bidPrice: 11_657.07, bidSize: 10.896, askPrice: 11_657.08, askSize: 1.714))
        #expect(first.venue == .binance)
        let klines = try lake.read(KlineRecord.self)
        let expectedFirst = try DataImporterTimestamp.parse("2021-12-31 23:01:00")
        #expect(klines.first?.time == expectedFirst)
        #expect(expectedFirst == UTCDate(year: 2021, month: 12, day: 31).start + .seconds(23 * 3_600 + 60))
        #expect(klines.allSatisfy { $0.intervalSeconds == 60 })
        #expect(Set(lake.partitions(kinds: [.klines]).map(\.day.description)).count == 33)
        if ParquetCodec.brotliAvailable {
            let trades = try lake.read(TradeRecord.self)
            #expect(trades.count == 2_001)
            #expect(Set(trades.map(\.side)) == [.buy, .sell])
        }
    }

    @Test func binanceDumpsZippedOrNotWithBrokenRows() throws {
        let folder = TestPaths.temporaryDirectory("dumps")
        // bookTicker with a header: two broken rows (crossed book, bad number).
        let bookTicker = """
        update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time
        1,65000.1,1.5,65000.2,2.0,1737936000000,1737936000001
        2,65000.3,1.5,65000.2,2.0,1737936000100,1737936000101
        3,65000.1,abc,65000.2,2.0,1737936000200,1737936000201
        4,65000.0,1.0,65000.4,3.0,1737936000300,1737936000301

        """
        let csv = folder.appendingPathComponent("BTCUSDT-bookTicker-2025-01-27.csv")
        try bookTicker.write(to: csv, atomically: true, encoding: .utf8)
        let zip = folder.appendingPathComponent("ETHUSDT-bookTicker-2025-01-27.zip")
        let archive = try Archive(url: zip, accessMode: .create)
        let data = Data(bookTicker.utf8)
        try archive.addEntry(with: "ETHUSDT-bookTicker-2025-01-27.csv", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        // aggTrades without a header (older dumps), one row with a bad flag.
        let agg = folder.appendingPathComponent("SOLUSDT-aggTrades-2025-01-27.csv")
        try """
        100,200.5,3,1,2,1737936000000,true
        101,200.6,1,3,3,1737936000500,maybe
        102,200.4,2,4,5,1737936001000,false
        """.write(to: agg, atomically: true, encoding: .utf8)
        let trades = folder.appendingPathComponent("SOLUSDT-trades-2025-01-27.csv")
        try "id,price,qty,quote_qty,time,is_buyer_maker\n7,200.1,1.5,300.15,1737936002000,false\n8,200.1,-1,0,1737936002100,false\n"
            .write(to: trades, atomically: true, encoding: .utf8)
        let klines = folder.appendingPathComponent("SOLUSDT-1h-2025-01-27.csv")
        try "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n1737936000000,200,210,195,205,1000,1737939599999,203000,4000,500,101000,0\n1737939600000,205,204,190,200,1000,1737943199999,200000,3000,500,100000,0\n"
            .write(to: klines, atomically: true, encoding: .utf8)
        let fundingFile = folder.appendingPathComponent("SOLUSDT-fundingRate-2025-01.csv")
        try "calc_time,funding_interval_hours,last_funding_rate\n1737936000000,8,0.0001\n1737964800000,8,-0.00005\n"
            .write(to: fundingFile, atomically: true, encoding: .utf8)

        let lake = DataLake(root: TestPaths.temporaryDirectory("import"))
        let importer = DataImporter(lake: lake)
        for file in [csv, zip, agg, trades, klines, fundingFile] { try importer.importFile(file.path) }
        let report = importer.report
        let issues = report.issues.map(\.description)
        #expect(report.issueCount == 7, "\(issues)")
        #expect(issues.contains { $0.hasSuffix("BTCUSDT-bookTicker-2025-01-27.csv:3: crossed book: bid 65000.3 above ask 65000.2") })
        #expect(issues.contains { $0.contains("ETHUSDT-bookTicker-2025-01-27.zip:ETHUSDT-bookTicker-2025-01-27.csv:4: bad best_bid_qty \"abc\"") })
        #expect(issues.contains { $0.hasSuffix("SOLUSDT-aggTrades-2025-01-27.csv:2: bad is_buyer_maker \"maybe\" (true or false)") })
        #expect(issues.contains { $0.hasSuffix("SOLUSDT-trades-2025-01-27.csv:3: qty must be positive, got -1") })
        #expect(issues.contains { $0.contains("SOLUSDT-1h-2025-01-27.csv:3: high/low") })
        #expect(try lake.read(BookRecord.self, coins: ["BTC"]).count == 2)
        #expect(try lake.read(BookRecord.self, coins: ["ETH"]).map(\.top.bidPrice) == [65_000.1, 65_000.0])
        let sol = try lake.read(TradeRecord.self, coins: ["SOL"])
        #expect(sol.map(\.side) == [.sell, .buy, .buy])
        #expect(sol.map(\.tradeID) == [100, 102, 7])
        let candles = try lake.read(KlineRecord.self)
        #expect(candles.count == 1)
        #expect(candles.first?.intervalSeconds == 3_600)
        let funding = try lake.read(FundingRecord.self)
        #expect(funding.map(\.rate) == [0.0001, -0.00005])
        #expect(funding.allSatisfy { $0.isSettlement })
    }

    /// The candle interval comes from the file name only: a folder such as `import-460d-...`
    /// (a temporary folder's UUID) must not read as 460 days.
    @Test func klineIntervalIsReadFromTheFileNameOnly() throws {
        let folder = TestPaths.temporaryDirectory("import-460d-2h")
        let klines = folder.appendingPathComponent("SOLUSDT-1h-2025-01-27.csv")
        try "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n1737936000000,200,210,195,205,1000,1737939599999,203000,4000,500,101000,0\n"
            .write(to: klines, atomically: true, encoding: .utf8)
        let lake = DataLake(root: TestPaths.temporaryDirectory("import-lake"))
        let importer = DataImporter(lake: lake)
        try importer.importFile(klines.path)
        #expect(try lake.read(KlineRecord.self).map(\.intervalSeconds) == [3_600])
    }

    @Test func tardisTradesAndQuotesWithBrokenRows() throws {
        let folder = TestPaths.temporaryDirectory("tardis")
        let trades = folder.appendingPathComponent("bybit_trades_2024-12-01_XRPUSDT.csv")
        try """
        exchange,symbol,timestamp,local_timestamp,id,side,price,amount
        bybit,XRPUSDT,1733011200000000,1733011200001000,a1,buy,2.5,100
        bybit,XRPUSDT,1733011200100000,1733011200101000,a2,unknown,2.5,100
        bybit,XRPUSDT,1733011200200000,1733011200201000,a3,sell,2.49,50
        bybit,XRPUSDT,1733011200300000
        """.write(to: trades, atomically: true, encoding: .utf8)
        let quotes = folder.appendingPathComponent("okex-swap_quotes_2024-12-01_BTC-USDT-SWAP.csv")
        try """
        exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount
        okex-swap,BTC-USDT-SWAP,1733011200000000,1733011200001000,5,96000.5,96000.4,7
        kraken,BTC-USDT-SWAP,1733011200100000,1733011200101000,5,96000.5,96000.4,7
        """.write(to: quotes, atomically: true, encoding: .utf8)
        let lake = DataLake(root: TestPaths.temporaryDirectory("import"))
        let importer = DataImporter(lake: lake)
        try importer.importFile(trades.path)
        try importer.importFile(quotes.path)
        let issues = importer.report.issues.map(\.description)
        #expect(issues.count == 3, "\(issues)")
        #expect(issues.contains { $0.hasSuffix(":3: side \"unknown\" is not buy or sell") })
        #expect(issues.contains { $0.hasSuffix(":5: 3 fields, expected 8") })
        #expect(issues.contains { $0.contains("exchange \"kraken\"") })
        let xrp = try lake.read(TradeRecord.self, coins: ["XRP"])
        #expect(xrp.map(\.venue) == [.bybit, .bybit])
        let btc = try lake.read(BookRecord.self, coins: ["BTC"])
        #expect(btc.map(\.venue) == [.okx])
    }

    @Test func unknownLayoutIsAClearError() throws {
        let file = TestPaths.temporaryDirectory("import").appendingPathComponent("mystery.csv")
        try "a,b,c\n1,2,3\n".write(to: file, atomically: true, encoding: .utf8)
        let importer = DataImporter(lake: DataLake(root: TestPaths.temporaryDirectory("import")))
        let error = try #require(throws: DataLakeError.self) { try importer.importFile(file.path) }
        #expect(error.description.contains("mystery.csv: unknown layout"))
    }
}

/// Times in every unit the importer tells apart by size, and one too large for any (found by
/// fuzzing: it trapped the import before).
@Suite struct DataImporterTimeUnitTests {
    @Test func unitsByMagnitudeAndOutOfRangeIsABadRow() throws {
        #expect(try DataImporterTimestamp.parse("1737936000") == Timestamp(seconds: 1_737_936_000))
        #expect(try DataImporterTimestamp.parse("1737936000123") == Timestamp(milliseconds: 1_737_936_000_123))
        #expect(try DataImporterTimestamp.parse("1737936000123456") == Timestamp(microseconds: 1_737_936_000_123_456))
        let folder = TestPaths.temporaryDirectory("ts-range")
        let file = folder.appendingPathComponent("X-1m.csv")
        try "timestamp,open,high,low,close,volume\n50000000000000000,1,1,1,1,1\n2321-12-31 23:11:00.000000,1,1,1,1,1\n".write(to: file, atomically: true, encoding: .utf8)
        let importer = DataImporter(lake: DataLake(root: folder))
        importer.coin = "X"
        let report = try importer.importFile(file.path)
        #expect(report.issues.map(\.description).contains { $0.contains("timestamp 50000000000000000 is out of range") }, "\(report.issues)")
        #expect(report.issues.map(\.description).contains { $0.contains("date-time \"2321-12-31 23:11:00.000000\" is out of range") }, "\(report.issues)")
    }
}

/// A header naming more columns than a row has (fuzzing found it trapping the import).
@Suite struct DataImporterShortRowTests {
    @Test func aRowShorterThanItsHeaderIsABadRow() throws {
        let folder = TestPaths.temporaryDirectory("short-row")
        let file = folder.appendingPathComponent("BTCUSDT-bookTicker-2025-01-27.csv")
        try "update_id,x,y,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time\n1,65000.1,1.5,65000.2,2.0,1737936000000,1737936000001\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let report = try DataImporter(lake: DataLake(root: folder.appendingPathComponent("lake"))).importFile(file.path)
        #expect(report.issues.map(\.description).contains { $0.contains("7 fields, no best_ask_price (column 6)") || $0.contains("7 fields, no event_time (column 9)") },
                "\(report.issues)")
    }
}

/// Test access to the importer's date-time parsing through a tiny CSV.
enum DataImporterTimestamp {
    static func parse(_ text: String) throws -> Timestamp {
        let folder = TestPaths.temporaryDirectory("ts")
        let file = folder.appendingPathComponent("X-1m.csv")
        try "timestamp,open,high,low,close,volume\n\(text),1,1,1,1,1\n".write(to: file, atomically: true, encoding: .utf8)
        let lake = DataLake(root: folder)
        let importer = DataImporter(lake: lake)
        importer.coin = "X"
        try importer.importFile(file.path)
        return try lake.read(KlineRecord.self).first!.time
    }
}
