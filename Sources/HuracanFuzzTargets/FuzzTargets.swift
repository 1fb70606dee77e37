import Foundation
import HuracanBus
import HuracanConfig
import HuracanCore
import HuracanExchanges
import HuracanRedis
import HuracanStorage
import NIOCore

/// What the fuzzers feed with arbitrary bytes: every parser that reads input from outside the
/// engine (the Redis wire, the venues' JSON, Parquet files, YAML configuration, CSV imports, the
/// bus's binary messages). Each returns normally for any input (an error thrown by the parser
/// is the expected answer to bad input); a crash, hang or sanitizer report is a bug. The
/// coverage-guided fuzzer (`tools/fuzz/fuzz.sh`) and the corpus test (`FuzzCorpusTests`) call the
/// same functions.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case resp, venues, parquet, config, csv, bus

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .resp: Self.resp(bytes)
        case .venues: Self.venues(bytes)
        case .parquet: Self.parquet(bytes)
        case .config: Self.config(bytes)
        case .csv: Self.csv(bytes)
        case .bus: Self.bus(bytes)
        }
    }

    /// RESP replies, whole and split in two reads at a point the first byte chooses.
    static func resp(_ bytes: [UInt8]) {
        var parser = RESPParser()
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        for part in [bytes[..<cut], bytes[cut...]] {
            var buffer = ByteBuffer(bytes: part)
            while (try? parser.parse(&buffer)) ?? nil != nil {}
        }
    }

    static let binanceDirectory = SymbolDirectory(venue: .binance, entries: ["BTCUSDT": .init(coin: "BTC", contractValue: 1)])
    static let bybitDirectory = SymbolDirectory(venue: .bybit, entries: ["BTCUSDT": .init(coin: "BTC", contractValue: 1)])
    static let okxDirectory: SymbolDirectory = {
        var directory = SymbolDirectory(venue: .okx)
        directory.add(symbol: "BTC-USDT-SWAP", coin: "BTC", contractValue: FixedDecimal(units: 1, exponent: 2))
        return directory
    }()

    /// Every venue parser: streams, REST replies and the Bybit depth fast path.
    static func venues(_ bytes: [UInt8]) {
        _ = try? BinanceParsers.marketEvent(bytes)
        _ = try? BinanceParsers.userEvent(bytes, directory: binanceDirectory)
        _ = try? OKXParsers.message(bytes, directory: okxDirectory)
        _ = try? BybitParsers.publicMessage(bytes)
        _ = try? BybitParsers.privateMessage(bytes, directory: bybitDirectory)
        _ = try? BybitDepthParser.parse(bytes)
        if let value = try? JSONValue.parse(bytes) {
            _ = try? BinanceParsers.exchangeInfo(value)
            _ = try? BinanceParsers.commissionRate(value)
            _ = try? BinanceParsers.depthSnapshot(value, symbol: "BTCUSDT")
            _ = try? BinanceParsers.serverTime(value)
            _ = try? BinanceParsers.premiumIndex(value)
            _ = try? BinanceParsers.orders(value)
            _ = try? BinanceParsers.algoOrders(value)
            _ = try? BinanceParsers.positionRisk(value)
            _ = try? BinanceParsers.account(value)
            _ = try? BinanceParsers.listenKey(value)
            _ = try? BinanceParsers.userTrades(value, directory: binanceDirectory)
            _ = try? BinanceParsers.rateLimits(value)
        }
        if let items = try? OKXProtocol.data(bytes, operation: "fuzz") {
            _ = try? OKXParsers.instruments(items)
            _ = try? OKXParsers.tradeFees(items)
            _ = try? OKXParsers.orderBook(items, symbol: "BTC-USDT-SWAP")
            _ = try? OKXParsers.serverTime(items)
            _ = try? OKXParsers.fundingHistory(items)
            _ = try? OKXParsers.orders(items, directory: okxDirectory)
            _ = try? OKXParsers.positions(items, directory: okxDirectory)
            _ = try? OKXParsers.balances(items)
            _ = try? OKXParsers.fills(items, directory: okxDirectory)
            for item in items { _ = try? OKXProtocol.orderResult(item, operation: "fuzz") }
        }
        if let result = try? BybitProtocol.result(bytes, operation: "fuzz") {
            _ = try? BybitParsers.instruments(result)
            _ = try? BybitParsers.feeRates(result)
            _ = try? BybitParsers.orderBook(result)
            _ = try? BybitParsers.serverTime(result)
            _ = try? BybitParsers.fundingHistory(result)
            if let list = try? result.objects("list") {
                _ = try? BybitParsers.orders(list, directory: bybitDirectory)
                _ = try? BybitParsers.executions(list, directory: bybitDirectory)
                _ = try? BybitParsers.positions(list)
                _ = try? BybitParsers.balances(list, time: .epoch)
            }
        }
    }

    /// A Parquet file in memory: metadata, then every row group.
    static func parquet(_ bytes: [UInt8]) {
        guard let file = try? ParquetFile(data: Data(bytes), path: "fuzz.parquet") else { return }
        _ = try? file.read()
    }

    /// A YAML configuration file, checked as `huracan config check` does.
    static func config(_ bytes: [UInt8]) {
        _ = try? ConfigLoader(environment: [:]).load(yaml: String(decoding: bytes, as: UTF8.self), source: "fuzz.yaml")
    }

    /// A CSV (or JSON-lines) import: the first byte picks the format, the rest is the file.
    static func csv(_ bytes: [UInt8]) {
        let formats = ImportFormat.allCases.filter { !$0.rawValue.hasPrefix("parquet") }
        let format = bytes.isEmpty ? nil : formats[Int(bytes[0]) % formats.count]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("huracan-fuzz-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("BTCUSDT-import-2025-01-27.csv")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(bytes.dropFirst())) else { return }
        let importer = DataImporter(lake: DataLake(root: folder.appendingPathComponent("lake")))
        _ = try? importer.importFile(file.path, format: format)
    }

    /// One bus message in the binary wire format.
    static func bus(_ bytes: [UInt8]) {
        _ = try? BusCodec.decode(bytes)
    }
}
