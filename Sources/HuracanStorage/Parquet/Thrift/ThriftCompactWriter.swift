/// Encodes `ThriftStruct` trees in the Thrift compact protocol, fields in id order.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []

    init() {}

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeZigzag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func writeStruct(_ value: ThriftStruct) {
        var lastID: Int16 = 0
        for entry in value.fields {
            let id = entry.id, field = entry.value
            let type: UInt8
            if case .bool(let flag) = field {
                type = flag ? ThriftType.boolTrue : ThriftType.boolFalse
            } else {
                type = Self.typeID(field)
            }
            let delta = Int(id) - Int(lastID)
            if delta > 0 && delta <= 15 {
                bytes.append(UInt8(delta << 4) | type)
            } else {
                bytes.append(type)
                writeZigzag(Int64(id))
            }
            lastID = id
            if case .bool = field { continue }
            writeValue(field)
        }
        bytes.append(ThriftType.stop)
    }

    /// The wire type of a value.
    private static func typeID(_ value: ThriftValue) -> UInt8 {
        switch value {
        case .bool(let flag): flag ? ThriftType.boolTrue : ThriftType.boolFalse
        case .integer(_, let wire): wire
        case .double: ThriftType.double
        case .binary: ThriftType.binary
        case .list: ThriftType.list
        case .map: ThriftType.map
        case .structure: ThriftType.structure
        }
    }

    private mutating func writeValue(_ value: ThriftValue) {
        switch value {
        case .bool(let flag): bytes.append(flag ? 1 : 2)
        case .integer(let v, let wire):
            if wire == ThriftType.byte { bytes.append(UInt8(truncatingIfNeeded: v)) } else { writeZigzag(v) }
        case .double(let d):
            let bits = d.bitPattern
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        case .binary(let b):
            writeVarint(UInt64(b.count))
            bytes.append(contentsOf: b)
        case .list(let elementType, let values):
            if values.count < 15 {
                bytes.append(UInt8(values.count << 4) | elementType)
            } else {
                bytes.append(0xF0 | elementType)
                writeVarint(UInt64(values.count))
            }
            for v in values { writeValue(v) }
        case .map(let keyType, let valueType, let keys, let values):
            writeVarint(UInt64(keys.count))
            if !keys.isEmpty {
                bytes.append(keyType << 4 | valueType)
                for (k, v) in zip(keys, values) {
                    writeValue(k)
                    writeValue(v)
                }
            }
        case .structure(let s): writeStruct(s)
        }
    }
}
