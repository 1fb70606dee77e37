/// The parts of the Parquet footer (`FileMetaData`) and page headers this codec reads and writes,
/// with the field ids of parquet.thrift. Unknown fields are ignored on read.
enum ParquetPhysicalType: Int32, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

/// Compression codecs of parquet.thrift.
public enum ParquetCodec: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7

    public var description: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Parses "snappy", "zstd", "gzip", "none"/"uncompressed", "brotli".
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .uncompressed
        case "snappy": self = .snappy
        case "gzip": self = .gzip
        case "zstd": self = .zstd
        case "brotli": self = .brotli
        default: return nil
        }
    }
}

enum ParquetEncoding {
    static let plain: Int32 = 0
    static let plainDictionary: Int32 = 2
    static let rle: Int32 = 3
    static let bitPacked: Int32 = 4
    static let rleDictionary: Int32 = 8

    static func name(_ value: Int32) -> String {
        switch value {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "encoding \(value)"
        }
    }
}

enum PageType {
    static let dataPage: Int32 = 0
    static let indexPage: Int32 = 1
    static let dictionaryPage: Int32 = 2
    static let dataPageV2: Int32 = 3
}

/// One element of the flattened schema tree (the root group first, then the leaf columns).
struct SchemaElement: Sendable {
    var type: Int32?
    var typeLength: Int32?
    /// 0 required, 1 optional, 2 repeated.
    var repetition: Int32?
    var name: String
    var numChildren: Int32?
    var convertedType: Int32?
    var logicalType: ThriftStruct?

    init(thrift s: ThriftStruct) {
        type = s.int(1).map { Int32(truncatingIfNeeded: $0) }
        typeLength = s.int(2).map { Int32(truncatingIfNeeded: $0) }
        repetition = s.int(3).map { Int32(truncatingIfNeeded: $0) }
        name = s.string(4) ?? ""
        numChildren = s.int(5).map { Int32(truncatingIfNeeded: $0) }
        convertedType = s.int(6).map { Int32(truncatingIfNeeded: $0) }
        logicalType = s.structure(10)
    }

    init(name: String, type: Int32?, repetition: Int32?, numChildren: Int32? = nil, convertedType: Int32? = nil, logicalType: ThriftStruct? = nil) {
        self.name = name
        self.type = type
        self.repetition = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.logicalType = logicalType
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        if let type { s[1] = .i32(type) }
        if let typeLength { s[2] = .i32(typeLength) }
        if let repetition { s[3] = .i32(repetition) }
        s[4] = .string(name)
        if let numChildren { s[5] = .i32(numChildren) }
        if let convertedType { s[6] = .i32(convertedType) }
        if let logicalType { s[10] = .structure(logicalType) }
        return s
    }
}

/// Min/max statistics of a column chunk or page, as PLAIN-encoded bytes.
struct ParquetStatistics: Sendable {
    var min: [UInt8]?
    var max: [UInt8]?
    var nullCount: Int64?

    init(min: [UInt8]?, max: [UInt8]?, nullCount: Int64?) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
    }

    init(thrift s: ThriftStruct) {
        // min_value/max_value (5, 6) follow the column order; the older min/max (2, 1) are
        // signed-compare only and used when the new ones are absent.
        min = s.binary(6) ?? s.binary(2)
        max = s.binary(5) ?? s.binary(1)
        nullCount = s.int(3)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        if let nullCount { s[3] = .i64(nullCount) }
        if let max { s[5] = .binary(max) }
        if let min { s[6] = .binary(min) }
        return s
    }
}

struct ColumnMetaData: Sendable {
    var type: Int32
    var encodings: [Int32]
    var path: [String]
    var codec: Int32
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: ParquetStatistics?

    init(type: Int32, encodings: [Int32], path: [String], codec: Int32, numValues: Int64, totalUncompressedSize: Int64,
         totalCompressedSize: Int64, dataPageOffset: Int64, dictionaryPageOffset: Int64?, statistics: ParquetStatistics?) {
        self.type = type
        self.encodings = encodings
        self.path = path
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.dataPageOffset = dataPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
    }

    init(thrift s: ThriftStruct) throws(MetadataError) {
        guard let type = s.int(1), let codec = s.int(4), let numValues = s.int(5), let compressed = s.int(7),
              let dataPageOffset = s.int(9) else { throw MetadataError("column metadata lacks a required field (type, codec, num_values, size or data_page_offset)") }
        self.type = Int32(truncatingIfNeeded: type)
        encodings = (s.list(2) ?? []).compactMap { $0.integerValue.map { Int32(truncatingIfNeeded: $0) } }
        path = (s.list(3) ?? []).compactMap { $0.binaryValue.map { String(decoding: $0, as: UTF8.self) } }
        self.codec = Int32(truncatingIfNeeded: codec)
        self.numValues = numValues
        totalUncompressedSize = s.int(6) ?? compressed
        totalCompressedSize = compressed
        self.dataPageOffset = dataPageOffset
        dictionaryPageOffset = s.int(11)
        statistics = s.structure(12).map(ParquetStatistics.init(thrift:))
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s[1] = .i32(type)
        s[2] = .list(elementType: ThriftType.i32, encodings.map { .i32($0) })
        s[3] = .list(elementType: ThriftType.binary, path.map { .string($0) })
        s[4] = .i32(codec)
        s[5] = .i64(numValues)
        s[6] = .i64(totalUncompressedSize)
        s[7] = .i64(totalCompressedSize)
        s[9] = .i64(dataPageOffset)
        if let dictionaryPageOffset { s[11] = .i64(dictionaryPageOffset) }
        if let statistics { s[12] = .structure(statistics.thrift) }
        return s
    }
}

struct RowGroupMetaData: Sendable {
    var columns: [ColumnMetaData]
    var totalByteSize: Int64
    var numRows: Int64

    init(columns: [ColumnMetaData], totalByteSize: Int64, numRows: Int64) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
    }

    init(thrift s: ThriftStruct) throws(MetadataError) {
        guard let chunks = s.list(1), let numRows = s.int(3) else { throw MetadataError("row group lacks its columns or num_rows") }
        var columns: [ColumnMetaData] = []
        for chunk in chunks {
            guard let meta = chunk.structValue?.structure(3) else {
                throw MetadataError("column chunk without inline metadata (external column files are not supported)")
            }
            columns.append(try ColumnMetaData(thrift: meta))
        }
        self.columns = columns
        totalByteSize = s.int(2) ?? 0
        self.numRows = numRows
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s[1] = .list(elementType: ThriftType.structure, columns.map { column in
            var chunk = ThriftStruct()
            // file_offset is deprecated; writers set it to the chunk's first page.
            chunk[2] = .i64(column.dictionaryPageOffset ?? column.dataPageOffset)
            chunk[3] = .structure(column.thrift)
            return .structure(chunk)
        })
        s[2] = .i64(totalByteSize)
        s[3] = .i64(numRows)
        if let first = columns.first {
            s[5] = .i64(first.dictionaryPageOffset ?? first.dataPageOffset)
            s[6] = .i64(columns.reduce(0) { $0 + $1.totalCompressedSize })
        }
        return s
    }
}

struct FileMetaData: Sendable {
    var version: Int32
    var schema: [SchemaElement]
    var numRows: Int64
    var rowGroups: [RowGroupMetaData]
    var keyValues: [(String, String)]
    var createdBy: String?

    init(version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroupMetaData], keyValues: [(String, String)], createdBy: String?) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValues = keyValues
        self.createdBy = createdBy
    }

    init(thrift s: ThriftStruct) throws(MetadataError) {
        guard let version = s.int(1), let schema = s.list(2), let numRows = s.int(3), let groups = s.list(4) else {
            throw MetadataError("file metadata lacks version, schema, num_rows or row_groups")
        }
        self.version = Int32(truncatingIfNeeded: version)
        self.schema = schema.compactMap { $0.structValue.map(SchemaElement.init(thrift:)) }
        self.numRows = numRows
        var rowGroups: [RowGroupMetaData] = []
        for group in groups {
            guard let g = group.structValue else { throw MetadataError("row group is not a struct") }
            rowGroups.append(try RowGroupMetaData(thrift: g))
        }
        self.rowGroups = rowGroups
        keyValues = (s.list(5) ?? []).compactMap { value in
            guard let kv = value.structValue, let key = kv.string(1) else { return nil }
            return (key, kv.string(2) ?? "")
        }
        createdBy = s.string(6)
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s[1] = .i32(version)
        s[2] = .list(elementType: ThriftType.structure, schema.map { .structure($0.thrift) })
        s[3] = .i64(numRows)
        s[4] = .list(elementType: ThriftType.structure, rowGroups.map { .structure($0.thrift) })
        if !keyValues.isEmpty {
            s[5] = .list(elementType: ThriftType.structure, keyValues.map { key, value in
                var kv = ThriftStruct()
                kv[1] = .string(key)
                kv[2] = .string(value)
                return .structure(kv)
            })
        }
        if let createdBy { s[6] = .string(createdBy) }
        // One TypeDefinedOrder per leaf column, so readers trust min_value/max_value.
        var typeDefined = ThriftStruct()
        typeDefined[1] = .emptyStruct
        let leaves = max(0, schema.count - 1)
        s[7] = .list(elementType: ThriftType.structure, Array(repeating: .structure(typeDefined), count: leaves))
        return s
    }
}

struct PageHeader: Sendable {
    var type: Int32
    var uncompressedSize: Int32
    var compressedSize: Int32
    var numValues: Int32
    var encoding: Int32
    /// Dictionary pages only.
    var isDictionary: Bool { type == PageType.dictionaryPage }
    /// V2 data pages only: level byte lengths (stored uncompressed before the values).
    var definitionLevelsLength: Int32 = 0
    var repetitionLevelsLength: Int32 = 0
    var numNulls: Int32 = 0
    var isCompressed = true
    var definitionLevelEncoding: Int32 = ParquetEncoding.rle
    var statistics: ParquetStatistics?
    /// CRC-32 of the page's bytes after the header, when the writer stored one.
    var crc: UInt32?

    init(type: Int32, uncompressedSize: Int32, compressedSize: Int32, numValues: Int32, encoding: Int32) {
        self.type = type
        self.uncompressedSize = uncompressedSize
        self.compressedSize = compressedSize
        self.numValues = numValues
        self.encoding = encoding
    }

    init(thrift s: ThriftStruct) throws(MetadataError) {
        guard let type = s.int(1), let uncompressed = s.int(2), let compressed = s.int(3) else {
            throw MetadataError("page header lacks type or sizes")
        }
        guard let u = Int32(exactly: uncompressed), let c = Int32(exactly: compressed), u >= 0, c >= 0 else {
            throw MetadataError("page sizes out of range (\(uncompressed), \(compressed))")
        }
        self.type = Int32(truncatingIfNeeded: type)
        uncompressedSize = u
        compressedSize = c
        crc = s.int(4).map { UInt32(truncatingIfNeeded: $0) }
        switch self.type {
        case PageType.dataPage:
            guard let h = s.structure(5), let n = h.int(1), let e = h.int(2) else { throw MetadataError("data page header missing") }
            numValues = Int32(truncatingIfNeeded: n)
            encoding = Int32(truncatingIfNeeded: e)
            definitionLevelEncoding = Int32(truncatingIfNeeded: h.int(3) ?? Int64(ParquetEncoding.rle))
        case PageType.dictionaryPage:
            guard let h = s.structure(7), let n = h.int(1), let e = h.int(2) else { throw MetadataError("dictionary page header missing") }
            numValues = Int32(truncatingIfNeeded: n)
            encoding = Int32(truncatingIfNeeded: e)
        case PageType.dataPageV2:
            guard let h = s.structure(8), let n = h.int(1), let nulls = h.int(2), let e = h.int(4),
                  let d = h.int(5), let r = h.int(6) else { throw MetadataError("data page v2 header missing") }
            numValues = Int32(truncatingIfNeeded: n)
            numNulls = Int32(truncatingIfNeeded: nulls)
            encoding = Int32(truncatingIfNeeded: e)
            definitionLevelsLength = Int32(truncatingIfNeeded: d)
            repetitionLevelsLength = Int32(truncatingIfNeeded: r)
            isCompressed = h.bool(7) ?? true
        default:
            numValues = 0
            encoding = 0
        }
    }

    var thrift: ThriftStruct {
        var s = ThriftStruct()
        s[1] = .i32(type)
        s[2] = .i32(uncompressedSize)
        s[3] = .i32(compressedSize)
        if type == PageType.dictionaryPage {
            var h = ThriftStruct()
            h[1] = .i32(numValues)
            h[2] = .i32(encoding)
            s[7] = .structure(h)
        } else {
            var h = ThriftStruct()
            h[1] = .i32(numValues)
            h[2] = .i32(encoding)
            h[3] = .i32(ParquetEncoding.rle)
            h[4] = .i32(ParquetEncoding.rle)
            if let statistics { h[5] = .structure(statistics.thrift) }
            s[5] = .structure(h)
        }
        return s
    }
}

/// A metadata problem, turned into a `ParquetError` naming the file by the caller.
struct MetadataError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
