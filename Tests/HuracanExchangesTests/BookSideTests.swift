import Foundation
import HuracanCore
import HuracanExchanges
import HuracanTestSupport
import Testing

/// The flat book side (best level last in storage, interpolation + galloping search, bulk
/// snapshot load) against a plain dictionary reference, and the hot-path parser against the
/// document-tree parser on the real Bybit sample.
@Suite struct BookSideTests {
    /// The obvious implementation: a dictionary of price -> size, sorted on demand.
    struct ReferenceSide {
        let isBid: Bool
        var sizes: [Int128: Int128] = [:]

        mutating func set(price: Int128, size: Int128) { sizes[price] = size == 0 ? nil : size }

        /// (price, size) best first.
        var levels: [(Int128, Int128)] {
            sizes.sorted { isBid ? $0.key > $1.key : $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    static func levels(_ side: BookSide) -> [(Int128, Int128)] {
        (0..<side.count).map { (side.price(at: $0).mantissa, side.size(at: $0).mantissa) }
    }

    static func same(_ side: BookSide, _ reference: ReferenceSide) -> Bool {
        let a = levels(side), b = reference.levels
        return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Random sets and deletes on a dense tick grid, a sparse one and an uneven one (a few far
    /// outliers that defeat interpolation), both sides, checked level by level after every batch.
    @Test(arguments: [true, false], ["dense", "sparse", "uneven"])
    func randomUpdatesMatchTheReference(isBid: Bool, grid: String) {
        var random = SplitMix(seed: isBid ? 11 : 12)
        var side = BookSide(isBid: isBid)
        var reference = ReferenceSide(isBid: isBid)
        let tick = FixedDecimal(units: 1, exponent: 4).mantissa
        func price() -> Int128 {
            switch grid {
            case "dense": return (19_000 + Int128(random.next() % 1_000)) * tick
            case "sparse": return (90_000_0 + Int128(random.next() % 200_000)) * FixedDecimal(units: 1, exponent: 1).mantissa
            default:
                let r = random.next() % 100
                if r < 3 { return Int128(random.next() % 1_000_000) * FixedDecimal.unit }  // far away
                return (19_500 + Int128(random.next() % 300)) * tick
            }
        }
        for batch in 0..<60 {
            for _ in 0..<100 {
                let p = price()
                // About a third deletes (some of absent levels), the rest new sizes.
                let size: Int128 = random.next() % 3 == 0 ? 0 : Int128(1 + random.next() % 50_000) * FixedDecimal.unit
                side.set(price: p, size: size)
                reference.set(price: p, size: size)
            }
            #expect(Self.same(side, reference), "batch \(batch)")
        }
        #expect(side.count == reference.sizes.count)
    }

    /// Snapshots in venue order load in one pass; any other order (duplicates, zeros, unsorted)
    /// gives the book that setting the levels one by one gives.
    @Test func loadMatchesSettingOneByOne() {
        let u = FixedDecimal.unit
        let inOrder = [LevelChange(price: 105 * u, size: 1 * u), LevelChange(price: 104 * u, size: 0), LevelChange(price: 103 * u, size: 3 * u)]
        let messy = [LevelChange(price: 101 * u, size: 1 * u), LevelChange(price: 103 * u, size: 2 * u), LevelChange(price: 101 * u, size: 5 * u),
                     LevelChange(price: 102 * u, size: 0), LevelChange(price: 100 * u, size: 4 * u), LevelChange(price: 103 * u, size: 0)]
        for isBid in [true, false] {
            for changes in [inOrder, messy, inOrder.reversed()] {
                var loaded = BookSide(isBid: isBid)
                loaded.set(price: 999 * u, size: u)  // replaced, not merged
                loaded.load(changes)
                var reference = ReferenceSide(isBid: isBid)
                for change in changes { reference.set(price: change.price, size: change.size) }
                #expect(Self.same(loaded, reference))
            }
        }
    }

    /// OKX keeps the venue's strings per level for its checksum: they follow inserts, deletes,
    /// loads and truncation.
    @Test func wireTextFollowsItsLevel() {
        func level(_ p: String, _ s: String) -> PriceLevel {
            PriceLevel(price: try! FixedDecimal(parsing: p), size: try! FixedDecimal(parsing: s), priceText: p, sizeText: s)
        }
        var asks = BookSide(isBid: false, keepsText: true)
        asks.load([level("100.10", "1.0"), level("100.20", "2.00"), level("100.30", "3")])
        asks.set(level("100.15", "0.50"))
        asks.set(level("100.20", "0"))
        asks.set(level("100.30", "3.5"))
        #expect((0..<asks.count).map { asks.text(at: $0).price } == ["100.10", "100.15", "100.30"])
        #expect((0..<asks.count).map { asks.text(at: $0).size } == ["1.0", "0.50", "3.5"])
        asks.truncate(to: 2)
        #expect((0..<asks.count).map { asks.text(at: $0).price } == ["100.10", "100.15"])
        #expect(asks.price(at: 0) == (try! FixedDecimal(parsing: "100.1")))
    }

    @Test func truncateKeepsTheBestLevels() {
        var bids = BookSide(isBid: true)
        for p in 1...10 { bids.set(price: Int128(p) * FixedDecimal.unit, size: FixedDecimal.unit) }
        bids.truncate(to: 3)
        #expect(bids.levels(10).map(\.price) == [10, 9, 8])
    }

    /// The fast decimal paths (8-byte word, byte loop) give exactly what `FixedDecimal(parsing:)`
    /// gives, and fall back to it for everything else, whatever follows the closing quote.
    @Test func fastDecimalsAgreeWithTheReferenceParser() {
        var inputs = ["1.9531", "6203", "0", "0.0", "00012.500", "1.", ".5", "1234567", "12345678", "123456.7", "1234567.8", "1.234567",
                      "9999999", "0.000001", "1234567890123456789", "12345678901234567890", "0.000000000000000001", "0.0000000000000000001",
                      "0.0000000000000000010", "99999999999999999.9", "-1.5", "1e3", "1.5e3", "1.2.3", "", "abc", "1:5", "1/5", "1 5", #"\u0031"#,
                      "170141183460469231731.687303715884105727", "18446744073709551615", "9.", "9..", "0.5\"x"]
        var random = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let digits = 1 + Int(random.next() % 9)
            var text = String((0..<digits).map { _ in Character(String(random.next() % 10)) })
            if random.next() % 3 != 0 { text.insert(".", at: text.index(text.startIndex, offsetBy: Int(random.next() % UInt64(digits + 1)))) }
            inputs.append(text)
        }
        for text in inputs {
            for tail in ["", "]", "],[\"1.5\",\"2\"]]}"] {
                let quoted = Array("\"\(text)\"\(tail)".utf8)
                let fast: Int128? = quoted.withUnsafeBufferPointer { buffer in
                    var scanner = ByteScanner(buffer)
                    guard let value = try? scanner.decimalString() else { return nil }
                    return scanner.index == text.utf8.count + 2 ? value : nil
                }
                let reference = try? FixedDecimal(parsing: text).mantissa
                #expect(fast == reference, "\(text) followed by \(tail)")
            }
        }
    }

    /// Depth messages mixing the compact level form with every other legal shape (spaces, extra
    /// fields, long numbers, escapes-free exotic decimals, more levels than the storage holds)
    /// parse to the levels a JSON document tree gives.
    @Test func everyLevelShapeParsesLikeTheDocumentTree() throws {
        var random = SplitMix(seed: 99)
        var update = CompactDepthUpdate()
        func number() -> String {
            switch random.next() % 6 {
            case 0: return "\(random.next() % 100_000)"
            case 1: return "\(random.next() % 1_000).\(random.next() % 10_000)"
            case 2: return "0.00000\(random.next() % 1_000)"
            case 3: return "\(random.next() % 10_000_000_000).\(random.next() % 100_000_000)"  // long
            case 4: return "1e\(random.next() % 3)"
            default: return "\(random.next() % 10)"
            }
        }
        func level() -> String {
            let (p, q) = (number(), number())
            switch random.next() % 5 {
            case 0: return "[ \"\(p)\" , \"\(q)\" ]"
            case 1: return "[\"\(p)\",\"\(q)\",\"extra\",[1,{\"x\":\"]\"}]]"
            default: return "[\"\(p)\",\"\(q)\"]"
            }
        }
        for round in 0..<200 {
            let bids = (0..<Int(random.next() % 150)).map { _ in level() }
            let asks = (0..<Int(random.next() % 3)).map { _ in level() }
            let gap = round % 7 == 0 ? " " : ""
            let text = #"{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":["# + gap + bids.joined(separator: "," + gap) + gap
                + #"],"a":["# + asks.joined(separator: ",") + #"],"u":\#(round + 2),"seq":3},"cts":1}"#
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBufferPointer { try BybitDepthParser.parse($0, into: &update) }
            guard case .object(let top) = try JSONValue.parse(bytes), case .object(let data)? = top["data"],
                  case .array(let b)? = data["b"], case .array(let a)? = data["a"] else { Issue.record("not a depth message"); return }
            func reference(_ levels: [JSONValue]) throws -> [LevelChange] {
                try levels.map { level in
                    guard case .array(let fields) = level, case .string(let p) = fields[0], case .string(let q) = fields[1] else { throw VenueParseError(venue: .bybit, message: "test", field: "level", reason: "shape") }
                    return LevelChange(price: try FixedDecimal(parsing: p).mantissa, size: try FixedDecimal(parsing: q).mantissa)
                }
            }
            #expect(Array(update.bids) == (try reference(b)), "round \(round)")
            #expect(Array(update.asks) == (try reference(a)), "round \(round)")
            #expect(update.finalID == Int64(round + 2))
        }
    }

    // MARK: Real Bybit sample

    /// The whole sample through the hot path (byte scanner, compact levels, flat book) gives the
    /// same book as the document-tree parser applied to a dictionary per side.
    @Test func bybitSampleBookEqualsTheReferenceBook() throws {
        var feed = BybitDepthFeed()
        var bids = ReferenceSide(isBid: true), asks = ReferenceSide(isBid: false)
        for line in try BookSyncTests.bybitSample() {
            let result = try line.withUnsafeBufferPointer { try feed.receive($0) }
            #expect(result == .applied)
            guard case .depth(let update) = try BybitParsers.publicMessage(line) else { Issue.record("not depth"); continue }
            if update.isSnapshot { bids.sizes.removeAll(); asks.sizes.removeAll() }
            for level in update.bids { bids.set(price: level.price.mantissa, size: level.size.mantissa) }
            for level in update.asks { asks.set(price: level.price.mantissa, size: level.size.mantissa) }
            #expect(Self.same(feed.sync.book.bids, bids) && Self.same(feed.sync.book.asks, asks))
        }
        #expect(feed.sync.book.bids.count == 500 && feed.sync.book.asks.count == 500)
        #expect(feed.sync.book.bestBid == FixedDecimal(mantissa: bids.levels[0].0))
    }

    /// The public-stream reader's routing test: depth messages with their topic first go to the
    /// compact parser, everything else (tickers, trades, acks, a topic further on) to the full one.
    @Test func orderBookMessagesAreRecognisedByTheirFirstField() throws {
        for line in try BookSyncTests.bybitSample() {
            #expect(line.withUnsafeBufferPointer { BybitDepthParser.isOrderBookMessage($0) })
        }
        for other in [#"{"topic":"tickers.BTCUSDT","type":"delta","data":{}}"#, #"{"op":"ping","success":true}"#,
                      #"{"type":"delta","topic":"orderbook.50.BTCUSDT","data":{}}"#, #"{"topic":"orderbook."#, "", "[]"] {
            #expect(!Array(other.utf8).withUnsafeBufferPointer { BybitDepthParser.isOrderBookMessage($0) }, "\(other)")
        }
    }

    /// Compact and full parses of every sample message carry the same levels and sequence fields.
    @Test func compactParseMatchesTheFullParse() throws {
        var compact = CompactDepthUpdate()
        for line in try BookSyncTests.bybitSample() {
            let full = try BybitDepthParser.parse(line)
            try line.withUnsafeBufferPointer { try BybitDepthParser.parse($0, into: &compact) }
            #expect(compact == CompactDepthUpdate(full))
            #expect(compact.symbol == "XRPUSDT")
        }
    }
}
