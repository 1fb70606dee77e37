import HuracanCore

/// Parses Bybit v5 `orderbook.{depth}.{symbol}` messages straight from bytes into a reused
/// `DepthUpdate` (no document tree, no allocation once the level arrays have grown). Unknown
/// fields are skipped; missing `type`, `data.u` or levels are errors.
public enum BybitDepthParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into update: inout DepthUpdate) throws(VenueParseError) {
        var scanner = ByteScanner(bytes)
        var sawType = false, sawU = false, sawData = false
        var field = ""
        do throws(ByteScanner.ScanError) {
            update.bids.removeAll(keepingCapacity: true)
            update.asks.removeAll(keepingCapacity: true)
            update.checksum = 0
            try scanner.object { (s: inout ByteScanner, key: Range<Int>) throws(ByteScanner.ScanError) in
                if s.equals(key, "type") {
                    field = "type"
                    let value = try s.stringRange()
                    if s.equals(value, "snapshot") { update.isSnapshot = true }
                    else if s.equals(value, "delta") { update.isSnapshot = false }
                    else { throw ByteScanner.ScanError(offset: value.lowerBound, reason: "unknown type") }
                    sawType = true
                } else if s.equals(key, "ts") {
                    field = "ts"
                    update.time = Timestamp(milliseconds: try s.int64())
                } else if s.equals(key, "data") {
                    sawData = true
                    try s.object { (d: inout ByteScanner, k: Range<Int>) throws(ByteScanner.ScanError) in
                        if d.equals(k, "b") { field = "data.b"; try d.levels(into: &update.bids) }
                        else if d.equals(k, "a") { field = "data.a"; try d.levels(into: &update.asks) }
                        else if d.equals(k, "u") { field = "data.u"; update.finalID = try d.int64(); sawU = true }
                        else if d.equals(k, "seq") { field = "data.seq"; update.crossSequence = try d.int64() }
                        else if d.equals(k, "s") {
                            field = "data.s"
                            let range = try d.stringRange()
                            if !update.symbol.utf8.elementsEqual(UnsafeBufferPointer(start: d.base + range.lowerBound, count: range.count)) {
                                update.symbol = String(decoding: UnsafeBufferPointer(start: d.base + range.lowerBound, count: range.count), as: UTF8.self)
                            }
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
        update.previousID = update.isSnapshot ? 0 : update.finalID - 1
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
    private var scratch = DepthUpdate(symbol: "", isSnapshot: false, finalID: 0, bids: [], asks: [], time: .epoch)
    /// Level changes applied so far.
    public private(set) var levelsApplied = 0

    public init(depth: Int = 500) {
        sync = BybitBookSync(depth: depth)
        scratch.bids.reserveCapacity(1024)
        scratch.asks.reserveCapacity(1024)
    }

    public mutating func receive(_ bytes: UnsafeBufferPointer<UInt8>) throws(VenueParseError) -> BookSyncResult {
        try BybitDepthParser.parse(bytes, into: &scratch)
        levelsApplied += scratch.bids.count + scratch.asks.count
        return sync.receive(scratch)
    }
}
