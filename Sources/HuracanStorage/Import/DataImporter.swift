import Foundation
import HuracanCore

/// Layouts `huracan data import` reads.
public enum ImportFormat: String, Sendable, CaseIterable {
    case binanceBookTicker = "binance-bookticker"
    case binanceAggTrades = "binance-aggtrades"
    case binanceTrades = "binance-trades"
    case binanceKlines = "binance-klines"
    case binanceFunding = "binance-funding"
    case tardisBookSnapshot = "tardis-book-snapshot"
    case tardisTrades = "tardis-trades"
    case tardisQuotes = "tardis-quotes"
    /// `timestamp,open,high,low,close,volume` with a header.
    case ohlcv
    /// Parquet with timestamp, bid, ask (and sizes) columns.
    case parquetQuotes = "parquet-quotes"
    /// Parquet with timestamp, price, quantity and a buyer-maker column.
    case parquetTrades = "parquet-trades"
    /// Binance USD-M order-book rows (snapshot `snap` and diff-depth `set` rows):
    /// symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu.
    case binanceDepth = "binance-depth"
    /// Bybit v5 public WebSocket `orderbook.N.SYMBOL` messages, one JSON message per line.
    case bybitOrderbook = "bybit-orderbook"
}

/// A row that could not be imported, with its file and line.
public struct ImportIssue: Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// What an import did.
public struct ImportReport: Sendable {
    public var files: [String] = []
    public var rows: [DataKind: Int] = [:]
    /// The first issues (at most `ImportReport.keptIssues`); `issueCount` counts all.
    public var issues: [ImportIssue] = []
    public var issueCount = 0
    public var partitions: Set<String> = []
    /// Venue symbols whose prices were scaled into the engine's units, with the factor
    /// ("PEPE on okx (PEPE-USDT-SWAP)": 1000).
    public var scaling: [String: Double] = [:]
    public static let keptIssues = 1_000

    public var totalRows: Int { rows.values.reduce(0, +) }
}

/// Progress of an import: bytes of the current file read so far.
public struct ImportProgress: Sendable {
    public var file: String
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var rows: Int
    public var issues: Int
}

/// Imports exchange dumps into the data lake with bounded memory: rows are buffered and
/// written every `flushRows`. Bad rows are reported with file and line; the rest imports.
public final class DataImporter {
    public let lake: DataLake
    /// Forces the coin name (otherwise derived from the symbol: BTCUSDT -> BTC).
    public var coin: String?
    /// Venue for sources that do not name one (Binance dumps are binance).
    public var venue: VenueID?
    /// The universe's symbols: each venue symbol is stored as the universe's coin, prices and
    /// sizes in the engine's units (`UniverseSymbols`). Nil: the coin is the symbol's base asset.
    public var symbols: UniverseSymbols?
    private var lastCoin: (symbol: Substring, venue: VenueID, coin: String)?
    /// Price factor of each coin and venue ("PEPE/okx") resolved so far.
    private var factors: [String: Double] = [:]
    public var flushRows = 500_000
    public var progress: ((ImportProgress) -> Void)?

    var book: [BookRecord] = []
    private var trades: [TradeRecord] = []
    private var funding: [FundingRecord] = []
    private var klines: [KlineRecord] = []
    public internal(set) var report = ImportReport()
    /// Order books being rebuilt from depth files, per venue and symbol; kept across files so a
    /// snapshot file and the update files after it make one book.
    var depthBooks: [String: DepthBookState] = [:]
    /// What to do when depth updates do not follow each other (update ids jump).
    public var depthGaps: DepthGapPolicy = .resync
    /// The Binance depth message being assembled from its rows.
    var binanceDepthPending: BinanceDepthMessage?

    public init(lake: DataLake) { self.lake = lake }

    struct RowError: Error { var message: String }

    // MARK: detection

    /// The format of `path` from its name and first line.
    public static func detect(path: String, header: String) -> ImportFormat? {
        let name = (path as NSString).lastPathComponent.lowercased()
        let columns = header.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if name.hasSuffix(".parquet") {
            return name.contains("trade") ? .parquetTrades : .parquetQuotes
        }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".jsonl.gz") || header.hasPrefix("{\"topic\":\"orderbook.") {
            return header.contains("\"topic\":\"orderbook.") || name.contains("orderbook") ? .bybitOrderbook : nil
        }
        if columns.starts(with: ["symbol", "timestamp", "first_update_id", "last_update_id", "side", "update_type"]) { return .binanceDepth }
        if columns.starts(with: ["exchange", "symbol", "timestamp", "local_timestamp"]) {
            if columns.contains("asks[0].price") { return .tardisBookSnapshot }
            if columns.contains("ask_price") { return .tardisQuotes }
            if columns.contains("side") && columns.contains("amount") { return .tardisTrades }
            return nil
        }
        if name.contains("bookticker") { return .binanceBookTicker }
        if name.contains("aggtrades") { return .binanceAggTrades }
        if name.contains("fundingrate") { return .binanceFunding }
        if columns.starts(with: ["timestamp", "open", "high", "low", "close"]) { return .ohlcv }
        if columns.first == "open_time" || intervalSeconds(name) != nil && !name.contains("trades") { return .binanceKlines }
        if name.contains("trades") { return .binanceTrades }
        return nil
    }

    /// `1m`, `5m`, `1h`, `1d` tokens in a Binance file name.
    static func intervalSeconds(_ name: String) -> Int32? {
        for token in name.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }) {
            guard let unit = token.last, let n = Int32(token.dropLast()), n > 0 else { continue }
            switch unit {
            case "s": return n
            case "m": return n * 60
            case "h": return n * 3_600
            case "d": return n * 86_400
            case "w": return n * 604_800
            default: continue
            }
        }
        return nil
    }

    /// BTCUSDT, BTC/USDT, BTC-USDT-SWAP, BTC-PERP -> BTC.
    public static func coinName(symbol: String) -> String {
        var s = symbol.uppercased().filter { $0.isLetter || $0.isNumber }
        for suffix in ["PERP", "SWAP"] where s.hasSuffix(suffix) && s.count > suffix.count { s.removeLast(suffix.count) }
        for suffix in ["USDT", "USDC", "BUSD", "USD"] where s.hasSuffix(suffix) && s.count > suffix.count {
            s.removeLast(suffix.count)
            break
        }
        return s
    }

    /// Seconds, milliseconds, microseconds or nanoseconds since the epoch, told apart by size.
    static func timestamp(_ text: Substring) throws(RowError) -> Timestamp {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 10, trimmed.utf8.dropFirst(4).first == UInt8(ascii: "-") { return try dateTime(trimmed) }
        guard let value = Int64(trimmed) else { throw RowError(message: "bad timestamp \"\(text)\"") }
        switch value {
        case ..<0: throw RowError(message: "negative timestamp \(value)")
        case ..<100_000_000_000: return Timestamp(seconds: value)
        case ..<100_000_000_000_000: return Timestamp(milliseconds: value)
        case ..<100_000_000_000_000_000:
            // Microseconds past 9.2e15 are after the year 2262: no nanosecond time holds them.
            guard value <= Int64.max / 1_000 else { throw RowError(message: "timestamp \(value) is out of range (after 2262)") }
            return Timestamp(microseconds: value)
        default: return Timestamp(nanoseconds: value)
        }
    }

    /// `YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z]`, UTC.
    static func dateTime(_ text: String) throws(RowError) -> Timestamp {
        let bad = RowError(message: "bad date-time \"\(text)\"")
        guard let day = UTCDate(parsing: String(text.prefix(10))) else { throw bad }
        var rest = text.dropFirst(10)
        if rest.isEmpty { return day.start }
        guard rest.first == " " || rest.first == "T" else { throw bad }
        rest = rest.dropFirst()
        if rest.last == "Z" { rest = rest.dropLast() }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let h = Int64(parts[0]), let m = Int64(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { throw bad }
        let secondParts = parts[2].split(separator: ".", omittingEmptySubsequences: false)
        guard let sec = Int64(secondParts[0]), (0..<61).contains(sec) else { throw bad }
        var nanos: Int64 = 0
        if secondParts.count == 2 {
            let digits = secondParts[1].prefix(9)
            guard !digits.isEmpty, let f = Int64(digits) else { throw bad }
            nanos = f * Int64(pow(10.0, Double(9 - digits.count)))
        }
        // Years past 2262 do not fit a nanosecond time (fuzzing found this trapping).
        let (time, overflow) = day.start.nanoseconds.addingReportingOverflow(((h * 60 + m) * 60 + sec) * 1_000_000_000 + nanos)
        guard !overflow, day.start != .distantFuture else { throw RowError(message: "date-time \"\(text)\" is out of range (after 2262)") }
        return Timestamp(nanoseconds: time)
    }

    /// The field the header names `name` (else column `fallback`). A row may have fewer fields
    /// than its header (fuzzing found this trapping): a missing field is a bad row.
    static func field(_ name: String, _ fallback: Int, in fields: [Substring], columns: [String: Int]) throws(RowError) -> Substring {
        let index = columns[name] ?? fallback
        guard index < fields.count else { throw RowError(message: "\(fields.count) fields, no \(name) (column \(index + 1))") }
        return fields[index]
    }

    static func number(_ text: Substring, _ name: String) throws(RowError) -> Double {
        guard let value = Double(text), value.isFinite else { throw RowError(message: "bad \(name) \"\(text)\"") }
        return value
    }

    static func positive(_ text: Substring, _ name: String) throws(RowError) -> Double {
        let value = try number(text, name)
        guard value > 0 else { throw RowError(message: "\(name) must be positive, got \(text)") }
        return value
    }

    static func flag(_ text: Substring, _ name: String) throws(RowError) -> Bool {
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw RowError(message: "bad \(name) \"\(text)\" (true or false)")
        }
    }

    // MARK: importing

    /// Imports one file (format detected unless given); returns the running report.
    @discardableResult
    public func importFile(_ path: String, format: ImportFormat? = nil) throws -> ImportReport {
        guard FileManager.default.fileExists(atPath: path) else { throw DataLakeError("\(path): no such file") }
        report.files.append(path)
        if path.lowercased().hasSuffix(".parquet") {
            try importParquet(path, format: format ?? Self.detect(path: path, header: "") ?? .parquetQuotes)
            try flush()
            return report
        }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let name = (path as NSString).lastPathComponent
        let fileSymbol = String(name.split(separator: "-").first ?? "")
        var chosen = format
        var columns: [String: Int] = [:]
        var lastReport = Date.distantPast
        try LineSource.forEachLine(path: path, progress: { done in
            let now = Date()
            if now.timeIntervalSince(lastReport) > 0.2 || done == total {
                lastReport = now
                progress?(ImportProgress(file: path, bytesDone: done, bytesTotal: total, rows: report.totalRows + pendingRows, issues: report.issueCount))
            }
        }) { file, lineNumber, line in
            if line.isEmpty { return }
            if lineNumber == 1, chosen == nil { chosen = Self.detect(path: file, header: String(line)) }
            if chosen == .bybitOrderbook {
                do throws(RowError) { try bybitDepthLine(line, file: file, line: lineNumber) } catch { issue(file, lineNumber, error.message) }
                if pendingRows >= flushRows { try flush() }
                return
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if lineNumber == 1 {
                guard chosen != nil else {
                    throw DataLakeError("\(file): unknown layout (header \"\(line.prefix(80))\"); pass --format (\(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                // A header names columns; Binance's older dumps have none (the first field is a number).
                if Double(fields.first ?? "") == nil {
                    for (i, f) in fields.enumerated() { columns[f.trimmingCharacters(in: .whitespaces).lowercased()] = i }
                    return
                }
            }
            do {
                if chosen == .binanceDepth {
                    try binanceDepthRow(fields, columns: columns, file: file, line: lineNumber)
                } else {
                    try parse(chosen!, fields, columns: columns, symbol: fileSymbol, file: file)
                }
            } catch let error as RowError {
                issue(file, lineNumber, error.message)
            }
            if pendingRows >= flushRows { try flush() }
        }
        if chosen == .binanceDepth { finishBinanceDepthMessage() }
        try flush()
        return report
    }

    /// Counts a bad row and keeps the first `ImportReport.keptIssues` of them.
    func issue(_ file: String, _ line: Int, _ message: String) {
        report.issueCount += 1
        if report.issues.count < ImportReport.keptIssues { report.issues.append(ImportIssue(file: file, line: line, message: message)) }
    }

    private var pendingRows: Int { book.count + trades.count + funding.count + klines.count }

    /// The coin `symbol` is stored under: `--coin` when given, else the universe's coin for the
    /// venue's symbol (an unknown symbol is an error suggesting `--coin`), else the symbol's base
    /// asset (no universe: BTCUSDT -> BTC).
    func coinFor(_ symbol: Substring, venue: VenueID) throws(RowError) -> String {
        if let coin { return coin }
        if let last = lastCoin, last.symbol == symbol, last.venue == venue { return last.coin }
        let name: String
        if let symbols {
            guard let match = symbols.match(symbol: String(symbol), venue: venue) else {
                let near = symbols.suggestions(for: String(symbol), venue: venue)
                throw RowError(message: "symbol \"\(symbol)\" is not in the universe's \(venue) symbols\(near.isEmpty ? "" : " (similar: \(near.prefix(3).joined(separator: ", ")))"); "
                               + "pass --coin NAME to store it under a name of your choosing")
            }
            name = match.coin
            let key = "\(match.coin)/\(venue.rawValue)"
            if let earlier = factors[key], earlier != match.factor {
                throw RowError(message: "symbol \"\(symbol)\" quotes \(match.coin) on \(venue) in other units than a symbol imported before it "
                               + "(price factor \(match.factor) against \(earlier)): import them in separate runs")
            }
            factors[key] = match.factor
            if match.factor != 1 { report.scaling["\(match.coin) on \(venue) (\(symbol))"] = match.factor }
        } else {
            name = Self.coinName(symbol: String(symbol))
        }
        guard DataLake.isValidCoin(name) else { throw RowError(message: "symbol \"\(symbol)\" gives no usable coin name") }
        lastCoin = (symbol, venue, name)
        return name
    }

    private func venueFor(exchange: Substring) throws(RowError) -> VenueID {
        if let venue { return venue }
        let e = exchange.lowercased()
        if e.hasPrefix("binance") { return .binance }
        if e.hasPrefix("okex") || e.hasPrefix("okx") { return .okx }
        if e.hasPrefix("bybit") { return .bybit }
        throw RowError(message: "exchange \"\(exchange)\" is not binance, okx or bybit (pass --venue)")
    }

    private func parse(_ format: ImportFormat, _ f: [Substring], columns: [String: Int], symbol: String, file: String) throws(RowError) {
        func need(_ count: Int) throws(RowError) {
            guard f.count >= count else { throw RowError(message: "\(f.count) fields, expected \(count)") }
        }
        func field(_ name: String, _ fallback: Int) throws(RowError) -> Substring { try Self.field(name, fallback, in: f, columns: columns) }
        let venue = self.venue ?? .binance
        switch format {
        case .binanceBookTicker:
            // update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time
            try need(7)
            let bid = try Self.positive(try field("best_bid_price", 1), "best_bid_price"), ask = try Self.positive(try field("best_ask_price", 3), "best_ask_price")
            guard ask >= bid else { throw RowError(message: "crossed book: bid \(bid) above ask \(ask)") }
            book.append(BookRecord(time: try Self.timestamp(try field("event_time", 6)), coin: try coinFor(Substring(symbol), venue: venue), venue: venue,
                                   top: BookTop(bidPrice: bid, bidSize: try Self.number(try field("best_bid_qty", 2), "best_bid_qty"),
                                                askPrice: ask, askSize: try Self.number(try field("best_ask_qty", 4), "best_ask_qty"))))
        case .binanceAggTrades:
            // agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker
            try need(7)
            let maker = try Self.flag(try field("is_buyer_maker", 6), "is_buyer_maker")
            trades.append(TradeRecord(time: try Self.timestamp(try field("transact_time", 5)), coin: try coinFor(Substring(symbol), venue: venue), venue: venue,
                                      price: try Self.positive(try field("price", 1), "price"), size: try Self.positive(try field("quantity", 2), "quantity"),
                                      side: maker ? .sell : .buy, tradeID: Int64(try field("agg_trade_id", 0))))
        case .binanceTrades:
            // id,price,qty,quote_qty,time,is_buyer_maker
            try need(6)
            let maker = try Self.flag(try field("is_buyer_maker", 5), "is_buyer_maker")
            trades.append(TradeRecord(time: try Self.timestamp(try field("time", 4)), coin: try coinFor(Substring(symbol), venue: venue), venue: venue,
                                      price: try Self.positive(try field("price", 1), "price"), size: try Self.positive(try field("qty", 2), "qty"),
                                      side: maker ? .sell : .buy, tradeID: Int64(try field("id", 0))))
        case .binanceKlines:
            // open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore
            try need(9)
            klines.append(try kline(time: try field("open_time", 0), try field("open", 1), try field("high", 2), try field("low", 3), try field("close", 4),
                                    volume: try field("volume", 5), quote: try field("quote_volume", 7), count: try field("count", 8),
                                    coin: try coinFor(Substring(symbol), venue: venue), venue: venue,
                                    interval: Self.intervalSeconds((file as NSString).lastPathComponent.lowercased()) ?? 60))
        case .binanceFunding:
            // calc_time,funding_interval_hours,last_funding_rate
            try need(3)
            funding.append(FundingRecord(time: try Self.timestamp(try field("calc_time", 0)), coin: try coinFor(Substring(symbol), venue: venue), venue: venue,
                                         rate: try Self.number(try field("last_funding_rate", 2), "last_funding_rate"), markPrice: 0, isSettlement: true))
        case .ohlcv:
            try need(6)
            let interval = Self.intervalSeconds((file as NSString).lastPathComponent.lowercased()) ?? 60
            let volume = try field("volume", 5)
            klines.append(try kline(time: try field("timestamp", 0), try field("open", 1), try field("high", 2), try field("low", 3), try field("close", 4),
                                    volume: volume, quote: volume, count: "0", coin: try coinFor(Substring(symbol), venue: venue), venue: venue, interval: interval))
        case .tardisBookSnapshot:
            try need(8)
            let bid = try Self.positive(try field("bids[0].price", 6), "bids[0].price"), ask = try Self.positive(try field("asks[0].price", 4), "asks[0].price")
            guard ask >= bid else { throw RowError(message: "crossed book: bid \(bid) above ask \(ask)") }
            book.append(BookRecord(time: try Self.timestamp(f[2]), coin: try coinFor(f[1], venue: try venueFor(exchange: f[0])), venue: try venueFor(exchange: f[0]),
                                   top: BookTop(bidPrice: bid, bidSize: try Self.number(try field("bids[0].amount", 7), "bids[0].amount"),
                                                askPrice: ask, askSize: try Self.number(try field("asks[0].amount", 5), "asks[0].amount"))))
        case .tardisQuotes:
            // exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount
            try need(8)
            let bid = try Self.positive(try field("bid_price", 6), "bid_price"), ask = try Self.positive(try field("ask_price", 5), "ask_price")
            guard ask >= bid else { throw RowError(message: "crossed book: bid \(bid) above ask \(ask)") }
            book.append(BookRecord(time: try Self.timestamp(f[2]), coin: try coinFor(f[1], venue: try venueFor(exchange: f[0])), venue: try venueFor(exchange: f[0]),
                                   top: BookTop(bidPrice: bid, bidSize: try Self.number(try field("bid_amount", 7), "bid_amount"),
                                                askPrice: ask, askSize: try Self.number(try field("ask_amount", 4), "ask_amount"))))
        case .tardisTrades:
            // exchange,symbol,timestamp,local_timestamp,id,side,price,amount
            try need(8)
            let sideText = try field("side", 5).lowercased()
            guard let side = Side(rawValue: sideText) else { throw RowError(message: "side \"\(sideText)\" is not buy or sell") }
            trades.append(TradeRecord(time: try Self.timestamp(f[2]), coin: try coinFor(f[1], venue: try venueFor(exchange: f[0])), venue: try venueFor(exchange: f[0]),
                                      price: try Self.positive(try field("price", 6), "price"), size: try Self.positive(try field("amount", 7), "amount"),
                                      side: side, tradeID: Int64(try field("id", 4))))
        case .parquetQuotes, .parquetTrades:
            throw RowError(message: "parquet formats apply to .parquet files only")
        case .binanceDepth, .bybitOrderbook:
            throw RowError(message: "depth formats are read by the depth importer")
        }
    }

    private func kline(time: Substring, _ o: Substring, _ h: Substring, _ l: Substring, _ c: Substring, volume: Substring, quote: Substring,
                       count: Substring, coin: String, venue: VenueID, interval: Int32) throws(RowError) -> KlineRecord {
        let open = try Self.positive(o, "open"), high = try Self.positive(h, "high"), low = try Self.positive(l, "low"), close = try Self.positive(c, "close")
        guard high >= max(open, close, low), low <= min(open, close) else { throw RowError(message: "high/low \(high)/\(low) do not contain open/close \(open)/\(close)") }
        return KlineRecord(time: try Self.timestamp(time), coin: coin, venue: venue, intervalSeconds: interval, open: open, high: high, low: low, close: close,
                           volume: try Self.number(volume, "volume"), quoteVolume: try Self.number(quote, "quote_volume"), trades: Int64(count) ?? 0)
    }

    /// Quotes or trades from a Parquet file (pandas/pyarrow dumps such as the NautilusTrader samples).
    private func importParquet(_ path: String, format: ImportFormat) throws {
        let file = try ParquetFile(path: path)
        for g in file.rowGroups.indices {
            let table = try file.read(rowGroup: g)
            let time = try ColumnAccess(table: table, file: path).int64(table["timestamp"] != nil ? "timestamp" : "time")
            let symbols = table["symbol"]?.strings
            let venue = self.venue ?? .binance
            let fileSymbol = Substring((path as NSString).lastPathComponent.split(separator: "-").dropFirst().first ?? "UNKNOWN")
            let a = ColumnAccess(table: table, file: path)
            let isTrades = format == .parquetTrades
            let price = isTrades ? try a.double("price") : [], quantity = isTrades ? try a.double(table["quantity"] != nil ? "quantity" : "size") : []
            let makers = table["buyer_maker"]?.strings ?? table["is_buyer_maker"]?.strings
            let ids = table["trade_id"]?.int64s
            let bid = isTrades ? [] : try a.double("bid"), ask = isTrades ? [] : try a.double("ask")
            let bidSize = isTrades ? [] : try a.double("bid_size"), askSize = isTrades ? [] : try a.double("ask_size")
            for i in time.indices {
                do throws(RowError) {
                    let coinName = try coinFor(symbols.map { Substring($0[i]) } ?? fileSymbol, venue: venue)
                    if isTrades {
                        let maker = try Self.flag(Substring(makers?[i] ?? "false"), "buyer_maker")
                        guard price[i] > 0, quantity[i] > 0 else { throw RowError(message: "non-positive price or quantity") }
                        trades.append(TradeRecord(time: Timestamp(nanoseconds: time[i]), coin: coinName, venue: venue, price: price[i], size: quantity[i],
                                                  side: maker ? .sell : .buy, tradeID: ids?[i]))
                    } else {
                        guard bid[i] > 0, ask[i] >= bid[i] else { throw RowError(message: "bad or crossed quote \(bid[i]) / \(ask[i])") }
                        book.append(BookRecord(time: Timestamp(nanoseconds: time[i]), coin: coinName, venue: venue,
                                               top: BookTop(bidPrice: bid[i], bidSize: bidSize[i], askPrice: ask[i], askSize: askSize[i])))
                    }
                } catch {
                    report.issueCount += 1
                    if report.issues.count < ImportReport.keptIssues { report.issues.append(ImportIssue(file: path, line: i + 1, message: error.message)) }
                }
            }
        }
    }

    /// Writes buffered rows to the lake.
    public func flush() throws {
        if !report.scaling.isEmpty { scaleToEngineUnits() }
        func store<R: StoredRecord>(_ rows: inout [R]) throws {
            guard !rows.isEmpty else { return }
            for path in try lake.append(rows) { report.partitions.insert(path) }
            report.rows[R.kind, default: 0] += rows.count
            rows.removeAll(keepingCapacity: true)
        }
        try store(&book)
        try store(&trades)
        try store(&funding)
        try store(&klines)
    }

    /// Prices into the engine's units (x factor), sizes the other way (/ factor).
    private func scaleToEngineUnits() {
        func factor(_ coin: String, _ venue: VenueID) -> Double { factors["\(coin)/\(venue.rawValue)"] ?? 1 }
        for i in book.indices {
            let f = factor(book[i].coin, book[i].venue)
            guard f != 1 else { continue }
            book[i].top = BookTop(bidPrice: book[i].top.bidPrice * f, bidSize: book[i].top.bidSize / f,
                                  askPrice: book[i].top.askPrice * f, askSize: book[i].top.askSize / f)
        }
        for i in trades.indices {
            let f = factor(trades[i].coin, trades[i].venue)
            guard f != 1 else { continue }
            trades[i].price *= f
            trades[i].size /= f
        }
        for i in funding.indices {
            funding[i].markPrice *= factor(funding[i].coin, funding[i].venue)
        }
        for i in klines.indices {
            let f = factor(klines[i].coin, klines[i].venue)
            guard f != 1 else { continue }
            klines[i].open *= f
            klines[i].high *= f
            klines[i].low *= f
            klines[i].close *= f
            klines[i].volume /= f
        }
    }
}
