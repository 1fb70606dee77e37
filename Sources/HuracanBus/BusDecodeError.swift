/// Why bytes read from the bus are not a valid `BusMessage`; the description names the field.
public enum BusDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not JSON at all (or truncated JSON).
    case malformedJSON(detail: String)
    /// Binary bytes (header 0xB5) that are truncated or inconsistent.
    case malformedBinary(detail: String)
    /// Valid JSON, but the top level is not an object.
    case notAnObject
    /// The envelope's `v` is not a version this engine reads.
    case unsupportedVersion(Int)
    /// The envelope's `type` is not one of the known message types.
    case unknownType(String)
    /// A required field is absent (or null).
    case missingField(type: String, field: String)
    /// A field has the wrong JSON type.
    case wrongType(type: String, field: String, expected: String)
    /// A field has the right JSON type but a value that is not allowed.
    case invalidValue(type: String, field: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .malformedJSON(let detail):
            "bus message: not valid JSON (\(detail)); expected a JSON object {\"v\":1,\"type\":...}"
        case .malformedBinary(let detail):
            "bus message: malformed binary encoding (\(detail))"
        case .notAnObject:
            "bus message: top level is not a JSON object; expected {\"v\":1,\"type\":...}"
        case .unsupportedVersion(let version):
            "bus message: unsupported envelope version v=\(version); this engine reads v=\(BusCodec.version)"
        case .unknownType(let type):
            "bus message: unknown type \"\(type)\"; expected one of \(BusMessage.typeNames.joined(separator: ", "))"
        case .missingField(let type, let field):
            "bus message \(type): missing field \"\(field)\""
        case .wrongType(let type, let field, let expected):
            "bus message \(type): field \"\(field)\" must be \(expected)"
        case .invalidValue(let type, let field, let value, let reason):
            "bus message \(type): field \"\(field)\" has invalid value \"\(value)\": \(reason)"
        }
    }
}
