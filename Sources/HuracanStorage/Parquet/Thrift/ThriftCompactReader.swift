/// Decodes the Thrift compact protocol from bytes, bounding every length by what is left of the
/// input and nesting by a depth limit, so corrupt input throws instead of trapping.
struct ThriftCompactReader {
    struct Failure: Error, Sendable { var message: String }

    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    private static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    private func fail(_ message: String) -> Failure { Failure(message: "\(message) at byte \(position)") }

    mutating func readByte() throws(Failure) -> UInt8 {
        guard position < bytes.count else { throw fail("unexpected end of Thrift data") }
        let b = bytes[position]
        position += 1
        return b
    }

    mutating func readVarint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            guard shift < 64 else { throw fail("varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readZigzag() throws(Failure) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// Reads one struct (fields until STOP).
    mutating func readStruct() throws(Failure) -> ThriftStruct { try readStruct(depth: 0) }

    private mutating func readStruct(depth: Int) throws(Failure) -> ThriftStruct {
        guard depth < Self.maxDepth else { throw fail("Thrift structs nested deeper than \(Self.maxDepth)") }
        var result = ThriftStruct()
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            let type = header & 0x0F
            if type == ThriftType.stop { return result }
            let delta = header >> 4
            let id: Int16
            if delta != 0 {
                id = lastID &+ Int16(delta)
            } else {
                let raw = try readZigzag()
                guard let narrow = Int16(exactly: raw) else { throw fail("field id \(raw) out of range") }
                id = narrow
            }
            lastID = id
            let value: ThriftValue
            switch type {
            case ThriftType.boolTrue: value = .bool(true)
            case ThriftType.boolFalse: value = .bool(false)
            default: value = try readValue(type: type, depth: depth + 1)
            }
            result[id] = value
        }
    }

    private mutating func readValue(type: UInt8, depth: Int) throws(Failure) -> ThriftValue {
        switch type {
        case ThriftType.boolTrue, ThriftType.boolFalse:
            // Inside lists a bool is one byte: 1 true, anything else false.
            return .bool(try readByte() == 1)
        case ThriftType.byte:
            return .integer(Int64(Int8(bitPattern: try readByte())), wire: type)
        case ThriftType.i16, ThriftType.i32, ThriftType.i64:
            return .integer(try readZigzag(), wire: type)
        case ThriftType.double:
            guard bytes.count - position >= 8 else { throw fail("unexpected end of Thrift data in a double") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return .double(Double(bitPattern: bits))
        case ThriftType.binary:
            let length = try readVarint()
            guard length <= UInt64(bytes.count - position) else {
                throw fail("binary field of \(length) bytes runs past the end (\(bytes.count - position) left)")
            }
            let n = Int(length)
            let value = Array(bytes[position..<(position + n)])
            position += n
            return .binary(value)
        case ThriftType.list, ThriftType.set:
            let header = try readByte()
            var count = UInt64(header >> 4)
            let elementType = header & 0x0F
            if count == 15 { count = try readVarint() }
            // Every element takes at least one byte except bools-in-headers, which lists never use.
            guard count <= UInt64(bytes.count - position) else { throw fail("list of \(count) elements is longer than the data left") }
            var values: [ThriftValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count { values.append(try readValue(type: elementType, depth: depth + 1)) }
            return .list(elementType: elementType, values)
        case ThriftType.map:
            let count = try readVarint()
            if count == 0 { return .map(keyType: 0, valueType: 0, [], []) }
            guard count <= UInt64(bytes.count - position) else { throw fail("map of \(count) entries is longer than the data left") }
            let types = try readByte()
            let keyType = types >> 4, valueType = types & 0x0F
            var keys: [ThriftValue] = [], values: [ThriftValue] = []
            for _ in 0..<count {
                keys.append(try readValue(type: keyType, depth: depth + 1))
                values.append(try readValue(type: valueType, depth: depth + 1))
            }
            return .map(keyType: keyType, valueType: valueType, keys, values)
        case ThriftType.structure:
            return .structure(try readStruct(depth: depth + 1))
        default:
            throw fail("unknown Thrift type \(type)")
        }
    }
}
