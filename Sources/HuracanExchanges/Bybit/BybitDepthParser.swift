import HuracanCore

/// Parses Bybit v5 `orderbook.{depth}.{symbol}` messages straight from bytes into a reused
/// `DepthUpdate` or `CompactDepthUpdate` (no document tree, no allocation once the level arrays
/// have grown). Unknown fields are skipped; missing `type`, `data.u` or levels are errors.
public enum BybitDepthParser {
    /// The message fields other than the levels.
    struct Header {
        var isSnapshot = false
        var finalID: Int64 = 0
        var crossSequence: Int64 = 0
        var time = Timestamp.epoch
    }

    /// Scans one message: the header fields into `header`, the symbol into `symbol` (only
    /// rewritten when it changes), and each level array through `levels` (`true` for bids).
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, header: inout Header, symbol: inout String,
                     levels: (inout ByteScanner, Bool) throws(ByteScanner.ScanError) -> Void) throws(VenueParseError) {
        var scanner = ByteScanner(bytes)
        var sawType = false, sawU = false, sawData = false
        var field = ""
        do throws(ByteScanner.ScanError) {
            try scanner.object { (s: inout ByteScanner, key: Range<Int>) throws(ByteScanner.ScanError) in
                if s.equals(key, "type") {
                    field = "type"
                    let value = try s.stringRange()
                    if s.equals(value, "snapshot") { header.isSnapshot = true }
                    else if s.equals(value, "delta") { header.isSnapshot = false }
                    else { throw ByteScanner.ScanError(offset: value.lowerBound, reason: "unknown type") }
                    sawType = true
                } else if s.equals(key, "ts") {
                    field = "ts"
                    header.time = Timestamp(milliseconds: try s.int64())
                } else if s.equals(key, "data") {
                    sawData = true
                    try s.object { (d: inout ByteScanner, k: Range<Int>) throws(ByteScanner.ScanError) in
                        if d.equals(k, "b") { field = "data.b"; try levels(&d, true) }
                        else if d.equals(k, "a") { field = "data.a"; try levels(&d, false) }
                        else if d.equals(k, "u") { field = "data.u"; header.finalID = try d.int64(); sawU = true }
                        else if d.equals(k, "seq") { field = "data.seq"; header.crossSequence = try d.int64() }
                        else if d.equals(k, "s") {
                            field = "data.s"
                            let range = try d.stringRange()
                            let text = UnsafeBufferPointer(start: d.base + range.lowerBound, count: range.count)
                            let same = symbol.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(text) } ?? symbol.utf8.elementsEqual(text)
                            if !same { symbol = String(decoding: text, as: UTF8.self) }
                        } else { try d.skipValue() }
                    }
                } else {
                    try s.skipValue()
                }
            }
            field = ""
            guard scanner.isAtEnd else { throw ByteScanner.ScanError(offset: scanner.index, reason: "unexpected text after the message") }
        } catch {
            throw VenueParseError(venue: .bybit, message: "orderbook", field: field, reason: error.description)
        }
        guard sawType else { throw VenueParseError(venue: .bybit, message: "orderbook", field: "type", reason: "missing") }
        guard sawData else { throw VenueParseError(venue: .bybit, message: "orderbook", field: "data", reason: "missing") }
        guard sawU else { throw VenueParseError(venue: .bybit, message: "orderbook", field: "data.u", reason: "missing") }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into update: inout DepthUpdate) throws(VenueParseError) {
        var header = Header()
        update.bids.removeAll(keepingCapacity: true)
        update.asks.removeAll(keepingCapacity: true)
        update.checksum = 0
        try scan(bytes, header: &header, symbol: &update.symbol) { (scanner: inout ByteScanner, isBid: Bool) throws(ByteScanner.ScanError) in
            if isBid { try scanner.levels(into: &update.bids) } else { try scanner.levels(into: &update.asks) }
        }
        update.isSnapshot = header.isSnapshot
        update.finalID = header.finalID
        update.crossSequence = header.crossSequence
        update.time = header.time
        update.previousID = header.isSnapshot ? 0 : header.finalID - 1
    }

    /// The hot-path form: levels as flat mantissa pairs.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into update: inout CompactDepthUpdate) throws(VenueParseError) {
        var header = Header()
        update.removeLevels()
        try scan(bytes, header: &header, symbol: &update.symbol) { (scanner: inout ByteScanner, isBid: Bool) throws(ByteScanner.ScanError) in
            // Disjoint stored properties of `update` (the symbol is being written by `scan`).
            if isBid { try scanner.levels(into: &update.bidStorage, count: &update.bidCount) }
            else { try scanner.levels(into: &update.askStorage, count: &update.askCount) }
        }
        update.isSnapshot = header.isSnapshot
        update.finalID = header.finalID
        update.crossSequence = header.crossSequence
        update.time = header.time
    }

    /// Whether `bytes` is an `orderbook.*` message that starts with its topic, as Bybit sends
    /// them: a look at the first field only, so a public-stream reader can send depth messages
    /// straight to the compact parser and everything else to `BybitParsers.publicMessage`.
    public static func isOrderBookMessage(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var scanner = ByteScanner(bytes)
        do throws(ByteScanner.ScanError) {
            try scanner.expect(UInt8(ascii: "{"))
            guard scanner.equals(try scanner.stringRange(), "topic") else { return false }
            try scanner.expect(UInt8(ascii: ":"))
            let topic = try scanner.stringRange()
            return topic.count > 10 && scanner.equals(topic.lowerBound..<(topic.lowerBound + 10), "orderbook.")
        } catch {
            return false
        }
    }

    public static func parse(_ bytes: [UInt8]) throws -> DepthUpdate {
        var update = DepthUpdate(symbol: "", isSnapshot: false, finalID: 0, bids: [], asks: [], time: .epoch)
        try bytes.withUnsafeBufferPointer { buffer in try parse(buffer, into: &update) }
        return update
    }
}

/// A Bybit depth feed for one symbol: parse + sync per message, the unit the benchmark measures.
public struct BybitDepthFeed: Sendable {
    public private(set) var sync: BybitBookSync
    private var scratch = CompactDepthUpdate()
    /// Level changes applied so far.
    public private(set) var levelsApplied = 0

    public init(depth: Int = 500) {
        sync = BybitBookSync(depth: depth)
    }

    public mutating func receive(_ bytes: UnsafeBufferPointer<UInt8>) throws(VenueParseError) -> BookSyncResult {
        try BybitDepthParser.parse(bytes, into: &scratch)
        levelsApplied += scratch.levelCount
        return sync.receive(scratch)
    }
}
