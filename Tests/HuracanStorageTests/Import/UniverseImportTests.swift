import Foundation
import HuracanConfig
import HuracanCore
import HuracanStorage
import HuracanTestSupport
import Testing

/// Venue symbols land as the universe's coins, prices in the engine's units.
@Suite struct UniverseImportTests {
    static func importer(_ lake: DataLake) throws -> DataImporter {
        let importer = DataImporter(lake: lake)
        let config = try ConfigLoader(environment: [:]).load(path: nil)
        importer.symbols = UniverseSymbols(universe: try UniverseLoader.load(for: config))
        return importer
    }

    @Test func prefixedSymbolsLandAsTheUniversesCoinInItsUnits() throws {
        let folder = TestPaths.temporaryDirectory("universe-import")
        // Binance's 1000PEPEUSDT quotes 1000 PEPE: the universe's PEPE is in those units (multiplier 1000).
        let binance = folder.appendingPathComponent("1000PEPEUSDT-bookTicker-2024-12-01.csv")
        try """
        update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time
        1,0.0201230,5000,0.0201240,7000,1733011200000,1733011200001
        2,0.0201240,4000,0.0201250,6000,1733011201000,1733011201001
        """.write(to: binance, atomically: true, encoding: .utf8)
        // OKX quotes one PEPE: prices x1000, sizes /1000 into the same units.
        let okx = folder.appendingPathComponent("okex-swap_quotes_2024-12-01_PEPE-USDT-SWAP.csv")
        try """
        exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount
        okex-swap,PEPE-USDT-SWAP,1733011200500000,1733011200501000,3000000,0.00002013,0.00002012,2000000
        """.write(to: okx, atomically: true, encoding: .utf8)
        let lake = DataLake(root: folder.appendingPathComponent("lake"))
        let importer = try Self.importer(lake)
        try importer.importFile(binance.path)
        try importer.importFile(okx.path)
        #expect(importer.report.issueCount == 0, "\(importer.report.issues)")
        #expect(lake.partitions().map(\.coin).allSatisfy { $0 == "PEPE" })
        let book = try lake.read(BookRecord.self, coins: ["PEPE"]).sorted { $0.time < $1.time }
        #expect(book.count == 3)
        #expect(book[0].venue == .binance && book[0].top == BookTop(bidPrice: 0.020123, bidSize: 5_000, askPrice: 0.020124, askSize: 7_000))
        #expect(book[1].venue == .okx)
        #expect(abs(book[1].top.bidPrice - 0.02012) < 1e-12 && abs(book[1].top.askPrice - 0.02013) < 1e-12)
        #expect(book[1].top.bidSize == 2_000 && book[1].top.askSize == 3_000)
        #expect(importer.report.scaling == ["PEPE on okx (PEPE-USDT-SWAP)": 1_000], "the scaling is recorded")
        // 1MBABYDOGEUSDT is BABYDOGE, 1INCHUSDT keeps its digit.
        let symbols = try #require(importer.symbols)
        #expect(symbols.match(symbol: "1MBABYDOGEUSDT", venue: .binance)?.coin == "BABYDOGE")
        #expect(symbols.match(symbol: "1000000BABYDOGEUSDT", venue: .bybit) == .init(coin: "BABYDOGE", factor: 1))
        #expect(symbols.match(symbol: "PEPEUSDT", venue: .binance) == .init(coin: "PEPE", factor: 1_000), "per-PEPE quotes scale up")
        #expect(symbols.match(symbol: "RAYSOLUSDT", venue: .binance)?.coin == "RAY")
    }

    @Test func anUnknownSymbolNamesTheFileAndSuggestsCoin() throws {
        let folder = TestPaths.temporaryDirectory("universe-import")
        let file = folder.appendingPathComponent("NOTACOINUSDT-bookTicker-2024-12-01.csv")
        try """
        update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time
        1,1.0,5,1.1,7,1733011200000,1733011200001
        """.write(to: file, atomically: true, encoding: .utf8)
        let importer = try Self.importer(DataLake(root: folder.appendingPathComponent("lake")))
        try importer.importFile(file.path)
        #expect(importer.report.totalRows == 0)
        let issue = try #require(importer.report.issues.first?.description)
        #expect(issue.contains("NOTACOINUSDT-bookTicker-2024-12-01.csv:2") && issue.contains("not in the universe's binance symbols")
                && issue.contains("--coin"), "\(issue)")
    }
}
