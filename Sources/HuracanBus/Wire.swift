import HuracanCore

/// A JSON object key given by name; the wire format uses snake_case keys.
struct WireKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Reads typed fields of one message, from a JSON object (`JSONFieldReader`, by key) or from the
/// binary form (`BinaryFieldReader`, in order), and turns every failure into a `BusDecodeError`
/// naming the message type and field. Message decoders are generic over it, so each form gets
/// its own specialised code.
protocol FieldReader {
    /// The envelope `type` (or "envelope"), for error messages.
    var type: String { get }
    /// JSON: the key is present and not null. Binary: the presence byte of an optional field.
    func present(_ key: String) throws(BusDecodeError) -> Bool
    func string(_ key: String) throws(BusDecodeError) -> String
    func int(_ key: String) throws(BusDecodeError) -> Int
    func bool(_ key: String) throws(BusDecodeError) -> Bool
    func double(_ key: String) throws(BusDecodeError) -> Double
    func time(_ key: String) throws(BusDecodeError) -> Timestamp
    func uint64(_ key: String) throws(BusDecodeError) -> UInt64
    /// A decimal: in JSON a string parsed exactly with `FixedDecimal(parsing:)` (JSON numbers are
    /// refused: they would pass through binary floating point in most readers); in binary the
    /// fixed-point mantissa.
    func decimal(_ key: String) throws(BusDecodeError) -> FixedDecimal
    /// One of the raw values of `cases`.
    func choice<E: RawRepresentable>(_ key: String, _ cases: [E]) throws(BusDecodeError) -> E where E.RawValue == String
    /// A nested JSON object (in binary, its fields simply follow).
    func object(_ key: String) throws(BusDecodeError) -> Self
}

extension FieldReader {
    func time() throws(BusDecodeError) -> Timestamp { try time("time_ns") }

    func optionalUInt64(_ key: String) throws(BusDecodeError) -> UInt64? {
        guard try present(key) else { return nil }
        return try uint64(key)
    }

    func optionalString(_ key: String) throws(BusDecodeError) -> String? {
        guard try present(key) else { return nil }
        return try string(key)
    }

    func optionalDecimal(_ key: String) throws(BusDecodeError) -> FixedDecimal? {
        guard try present(key) else { return nil }
        return try decimal(key)
    }

    func optionalChoice<E: RawRepresentable>(_ key: String, _ cases: [E]) throws(BusDecodeError) -> E? where E.RawValue == String {
        guard try present(key) else { return nil }
        return try choice(key, cases)
    }

    /// The error for a string that is none of `cases`.
    func notAChoice<E: RawRepresentable>(_ key: String, _ text: String, _ cases: [E]) -> BusDecodeError where E.RawValue == String {
        let allowed = cases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        return .invalidValue(type: type, field: key, value: text, reason: "expected one of \(allowed)")
    }
}

/// Reads the fields of a message from its JSON object.
struct JSONFieldReader: FieldReader {
    let container: KeyedDecodingContainer<WireKey>
    let type: String

    init(container: KeyedDecodingContainer<WireKey>, type: String) {
        self.container = container
        self.type = type
    }

    func present(_ key: String) throws(BusDecodeError) -> Bool {
        let k = WireKey(key)
        guard container.contains(k) else { return false }
        return !((try? container.decodeNil(forKey: k)) ?? false)
    }

    private func value<T: Decodable>(_ key: String, _: T.Type, expected: String) throws(BusDecodeError) -> T {
        let k = WireKey(key)
        guard container.contains(k), !((try? container.decodeNil(forKey: k)) ?? false) else { throw .missingField(type: type, field: key) }
        do { return try container.decode(T.self, forKey: k) } catch {
            throw .wrongType(type: type, field: key, expected: expected)
        }
    }

    func string(_ key: String) throws(BusDecodeError) -> String { try value(key, String.self, expected: "a string") }
    func int(_ key: String) throws(BusDecodeError) -> Int { try value(key, Int.self, expected: "an integer") }
    func bool(_ key: String) throws(BusDecodeError) -> Bool { try value(key, Bool.self, expected: "true or false") }
    func uint64(_ key: String) throws(BusDecodeError) -> UInt64 { try value(key, UInt64.self, expected: "a non-negative integer") }

    func double(_ key: String) throws(BusDecodeError) -> Double {
        try value(key, Double.self, expected: "a number (or \"NaN\", \"Infinity\", \"-Infinity\")")
    }

    func time(_ key: String) throws(BusDecodeError) -> Timestamp {
        Timestamp(nanoseconds: try value(key, Int64.self, expected: "an integer (nanoseconds since the epoch)"))
    }

    func decimal(_ key: String) throws(BusDecodeError) -> FixedDecimal {
        let text = try value(key, String.self, expected: "a decimal string such as \"65000.1\"")
        do { return try FixedDecimal(parsing: text) } catch {
            throw .invalidValue(type: type, field: key, value: text, reason: error.reason)
        }
    }

    func choice<E: RawRepresentable>(_ key: String, _ cases: [E]) throws(BusDecodeError) -> E where E.RawValue == String {
        let text = try string(key)
        guard let value = E(rawValue: text) else { throw notAChoice(key, text, cases) }
        return value
    }

    func object(_ key: String) throws(BusDecodeError) -> JSONFieldReader {
        guard try present(key) else { throw .missingField(type: type, field: key) }
        do {
            return JSONFieldReader(container: try container.nestedContainer(keyedBy: WireKey.self, forKey: WireKey(key)), type: type)
        } catch {
            throw .wrongType(type: type, field: key, expected: "a JSON object")
        }
    }
}

/// Writes the fields of one message into the JSON envelope object, or appends them to `bytes`
/// in the binary form (no names, in order; see `BinaryWire`).
struct FieldWriter {
    private var json: KeyedEncodingContainer<WireKey>?
    /// The binary message so far (binary writers only).
    private(set) var bytes: [UInt8] = []
    private let isBinary: Bool

    init(container: KeyedEncodingContainer<WireKey>) {
        json = container
        isBinary = false
    }

    /// A binary writer whose bytes start with the header of a message of type `typeIndex`. It
    /// writes into `storage`'s memory (taken over, emptied); `takeBytes` hands it back.
    init(binaryTypeIndex typeIndex: UInt8, reusing storage: inout [UInt8]) {
        isBinary = true
        swap(&bytes, &storage)
        bytes.removeAll(keepingCapacity: true)
        bytes.append(BinaryWire.magic)
        bytes.append(BinaryWire.version)
        bytes.append(typeIndex)
    }

    /// Moves the bytes written into `storage`.
    mutating func takeBytes(into storage: inout [UInt8]) {
        swap(&bytes, &storage)
    }

    private mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func set(_ key: String, _ value: String) throws {
        guard isBinary else { return try json!.encode(value, forKey: WireKey(key)) }
        var text = value
        text.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func set(_ key: String, _ value: Int) throws {
        guard isBinary else { return try json!.encode(value, forKey: WireKey(key)) }
        fixed64(UInt64(bitPattern: Int64(value)))
    }

    mutating func set(_ key: String, _ value: Bool) throws {
        guard isBinary else { return try json!.encode(value, forKey: WireKey(key)) }
        bytes.append(value ? 1 : 0)
    }

    mutating func set(_ key: String, _ value: Double) throws {
        guard isBinary else { return try json!.encode(value, forKey: WireKey(key)) }
        fixed64(value.bitPattern)
    }

    /// Decimals go out as canonical decimal strings ("65000.1") in JSON, as the mantissa in binary.
    mutating func set(_ key: String, decimal value: FixedDecimal) throws {
        guard isBinary else { return try json!.encode(value.description, forKey: WireKey(key)) }
        withUnsafeBytes(of: value.mantissa.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func set(_ key: String, time: Timestamp) throws {
        guard isBinary else { return try json!.encode(time.nanoseconds, forKey: WireKey(key)) }
        fixed64(UInt64(bitPattern: time.nanoseconds))
    }

    /// Optional values are omitted from JSON when nil; in binary a presence byte comes first.
    mutating func setIfPresent(_ key: String, _ value: String?) throws {
        if isBinary { bytes.append(value == nil ? 0 : 1) }
        if let value { try set(key, value) }
    }

    mutating func setIfPresent(_ key: String, _ value: UInt64?) throws {
        guard isBinary else {
            if let value { try json!.encode(value, forKey: WireKey(key)) }
            return
        }
        bytes.append(value == nil ? 0 : 1)
        if let value { fixed64(value) }
    }

    mutating func setIfPresent(_ key: String, decimal value: FixedDecimal?) throws {
        if isBinary { bytes.append(value == nil ? 0 : 1) }
        if let value { try set(key, decimal: value) }
    }

    /// A nested JSON object written by `body` (in binary, its fields simply follow).
    mutating func nested(_ key: String, _ body: (inout FieldWriter) throws -> Void) throws {
        guard !isBinary else { return try body(&self) }
        var inner = FieldWriter(container: json!.nestedContainer(keyedBy: WireKey.self, forKey: WireKey(key)))
        try body(&inner)
    }
}
