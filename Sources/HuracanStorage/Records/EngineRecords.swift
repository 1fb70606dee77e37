import HuracanBus
import HuracanCore

/// The features of one coin at one moment (`features` dataset): one double column per
/// `Features.names`, plus the schema version models check.
public struct FeaturesRecord: StoredRecord {
    public var time: Timestamp
    public var coin: String
    public var features: Features

    public init(time: Timestamp, coin: String, features: Features) {
        self.time = time
        self.coin = coin
        self.features = features
    }

    public init(_ message: FeaturesMessage) { self.init(time: message.time, coin: message.coin, features: message.features) }

    public static let kind = DataKind.features
    public static var schemaVersion: Int { Features.schemaVersion }
    public static let schema = ParquetSchema(
        [ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("schema_version", .int32)]
            + Features.names.map { ParquetField($0, .double) })

    public static func makeTable(_ records: [FeaturesRecord]) -> ParquetTable {
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(records.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(records.map(\.coin)))
        b.add(schema.fields[2], .int32(Array(repeating: Int32(Features.schemaVersion), count: records.count)))
        for (k, _) in Features.names.enumerated() {
            b.add(schema.fields[3 + k], .double(records.map { $0.features[k] }))
        }
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [FeaturesRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), version = try a.int32("schema_version")
        var columns: [[Double]] = []
        for name in Features.names { columns.append(try a.double(name)) }
        var out: [FeaturesRecord] = []
        for i in time.indices {
            guard version[i] == Int32(Features.schemaVersion) else {
                throw ParquetError(.schemaMismatch, file: file, "row \(i): features schema version \(version[i]), this engine reads version \(Features.schemaVersion)")
            }
            var f = Features()
            for k in columns.indices { f[k] = columns[k][i] }
            out.append(FeaturesRecord(time: Timestamp(nanoseconds: time[i]), coin: coin[i], features: f))
        }
        return out
    }
}

/// A model signal (`signals` dataset).
public struct ModelSignalRecord: StoredRecord {
    public var message: SignalMessage
    public var time: Timestamp { message.time }
    public var coin: String { message.coin }

    public init(_ message: SignalMessage) { self.message = message }

    public static let kind = DataKind.signals
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("style", .string), ParquetField("side", .string),
        ParquetField("edge_bps", .double), ParquetField("confidence", .double), ParquetField("edge_after_cost_bps", .double),
    ])

    public static func makeTable(_ records: [ModelSignalRecord]) -> ParquetTable {
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(records.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(records.map(\.coin)))
        b.add(schema.fields[2], .string(records.map(\.message.style.rawValue)))
        b.add(schema.fields[3], .string(records.map(\.message.side.rawValue)))
        b.add(schema.fields[4], .double(records.map(\.message.edgeBps)))
        b.add(schema.fields[5], .double(records.map(\.message.confidence)))
        b.add(schema.fields[6], .double(records.map(\.message.edgeAfterCostBps)))
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [ModelSignalRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), style = try a.string("style"), side = try a.string("side")
        let edge = try a.double("edge_bps"), confidence = try a.double("confidence"), after = try a.double("edge_after_cost_bps")
        var out: [ModelSignalRecord] = []
        for i in time.indices {
            out.append(ModelSignalRecord(SignalMessage(coin: coin[i], style: try a.enumValue(style[i], "style", row: i), side: try a.enumValue(side[i], "side", row: i),
                                                  edgeBps: edge[i], confidence: confidence[i], edgeAfterCostBps: after[i], time: Timestamp(nanoseconds: time[i]))))
        }
        return out
    }
}

/// An order the engine sent, with its reason (`orders` dataset). Prices and quantities are
/// exact decimal strings (cast to DECIMAL(38,18) in SQL).
public struct OrderRecord: StoredRecord {
    public var message: OrderMessage
    public var time: Timestamp { message.time }
    public var coin: String { message.request.coin }

    public init(_ message: OrderMessage) { self.message = message }

    public static let kind = DataKind.orders
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("venue", .string),
        ParquetField("client_order_id", .string), ParquetField("side", .string), ParquetField("type", .string),
        ParquetField("time_in_force", .string), ParquetField("quantity", .string), ParquetField("price", .string, nullable: true),
        ParquetField("reduce_only", .bool), ParquetField("trade_id", .int64, nullable: true), ParquetField("style", .string, nullable: true),
        ParquetField("reason", .string),
    ])

    public static func makeTable(_ records: [OrderRecord]) -> ParquetTable {
        let m = records.map(\.message)
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(m.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(m.map(\.request.coin)))
        b.add(schema.fields[2], .string(m.map(\.request.venue.rawValue)))
        b.add(schema.fields[3], .string(m.map(\.request.clientOrderID)))
        b.add(schema.fields[4], .string(m.map(\.request.side.rawValue)))
        b.add(schema.fields[5], .string(m.map(\.request.type.rawValue)))
        b.add(schema.fields[6], .string(m.map(\.request.timeInForce.rawValue)))
        b.add(schema.fields[7], .string(m.map(\.request.quantity.description)))
        b.add(schema.fields[8], .string(m.map { $0.request.price?.description ?? "" }), validity: m.map { $0.request.price != nil })
        b.add(schema.fields[9], .bool(m.map(\.request.reduceOnly)))
        b.add(schema.fields[10], .int64(m.map { Int64(bitPattern: $0.tradeID ?? 0) }), validity: m.map { $0.tradeID != nil })
        b.add(schema.fields[11], .string(m.map { $0.style?.rawValue ?? "" }), validity: m.map { $0.style != nil })
        b.add(schema.fields[12], .string(m.map(\.reason)))
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [OrderRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), venue = try a.string("venue"), id = try a.string("client_order_id")
        let side = try a.string("side"), type = try a.string("type"), tif = try a.string("time_in_force"), quantity = try a.string("quantity")
        let price = try a.optionalString("price"), reduce = try a.bool("reduce_only"), trade = try a.optionalInt64("trade_id")
        let style = try a.optionalString("style"), reason = try a.string("reason")
        var out: [OrderRecord] = []
        for i in time.indices {
            let p: FixedDecimal? = try price[i].map { (text) throws(ParquetError) -> FixedDecimal in try a.decimal(text, "price", row: i) }
            let s: TradeStyle? = try style[i].map { (text) throws(ParquetError) -> TradeStyle in try a.enumValue(text, "style", row: i) }
            let request = OrderRequest(
                clientOrderID: id[i], coin: coin[i], venue: try a.enumValue(venue[i], "venue", row: i), side: try a.enumValue(side[i], "side", row: i),
                type: try a.enumValue(type[i], "type", row: i), timeInForce: try a.enumValue(tif[i], "time_in_force", row: i),
                quantity: try a.decimal(quantity[i], "quantity", row: i), price: p, reduceOnly: reduce[i])
            out.append(OrderRecord(OrderMessage(request, tradeID: trade[i].map { UInt64(bitPattern: $0) }, style: s, reason: reason[i],
                                                time: Timestamp(nanoseconds: time[i]))))
        }
        return out
    }
}

/// An execution of an order (`fills` dataset); exact decimals as strings.
public struct FillRecord: StoredRecord {
    public var fill: Fill
    public var time: Timestamp { fill.time }
    public var coin: String { fill.coin }

    public init(_ fill: Fill) { self.fill = fill }

    public static let kind = DataKind.fills
    public static let schema = ParquetSchema([
        ParquetField("time", .timestamp), ParquetField("coin", .string), ParquetField("venue", .string),
        ParquetField("client_order_id", .string), ParquetField("trade_id", .string), ParquetField("side", .string),
        ParquetField("price", .string), ParquetField("quantity", .string), ParquetField("fee", .string), ParquetField("liquidity", .string),
    ])

    public static func makeTable(_ records: [FillRecord]) -> ParquetTable {
        let f = records.map(\.fill)
        var b = TableBuilder()
        b.add(schema.fields[0], .int64(f.map(\.time.nanoseconds)))
        b.add(schema.fields[1], .string(f.map(\.coin)))
        b.add(schema.fields[2], .string(f.map(\.venue.rawValue)))
        b.add(schema.fields[3], .string(f.map(\.clientOrderID)))
        b.add(schema.fields[4], .string(f.map(\.tradeID)))
        b.add(schema.fields[5], .string(f.map(\.side.rawValue)))
        b.add(schema.fields[6], .string(f.map(\.price.description)))
        b.add(schema.fields[7], .string(f.map(\.quantity.description)))
        b.add(schema.fields[8], .string(f.map(\.fee.description)))
        b.add(schema.fields[9], .string(f.map(\.liquidity.rawValue)))
        return b.table(schema)
    }

    public static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [FillRecord] {
        let a = ColumnAccess(table: table, file: file)
        let time = try a.int64("time"), coin = try a.string("coin"), venue = try a.string("venue"), order = try a.string("client_order_id")
        let trade = try a.string("trade_id"), side = try a.string("side"), price = try a.string("price"), quantity = try a.string("quantity")
        let fee = try a.string("fee"), liquidity = try a.string("liquidity")
        var out: [FillRecord] = []
        for i in time.indices {
            out.append(FillRecord(Fill(
                clientOrderID: order[i], tradeID: trade[i], coin: coin[i], venue: try a.enumValue(venue[i], "venue", row: i),
                side: try a.enumValue(side[i], "side", row: i), price: try a.decimal(price[i], "price", row: i),
                quantity: try a.decimal(quantity[i], "quantity", row: i), fee: try a.decimal(fee[i], "fee", row: i),
                liquidity: try a.enumValue(liquidity[i], "liquidity", row: i), time: Timestamp(nanoseconds: time[i]))))
        }
        return out
    }
}
