import HuracanCore

/// Decodes one row group of a book, trades or funding partition straight into the engine's
/// market events: only the columns an event needs are read (not the coin name), and venue and
/// side names are parsed once per distinct value, not once per row.
enum MarketEventDecoder {
    /// Appends the row group's events in `[from, to)` (nanoseconds) to `out`; none when its time
    /// statistics put it entirely outside.
    static func decode(_ kind: DataKind, in file: ParquetFile, rowGroup group: Int, coin: CoinIndex, from: Int64, to: Int64,
                       into out: inout [MarketEvent]) throws {
        if let stats = file.rowGroups[group].statistics.first ?? nil, case .int(let lo)? = stats.min, case .int(let hi)? = stats.max,
           hi < from || lo >= to {
            return
        }
        switch kind {
        case .book:
            let table = try file.read(rowGroup: group, columns: ["time", "venue", "bid_price", "bid_size", "ask_price", "ask_size"])
            let a = ColumnAccess(table: table, file: file.path)
            let time = try a.int64("time"), venue = try a.string("venue")
            let bp = try a.double("bid_price"), bs = try a.double("bid_size"), ap = try a.double("ask_price"), az = try a.double("ask_size")
            var venues = NameCache<VenueID>(access: a, column: "venue")
            out.reserveCapacity(out.count + time.count)
            for i in time.indices where time[i] >= from && time[i] < to {
                out.append(.book(coin, try venues.value(venue[i], row: i), Timestamp(nanoseconds: time[i]),
                                 BookTop(bidPrice: bp[i], bidSize: bs[i], askPrice: ap[i], askSize: az[i])))
            }
        case .trades:
            let table = try file.read(rowGroup: group, columns: ["time", "venue", "price", "size", "side"])
            let a = ColumnAccess(table: table, file: file.path)
            let time = try a.int64("time"), venue = try a.string("venue"), price = try a.double("price"), size = try a.double("size")
            let side = try a.string("side")
            var venues = NameCache<VenueID>(access: a, column: "venue"), sides = NameCache<Side>(access: a, column: "side")
            out.reserveCapacity(out.count + time.count)
            for i in time.indices where time[i] >= from && time[i] < to {
                out.append(.trade(coin, try venues.value(venue[i], row: i), Timestamp(nanoseconds: time[i]), price: price[i], size: size[i],
                                  aggressor: try sides.value(side[i], row: i)))
            }
        case .funding:
            let table = try file.read(rowGroup: group)
            for record in try FundingRecord.records(from: table, file: file.path) where record.time.nanoseconds >= from && record.time.nanoseconds < to {
                out.append(record.event(coinIndex: coin))
            }
        default:
            break
        }
    }

    /// Parses a column's names (venues, sides) into their values, remembering the last one:
    /// a partition's rows repeat a handful of names.
    private struct NameCache<Value: RawRepresentable> where Value.RawValue == String {
        let access: ColumnAccess
        let column: String
        var last: (name: String, value: Value)?

        init(access: ColumnAccess, column: String) {
            self.access = access
            self.column = column
        }

        mutating func value(_ name: String, row: Int) throws(ParquetError) -> Value {
            if let last, last.name == name { return last.value }
            let value: Value = try access.enumValue(name, column, row: row)
            last = (name, value)
            return value
        }
    }
}
