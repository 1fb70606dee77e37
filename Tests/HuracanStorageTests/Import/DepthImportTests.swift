import Foundation
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing

@Suite struct DepthImportTests {
    static let samples = TestPaths.shared.appendingPathComponent("market-data")

    /// A plain reconstruction for checking: price -> size per side, size 0 deletes.
    struct NaiveBook {
        var bids: [Double: Double] = [:]
        var asks: [Double: Double] = [:]
        mutating func set(bid: Bool, _ price: Double, _ size: Double) {
            if bid { bids[price] = size == 0 ? nil : size } else { asks[price] = size == 0 ? nil : size }
        }
        var top: BookTop? {
            guard let b = bids.keys.max(), let a = asks.keys.min() else { return nil }
            return BookTop(bidPrice: b, bidSize: bids[b]!, askPrice: a, askSize: asks[a]!)
        }
    }

    /// The real Bybit orderbook.500 sample (one snapshot, 49 deltas): every book-top change is
    /// stored, equal to a plain reconstruction of the same messages.
    @Test func bybitOrderbookSampleRebuildsTheBook() throws {
        let path = Self.samples.appendingPathComponent("bybit-linear-XRPUSDT-orderbook500-2024-12-01.jsonl").path
        let lake = DataLake(root: TestPaths.temporaryDirectory("depth"))
        let importer = DataImporter(lake: lake)
        try importer.importFile(path)
        #expect(importer.report.issueCount == 0, "\(importer.report.issues)")
        var naive = NaiveBook()
        var expected: [BookRecord] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline) {
            let message = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let data = try #require(message["data"] as? [String: Any])
            if message["type"] as? String == "snapshot" { naive = NaiveBook() }
            for (key, isBid) in [("b", true), ("a", false)] {
                for level in data[key] as? [[String]] ?? [] { naive.set(bid: isBid, Double(level[0])!, Double(level[1])!) }
            }
            if let top = naive.top, top != expected.last?.top {
                expected.append(BookRecord(time: Timestamp(milliseconds: Int64(message["ts"] as! Int)), coin: "XRP", venue: .bybit, top: top))
            }
        }
        let stored = try lake.read(BookRecord.self)
        #expect(stored.count == expected.count && stored.count > 10)
        #expect(stored == expected)
    }

    /// The real Binance snapshot and update files: the snapshot holds bids only (no top yet); the
    /// update's ids do not follow the snapshot (the sample is cut out of a longer dump), which is
    /// reported with file and line. With `continue` the update is applied to the snapshot's book.
    @Test func binanceDepthSamplesReportTheGapAndContinueOnRequest() throws {
        let snapshot = Self.samples.appendingPathComponent("binance-futures-BTCUSDT-depth-snapshot.csv").path
        let update = Self.samples.appendingPathComponent("binance-futures-BTCUSDT-depth-update.csv").path

        let strict = DataImporter(lake: DataLake(root: TestPaths.temporaryDirectory("depth")))
        try strict.importFile(snapshot)
        try strict.importFile(update)
        #expect(strict.report.totalRows == 0)
        #expect(strict.report.issueCount == 1)
        let gap = try #require(strict.report.issues.first)
        #expect(gap.file == update && gap.line == 2)
        #expect(gap.message.contains("2098041693435") && gap.message.contains("2098021528332") && gap.message.contains("next snapshot"))

        let lake = DataLake(root: TestPaths.temporaryDirectory("depth"))
        let lenient = DataImporter(lake: lake)
        lenient.depthGaps = .continue
        try lenient.importFile(snapshot)
        try lenient.importFile(update)
        #expect(lenient.report.issueCount == 1)
        var naive = NaiveBook()
        for path in [snapshot, update] {
            for line in try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
                let f = line.split(separator: ",")
                naive.set(bid: f[4] == "b", Double(f[6])!, Double(f[7])!)
            }
        }
        let stored = try lake.read(BookRecord.self)
        #expect(stored.map(\.top) == [try #require(naive.top)])
        #expect(stored.first?.time == Timestamp(milliseconds: 1_667_347_199_939) && stored.first?.coin == "BTC" && stored.first?.venue == .binance)
    }

    /// Broken rows are reported with file and line, the rest imports; a gap drops the book until
    /// the next snapshot.
    @Test func brokenDepthRowsAndGaps() throws {
        let folder = TestPaths.temporaryDirectory("depth")
        let csv = folder.appendingPathComponent("ETHUSDT-depth.csv")
        try """
        symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu
        ETHUSDT,1700000000000,100,100,b,snap,2000.0,1.0,-1
        ETHUSDT,1700000000000,100,100,a,snap,2000.5,2.0,-1
        ETHUSDT,1700000000000,100,100,a,snap,abc,2.0,-1
        ETHUSDT,1700000001000,101,105,b,set,2000.2,3.0,99
        ETHUSDT,1700000001000,101,105,x,set,2000.1,3.0,99
        ETHUSDT,1700000002000,106,110,a,set,2000.5,0,105
        ETHUSDT,1700000002000,106,110,a,set,2000.7,4.0,105
        ETHUSDT,1700000003000,120,125,b,set,2000.3,1.0,115
        ETHUSDT,1700000004000,126,130,b,set,2000.4,1.0,125
        ETHUSDT,1700000005000,200,200,b,snap,1999.0,1.0,-1
        ETHUSDT,1700000005000,200,200,a,snap,1999.5,1.0,-1
        """.write(to: csv, atomically: true, encoding: .utf8)
        let lake = DataLake(root: TestPaths.temporaryDirectory("depth"))
        let importer = DataImporter(lake: lake)
        try importer.importFile(csv.path)
        let issues = importer.report.issues.map { "\($0.line): \($0.message)" }
        #expect(importer.report.issueCount == 4, "\(issues)")
        #expect(issues[0].hasPrefix("4: bad price or qty \"abc\""))
        #expect(issues[1].hasPrefix("6: side \"x\""))
        #expect(issues[2].hasPrefix("9: pu 115 does not follow the previous update's u 110"))
        #expect(issues[3].hasPrefix("10: depth update 126...130 with no book to apply to"))
        let tops = try lake.read(BookRecord.self).map { "\($0.top.bidPrice)/\($0.top.askPrice)" }
        #expect(tops == ["2000.0/2000.5", "2000.2/2000.5", "2000.2/2000.7", "1999.0/1999.5"])

        let jsonl = folder.appendingPathComponent("bybit-SOLUSDT-orderbook.jsonl")
        try """
        {"topic":"orderbook.50.SOLUSDT","type":"snapshot","ts":1700000000000,"data":{"s":"SOLUSDT","b":[["100.0","5"]],"a":[["100.1","6"]],"u":10,"seq":1},"cts":1}
        {"topic":"orderbook.50.SOLUSDT","type":"delta","ts":1700000000100,"data":{"s":"SOLUSDT","b":[["100.05","1"]],"a":[],"u":11,"seq":2},"cts":1}
        {"topic":"orderbook.50.SOLUSDT","type":"delta","ts":1700000000200,"data":{"s":"SOLUSDT","b":[["100.0
        {"topic":"orderbook.50.SOLUSDT","type":"delta","ts":1700000000300,"data":{"s":"SOLUSDT","b":[],"a":[["100.1","0"],["100.2","1"]],"u":13,"seq":4},"cts":1}
        {"topic":"orderbook.50.SOLUSDT","type":"snapshot","ts":1700000000400,"data":{"s":"SOLUSDT","b":[["99.0","1"]],"a":[["99.1","1"]],"u":20,"seq":5},"cts":1}
        """.write(to: jsonl, atomically: true, encoding: .utf8)
        let bybitLake = DataLake(root: TestPaths.temporaryDirectory("depth"))
        let bybit = DataImporter(lake: bybitLake)
        try bybit.importFile(jsonl.path)
        let bybitIssues = bybit.report.issues.map { "\($0.file):\($0.line): \($0.message)" }
        #expect(bybit.report.issueCount == 2, "\(bybitIssues)")
        #expect(bybitIssues.first?.hasPrefix("\(jsonl.path):3: ") == true)
        #expect(bybitIssues.last?.hasPrefix("\(jsonl.path):4: update id 13 does not follow 11") == true)
        #expect(try bybitLake.read(BookRecord.self).map(\.top.bidPrice) == [100.0, 100.05, 99.0])
    }
}
