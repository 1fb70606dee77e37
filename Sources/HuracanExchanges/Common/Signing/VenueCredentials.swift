/// API credentials of one venue account. Nothing here ever prints: `description`, `debugDescription`
/// and reflection (`dump`, string interpolation of containing structs) show only where the key came
/// from, so keys cannot leak into logs, metrics or error messages.
public struct VenueCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let apiKey: String
    public let secret: String
    /// OKX passphrase (set when the key was created); nil for Binance and Bybit.
    public let passphrase: String?
    /// Where the credentials came from, e.g. `environment HURACAN_BINANCE_API_KEY`.
    public let origin: String

    public init(apiKey: String, secret: String, passphrase: String? = nil, origin: String) {
        self.apiKey = apiKey
        self.secret = secret
        self.passphrase = passphrase
        self.origin = origin
    }

    public var description: String { "<credentials from \(origin)>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["origin": origin], displayStyle: .struct) }

    /// The API key's last four characters, for telling keys apart in reports.
    public var keyHint: String { apiKey.count > 8 ? "…" + String(apiKey.suffix(4)) : "…" }
}
