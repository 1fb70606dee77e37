#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func posixClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always) func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }

/// How a `ParquetWriter` lays out a file.
public struct ParquetWriterOptions: Sendable {
    public var codec: ParquetCodec = .snappy
    /// Compression level for ZSTD.
    public var compressionLevel: Int32 = 1
    /// Rows per row group at most; each `write` call starts a new row group.
    public var rowGroupRows = 1 << 20
    /// Uncompressed bytes per data page, about.
    public var pageBytes = 1 << 20
    /// Dictionary-encode string columns with few distinct values (coin names, venues, reasons).
    public var dictionaryForStrings = true
    /// Min/max and null count per column chunk, for pruning.
    public var statistics = true
    /// Key/value pairs stored in the footer (schema name and version).
    public var metadata: [String: String] = [:]

    public init() {}

    public init(codec: ParquetCodec) { self.codec = codec }

    /// Rows per row group in the data lake's files.
    public static let lakeRowGroupRows = 2_048

    /// The data lake's layout: row groups of `lakeRowGroupRows` rows, so a replay, which holds
    /// one decoded row group per coin and kind, keeps at most 2,048 events (144 KiB) per
    /// stream: about 120 MB for 400 coins' books and trades when every stream is dense,
    /// whatever the date range; row-group statistics prune finely by time.
    public static func lake(codec: ParquetCodec = .snappy) -> ParquetWriterOptions {
        var options = ParquetWriterOptions(codec: codec)
        options.rowGroupRows = lakeRowGroupRows
        return options
    }
}

/// Writes a flat-schema Parquet file: PLAIN (or dictionary for strings) data pages v1, the
/// chosen codec, min/max statistics and a Thrift compact footer. Not thread-safe; one writer
/// per file.
public final class ParquetWriter {
    public let path: String
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions

    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var offset: Int64 = 0
    private var rowGroups: [RowGroupMetaData] = []
    private var rows: Int64 = 0
    private var closed = false

    public init(path: String, schema: ParquetSchema, options: ParquetWriterOptions = ParquetWriterOptions()) throws(ParquetError) {
        self.path = path
        self.schema = schema
        self.options = options
        guard !schema.fields.isEmpty else { throw ParquetError(.invalidUse, file: path, "a schema needs at least one column") }
        guard ParquetCompression.isAvailable(options.codec) else {
            throw ParquetError(.unsupported, file: path, "codec \(options.codec) is not available for writing here")
        }
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw ParquetError(.io, file: path, "cannot create: \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(1 << 22)
        append(Self.magic)
    }

    deinit {
        if !closed { _ = posixClose(descriptor) }
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    private func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        offset += Int64(bytes.count)
    }

    private func flushBuffer() throws(ParquetError) {
        var start = 0
        while start < buffer.count {
            let n = buffer.withUnsafeBytes { posixWrite(descriptor, $0.baseAddress! + start, $0.count - start) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, file: path, "write failed: \(String(cString: strerror(errno)))")
            }
            start += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes `table` as one or more row groups (split at `rowGroupRows`).
    public func write(_ table: ParquetTable) throws(ParquetError) {
        guard !closed else { throw ParquetError(.invalidUse, file: path, "write after close") }
        guard table.schema == schema else { throw ParquetError(.invalidUse, file: path, "table schema does not match the file's schema") }
        for (field, column) in zip(schema.fields, table.columns) {
            guard column.values.matches(field.type) else {
                throw ParquetError(.invalidUse, file: path, "column \(field.name): values do not match type \(field.type)")
            }
            guard column.count == table.rowCount, column.validity.map({ $0.count == column.count }) ?? true else {
                throw ParquetError(.invalidUse, file: path, "column \(field.name): \(column.count) values for \(table.rowCount) rows")
            }
            if column.validity != nil && !field.isNullable {
                throw ParquetError(.invalidUse, file: path, "column \(field.name) is not nullable but has a validity list")
            }
        }
        let total = table.rowCount
        guard total > 0 else { return }
        var start = 0
        while start < total {
            let end = min(total, start + max(1, options.rowGroupRows))
            try writeRowGroup(table, rows: start..<end)
            start = end
            if buffer.count >= 1 << 22 { try flushBuffer() }
        }
    }

    private func writeRowGroup(_ table: ParquetTable, rows range: Range<Int>) throws(ParquetError) {
        var columns: [ColumnMetaData] = []
        var totalBytes: Int64 = 0
        for (field, column) in zip(schema.fields, table.columns) {
            let meta = try writeColumn(field, column, range)
            totalBytes += meta.totalUncompressedSize
            columns.append(meta)
        }
        rowGroups.append(RowGroupMetaData(columns: columns, totalByteSize: totalBytes, numRows: Int64(range.count)))
        rows += Int64(range.count)
    }

    private func compress(_ bytes: [UInt8]) throws(ParquetError) -> [UInt8] {
        do { return try ParquetCompression.compress(bytes, codec: options.codec, level: options.compressionLevel) } catch {
            throw ParquetError(error.unsupported ? .unsupported : .invalidUse, file: path, error.message)
        }
    }

    /// Writes one page (header then body); returns (header + compressed, header + uncompressed) sizes.
    private func writePage(type: Int32, body: [UInt8], numValues: Int, encoding: Int32) throws(ParquetError) -> (Int64, Int64) {
        let compressed = try compress(body)
        let header = PageHeader(type: type, uncompressedSize: Int32(body.count), compressedSize: Int32(compressed.count),
                                numValues: Int32(numValues), encoding: encoding)
        var writer = ThriftCompactWriter()
        writer.writeStruct(header.thrift)
        append(writer.bytes)
        append(compressed)
        return (Int64(writer.bytes.count + compressed.count), Int64(writer.bytes.count + body.count))
    }

    private func writeColumn(_ field: ParquetField, _ column: ParquetColumn, _ range: Range<Int>) throws(ParquetError) -> ColumnMetaData {
        let validity = field.isNullable ? column.validity : nil
        let chunkStart = offset
        var compressedTotal: Int64 = 0, uncompressedTotal: Int64 = 0
        var encodings: [Int32] = [ParquetEncoding.rle]

        // Dictionary for low-cardinality strings.
        var dictionaryOffset: Int64?
        var indices: [Int32]?
        /// The distinct values of a dictionary-encoded chunk: statistics come from them, not every row.
        var dictionaryValues: [String]?
        if options.dictionaryForStrings, case .string(let strings) = column.values, range.count >= 16 {
            var lookup: [String: Int32] = [:]
            var order: [String] = []
            var ids = [Int32]()
            ids.reserveCapacity(range.count)
            var tooMany = false
            // Runs of the same value (a partition's coin and venue) skip the hash lookup.
            var last: (string: String, id: Int32)?
            for i in range {
                if let validity, !validity[i] {
                    ids.append(0)
                    continue
                }
                let s = strings[i]
                if let last, last.string == s {
                    ids.append(last.id)
                } else if let id = lookup[s] {
                    ids.append(id)
                    last = (s, id)
                } else {
                    if order.count >= 4096 || order.count > range.count / 4 {
                        tooMany = true
                        break
                    }
                    let id = Int32(order.count)
                    lookup[s] = id
                    order.append(s)
                    ids.append(id)
                    last = (s, id)
                }
            }
            if !tooMany && !order.isEmpty {
                dictionaryValues = order
                var body: [UInt8] = []
                PlainEncoding.encode(.string(order), rows: 0..<order.count, validity: nil, into: &body)
                dictionaryOffset = offset
                let (c, u) = try writePage(type: PageType.dictionaryPage, body: body, numValues: order.count, encoding: ParquetEncoding.plain)
                compressedTotal += c
                uncompressedTotal += u
                indices = ids
                encodings = [ParquetEncoding.plain, ParquetEncoding.rle, ParquetEncoding.rleDictionary]
            }
        }
        if indices == nil { encodings.insert(ParquetEncoding.plain, at: 0) }

        let dataOffset = offset
        let valueWidth: Int
        switch field.type {
        case .int64, .timestamp, .double: valueWidth = 8
        case .int32, .float: valueWidth = 4
        case .bool: valueWidth = 1
        case .string, .bytes: valueWidth = 0
        }
        var pageStart = range.lowerBound
        while pageStart < range.upperBound {
            var pageEnd: Int
            if indices != nil {
                pageEnd = min(range.upperBound, pageStart + max(1, options.pageBytes / 2))
            } else if valueWidth > 0 {
                pageEnd = min(range.upperBound, pageStart + max(1, options.pageBytes / valueWidth))
            } else {
                var bytes = 0
                pageEnd = pageStart
                while pageEnd < range.upperBound && bytes < options.pageBytes {
                    switch column.values {
                    case .string(let v): bytes += v[pageEnd].utf8.count + 4
                    case .bytes(let v): bytes += v[pageEnd].count + 4
                    default: bytes += 8
                    }
                    pageEnd += 1
                }
            }
            var body: [UInt8] = []
            if field.isNullable {
                var levels: [UInt8] = []
                let defs: [Int32] = (pageStart..<pageEnd).map { validity?[$0] ?? true ? 1 : 0 }
                RLEHybrid.encode(defs, bitWidth: 1, into: &levels)
                PlainEncoding.appendLength(levels.count, &body)
                body.append(contentsOf: levels)
            }
            if let indices {
                let base = range.lowerBound
                var ids: [Int32] = []
                ids.reserveCapacity(pageEnd - pageStart)
                for i in pageStart..<pageEnd where validity?[i] ?? true { ids.append(indices[i - base]) }
                let width = max(1, RLEHybrid.bitWidth(Int(ids.max() ?? 0)))
                body.append(UInt8(width))
                RLEHybrid.encode(ids, bitWidth: width, into: &body)
            } else {
                PlainEncoding.encode(column.values, rows: pageStart..<pageEnd, validity: validity, into: &body)
            }
            let (c, u) = try writePage(type: PageType.dataPage, body: body, numValues: pageEnd - pageStart,
                                       encoding: indices != nil ? ParquetEncoding.rleDictionary : ParquetEncoding.plain)
            compressedTotal += c
            uncompressedTotal += u
            pageStart = pageEnd
        }
        _ = chunkStart
        return ColumnMetaData(
            type: Self.physicalType(field.type).rawValue, encodings: encodings, path: [field.name], codec: options.codec.rawValue,
            numValues: Int64(range.count), totalUncompressedSize: uncompressedTotal, totalCompressedSize: compressedTotal,
            dataPageOffset: dataOffset, dictionaryPageOffset: dictionaryOffset,
            statistics: options.statistics
                ? Self.statistics(dictionaryValues.map { .string($0) } ?? column.values, dictionaryValues.map { 0..<$0.count } ?? range,
                                  dictionaryValues == nil ? validity : nil, nulls: Self.nullCount(range, validity))
                : nil)
    }

    static func physicalType(_ type: ParquetColumnType) -> ParquetPhysicalType {
        switch type {
        case .int64, .timestamp: .int64
        case .int32: .int32
        case .double: .double
        case .float: .float
        case .string, .bytes: .byteArray
        case .bool: .boolean
        }
    }

    private static func nullCount(_ range: Range<Int>, _ validity: [Bool]?) -> Int {
        validity.map { v in range.reduce(0) { $0 + (v[$1] ? 0 : 1) } } ?? 0
    }

    /// Min, max (of `values[range]` where valid) and the null count.
    private static func statistics(_ values: ParquetColumnValues, _ range: Range<Int>, _ validity: [Bool]?, nulls: Int) -> ParquetStatistics {
        func extremes<T>(_ v: [T], _ less: (T, T) -> Bool, skip: (T) -> Bool = { _ in false }) -> (Int, Int)? {
            var lo: Int?, hi: Int?
            for i in range where (validity?[i] ?? true) && !skip(v[i]) {
                if lo == nil || less(v[i], v[lo!]) { lo = i }
                if hi == nil || less(v[hi!], v[i]) { hi = i }
            }
            guard let lo, let hi else { return nil }
            return (lo, hi)
        }
        let found: (Int, Int)?
        switch values {
        case .int64(let v): found = extremes(v, <)
        case .int32(let v): found = extremes(v, <)
        case .double(let v): found = extremes(v, <, skip: { $0.isNaN })
        case .float(let v): found = extremes(v, <, skip: { $0.isNaN })
        case .bool(let v): found = extremes(v, { !$0 && $1 })
        case .string(let v):
            // Long strings would bloat the footer; their statistics are left out.
            found = range.allSatisfy({ v[$0].utf8.count <= 64 }) ? extremes(v, { $0.utf8.lexicographicallyPrecedes($1.utf8) }) : nil
        case .bytes: found = nil
        }
        guard let (lo, hi) = found else { return ParquetStatistics(min: nil, max: nil, nullCount: Int64(nulls)) }
        return ParquetStatistics(min: PlainEncoding.statisticsBytes(values, at: lo), max: PlainEncoding.statisticsBytes(values, at: hi),
                                 nullCount: Int64(nulls))
    }

    /// The schema elements of the footer: the root, then one leaf per field.
    static func schemaElements(_ schema: ParquetSchema) -> [SchemaElement] {
        var elements = [SchemaElement(name: "schema", type: nil, repetition: nil, numChildren: Int32(schema.fields.count))]
        for field in schema.fields {
            var logical: ThriftStruct?
            var converted: Int32?
            switch field.type {
            case .string:
                var l = ThriftStruct()
                l[1] = .emptyStruct
                logical = l
                converted = 0
            case .timestamp:
                var unit = ThriftStruct()
                unit[3] = .emptyStruct
                var ts = ThriftStruct()
                ts[1] = .bool(true)
                ts[2] = .structure(unit)
                var l = ThriftStruct()
                l[8] = .structure(ts)
                logical = l
            default: break
            }
            elements.append(SchemaElement(name: field.name, type: physicalType(field.type).rawValue, repetition: field.isNullable ? 1 : 0,
                                          convertedType: converted, logicalType: logical))
        }
        return elements
    }

    /// Writes the footer, flushes, optionally fsyncs, and closes the file.
    public func close(sync: Bool = true) throws(ParquetError) {
        guard !closed else { return }
        let meta = FileMetaData(version: 2, schema: Self.schemaElements(schema), numRows: rows, rowGroups: rowGroups,
                                keyValues: options.metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                createdBy: "huracan parquet writer version 1")
        var writer = ThriftCompactWriter()
        writer.writeStruct(meta.thrift)
        append(writer.bytes)
        let length = UInt32(writer.bytes.count)
        append([UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length >> 16),
                UInt8(truncatingIfNeeded: length >> 24)])
        append(Self.magic)
        closed = true
        defer { _ = posixClose(descriptor) }
        try flushBuffer()
        if sync && fsync(descriptor) != 0 {
            throw ParquetError(.io, file: path, "fsync failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `table` to a new file at `path` in one go.
    public static func write(_ table: ParquetTable, to path: String, options: ParquetWriterOptions = ParquetWriterOptions()) throws(ParquetError) {
        let writer = try ParquetWriter(path: path, schema: table.schema, options: options)
        try writer.write(table)
        try writer.close()
    }
}
