import HuracanCore

/// A JSON object key given by name; the wire format uses snake_case keys.
struct WireKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Reads typed fields of one message and turns every failure into a `BusDecodeError` naming
/// the message type and the field.
struct FieldReader {
    let container: KeyedDecodingContainer<WireKey>
    /// The envelope `type` (or "envelope"), for error messages.
    let type: String

    private func present(_ key: String) -> Bool {
        let k = WireKey(key)
        guard container.contains(k) else { return false }
        return !((try? container.decodeNil(forKey: k)) ?? false)
    }

    func require<T: Decodable>(_ key: String, _: T.Type, expected: String) throws(BusDecodeError) -> T {
        guard present(key) else { throw .missingField(type: type, field: key) }
        do { return try container.decode(T.self, forKey: WireKey(key)) } catch {
            throw .wrongType(type: type, field: key, expected: expected)
        }
    }

    func string(_ key: String) throws(BusDecodeError) -> String { try require(key, String.self, expected: "a string") }
    func int(_ key: String) throws(BusDecodeError) -> Int { try require(key, Int.self, expected: "an integer") }
    func bool(_ key: String) throws(BusDecodeError) -> Bool { try require(key, Bool.self, expected: "true or false") }
    func double(_ key: String) throws(BusDecodeError) -> Double {
        try require(key, Double.self, expected: "a number (or \"NaN\", \"Infinity\", \"-Infinity\")")
    }

    func time(_ key: String = "time_ns") throws(BusDecodeError) -> Timestamp {
        Timestamp(nanoseconds: try require(key, Int64.self, expected: "an integer (nanoseconds since the epoch)"))
    }

    func optionalUInt64(_ key: String) throws(BusDecodeError) -> UInt64? {
        guard present(key) else { return nil }
        return try require(key, UInt64.self, expected: "a non-negative integer")
    }

    func optionalString(_ key: String) throws(BusDecodeError) -> String? {
        guard present(key) else { return nil }
        return try string(key)
    }

    /// A decimal string, parsed exactly with `FixedDecimal(parsing:)`. JSON numbers are refused:
    /// they would pass through binary floating point in most readers.
    func decimal(_ key: String) throws(BusDecodeError) -> FixedDecimal {
        let text = try require(key, String.self, expected: "a decimal string such as \"65000.1\"")
        do { return try FixedDecimal(parsing: text) } catch {
            throw .invalidValue(type: type, field: key, value: text, reason: error.reason)
        }
    }

    func optionalDecimal(_ key: String) throws(BusDecodeError) -> FixedDecimal? {
        guard present(key) else { return nil }
        return try decimal(key)
    }

    /// One of the raw values of `cases`.
    func choice<E: RawRepresentable>(_ key: String, _ cases: [E]) throws(BusDecodeError) -> E where E.RawValue == String {
        let text = try string(key)
        guard let value = E(rawValue: text) else {
            let allowed = cases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw .invalidValue(type: type, field: key, value: text, reason: "expected one of \(allowed)")
        }
        return value
    }

    func optionalChoice<E: RawRepresentable>(_ key: String, _ cases: [E]) throws(BusDecodeError) -> E? where E.RawValue == String {
        guard present(key) else { return nil }
        return try choice(key, cases)
    }

    /// A nested JSON object.
    func object(_ key: String) throws(BusDecodeError) -> FieldReader {
        guard present(key) else { throw .missingField(type: type, field: key) }
        do {
            return FieldReader(container: try container.nestedContainer(keyedBy: WireKey.self, forKey: WireKey(key)), type: type)
        } catch {
            throw .wrongType(type: type, field: key, expected: "a JSON object")
        }
    }
}

/// Writes the fields of one message into the envelope object.
struct FieldWriter {
    var container: KeyedEncodingContainer<WireKey>

    mutating func set(_ key: String, _ value: some Encodable) throws {
        try container.encode(value, forKey: WireKey(key))
    }

    /// Decimals go out as canonical decimal strings ("65000.1").
    mutating func set(_ key: String, decimal value: FixedDecimal) throws {
        try container.encode(value.description, forKey: WireKey(key))
    }

    /// Optional values are omitted when nil.
    mutating func setIfPresent(_ key: String, _ value: (some Encodable)?) throws {
        if let value { try set(key, value) }
    }

    mutating func set(_ key: String, time: Timestamp) throws {
        try container.encode(time.nanoseconds, forKey: WireKey(key))
    }

    mutating func nested(_ key: String) -> FieldWriter {
        FieldWriter(container: container.nestedContainer(keyedBy: WireKey.self, forKey: WireKey(key)))
    }
}
