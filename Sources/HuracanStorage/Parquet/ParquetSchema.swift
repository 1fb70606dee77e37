/// Column types of the flat schemas we store. Timestamps are integer nanoseconds since the
/// epoch, UTC (files in milliseconds or microseconds are converted on read).
public enum ParquetColumnType: String, Sendable, Hashable, CaseIterable {
    case int64, int32, double, float, string, bool, timestamp, bytes
}

/// One column of a flat schema.
public struct ParquetField: Sendable, Hashable {
    public var name: String
    public var type: ParquetColumnType
    /// Nullable columns carry definition levels; required ones do not.
    public var isNullable: Bool

    public init(_ name: String, _ type: ParquetColumnType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.isNullable = nullable
    }
}

/// An ordered list of fields: the schema of one dataset.
public struct ParquetSchema: Sendable, Hashable {
    public var fields: [ParquetField]

    public init(_ fields: [ParquetField]) { self.fields = fields }

    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// The values of one column, in row order.
public enum ParquetColumnValues: Sendable, Hashable {
    /// int64 and timestamp columns.
    case int64([Int64])
    case int32([Int32])
    case double([Double])
    case float([Float])
    case string([String])
    case bool([Bool])
    case bytes([[UInt8]])

    public var count: Int {
        switch self {
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .double(let v): v.count
        case .float(let v): v.count
        case .string(let v): v.count
        case .bool(let v): v.count
        case .bytes(let v): v.count
        }
    }

    /// Empty values of the Swift kind used for `type`.
    public static func empty(_ type: ParquetColumnType) -> ParquetColumnValues {
        switch type {
        case .int64, .timestamp: .int64([])
        case .int32: .int32([])
        case .double: .double([])
        case .float: .float([])
        case .string: .string([])
        case .bool: .bool([])
        case .bytes: .bytes([])
        }
    }

    func matches(_ type: ParquetColumnType) -> Bool {
        switch (self, type) {
        case (.int64, .int64), (.int64, .timestamp), (.int32, .int32), (.double, .double), (.float, .float),
             (.string, .string), (.bool, .bool), (.bytes, .bytes): true
        default: false
        }
    }

    /// Rows `range` of these values.
    public func slice(_ range: Range<Int>) -> ParquetColumnValues {
        switch self {
        case .int64(let v): .int64(Array(v[range]))
        case .int32(let v): .int32(Array(v[range]))
        case .double(let v): .double(Array(v[range]))
        case .float(let v): .float(Array(v[range]))
        case .string(let v): .string(Array(v[range]))
        case .bool(let v): .bool(Array(v[range]))
        case .bytes(let v): .bytes(Array(v[range]))
        }
    }

    mutating func append(contentsOf other: ParquetColumnValues) {
        switch (self, other) {
        case (.int64(var a), .int64(let b)): self = .int64([]); a.append(contentsOf: b); self = .int64(a)
        case (.int32(var a), .int32(let b)): self = .int32([]); a.append(contentsOf: b); self = .int32(a)
        case (.double(var a), .double(let b)): self = .double([]); a.append(contentsOf: b); self = .double(a)
        case (.float(var a), .float(let b)): self = .float([]); a.append(contentsOf: b); self = .float(a)
        case (.string(var a), .string(let b)): self = .string([]); a.append(contentsOf: b); self = .string(a)
        case (.bool(var a), .bool(let b)): self = .bool([]); a.append(contentsOf: b); self = .bool(a)
        case (.bytes(var a), .bytes(let b)): self = .bytes([]); a.append(contentsOf: b); self = .bytes(a)
        default: preconditionFailure("appending columns of different kinds")
        }
    }
}

/// One column's values plus which rows are present; `validity == nil` means all are (the
/// reader always gives nullable columns a validity list). Absent rows hold a placeholder
/// (0, "" or false) in `values`.
public struct ParquetColumn: Sendable, Hashable {
    public var values: ParquetColumnValues
    public var validity: [Bool]?

    public init(_ values: ParquetColumnValues, validity: [Bool]? = nil) {
        self.values = values
        self.validity = validity
    }

    public var count: Int { values.count }

    public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    public var int64s: [Int64] { if case .int64(let v) = values { v } else { [] } }
    public var int32s: [Int32] { if case .int32(let v) = values { v } else { [] } }
    public var doubles: [Double] { if case .double(let v) = values { v } else { [] } }
    public var strings: [String] { if case .string(let v) = values { v } else { [] } }
    public var bools: [Bool] { if case .bool(let v) = values { v } else { [] } }
}

/// Rows in columns: what a writer takes and a reader returns.
public struct ParquetTable: Sendable, Hashable {
    public var schema: ParquetSchema
    public var columns: [ParquetColumn]

    public init(schema: ParquetSchema, columns: [ParquetColumn]) {
        self.schema = schema
        self.columns = columns
    }

    /// An empty table of `schema` (nullable columns with an empty validity list, as the reader gives them).
    public init(schema: ParquetSchema) {
        self.schema = schema
        self.columns = schema.fields.map { ParquetColumn(.empty($0.type), validity: $0.isNullable ? [] : nil) }
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    public subscript(name: String) -> ParquetColumn? { schema.index(of: name).map { columns[$0] } }

    /// Appends the rows of `other`, which must have the same schema.
    public mutating func append(_ other: ParquetTable) {
        precondition(other.schema == schema, "appending a table of another schema")
        let before = rowCount
        for i in columns.indices {
            let theirs = other.columns[i]
            if columns[i].validity != nil || theirs.validity != nil {
                var validity = columns[i].validity ?? Array(repeating: true, count: before)
                validity.append(contentsOf: theirs.validity ?? Array(repeating: true, count: theirs.count))
                columns[i].validity = validity
            }
            columns[i].values.append(contentsOf: theirs.values)
        }
    }
}
