import HuracanCore

/// The kinds of records the data lake stores, one dataset (folder) each.
public enum DataKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case book, trades, funding, klines, features, signals, orders, fills

    public var description: String { rawValue }

    public var schema: ParquetSchema {
        switch self {
        case .book: BookRecord.schema
        case .trades: TradeRecord.schema
        case .funding: FundingRecord.schema
        case .klines: KlineRecord.schema
        case .features: FeaturesRecord.schema
        case .signals: ModelSignalRecord.schema
        case .orders: OrderRecord.schema
        case .fills: FillRecord.schema
        }
    }
}

/// A record stored in day partitions of one coin: maps to and from a Parquet table.
public protocol StoredRecord: Sendable, Hashable {
    static var kind: DataKind { get }
    static var schema: ParquetSchema { get }
    /// Schema version written in the file's footer (`huracan.schema_version`).
    static var schemaVersion: Int { get }
    var time: Timestamp { get }
    var coin: String { get }
    static func makeTable(_ records: [Self]) -> ParquetTable
    /// Decodes rows; `file` names the source in errors.
    static func records(from table: ParquetTable, file: String) throws(ParquetError) -> [Self]
}

extension StoredRecord {
    public static var schemaVersion: Int { 1 }
}

/// Typed column access with errors that name the file and the column.
struct ColumnAccess {
    let table: ParquetTable
    let file: String

    func column(_ name: String) throws(ParquetError) -> ParquetColumn {
        guard let column = table[name] else {
            throw ParquetError(.schemaMismatch, file: file, "missing column \(name) (has \(table.schema.fields.map(\.name).joined(separator: ", ")))")
        }
        return column
    }

    func int64(_ name: String) throws(ParquetError) -> [Int64] {
        let c = try column(name)
        guard case .int64(let v) = c.values else { throw ParquetError(.schemaMismatch, file: file, "column \(name) is not int64/timestamp") }
        return v
    }

    func optionalInt64(_ name: String) throws(ParquetError) -> [Int64?] {
        let c = try column(name)
        guard case .int64(let v) = c.values else { throw ParquetError(.schemaMismatch, file: file, "column \(name) is not int64") }
        return v.indices.map { c.isNull($0) ? nil : v[$0] }
    }

    func int32(_ name: String) throws(ParquetError) -> [Int32] {
        let c = try column(name)
        guard case .int32(let v) = c.values else { throw ParquetError(.schemaMismatch, file: file, "column \(name) is not int32") }
        return v
    }

    func double(_ name: String) throws(ParquetError) -> [Double] {
        let c = try column(name)
        switch c.values {
        case .double(let v): return v
        case .float(let v): return v.map(Double.init)
        default: throw ParquetError(.schemaMismatch, file: file, "column \(name) is not double")
        }
    }

    func string(_ name: String) throws(ParquetError) -> [String] {
        let c = try column(name)
        guard case .string(let v) = c.values else { throw ParquetError(.schemaMismatch, file: file, "column \(name) is not a string") }
        return v
    }

    func optionalString(_ name: String) throws(ParquetError) -> [String?] {
        let c = try column(name)
        guard case .string(let v) = c.values else { throw ParquetError(.schemaMismatch, file: file, "column \(name) is not a string") }
        return v.indices.map { c.isNull($0) ? nil : v[$0] }
    }

    func bool(_ name: String) throws(ParquetError) -> [Bool] {
        let c = try column(name)
        guard case .bool(let v) = c.values else { throw ParquetError(.schemaMismatch, file: file, "column \(name) is not bool") }
        return v
    }

    func enumValue<E: RawRepresentable>(_ text: String, _ name: String, row: Int) throws(ParquetError) -> E where E.RawValue == String {
        guard let value = E(rawValue: text) else { throw ParquetError(.schemaMismatch, file: file, "row \(row): column \(name) has unknown value \"\(text)\"") }
        return value
    }

    func decimal(_ text: String, _ name: String, row: Int) throws(ParquetError) -> FixedDecimal {
        do { return try FixedDecimal(parsing: text) } catch {
            throw ParquetError(.schemaMismatch, file: file, "row \(row): column \(name): \(error)")
        }
    }
}

/// Builds a table column by column.
struct TableBuilder {
    var fields: [ParquetField] = []
    var columns: [ParquetColumn] = []

    mutating func add(_ field: ParquetField, _ values: ParquetColumnValues, validity: [Bool]? = nil) {
        fields.append(field)
        columns.append(ParquetColumn(values, validity: field.isNullable ? (validity ?? Array(repeating: true, count: values.count)) : nil))
    }

    func table(_ schema: ParquetSchema) -> ParquetTable {
        precondition(ParquetSchema(fields) == schema, "table built out of schema order")
        return ParquetTable(schema: schema, columns: columns)
    }
}
