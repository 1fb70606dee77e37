import HuracanCore
import HuracanExchanges
import Logging
import Synchronization

/// A normalised public market update.
public enum VenueMarketUpdate: Sendable {
    /// Best bid/ask (from the venue's book ticker or the synced depth book), sizes in base units.
    case top(symbol: String, BookTicker)
    case trade(PublicTrade)
    case markFunding(MarkFunding)
}

/// Public market data of many symbols on one venue over few connections: best bid/ask, trades,
/// depth kept in sync with the venue's documented procedure (Binance snapshot + U/u/pu, OKX
/// seqId/prevSeqId with REST snapshot and checksum while non-zero, Bybit snapshot/delta with u),
/// mark price and funding. A gap or checksum failure resyncs that book only; `BookHealth` says
/// which coins may open trades. A dropped connection marks its books out of sync and resyncs them
/// after the reconnect.
public final class VenueMarketFeed: Sendable {
    public struct Configuration: Sendable {
        /// Symbols per connection. Binance: 4 streams per symbol, 1024 streams per connection max
        /// (developers.binance.com WebSocket Market Streams); OKX: 480 subscription requests per
        /// connection per hour; Bybit: args per connection capped by length (~21,000 chars).
        public var symbolsPerConnection = 50
        /// Binance REST snapshot depth (1000 per the documented procedure).
        public var snapshotLimit = 1000
        public var connection = VenueStreamConnection.Configuration()
        public init() {}
    }

    public let venue: VenueID
    public let symbols: [String]
    public let health: BookHealth
    let api: VenueAPI
    let configuration: Configuration
    let sink: @Sendable (VenueMarketUpdate) -> Void
    let logger: Logger
    let books = Locked<[String: SymbolSync]>([:])

    /// Per-symbol synchroniser of the venue.
    enum SymbolSync: Sendable {
        case binance(BinanceBookSync, fetching: Bool)
        case okx(OKXBookSync, fetching: Bool)
        case bybit(BybitBookSync)
        /// Held only while a synchroniser is out being changed (see `update`).
        case empty

        /// Changes the synchroniser in place (nil only for `.empty`, never seen outside this
        /// call). Taking it out of the enum leaves the table's copy sharing its book, so the first
        /// write would copy the whole book; the case is emptied first so the book is uniquely
        /// referenced.
        mutating func update<Result>(binance: (inout BinanceBookSync, inout Bool) -> Result, okx: (inout OKXBookSync, inout Bool) -> Result,
                                     bybit: (inout BybitBookSync) -> Result) -> Result? {
            switch self {
            case .binance(var sync, var fetching):
                self = .empty
                defer { self = .binance(sync, fetching: fetching) }
                return binance(&sync, &fetching)
            case .okx(var sync, var fetching):
                self = .empty
                defer { self = .okx(sync, fetching: fetching) }
                return okx(&sync, &fetching)
            case .bybit(var sync):
                self = .empty
                defer { self = .bybit(sync) }
                return bybit(&sync)
            case .empty:
                return nil
            }
        }
    }

    public init(api: VenueAPI, symbols: [String], health: BookHealth, configuration: Configuration = .init(), logger: Logger,
                sink: @escaping @Sendable (VenueMarketUpdate) -> Void) {
        self.venue = api.venue
        self.api = api
        self.symbols = symbols
        self.health = health
        self.sink = sink
        self.logger = logger
        var config = configuration
        config.connection = config.connection.withHeartbeat(of: api.venue)
        self.configuration = config
        self.connectionsStorage = Locked([])
        let chunks = stride(from: 0, to: symbols.count, by: max(1, config.symbolsPerConnection)).map { Array(symbols[$0..<min($0 + config.symbolsPerConnection, symbols.count)]) }
        var initial: [String: SymbolSync] = [:]
        for symbol in symbols {
            switch api.venue {
            case .binance: initial[symbol] = .binance(BinanceBookSync(), fetching: false)
            case .okx: initial[symbol] = .okx(OKXBookSync(), fetching: false)
            case .bybit: initial[symbol] = .bybit(BybitBookSync(depth: 50))
            }
            health.markOutOfSync(api.directory.coin(symbol), venue: api.venue, reason: "awaiting first book")
        }
        books.withLock { $0 = initial }
        let venue = api.venue
        let url = api.client.endpoints.publicWebSocket
        var built: [VenueStreamConnection] = []
        for (i, chunk) in chunks.enumerated() {
            built.append(VenueStreamConnection(
                name: "\(venue) market \(i)", configuration: config.connection, logger: logger, url: { url },
                onOpen: { connection in try await Self.subscribe(venue: venue, symbols: chunk, connection: connection) },
                onMessage: { [weak self] bytes in self?.receive(bytes, chunk: i) },
                onDisconnect: { [weak self] in self?.disconnected(symbols: chunk) }))
        }
        connectionsStorage.withLock { $0 = built }
    }

    let connectionsStorage: Locked<[VenueStreamConnection]>

    public var streamConnections: [VenueStreamConnection] { connectionsStorage.withLock { $0 } }

    /// Runs every connection until cancelled.
    /// Connections of this feed that ended since start (each logged with its cause).
    public var disconnects: Int { streamConnections.reduce(0) { $0 + $1.disconnects.load(ordering: .relaxed) } }

    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in streamConnections { group.addTask { await connection.run() } }
        }
    }

    static func topics(venue: VenueID, symbol: String) -> [String] {
        switch venue {
        case .binance:
            let s = symbol.lowercased()
            return [s + "@bookTicker", s + "@depth@100ms", s + "@aggTrade", s + "@markPrice"]
        case .okx:
            return ["books", "tickers", "trades", "funding-rate", "mark-price"].map { "{\"channel\":\"\($0)\",\"instId\":\(JSONValue.quote(symbol))}" }
        case .bybit:
            return ["orderbook.50.\(symbol)", "tickers.\(symbol)", "publicTrade.\(symbol)"]
        }
    }

    /// Subscribes in batches that respect each venue's per-message limits (Binance: 10 messages/s
    /// per connection, so batches of 200 streams 150 ms apart; Bybit: 10 args per request).
    static func subscribe(venue: VenueID, symbols: [String], connection: VenueStreamConnection) async throws {
        let all = symbols.flatMap { topics(venue: venue, symbol: $0) }
        let batch = venue == .binance ? 200 : venue == .okx ? 50 : 10
        var id = 1
        for start in stride(from: 0, to: all.count, by: batch) {
            let part = all[start..<min(start + batch, all.count)]
            switch venue {
            case .binance:
                try await connection.send("{\"method\":\"SUBSCRIBE\",\"params\":[\(part.map { JSONValue.quote($0) }.joined(separator: ","))],\"id\":\(id)}")
                try await Task.sleep(for: .milliseconds(150))
            case .okx:
                try await connection.send("{\"op\":\"subscribe\",\"args\":[\(part.joined(separator: ","))]}")
            case .bybit:
                try await connection.send("{\"op\":\"subscribe\",\"args\":[\(part.map { JSONValue.quote($0) }.joined(separator: ","))],\"req_id\":\"\(id)\"}")
            }
            id += 1
        }
    }

    /// Whether `symbol`'s depth book is in sync now.
    public func isInSync(_ symbol: String) -> Bool {
        books.withLock { books in
            switch books[symbol] {
            case .binance(let sync, _): sync.isInSync
            case .okx(let sync, _): sync.isInSync
            case .bybit(let sync): sync.isInSync
            case .empty, nil: false
            }
        }
    }

    /// Resyncs so far across symbols.
    public var resyncCount: Int { health.resyncCount }

    /// The synced book of `symbol` (nil while out of sync).
    public func book(_ symbol: String) -> LocalOrderBook? {
        books.withLock { books in
            switch books[symbol] {
            case .binance(let sync, _): sync.isInSync ? sync.book : nil
            case .okx(let sync, _): sync.isInSync ? sync.book : nil
            case .bybit(let sync): sync.isInSync ? sync.book : nil
            case .empty, nil: nil
            }
        }
    }

    func disconnected(symbols: [String]) {
        books.withLock { books in
            for symbol in symbols {
                switch books[symbol] {
                case .binance: books[symbol] = .binance(BinanceBookSync(), fetching: false)
                case .okx: books[symbol] = .okx(OKXBookSync(), fetching: false)
                case .bybit: books[symbol] = .bybit(BybitBookSync(depth: 50))
                case .empty, nil: break
                }
            }
        }
        for symbol in symbols { health.markOutOfSync(api.directory.coin(symbol), venue: venue, reason: "connection dropped") }
    }

    func receive(_ bytes: [UInt8], chunk: Int) {
        do {
            switch venue {
            case .binance:
                switch try BinanceParsers.marketEvent(bytes) {
                case .bookTicker(let t): sink(.top(symbol: t.symbol, t))
                case .trade(let t): sink(.trade(t))
                case .markPrice(let m): sink(.markFunding(m))
                case .depth(let d): applyDepth(d, chunk: chunk)
                default: break
                }
            case .okx:
                switch try OKXParsers.message(bytes, directory: api.directory) {
                case .bookTicker(let t): sink(.top(symbol: t.symbol, t))
                case .trades(let trades): for t in trades { sink(.trade(t)) }
                case .markFunding(let m): sink(.markFunding(m))
                case .depth(let d): applyDepth(d, chunk: chunk)
                case .event(let name, let code, let message) where name == "error":
                    logger.warning("okx market stream error \(code): \(message)")
                default: break
                }
            case .bybit:
                // Depth messages (most of the traffic) go straight to the compact parser: no
                // document tree, no per-level text.
                if bytes.withUnsafeBufferPointer({ BybitDepthParser.isOrderBookMessage($0) }) {
                    var update = CompactDepthUpdate()
                    try bytes.withUnsafeBufferPointer { try BybitDepthParser.parse($0, into: &update) }
                    applyDepth(symbol: update.symbol, finalID: update.finalID, time: update.time, chunk: chunk,
                               binance: { _ in .ignored }, okx: { _ in .ignored }, bybit: { $0.receive(update) })
                    return
                }
                switch try BybitParsers.publicMessage(bytes) {
                case .depth(let d): applyDepth(d, chunk: chunk)
                case .trades(let trades): for t in trades { sink(.trade(t)) }
                case .ticker(let top, let mark):
                    if let top { sink(.top(symbol: top.symbol, top)) }
                    sink(.markFunding(mark))
                case .subscribed(let success, let message) where !success:
                    logger.warning("bybit subscription refused: \(message)")
                default: break
                }
            }
        } catch {
            logger.debug("\(venue) market message skipped: \(error)")
        }
    }

    private func applyDepth(_ update: DepthUpdate, chunk: Int) {
        applyDepth(symbol: update.symbol, finalID: update.finalID, time: update.time, chunk: chunk,
                   binance: { $0.receive(update) }, okx: { $0.receive(update) }, bybit: { $0.receive(update) })
    }

    /// Feeds one depth message of `symbol` to its synchroniser (`binance`, `okx` or `bybit`
    /// applies it), then records the book's health and publishes its top or asks for a resync.
    private func applyDepth(symbol: String, finalID: Int64, time: Timestamp, chunk: Int,
                            binance: (inout BinanceBookSync) -> BookSyncResult, okx: (inout OKXBookSync) -> BookSyncResult,
                            bybit: (inout BybitBookSync) -> BookSyncResult) {
        let coin = api.directory.coin(symbol)
        enum Follow { case none, fetchSnapshot, resubscribe }
        let (result, follow, top) = books.withLock { books -> (BookSyncResult, Follow, BookTop?) in
            books[symbol]?.update(
                binance: { sync, fetching in
                    let result = binance(&sync)
                    let fetch = sync.needsSnapshot && !fetching
                    fetching = fetching || fetch
                    return (result, fetch ? .fetchSnapshot : .none, sync.isInSync ? sync.book.top : nil)
                },
                okx: { sync, fetching in
                    let result = okx(&sync)
                    let fetch = sync.needsSnapshot && !fetching
                    fetching = fetching || fetch
                    return (result, fetch ? .fetchSnapshot : .none, sync.isInSync ? sync.book.top : nil)
                },
                bybit: { sync in
                    let result = bybit(&sync)
                    if case .resync = result { return (result, .resubscribe, nil) }
                    return (result, .none, sync.isInSync ? sync.book.top : nil)
                }) ?? (.ignored, .none, nil)
        }
        health.record(result, coin: coin, venue: venue)
        if case .resync(let reason) = result { logger.notice("\(venue) \(symbol) book resync: \(reason)") }
        if let top, case .applied = result {
            sink(.top(symbol: symbol, BookTicker(symbol: symbol, bidPrice: FixedDecimal(approximating: top.bidPrice), bidSize: FixedDecimal(approximating: top.bidSize),
                                                 askPrice: FixedDecimal(approximating: top.askPrice), askSize: FixedDecimal(approximating: top.askSize),
                                                 updateID: finalID, time: time)))
        }
        switch follow {
        case .none: break
        case .fetchSnapshot:
            Task { await self.fetchSnapshot(symbol) }
        case .resubscribe:
            let connection = streamConnections[chunk]
            Task {
                let topic = "orderbook.50.\(symbol)"
                try? await connection.send("{\"op\":\"unsubscribe\",\"args\":[\"\(topic)\"]}")
                try? await connection.send("{\"op\":\"subscribe\",\"args\":[\"\(topic)\"]}")
            }
        }
    }

    private func fetchSnapshot(_ symbol: String) async {
        let coin = api.directory.coin(symbol)
        for attempt in 0..<5 {
            // Let a few diff events buffer first, as the documented procedure does.
            try? await Task.sleep(for: .milliseconds(attempt == 0 ? 50 : 500))
            do {
                let snapshot = try await api.depthSnapshot(symbol: symbol, limit: venue == .okx ? 400 : configuration.snapshotLimit)
                let result = books.withLock { books -> BookSyncResult in
                    books[symbol]?.update(
                        binance: { sync, fetching in
                            fetching = false
                            return sync.applySnapshot(snapshot)
                        },
                        okx: { sync, fetching in
                            fetching = false
                            return sync.applySnapshot(snapshot)
                        },
                        bybit: { _ in .ignored }) ?? .ignored
                }
                health.record(result, coin: coin, venue: venue)
                return
            } catch {
                logger.notice("\(venue) \(symbol) depth snapshot failed: \(error)")
            }
        }
        books.withLock { books in
            _ = books[symbol]?.update(binance: { $1 = false }, okx: { $1 = false }, bybit: { _ in })
        }
    }
}
