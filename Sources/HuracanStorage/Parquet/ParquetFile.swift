import Foundation
import HuracanCore

/// A single statistics value decoded for a column's type.
public enum ParquetValue: Sendable, Hashable {
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    case bytes([UInt8])
}

/// Min/max and null count of one column in one row group, when the writer stored them.
public struct ParquetColumnStatistics: Sendable, Hashable {
    public var min: ParquetValue?
    public var max: ParquetValue?
    public var nullCount: Int64?
}

/// Rows and per-column statistics of one row group.
public struct ParquetRowGroupInfo: Sendable, Hashable {
    public var rowCount: Int
    /// One entry per schema field, in schema order (only the first field's when the file was
    /// opened keeping `.firstColumn`).
    public var statistics: [ParquetColumnStatistics?]
    public var compressedBytes: Int64
    /// One entry per schema field (none when the file was opened keeping `.firstColumn`).
    public var codecs: [ParquetCodec?]
}

/// An open Parquet file: its footer is parsed on open, column chunks are decoded on demand.
/// Reads flat schemas (no nested or repeated columns) with PLAIN and dictionary encodings,
/// data pages v1 and v2, and the codecs `ParquetCompression` knows. Every problem is a
/// `ParquetError` naming the file, the row group and the column.
public struct ParquetFile: Sendable {
    public let path: String
    public let schema: ParquetSchema
    public let rowCount: Int
    public let rowGroups: [ParquetRowGroupInfo]
    public let metadata: [String: String]
    public let createdBy: String?

    /// Where the bytes are: in memory, or in the file on disk (read a row group at a time).
    private enum Storage: Sendable {
        case memory(Data)
        case disk(ParquetFileBytes)
    }

    private let storage: Storage
    /// Where each column chunk is, row group after row group (`rowGroups.count x schema.fields.count`):
    /// all reading needs of the footer, a few dozen bytes a chunk.
    private let chunks: [ChunkLocation]

    /// What reading needs to know of one column chunk.
    struct ChunkLocation: Sendable {
        var codec: Int32
        var numValues: Int64
        var totalCompressedSize: Int64
        var dataPageOffset: Int64
        /// Zero when the chunk has no dictionary page.
        var dictionaryPageOffset: Int64

        init(_ column: ColumnMetaData) {
            codec = column.codec
            numValues = column.numValues
            totalCompressedSize = column.totalCompressedSize
            dataPageOffset = column.dataPageOffset
            dictionaryPageOffset = column.dictionaryPageOffset ?? 0
        }

        /// Where the chunk's first page (its dictionary page, when it has one) starts.
        var start: Int64 { dictionaryPageOffset > 0 && dictionaryPageOffset < dataPageOffset ? dictionaryPageOffset : dataPageOffset }
    }
    private let leaves: [Leaf]
    /// Where the footer starts; pages must end before it.
    private let footerStart: Int

    struct Leaf: Sendable {
        var physical: ParquetPhysicalType
        var isString: Bool
        /// Multiplier to nanoseconds for timestamp columns (1 for other columns).
        var timestampScale: Int64
        var maxDefinition: Int
    }

    /// Which columns' min/max statistics `rowGroups` keeps.
    public enum KeptStatistics: Sendable {
        case allColumns
        /// Only the first column's (a lake file's time): a replay keeps hundreds of files open,
        /// and a day file's thousands of row groups' statistics of every column cost megabytes.
        case firstColumn
    }

    /// Opens a file on disk: reads its footer now and its row groups when they are read.
    public init(path: String, statistics kept: KeptStatistics = .allColumns) throws(ParquetError) {
        let file = try ParquetFileBytes(path: path)
        guard file.size >= 12 else { throw ParquetError(.damaged, file: path, "not a Parquet file: only \(file.size) bytes (truncated?)") }
        let head = try file.read(offset: 0, count: 4)
        let trailer = try file.read(offset: file.size - 8, count: 8)
        let footerLength = Int(trailer.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self).littleEndian })
        let tail = footerLength <= file.size - 12 ? try file.read(offset: file.size - 8 - footerLength, count: footerLength + 8) : trailer
        try self.init(path: path, storage: .disk(file), size: file.size, head: head, tail: tail, kept: kept)
    }

    /// Reads a file held in memory.
    public init(data: Data, path: String = "<memory>") throws(ParquetError) {
        guard data.count >= 12 else { throw ParquetError(.damaged, file: path, "not a Parquet file: only \(data.count) bytes (truncated?)") }
        try self.init(path: path, storage: .memory(data), size: data.count, head: Array(data.prefix(4)), tail: Array(data), kept: .allColumns)
    }

    /// Parses the footer. `tail` is the end of the file (at least the footer and the last 8 bytes).
    private init(path: String, storage: Storage, size: Int, head: [UInt8], tail: [UInt8], kept: KeptStatistics) throws(ParquetError) {
        self.path = path
        self.storage = storage
        func fail(_ message: String, _ cause: ParquetError.Cause = .damaged) -> ParquetError { ParquetError(cause, file: path, message) }
        let parsed: (FileMetaData, Int) = try tail.withBytes { (raw: UnsafeRawBufferPointer) throws(ParquetError) -> (FileMetaData, Int) in
            guard head == [0x50, 0x41, 0x52, 0x31] else { throw fail("not a Parquet file: no PAR1 magic at the start") }
            let n = raw.count
            guard raw[n - 4] == 0x50, raw[n - 3] == 0x41, raw[n - 2] == 0x52, raw[n - 1] == 0x31 else {
                throw fail("no PAR1 magic at the end: the file is truncated or still being written")
            }
            let footerLength = Int(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt32.self).littleEndian)
            guard footerLength <= size - 12, footerLength <= n - 8 else {
                throw fail("footer length \(footerLength) is larger than the file (\(size) bytes): truncated or corrupt")
            }
            let footer = UnsafeRawBufferPointer(rebasing: raw[(n - 8 - footerLength)..<(n - 8)])
            var reader = ThriftCompactReader(footer)
            do {
                let s = try reader.readStruct()
                return (try FileMetaData(thrift: s), size - 8 - footerLength)
            } catch let error as ThriftCompactReader.Failure {
                throw fail("footer is corrupt: \(error.message)")
            } catch let error as MetadataError {
                throw fail("footer is corrupt: \(error.message)")
            } catch {
                throw fail("footer is corrupt: \(error)")
            }
        }
        let meta = parsed.0
        footerStart = parsed.1
        createdBy = meta.createdBy
        metadata = Dictionary(meta.keyValues, uniquingKeysWith: { _, last in last })

        // Flat schemas only: the root group, then leaves.
        guard let root = meta.schema.first else { throw fail("footer has an empty schema") }
        let children = Int(root.numChildren ?? 0)
        guard children == meta.schema.count - 1 else {
            throw fail("nested schemas are not supported (root has \(children) children, schema has \(meta.schema.count - 1) elements)", .unsupported)
        }
        var fields: [ParquetField] = []
        var leaves: [Leaf] = []
        for element in meta.schema.dropFirst() {
            if (element.numChildren ?? 0) > 0 { throw fail("column \(element.name) is a nested group; only flat schemas are supported", .unsupported) }
            if element.repetition == 2 { throw fail("column \(element.name) is repeated; only flat schemas are supported", .unsupported) }
            guard let raw = element.type, let physical = ParquetPhysicalType(rawValue: raw) else {
                throw fail("column \(element.name) has no or an unknown physical type")
            }
            let nullable = element.repetition == 1
            var type: ParquetColumnType
            var scale: Int64 = 1
            var isString = false
            switch physical {
            case .boolean: type = .bool
            case .int32: type = .int32
            case .int64:
                type = .int64
                if let ts = element.logicalType?.structure(8) {
                    type = .timestamp
                    let unit = ts.structure(2)
                    if unit?.structure(1) != nil { scale = 1_000_000 } else if unit?.structure(2) != nil { scale = 1_000 } else { scale = 1 }
                } else if element.convertedType == 9 {
                    type = .timestamp
                    scale = 1_000_000
                } else if element.convertedType == 10 {
                    type = .timestamp
                    scale = 1_000
                }
            case .float: type = .float
            case .double: type = .double
            case .byteArray:
                let logical = element.logicalType
                isString = logical?.structure(1) != nil || logical?.structure(4) != nil || logical?.structure(12) != nil
                    || element.convertedType == 0 || element.convertedType == 4 || element.convertedType == 19
                type = isString ? .string : .bytes
            case .int96: throw fail("column \(element.name): INT96 timestamps are not supported (write timestamps as INT64)", .unsupported)
            case .fixedLenByteArray: throw fail("column \(element.name): FIXED_LEN_BYTE_ARRAY is not supported", .unsupported)
            }
            fields.append(ParquetField(element.name, type, nullable: nullable))
            leaves.append(Leaf(physical: physical, isString: isString, timestampScale: scale, maxDefinition: nullable ? 1 : 0))
        }
        schema = ParquetSchema(fields)
        self.leaves = leaves
        guard meta.numRows >= 0 else { throw fail("footer says \(meta.numRows) rows") }
        rowCount = Int(meta.numRows)
        var infos: [ParquetRowGroupInfo] = []
        var chunks: [ChunkLocation] = []
        chunks.reserveCapacity(meta.rowGroups.count * fields.count)
        for (g, group) in meta.rowGroups.enumerated() {
            guard group.columns.count == fields.count else {
                throw fail("row group \(g) has \(group.columns.count) columns, the schema \(fields.count)")
            }
            var stats: [ParquetColumnStatistics?] = []
            for (i, column) in group.columns.enumerated() where i == 0 || kept == .allColumns {
                stats.append(column.statistics.map { Self.decodeStatistics($0, leaves[i], fields[i]) })
            }
            infos.append(ParquetRowGroupInfo(rowCount: Int(group.numRows), statistics: stats,
                                             compressedBytes: group.columns.reduce(0) { $0 + $1.totalCompressedSize },
                                             codecs: kept == .allColumns ? group.columns.map { ParquetCodec(rawValue: $0.codec) } : []))
            // Reading needs only where each chunk is: the rest of the footer goes.
            chunks += group.columns.map(ChunkLocation.init)
        }
        rowGroups = infos
        self.chunks = chunks
    }

    /// `Data.withUnsafeBytes` with a typed error.
    static func withBytes<R>(_ data: Data, _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R) throws(ParquetError) -> R {
        var result: Result<R, ParquetError>?
        data.withUnsafeBytes { raw in result = Result { () throws(ParquetError) -> R in try body(raw) } }
        return try result!.get()
    }

    private static func decodeStatistics(_ s: ParquetStatistics, _ leaf: Leaf, _ field: ParquetField) -> ParquetColumnStatistics {
        func value(_ bytes: [UInt8]?) -> ParquetValue? {
            guard let bytes else { return nil }
            switch leaf.physical {
            case .int64 where bytes.count == 8:
                let v = bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self).littleEndian }
                return .int(v.multipliedReportingOverflow(by: leaf.timestampScale).partialValue)
            case .int32 where bytes.count == 4: return .int(Int64(bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self).littleEndian }))
            case .double where bytes.count == 8: return .double(bytes.withUnsafeBytes { $0.loadUnaligned(as: Double.self) })
            case .float where bytes.count == 4: return .double(Double(bytes.withUnsafeBytes { $0.loadUnaligned(as: Float.self) }))
            case .boolean where bytes.count == 1: return .bool(bytes[0] != 0)
            case .byteArray: return leaf.isString ? .string(String(decoding: bytes, as: UTF8.self)) : .bytes(bytes)
            default: return nil
            }
        }
        return ParquetColumnStatistics(min: value(s.min), max: value(s.max), nullCount: s.nullCount)
    }

    /// Reads the whole file (all row groups), optionally only some columns (in the given order).
    public func read(columns names: [String]? = nil) throws(ParquetError) -> ParquetTable {
        let indices = try columnIndices(names)
        var table = ParquetTable(schema: ParquetSchema(indices.map { schema.fields[$0] }))
        for g in rowGroups.indices { table.append(try read(rowGroup: g, columnIndices: indices)) }
        return table
    }

    /// Reads one row group, optionally only some columns (in the given order).
    public func read(rowGroup: Int, columns names: [String]? = nil) throws(ParquetError) -> ParquetTable {
        try read(rowGroup: rowGroup, columnIndices: try columnIndices(names))
    }

    private func columnIndices(_ names: [String]?) throws(ParquetError) -> [Int] {
        guard let names else { return Array(schema.fields.indices) }
        var result: [Int] = []
        for name in names {
            guard let i = schema.index(of: name) else {
                throw ParquetError(.schemaMismatch, file: path, "no column \(name) (columns: \(schema.fields.map(\.name).joined(separator: ", ")))")
            }
            result.append(i)
        }
        return result
    }

    private func read(rowGroup g: Int, columnIndices: [Int]) throws(ParquetError) -> ParquetTable {
        guard rowGroups.indices.contains(g) else { throw ParquetError(.invalidUse, file: path, "no row group \(g) (the file has \(rowGroups.count))") }
        let rows = rowGroups[g].rowCount
        let first = g * schema.fields.count
        var columns: [ParquetColumn] = []
        func decode(_ i: Int, _ raw: UnsafeRawBufferPointer, base: Int, limit: Int) throws(ParquetError) -> ParquetColumn {
            do throws(ColumnChunkReader.Failure) {
                return try ColumnChunkReader(bytes: raw, base: base, limit: limit, chunk: chunks[first + i], leaf: leaves[i], rows: rows).read()
            } catch {
                throw ParquetError(error.cause, file: path, "row group \(g), column \(schema.fields[i].name): \(error.message)")
            }
        }
        switch storage {
        case .memory(let data):
            for i in columnIndices {
                columns.append(try Self.withBytes(data) { (raw) throws(ParquetError) -> ParquetColumn in try decode(i, raw, base: 0, limit: footerStart) })
            }
        case .disk(let file):
            // The bytes of the chosen columns' chunks, read at once.
            var lo = Int.max, hi = 0
            for i in columnIndices {
                let chunk = chunks[first + i]
                let start = Int(chunk.start)
                guard start >= 4, start < footerStart, chunk.totalCompressedSize >= 0, chunk.totalCompressedSize <= Int64(footerStart - start) else {
                    throw ParquetError(.damaged, file: path, "row group \(g), column \(schema.fields[i].name): its pages (byte \(start), \(chunk.totalCompressedSize) bytes) are outside the file's data (4..<\(footerStart))")
                }
                lo = min(lo, start)
                hi = max(hi, start + Int(chunk.totalCompressedSize))
            }
            guard lo < hi else { break }
            let bytes = try file.read(offset: lo, count: hi - lo)
            for i in columnIndices {
                columns.append(try bytes.withBytes { (raw) throws(ParquetError) -> ParquetColumn in try decode(i, raw, base: lo, limit: hi) })
            }
        }
        return ParquetTable(schema: ParquetSchema(columnIndices.map { schema.fields[$0] }), columns: columns)
    }
}

/// Decodes the pages of one column chunk.
struct ColumnChunkReader {
    struct Failure: Error, Sendable {
        var message: String
        var cause: ParquetError.Cause = .damaged
    }

    /// The bytes from file offset `base` up to `limit` (exclusive): the whole file, or the row
    /// group's column chunks.
    let bytes: UnsafeRawBufferPointer
    let base: Int
    let limit: Int
    let chunk: ParquetFile.ChunkLocation
    let leaf: ParquetFile.Leaf
    let rows: Int

    func read() throws(Failure) -> ParquetColumn {
        guard let codec = ParquetCodec(rawValue: chunk.codec) else { throw Failure(message: "unknown codec \(chunk.codec)", cause: .unsupported) }
        guard chunk.numValues >= 0, chunk.numValues <= Int64(limit) * 8 + 8 else { throw Failure(message: "impossible value count \(chunk.numValues)") }
        let total = Int(chunk.numValues)
        var position = Int(chunk.start)
        guard position >= max(4, base), position < limit else { throw Failure(message: "page offset \(position) outside the file's data (\(max(4, base))..<\(limit))") }
        var dictionary: ParquetColumnValues?
        var values: ParquetColumnValues = .empty(Self.columnType(leaf))
        var validity: [Bool]? = leaf.maxDefinition > 0 ? [] : nil
        var seen = 0
        var pages = 0
        while seen < total {
            guard position < limit else { throw Failure(message: "pages end after \(seen) of \(total) values") }
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: bytes[(position - base)..<(limit - base)]))
            let header: PageHeader
            do { header = try PageHeader(thrift: try reader.readStruct()) } catch let error as ThriftCompactReader.Failure {
                throw Failure(message: "page \(pages) header at byte \(position) is corrupt: \(error.message)")
            } catch let error as MetadataError {
                throw Failure(message: "page \(pages) header at byte \(position) is corrupt: \(error.message)")
            } catch {
                throw Failure(message: "page \(pages) header at byte \(position) is corrupt")
            }
            let bodyStart = position + reader.position
            let compressedSize = Int(header.compressedSize)
            guard compressedSize <= limit - bodyStart else {
                throw Failure(message: "page \(pages) of \(compressedSize) bytes at byte \(bodyStart) runs past the end of the data (truncated?)")
            }
            let body = UnsafeRawBufferPointer(rebasing: bytes[(bodyStart - base)..<(bodyStart - base + compressedSize)])
            if let stored = header.crc {
                let computed = CRC32.checksum(body)
                guard computed == stored else {
                    throw Failure(message: "page \(pages) is damaged: its checksum is \(hex(computed)), the page header says \(hex(stored))")
                }
            }
            position = bodyStart + compressedSize
            pages += 1
            func inflate(_ slice: UnsafeRawBufferPointer, _ size: Int) throws(Failure) -> [UInt8] {
                guard size >= 0, size <= 1 << 30 else { throw Failure(message: "page size \(size) out of range") }
                do { return try ParquetCompression.decompress(slice, codec: codec, uncompressedSize: size) } catch {
                    throw Failure(message: "page \(pages - 1): \(error.message)", cause: error.unsupported ? .unsupported : .damaged)
                }
            }
            switch header.type {
            case PageType.dictionaryPage:
                guard header.encoding == ParquetEncoding.plain || header.encoding == ParquetEncoding.plainDictionary else {
                    throw Failure(message: "dictionary page encoding \(ParquetEncoding.name(header.encoding)) not supported", cause: .unsupported)
                }
                let page = try inflate(body, Int(header.uncompressedSize))
                dictionary = try page.withBytes { (p) throws(Failure) -> ParquetColumnValues in
                    try plain(p, 0, p.count, Int(header.numValues))
                }
            case PageType.dataPage, PageType.dataPageV2:
                let count = Int(header.numValues)
                guard count >= 0, count <= total - seen else { throw Failure(message: "page \(pages - 1) has \(count) values, only \(total - seen) left") }
                var page: [UInt8]
                var levelsEnd = 0
                var defs: [Int32]?
                if header.type == PageType.dataPage {
                    page = try inflate(body, Int(header.uncompressedSize))
                    if leaf.maxDefinition > 0 {
                        defs = try page.withBytes { (p) throws(Failure) -> [Int32] in
                            guard header.definitionLevelEncoding == ParquetEncoding.rle else {
                                throw Failure(message: "definition levels in \(ParquetEncoding.name(header.definitionLevelEncoding)) not supported", cause: .unsupported)
                            }
                            guard p.count >= 4 else { throw Failure(message: "page too short for definition levels") }
                            let n = Int(p.loadUnaligned(as: UInt32.self).littleEndian)
                            guard n <= p.count - 4 else { throw Failure(message: "definition levels of \(n) bytes run past the page") }
                            levelsEnd = 4 + n
                            return try rle(p, 4, 4 + n, 1, count)
                        }
                    }
                } else {
                    let d = Int(header.definitionLevelsLength), r = Int(header.repetitionLevelsLength)
                    guard d >= 0, r >= 0, d + r <= compressedSize else { throw Failure(message: "v2 level lengths (\(d), \(r)) exceed the page") }
                    if leaf.maxDefinition > 0 {
                        let levelBytes = UnsafeRawBufferPointer(rebasing: body[(body.startIndex + r)..<(body.startIndex + r + d)])
                        defs = try rle(levelBytes, 0, d, 1, count)
                    }
                    let rest = UnsafeRawBufferPointer(rebasing: body[(body.startIndex + r + d)...])
                    let restSize = Int(header.uncompressedSize) - d - r
                    page = header.isCompressed ? try inflate(rest, restSize) : Array(rest)
                }
                let present = defs.map { $0.reduce(0) { $0 + ($1 == 1 ? 1 : 0) } } ?? count
                let decoded: ParquetColumnValues = try page.withBytes { (p) throws(Failure) -> ParquetColumnValues in
                    switch header.encoding {
                    case ParquetEncoding.plain:
                        return try plain(p, levelsEnd, p.count, present)
                    case ParquetEncoding.rle where leaf.physical == .boolean:
                        // Booleans as a length-prefixed RLE run of bit width 1 (pyarrow's data pages v2).
                        guard p.count - levelsEnd >= 4 else { throw Failure(message: "RLE booleans missing their length") }
                        let n = Int(p.loadUnaligned(fromByteOffset: levelsEnd, as: UInt32.self).littleEndian)
                        guard n <= p.count - levelsEnd - 4 else { throw Failure(message: "RLE booleans of \(n) bytes run past the page") }
                        return .bool(try rle(p, levelsEnd + 4, levelsEnd + 4 + n, 1, present).map { $0 == 1 })
                    case ParquetEncoding.plainDictionary, ParquetEncoding.rleDictionary:
                        guard let dictionary else { throw Failure(message: "dictionary-encoded page without a dictionary page") }
                        guard levelsEnd < p.count || present == 0 else { throw Failure(message: "dictionary page data missing its bit width") }
                        if present == 0 { return .empty(Self.columnType(leaf)) }
                        let width = Int(p[levelsEnd])
                        let ids = try rle(p, levelsEnd + 1, p.count, width, present)
                        return try gather(dictionary, ids)
                    default:
                        throw Failure(message: "encoding \(ParquetEncoding.name(header.encoding)) not supported (supported: PLAIN, dictionary)", cause: .unsupported)
                    }
                }
                if let defs {
                    values.append(contentsOf: expand(decoded, defs))
                    validity!.append(contentsOf: defs.map { $0 == 1 })
                } else {
                    values.append(contentsOf: decoded)
                }
                seen += count
            default:
                continue // index pages and unknown pages are skipped
            }
        }
        if leaf.timestampScale != 1, case .int64(var v) = values {
            values = .int64([])
            for i in v.indices { v[i] = v[i] &* leaf.timestampScale }
            values = .int64(v)
        }
        guard values.count == rows else { throw Failure(message: "\(values.count) values for \(rows) rows in the row group") }
        return ParquetColumn(values, validity: validity)
    }

    static func columnType(_ physical: ParquetPhysicalType) -> ParquetColumnType {
        switch physical {
        case .boolean: .bool
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        default: .bytes
        }
    }

    static func columnType(_ leaf: ParquetFile.Leaf) -> ParquetColumnType {
        leaf.isString ? .string : columnType(leaf.physical)
    }

    private func plain(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ count: Int) throws(Failure) -> ParquetColumnValues {
        do { return try PlainEncoding.decode(leaf.physical, p, start: start, end: end, count: count, asString: leaf.isString) } catch {
            throw Failure(message: error.message)
        }
    }

    private func rle(_ p: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ width: Int, _ count: Int) throws(Failure) -> [Int32] {
        do { return try RLEHybrid.decode(p, start: start, end: end, bitWidth: width, count: count) } catch {
            throw Failure(message: error.message)
        }
    }

    private func gather(_ dictionary: ParquetColumnValues, _ ids: [Int32]) throws(Failure) -> ParquetColumnValues {
        let n = dictionary.count
        for id in ids where id < 0 || Int(id) >= n { throw Failure(message: "dictionary index \(id) outside the dictionary of \(n)") }
        switch dictionary {
        case .int64(let d): return .int64(ids.map { d[Int($0)] })
        case .int32(let d): return .int32(ids.map { d[Int($0)] })
        case .double(let d): return .double(ids.map { d[Int($0)] })
        case .float(let d): return .float(ids.map { d[Int($0)] })
        case .string(let d): return .string(ids.map { d[Int($0)] })
        case .bool(let d): return .bool(ids.map { d[Int($0)] })
        case .bytes(let d): return .bytes(ids.map { d[Int($0)] })
        }
    }

    /// Spreads present values over all rows, placeholders where the level says null.
    private func expand(_ values: ParquetColumnValues, _ defs: [Int32]) -> ParquetColumnValues {
        func spread<T>(_ v: [T], _ placeholder: T) -> [T] {
            var out = [T]()
            out.reserveCapacity(defs.count)
            var k = 0
            for d in defs {
                if d == 1, k < v.count {
                    out.append(v[k])
                    k += 1
                } else {
                    out.append(placeholder)
                }
            }
            return out
        }
        switch values {
        case .int64(let v): return .int64(spread(v, 0))
        case .int32(let v): return .int32(spread(v, 0))
        case .double(let v): return .double(spread(v, 0))
        case .float(let v): return .float(spread(v, 0))
        case .string(let v): return .string(spread(v, ""))
        case .bool(let v): return .bool(spread(v, false))
        case .bytes(let v): return .bytes(spread(v, []))
        }
    }
}

/// "0x1A2B3C4D".
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
