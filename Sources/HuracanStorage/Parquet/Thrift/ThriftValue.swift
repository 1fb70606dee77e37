/// A decoded Thrift value: the Parquet footer and page headers are Thrift structs in the
/// compact protocol. Decoding into this tree first keeps unknown fields harmless (they are
/// skipped when mapped to our types) and lets the decoder bound every size by the input.
indirect enum ThriftValue: Sendable, Hashable {
    case bool(Bool)
    /// Any of byte, i16, i32, i64 (zigzag varints on the wire); `wire` is the Thrift type id,
    /// which readers check against the field's declared type.
    case integer(Int64, wire: UInt8)
    case double(Double)
    case binary([UInt8])
    case list(elementType: UInt8, [ThriftValue])
    case map(keyType: UInt8, valueType: UInt8, [ThriftValue], [ThriftValue])
    case structure(ThriftStruct)
}

/// Fields of one Thrift struct by id.
struct ThriftStruct: Sendable, Hashable {
    /// One field: its id and value.
    struct Field: Sendable, Hashable {
        var id: Int16
        var value: ThriftValue
    }

    /// The fields in id order. A struct has a handful, so a sorted array beats a dictionary: a
    /// day file's footer holds tens of thousands of structs (opening the 1,200 files of a
    /// 24-hour, 400-coin set took 1.5 s less).
    private(set) var fields: [Field] = []

    init() {}

    subscript(id: Int16) -> ThriftValue? {
        get {
            for field in fields where field.id == id { return field.value }
            return nil
        }
        set {
            let i = fields.firstIndex { $0.id >= id } ?? fields.endIndex
            let exists = i < fields.endIndex && fields[i].id == id
            switch (newValue, exists) {
            case (let value?, true): fields[i].value = value
            case (let value?, false): fields.insert(Field(id: id, value: value), at: i)
            case (nil, true): fields.remove(at: i)
            case (nil, false): break
            }
        }
    }

    // Typed accessors: a field of the wrong type reads as missing, and the caller's "required
    // field missing" error then names it.
    func int(_ id: Int16) -> Int64? {
        if case .integer(let v, _) = self[id] { return v }
        return nil
    }
    func bool(_ id: Int16) -> Bool? {
        if case .bool(let v) = self[id] { return v }
        return nil
    }
    func binary(_ id: Int16) -> [UInt8]? {
        if case .binary(let v) = self[id] { return v }
        return nil
    }
    func string(_ id: Int16) -> String? { binary(id).map { String(decoding: $0, as: UTF8.self) } }
    func structure(_ id: Int16) -> ThriftStruct? {
        if case .structure(let v) = self[id] { return v }
        return nil
    }
    func list(_ id: Int16) -> [ThriftValue]? {
        if case .list(_, let v) = self[id] { return v }
        return nil
    }
}

extension ThriftValue {
    static func i32(_ v: Int32) -> ThriftValue { .integer(Int64(v), wire: ThriftType.i32) }
    static func i32(_ v: Int) -> ThriftValue { .integer(Int64(v), wire: ThriftType.i32) }
    static func i64(_ v: Int64) -> ThriftValue { .integer(v, wire: ThriftType.i64) }
    static func i64(_ v: Int) -> ThriftValue { .integer(Int64(v), wire: ThriftType.i64) }
    static func i16(_ v: Int) -> ThriftValue { .integer(Int64(v), wire: ThriftType.i16) }
    static func string(_ s: String) -> ThriftValue { .binary(Array(s.utf8)) }
    static let emptyStruct = ThriftValue.structure(ThriftStruct())

    var structValue: ThriftStruct? {
        if case .structure(let v) = self { return v }
        return nil
    }
    var integerValue: Int64? {
        if case .integer(let v, _) = self { return v }
        return nil
    }
    var binaryValue: [UInt8]? {
        if case .binary(let v) = self { return v }
        return nil
    }
}

/// Compact protocol type ids.
enum ThriftType {
    static let stop: UInt8 = 0
    static let boolTrue: UInt8 = 1
    static let boolFalse: UInt8 = 2
    static let byte: UInt8 = 3
    static let i16: UInt8 = 4
    static let i32: UInt8 = 5
    static let i64: UInt8 = 6
    static let double: UInt8 = 7
    static let binary: UInt8 = 8
    static let list: UInt8 = 9
    static let set: UInt8 = 10
    static let map: UInt8 = 11
    static let structure: UInt8 = 12
}
