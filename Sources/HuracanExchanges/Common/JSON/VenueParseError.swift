import HuracanCore

/// A venue payload we cannot use: names the venue, the message, the field and what is wrong,
/// e.g. `binance ORDER_TRADE_UPDATE: field o.X: unknown order status "FOO"`.
public struct VenueParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var venue: VenueID
    public var message: String
    public var field: String
    public var reason: String

    public init(venue: VenueID, message: String, field: String, reason: String) {
        self.venue = venue
        self.message = message
        self.field = field
        self.reason = reason
    }

    public var description: String {
        field.isEmpty ? "\(venue) \(message): \(reason)" : "\(venue) \(message): field \(field): \(reason)"
    }
}

/// Reads fields of one JSON object with errors that say where they are. Unknown fields are
/// ignored; missing or mistyped fields we need are errors.
public struct JSONFields: Sendable {
    public let fields: [String: JSONValue]
    public let venue: VenueID
    public let message: String
    /// Dotted path of this object inside the message ("" at the top, "o", "data[0]").
    public let path: String

    public init(_ value: JSONValue, venue: VenueID, message: String, path: String = "") throws(VenueParseError) {
        guard case .object(let fields) = value else {
            throw VenueParseError(venue: venue, message: message, field: path, reason: "expected an object, got \(value.typeName)")
        }
        self.fields = fields
        self.venue = venue
        self.message = message
        self.path = path
    }

    /// Parses `bytes` as one JSON object message.
    public static func parse(_ bytes: some Collection<UInt8>, venue: VenueID, message: String) throws(VenueParseError) -> JSONFields {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch {
            throw VenueParseError(venue: venue, message: message, field: "", reason: error.description)
        }
        return try JSONFields(value, venue: venue, message: message)
    }

    public func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String, _ reason: String) -> VenueParseError {
        VenueParseError(venue: venue, message: message, field: fieldPath(key), reason: reason)
    }

    public func has(_ key: String) -> Bool {
        if let value = fields[key], value != .null { return true }
        return false
    }

    public func value(_ key: String) throws(VenueParseError) -> JSONValue {
        guard let value = fields[key], value != .null else { throw error(key, "missing") }
        return value
    }

    /// A string field (numbers are accepted as their text).
    public func string(_ key: String) throws(VenueParseError) -> String {
        switch try value(key) {
        case .string(let s): return s
        case .number(let n): return n
        case let other: throw error(key, "expected a string, got \(other.typeName)")
        }
    }

    public func optionalString(_ key: String) throws(VenueParseError) -> String? {
        has(key) ? try string(key) : nil
    }

    /// An exact decimal from a string or number field.
    public func decimal(_ key: String) throws(VenueParseError) -> FixedDecimal {
        let text = try string(key)
        do { return try FixedDecimal(parsing: text) } catch { throw self.error(key, error.description) }
    }

    /// A decimal that may be absent, null or "" (OKX sends "" for not applicable).
    public func optionalDecimal(_ key: String) throws(VenueParseError) -> FixedDecimal? {
        guard has(key) else { return nil }
        let text = try string(key)
        if text.isEmpty { return nil }
        do { return try FixedDecimal(parsing: text) } catch { throw self.error(key, error.description) }
    }

    /// A 64-bit integer from a number or a string ("1733011200691").
    public func int64(_ key: String) throws(VenueParseError) -> Int64 {
        let text = try string(key)
        guard let value = Int64(text) else { throw error(key, "expected an integer, got \"\(text)\"") }
        return value
    }

    public func optionalInt64(_ key: String) throws(VenueParseError) -> Int64? {
        guard has(key) else { return nil }
        let text = try string(key)
        if text.isEmpty { return nil }
        guard let value = Int64(text) else { throw error(key, "expected an integer, got \"\(text)\"") }
        return value
    }

    /// A boolean from `true`/`false` or the strings "true"/"false" (OKX).
    public func bool(_ key: String) throws(VenueParseError) -> Bool {
        switch try value(key) {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        case let other: throw error(key, "expected a boolean, got \(other.jsonText)")
        }
    }

    public func optionalBool(_ key: String) throws(VenueParseError) -> Bool? { has(key) ? try bool(key) : nil }

    public func object(_ key: String) throws(VenueParseError) -> JSONFields {
        try JSONFields(try value(key), venue: venue, message: message, path: fieldPath(key))
    }

    public func array(_ key: String) throws(VenueParseError) -> [JSONValue] {
        guard case .array(let items) = try value(key) else { throw error(key, "expected an array") }
        return items
    }

    /// An array of objects, each with its indexed path (`data[2]`).
    public func objects(_ key: String) throws(VenueParseError) -> [JSONFields] {
        var result: [JSONFields] = []
        for (i, item) in try array(key).enumerated() {
            result.append(try JSONFields(item, venue: venue, message: message, path: "\(fieldPath(key))[\(i)]"))
        }
        return result
    }

    /// Book levels `[[price, size, ...], ...]` (extra entries such as OKX's order count ignored).
    public func levels(_ key: String) throws(VenueParseError) -> [PriceLevel] {
        var result: [PriceLevel] = []
        for (i, item) in try array(key).enumerated() {
            let at = "\(key)[\(i)]"
            guard case .array(let pair) = item, pair.count >= 2 else { throw error(at, "expected [price, size]") }
            guard let priceText = pair[0].scalarText, let sizeText = pair[1].scalarText else {
                throw error(at, "expected price and size as strings")
            }
            do {
                result.append(PriceLevel(price: try FixedDecimal(parsing: priceText), size: try FixedDecimal(parsing: sizeText),
                                         priceText: priceText, sizeText: sizeText))
            } catch { throw self.error(at, error.description) }
        }
        return result
    }

    /// Maps a string field through `table`; an unknown value is an error naming it.
    public func mapped<T>(_ key: String, _ what: String, _ table: [String: T]) throws(VenueParseError) -> T {
        let text = try string(key)
        guard let value = table[text] else { throw error(key, "unknown \(what) \"\(text)\"") }
        return value
    }
}

extension JSONValue {
    /// The text of a string or number value.
    public var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        default: nil
        }
    }
}

/// One level of a venue's book as received: exact values plus, when kept, the wire text (OKX
/// checksums are computed over the exact strings the venue sent).
public struct PriceLevel: Sendable, Hashable {
    public var price: FixedDecimal
    public var size: FixedDecimal
    public var priceText: String?
    public var sizeText: String?

    @inlinable public init(price: FixedDecimal, size: FixedDecimal, priceText: String? = nil, sizeText: String? = nil) {
        self.price = price
        self.size = size
        self.priceText = priceText
        self.sizeText = sizeText
    }

    /// The text the venue sent, or the canonical decimal when it was not kept.
    public var wirePrice: String { priceText ?? price.description }
    public var wireSize: String { sizeText ?? size.description }
}
