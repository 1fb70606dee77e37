import HuracanBus
import HuracanCore

/// Best bid and offer of one coin on one venue (`book` dataset).
public struct BookRecord: StoredRecord {
    public var time: Timestamp
    public var coin: String
    public var venue: VenueID
    public var top: BookTop

    public init(time: Timestamp, coin: String, venue: VenueID, top: BookTop) {
        self.time = time
        self.coin = coin
        self.venue = venue
        self.top = top
    }

    public static let kind = DataKind.book
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("venue", .string),
        ParquetField("bid_price", .double), ParquetField("bid_size", .double), ParquetField("ask_price", .double), ParquetField("ask_size", .double),
    ])

    public static func makeTable(_ records: [BookRecord]) -> ParquetTable {
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(records.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(records.map(\.coin)))
        b.add(schema.fields[2], .string(records.map(\.venue.rawValue)))
        b.add(schema.fields[3], .double(records.map(\.top.bidPrice)))
        b.add(schema.fields[4], .double(records.map(\.top.bidSize)))
        b.add(schema.fields[5], .double(records.map(\.top.askPrice)))
        b.add(schema.fields[6], .double(records.map(\.top.askSize)))
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [BookRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), venue = try a.string("venue")
        let bp = try a.double("bid_price"), bs = try a.double("bid_size"), ap = try a.double("ask_price"), az = try a.double("ask_size")
        var out: [BookRecord] = []
        out.reserveCapacity(time.count)
        for i in time.indices {
            out.append(BookRecord(time: Timestamp(nanoseconds: time[i]), coin: coin[i], venue: try a.enumValue(venue[i], "venue", row: i),
                                  top: BookTop(bidPrice: bp[i], bidSize: bs[i], askPrice: ap[i], askSize: az[i])))
        }
        return out
    }

    /// The engine's market event for this record.
    public func event(coinIndex: CoinIndex) -> MarketEvent { .book(coinIndex, venue, time, top) }
}

/// One trade print (`trades` dataset). `side` is the aggressor.
public struct TradeRecord: StoredRecord {
    public var time: Timestamp
    public var coin: String
    public var venue: VenueID
    public var price: Double
    public var size: Double
    public var side: Side
    public var tradeID: Int64?

    public init(time: Timestamp, coin: String, venue: VenueID, price: Double, size: Double, side: Side, tradeID: Int64? = nil) {
        self.time = time
        self.coin = coin
        self.venue = venue
        self.price = price
        self.size = size
        self.side = side
        self.tradeID = tradeID
    }

    public static let kind = DataKind.trades
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("venue", .string),
        ParquetField("price", .double), ParquetField("size", .double), ParquetField("side", .string),
        ParquetField("trade_id", .int64, nullable: true),
    ])

    public static func makeTable(_ records: [TradeRecord]) -> ParquetTable {
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(records.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(records.map(\.coin)))
        b.add(schema.fields[2], .string(records.map(\.venue.rawValue)))
        b.add(schema.fields[3], .double(records.map(\.price)))
        b.add(schema.fields[4], .double(records.map(\.size)))
        b.add(schema.fields[5], .string(records.map(\.side.rawValue)))
        b.add(schema.fields[6], .int64(records.map { $0.tradeID ?? 0 }), validity: records.map { $0.tradeID != nil })
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [TradeRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), venue = try a.string("venue")
        let price = try a.double("price"), size = try a.double("size"), side = try a.string("side"), id = try a.optionalInt64("trade_id")
        var out: [TradeRecord] = []
        out.reserveCapacity(time.count)
        for i in time.indices {
            out.append(TradeRecord(time: Timestamp(nanoseconds: time[i]), coin: coin[i], venue: try a.enumValue(venue[i], "venue", row: i),
                                   price: price[i], size: size[i], side: try a.enumValue(side[i], "side", row: i), tradeID: id[i]))
        }
        return out
    }

    public func event(coinIndex: CoinIndex) -> MarketEvent { .trade(coinIndex, venue, time, price: price, size: size, aggressor: side) }
}

/// A funding rate update or settlement (`funding` dataset); the rate is per interval.
public struct FundingRecord: StoredRecord {
    public var time: Timestamp
    public var coin: String
    public var venue: VenueID
    public var rate: Double
    public var markPrice: Double
    public var isSettlement: Bool

    public init(time: Timestamp, coin: String, venue: VenueID, rate: Double, markPrice: Double, isSettlement: Bool) {
        self.time = time
        self.coin = coin
        self.venue = venue
        self.rate = rate
        self.markPrice = markPrice
        self.isSettlement = isSettlement
    }

    public static let kind = DataKind.funding
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("venue", .string),
        ParquetField("rate", .double), ParquetField("mark_price", .double), ParquetField("is_settlement", .bool),
    ])

    public static func makeTable(_ records: [FundingRecord]) -> ParquetTable {
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(records.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(records.map(\.coin)))
        b.add(schema.fields[2], .string(records.map(\.venue.rawValue)))
        b.add(schema.fields[3], .double(records.map(\.rate)))
        b.add(schema.fields[4], .double(records.map(\.markPrice)))
        b.add(schema.fields[5], .bool(records.map(\.isSettlement)))
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [FundingRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), venue = try a.string("venue")
        let rate = try a.double("rate"), mark = try a.double("mark_price"), settle = try a.bool("is_settlement")
        var out: [FundingRecord] = []
        for i in time.indices {
            out.append(FundingRecord(time: Timestamp(nanoseconds: time[i]), coin: coin[i], venue: try a.enumValue(venue[i], "venue", row: i),
                                     rate: rate[i], markPrice: mark[i], isSettlement: settle[i]))
        }
        return out
    }

    public func event(coinIndex: CoinIndex) -> MarketEvent {
        isSettlement ? .fundingSettlement(coinIndex, venue, time, rate: rate, markPrice: markPrice)
            : .funding(coinIndex, venue, time, rate: rate, markPrice: markPrice)
    }
}

extension MarketMessage {
    /// The stored record for this market message: book, trade or funding.
    public var storedRecord: (any StoredRecord)? {
        switch kind {
        case .book: BookRecord(time: time, coin: coin, venue: venue, top: BookTop(bidPrice: bid, bidSize: bidSize, askPrice: ask, askSize: askSize))
        case .trade: TradeRecord(time: time, coin: coin, venue: venue, price: price, size: size, side: aggressor)
        case .funding, .fundingSettlement:
            FundingRecord(time: time, coin: coin, venue: venue, rate: size, markPrice: price, isSettlement: kind == .fundingSettlement)
        }
    }
}

/// One candle (`klines` dataset), as exchanges publish them; `time` is the open time.
public struct KlineRecord: StoredRecord {
    public var time: Timestamp
    public var coin: String
    public var venue: VenueID
    public var intervalSeconds: Int32
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    /// Base volume (quote volume when the source gives only that).
    public var volume: Double
    public var quoteVolume: Double
    public var trades: Int64

    public init(time: Timestamp, coin: String, venue: VenueID, intervalSeconds: Int32, open: Double, high: Double, low: Double, close: Double,
                volume: Double, quoteVolume: Double, trades: Int64) {
        self.time = time
        self.coin = coin
        self.venue = venue
        self.intervalSeconds = intervalSeconds
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.quoteVolume = quoteVolume
        self.trades = trades
    }

    public static let kind = DataKind.klines
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("venue", .string), ParquetField("interval_seconds", .int32),
        ParquetField("open", .double), ParquetField("high", .double), ParquetField("low", .double), ParquetField("close", .double),
        ParquetField("volume", .double), ParquetField("quote_volume", .double), ParquetField("trades", .int64),
    ])

    public static func makeTable(_ records: [KlineRecord]) -> ParquetTable {
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(records.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(records.map(\.coin)))
        b.add(schema.fields[2], .string(records.map(\.venue.rawValue)))
        b.add(schema.fields[3], .int32(records.map(\.intervalSeconds)))
        b.add(schema.fields[4], .double(records.map(\.open)))
        b.add(schema.fields[5], .double(records.map(\.high)))
        b.add(schema.fields[6], .double(records.map(\.low)))
        b.add(schema.fields[7], .double(records.map(\.close)))
        b.add(schema.fields[8], .double(records.map(\.volume)))
        b.add(schema.fields[9], .double(records.map(\.quoteVolume)))
        b.add(schema.fields[10], .int64(records.map(\.trades)))
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [KlineRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), venue = try a.string("venue"), interval = try a.int32("interval_seconds")
        let o = try a.double("open"), h = try a.double("high"), l = try a.double("low"), c = try a.double("close")
        let v = try a.double("volume"), q = try a.double("quote_volume"), n = try a.int64("trades")
        var out: [KlineRecord] = []
        for i in time.indices {
            out.append(KlineRecord(time: Timestamp(nanoseconds: time[i]), coin: coin[i], venue: try a.enumValue(venue[i], "venue", row: i),
                                   intervalSeconds: interval[i], open: o[i], high: h[i], low: l[i], close: c[i], volume: v[i], quoteVolume: q[i], trades: n[i]))
        }
        return out
    }
}
