import Foundation
import HuracanCore
import HuracanExchanges
import HuracanTestSupport
import Testing

/// Order-book sync per venue: snapshot plus updates, sequence gaps, checksum failures, resets.
@Suite struct BookSyncTests {
    static func level(_ price: String, _ size: String) -> PriceLevel {
        PriceLevel(price: try! FixedDecimal(parsing: price), size: try! FixedDecimal(parsing: size), priceText: price, sizeText: size)
    }

    static func update(first: Int64 = 0, final: Int64, previous: Int64, snapshot: Bool = false, checksum: Int32 = 0,
                       bids: [PriceLevel] = [], asks: [PriceLevel] = []) -> DepthUpdate {
        DepthUpdate(symbol: "BTCUSDT", isSnapshot: snapshot, firstID: first, finalID: final, previousID: previous, checksum: checksum,
                    bids: bids, asks: asks, time: Timestamp(milliseconds: final))
    }

    // MARK: Binance

    @Test func binanceSnapshotThenBufferedDiffs() {
        var sync = BinanceBookSync()
        #expect(sync.receive(Self.update(first: 90, final: 95, previous: 89, bids: [Self.level("100", "1")])) == .buffered)
        #expect(sync.receive(Self.update(first: 96, final: 102, previous: 95, bids: [Self.level("101", "2")])) == .buffered)
        #expect(sync.receive(Self.update(first: 103, final: 110, previous: 102, asks: [Self.level("105", "3")])) == .buffered)
        #expect(sync.needsSnapshot)
        // Snapshot L = 100: the event with u = 95 is dropped, U=96 <= 100 <= u=102 applies first.
        let result = sync.applySnapshot(Self.update(final: 100, previous: 0, snapshot: true, bids: [Self.level("99", "5")], asks: [Self.level("106", "1")]))
        #expect(result == .applied)
        #expect(sync.isInSync)
        #expect(sync.book.bestBid == 101)
        #expect(sync.book.bestAsk == 105)
        #expect(sync.receive(Self.update(first: 111, final: 120, previous: 110, bids: [Self.level("101", "0")])) == .applied)
        #expect(sync.book.bestBid == 99)
    }

    @Test func binanceGapResyncsAndRecovers() {
        var sync = BinanceBookSync()
        _ = sync.applySnapshot(Self.update(final: 100, previous: 0, snapshot: true, bids: [Self.level("99", "5")], asks: [Self.level("101", "1")]))
        #expect(sync.receive(Self.update(first: 95, final: 105, previous: 94)) == .applied)
        // pu 107 != previous u 105: an event was lost.
        guard case .resync(let reason) = sync.receive(Self.update(first: 108, final: 110, previous: 107)) else { Issue.record("no resync"); return }
        #expect(reason.contains("pu 107"))
        #expect(!sync.isInSync && sync.needsSnapshot && sync.book.bids.isEmpty)
        #expect(sync.receive(Self.update(first: 111, final: 115, previous: 110)) == .buffered)
        #expect(sync.applySnapshot(Self.update(final: 112, previous: 0, snapshot: true, bids: [Self.level("98", "1")])) == .applied)
        #expect(sync.isInSync && sync.resyncCount == 1)
    }

    @Test func binanceRealSampleSnapshotTooOldForUpdatesResyncs() throws {
        // The shared sample's snapshot (lastUpdateId 2098021528332) predates its updates
        // (U 2098041693435): the documented rule U <= L <= u fails, so the book must resync.
        let base = TestPaths.shared.appendingPathComponent("market-data")
        func rows(_ name: String) throws -> [[String]] {
            try String(contentsOf: base.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",").map(String.init) }
        }
        let snapshotRows = try rows("binance-futures-BTCUSDT-depth-snapshot.csv")
        let updateRows = try rows("binance-futures-BTCUSDT-depth-update.csv")
        func levels(_ rows: [[String]], _ side: String) -> [PriceLevel] { rows.filter { $0[4] == side }.map { Self.level($0[6], $0[7]) } }
        var sync = BinanceBookSync()
        let first = updateRows[0]
        #expect(sync.receive(Self.update(first: Int64(first[2])!, final: Int64(first[3])!, previous: Int64(first[8])!,
                                         bids: levels(updateRows, "b"), asks: levels(updateRows, "a"))) == .buffered)
        let snapshot = Self.update(final: Int64(snapshotRows[0][3])!, previous: 0, snapshot: true,
                                   bids: levels(snapshotRows, "b"), asks: levels(snapshotRows, "a"))
        #expect(snapshot.bids.count + snapshot.asks.count == 100)
        // Buffered update is newer than the snapshot: it stays buffered until the first event is checked.
        let result = sync.applySnapshot(snapshot)
        guard case .resync = result else { Issue.record("expected resync, got \(result)"); return }
        #expect(!sync.isInSync)
    }

    // MARK: OKX

    @Test func okxChecksumOfTheDocumentedExample() {
        var book = LocalOrderBook(keepsText: true)
        book.reset(Self.update(final: 1, previous: -1, snapshot: true, bids: [Self.level("3366.1", "7"), Self.level("3366", "6")],
                               asks: [Self.level("3366.8", "9"), Self.level("3368", "8")]))
        #expect(OKXBookSync.checksum(book) == -1_881_014_294)
    }

    @Test func okxFixtureSnapshotAndUpdateChecksum() throws {
        let root = TestPaths.shared.appendingPathComponent("fixtures/okx")
        guard case .depth(let snapshot) = try OKXParsers.message(Array(try Data(contentsOf: root.appendingPathComponent("ws_books_snapshot.json"))),
                                                                 directory: SymbolDirectory(venue: .okx)) else { Issue.record("not depth"); return }
        var sync = OKXBookSync()
        let computed = { () -> Int32 in var b = LocalOrderBook(keepsText: true); b.reset(snapshot); return OKXBookSync.checksum(b) }()
        // Python's zlib.crc32 over the same interleaved string gives -2102840145; the sample's
        // checksum (-855196043) is illustrative in OKX's docs and does not match its own levels,
        // so applying it as received is a checksum failure that must drop the book.
        #expect(computed == -2_102_840_145)
        guard case .resync(let reason) = sync.receive(snapshot) else { Issue.record("expected a checksum resync"); return }
        #expect(reason.contains("checksum mismatch"))
        var fixed = snapshot
        fixed.checksum = computed
        #expect(sync.receive(fixed) == .applied)
        #expect(sync.checksumsVerified == 1)
    }

    @Test func okxChecksumMismatchResyncs() {
        var sync = OKXBookSync()
        let bids = [Self.level("3366.1", "7"), Self.level("3366", "6")], asks = [Self.level("3366.8", "9"), Self.level("3368", "8")]
        #expect(sync.receive(Self.update(final: 10, previous: -1, snapshot: true, checksum: -1_881_014_294, bids: bids, asks: asks)) == .applied)
        // An update whose checksum disagrees with the book we get after applying it.
        guard case .resync(let reason) = sync.receive(Self.update(final: 11, previous: 10, checksum: 12345, bids: [Self.level("3366.1", "8")]))
        else { Issue.record("no resync"); return }
        #expect(reason.contains("checksum mismatch"))
        #expect(!sync.isInSync && sync.needsSnapshot)
    }

    @Test func okxZeroChecksumIsNotVerified() {
        var sync = OKXBookSync()
        #expect(sync.receive(Self.update(final: 10, previous: -1, snapshot: true, checksum: 0, bids: [Self.level("1", "1")])) == .applied)
        #expect(sync.receive(Self.update(final: 11, previous: 10, checksum: 0, bids: [Self.level("2", "1")])) == .applied)
        #expect(sync.checksumsVerified == 0 && sync.isInSync)
    }

    @Test func okxSequenceGapResyncs() {
        var sync = OKXBookSync()
        _ = sync.receive(Self.update(final: 10, previous: -1, snapshot: true, bids: [Self.level("1", "1")]))
        #expect(sync.receive(Self.update(final: 12, previous: 10)) == .applied)
        guard case .resync = sync.receive(Self.update(final: 15, previous: 13)) else { Issue.record("no resync"); return }
        #expect(!sync.isInSync)
    }

    @Test func okxRestSnapshotFlowWithoutWebSocketSnapshot() {
        var sync = OKXBookSync()
        #expect(sync.receive(Self.update(final: 105, previous: 100, bids: [Self.level("10", "1")])) == .buffered)
        #expect(sync.receive(Self.update(final: 110, previous: 105, asks: [Self.level("12", "1")])) == .buffered)
        // A snapshot older than the stream's first prevSeqId: fetch again.
        guard case .resync = sync.applySnapshot(Self.update(final: 99, previous: -1, snapshot: true)) else { Issue.record("expected refetch"); return }
        #expect(sync.receive(Self.update(final: 115, previous: 110, bids: [Self.level("10.5", "1")])) == .buffered)
        // seqId 107: drops 105; first kept (prev 105 <= 107 < 110) applies; then 115.
        #expect(sync.applySnapshot(Self.update(final: 107, previous: -1, snapshot: true, bids: [Self.level("9", "1")], asks: [Self.level("13", "1")])) == .applied)
        #expect(sync.isInSync)
        #expect(sync.book.bestBid == (try! FixedDecimal(parsing: "10.5")))
        #expect(sync.book.bestAsk == 12)
        #expect(sync.state == .live(lastSeqID: 115))
    }

    // MARK: Bybit

    static func bybitSample() throws -> [[UInt8]] {
        let url = TestPaths.shared.appendingPathComponent("market-data/bybit-linear-XRPUSDT-orderbook500-2024-12-01.jsonl")
        return try Data(contentsOf: url).split(separator: 0x0A).map { Array($0.last == 0x0D ? $0.dropLast() : $0[...]) }.filter { !$0.isEmpty }
    }

    @Test func bybitRealSampleStaysInSync() throws {
        var feed = BybitDepthFeed()
        for line in try Self.bybitSample() {
            let result = try line.withUnsafeBufferPointer { try feed.receive($0) }
            #expect(result == .applied)
        }
        #expect(feed.sync.isInSync)
        #expect(!feed.sync.book.isCrossed)
        #expect(feed.sync.state == .live(lastUpdateID: 20_254_918))
        #expect(feed.levelsApplied == 1000 + 2966)
        // The DOM parser and the byte scanner agree on every message.
        for line in try Self.bybitSample() {
            guard case .depth(let viaTree) = try BybitParsers.publicMessage(line) else { Issue.record("not depth"); continue }
            let viaScanner = try BybitDepthParser.parse(line)
            #expect(viaTree.bids.map(\.price) == viaScanner.bids.map(\.price))
            #expect(viaTree.asks.map(\.size) == viaScanner.asks.map(\.size))
        }
    }

    @Test func bybitGapResyncsUntilTheNextSnapshot() throws {
        let lines = try Self.bybitSample()
        var feed = BybitDepthFeed()
        let health = BookHealth()
        for (i, line) in lines.enumerated() where i != 10 {  // message 10 is lost
            let result = try line.withUnsafeBufferPointer { try feed.receive($0) }
            health.record(result, coin: "XRP", venue: .bybit)
            if i == 11 { guard case .resync = result else { Issue.record("expected resync at \(i), got \(result)"); return } }
            if i > 11 { #expect(result == .ignored) }
        }
        #expect(!feed.sync.isInSync)
        #expect(!health.canOpen("XRP", venue: .bybit))
        #expect(health.reason("XRP", venue: .bybit)?.contains("does not follow") == true)
        // Resubscribing brings a fresh snapshot: in sync again, the coin may trade.
        let result = try lines[0].withUnsafeBufferPointer { try feed.receive($0) }
        health.record(result, coin: "XRP", venue: .bybit)
        #expect(feed.sync.isInSync && health.canOpen("XRP", venue: .bybit))
    }

    @Test func bybitSnapshotResetsAndUpdateIDOneOverwrites() {
        var sync = BybitBookSync()
        _ = sync.receive(Self.update(final: 50, previous: 0, snapshot: true, bids: [Self.level("1.0", "5"), Self.level("0.9", "5")]))
        #expect(sync.receive(Self.update(final: 51, previous: 50, bids: [Self.level("0.95", "1")])) == .applied)
        #expect(sync.book.bids.count == 3)
        _ = sync.receive(Self.update(final: 80, previous: 0, snapshot: true, bids: [Self.level("2.0", "1")]))
        #expect(sync.book.bids.count == 1)  // replaced, not merged
        #expect(sync.receive(Self.update(final: 1, previous: 0, bids: [Self.level("3.0", "1")])) == .applied)
        #expect(sync.book.bids.count == 1 && sync.book.bestBid == 3)
    }
}
