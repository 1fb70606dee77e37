import Foundation
import HuracanStorage
import HuracanTestSupport

/// A table with every column type, nulls in the nullable columns, and low-cardinality strings.
enum ParquetSamples {
    static let schema = ParquetSchema([
        ParquetField("time", .timestamp),
        ParquetField("coin", .string),
        ParquetField("price", .double),
        ParquetField("quantity", .double, nullable: true),
        ParquetField("id", .int64),
        ParquetField("count", .int32),
        ParquetField("is_buyer_maker", .bool),
        ParquetField("note", .string, nullable: true),
    ])

    static func table(rows: Int, seed: UInt64 = 1) -> ParquetTable {
        var random = SplitMix(seed: seed)
        let coins = ["BTC", "ETH", "SOL", "DOGE", "XRP"]
        var time: [Int64] = [], coin: [String] = [], price: [Double] = [], quantity: [Double] = [], quantityValid: [Bool] = []
        var id: [Int64] = [], count: [Int32] = [], maker: [Bool] = [], note: [String] = [], noteValid: [Bool] = []
        var t: Int64 = 1_737_936_000_000_000_000
        for i in 0..<rows {
            t += Int64(random.next() % 5_000_000)
            time.append(t)
            coin.append(coins[Int(random.next() % 5)])
            price.append(((65_000 + random.uniform() * 100) * 100).rounded() / 100)
            let hasQuantity = random.next() % 7 != 0
            quantity.append(hasQuantity ? random.uniform() * 3 : 0)
            quantityValid.append(hasQuantity)
            id.append(Int64(i) * 1_000_003 - 500)
            count.append(Int32(truncatingIfNeeded: random.next() % 1000) - 500)
            maker.append(random.next() % 2 == 0)
            let hasNote = random.next() % 3 == 0
            note.append(hasNote ? "note \(random.next() % 1_000_000) ünïcode" : "")
            noteValid.append(hasNote)
        }
        return ParquetTable(schema: schema, columns: [
            ParquetColumn(.int64(time)), ParquetColumn(.string(coin)), ParquetColumn(.double(price)),
            ParquetColumn(.double(quantity), validity: quantityValid), ParquetColumn(.int64(id)), ParquetColumn(.int32(count)),
            ParquetColumn(.bool(maker)), ParquetColumn(.string(note), validity: noteValid),
        ])
    }

    /// Python that prints a file's rows as JSON: every value as a string (floats by repr,
    /// timestamps as ns integers, booleans as true/false), nulls as null.
    static let dumpScript = """
    import sys, json, pyarrow.parquet as pq, pyarrow as pa
    t = pq.read_table(sys.argv[1])
    def text(v):
        if v is None: return None
        if isinstance(v, bool): return "true" if v else "false"
        if isinstance(v, float): return repr(v)
        if isinstance(v, bytes): return v.hex()
        return str(v)
    cols = {}
    for name in t.column_names:
        c = t.column(name)
        if pa.types.is_timestamp(c.type):
            c = c.cast(pa.int64())
        cols[name] = [text(v) for v in c.to_pylist()]
    print(json.dumps({"rows": t.num_rows, "columns": cols, "types": {f.name: str(f.type) for f in t.schema}}))
    """
}

extension ParquetTable {
    /// Every value as the same strings `ParquetSamples.dumpScript` prints (doubles re-parsed).
    func textColumns() -> [String: [String?]] {
        var out: [String: [String?]] = [:]
        for (field, column) in zip(schema.fields, columns) {
            var values: [String?]
            switch column.values {
            case .int64(let v): values = v.map { "\($0)" }
            case .int32(let v): values = v.map { "\($0)" }
            case .double(let v): values = v.map { "\($0)" }
            case .float(let v): values = v.map { "\(Double($0))" }
            case .string(let v): values = v
            case .bool(let v): values = v.map { $0 ? "true" : "false" }
            case .bytes(let v): values = v.map { $0.map { String(format: "%02x", $0) }.joined() }
            }
            if let validity = column.validity {
                for i in values.indices where !validity[i] { values[i] = nil }
            }
            out[field.name] = values
        }
        return out
    }
}

struct PythonDump {
    var rows: Int
    var columns: [String: [String?]]
    var types: [String: String]

    /// Parses the JSON printed by `dumpScript`; float columns are normalised through Double.
    init(_ output: String) throws {
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        rows = object["rows"] as? Int ?? -1
        types = object["types"] as? [String: String] ?? [:]
        columns = [:]
        for (name, values) in object["columns"] as? [String: [Any]] ?? [:] {
            let isFloat = types[name] == "double" || types[name] == "float"
            columns[name] = values.map { value in
                guard let s = value as? String else { return nil }
                return isFloat ? Double(s).map { "\($0)" } : s
            }
        }
    }
}
