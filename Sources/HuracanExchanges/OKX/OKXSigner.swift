import HuracanCore

/// Signs OKX v5 requests: base64 HMAC-SHA256 over `timestamp + METHOD + requestPath + body`,
/// with the passphrase in its own header. Source: okx.com docs-v5 "REST Authentication";
/// vectors in /work/shared/exchanges/okx-v5.md §2.
public struct OKXSigner: Sendable {
    public let credentials: VenueCredentials
    /// Adds `x-simulated-trading: 1` (demo trading).
    public var isDemo: Bool

    public init(credentials: VenueCredentials, isDemo: Bool = false) {
        self.credentials = credentials
        self.isDemo = isDemo
    }

    /// Base64 HMAC of the prehash string.
    public func signature(prehash: String) -> String { HMACSigning.base64(secret: credentials.secret, message: prehash) }

    /// Headers for `method` on `requestPath` (with `?query` for GET) and `body` (exact JSON sent, "" for GET).
    public func headers(method: String, requestPath: String, body: String, time: Timestamp) -> [(String, String)] {
        let stamp = Self.isoTimestamp(time)
        var headers = [
            ("OK-ACCESS-KEY", credentials.apiKey),
            ("OK-ACCESS-SIGN", signature(prehash: stamp + method.uppercased() + requestPath + body)),
            ("OK-ACCESS-TIMESTAMP", stamp),
            ("OK-ACCESS-PASSPHRASE", credentials.passphrase ?? ""),
            ("Content-Type", "application/json"),
        ]
        if isDemo { headers.append(("x-simulated-trading", "1")) }
        return headers
    }

    /// The WebSocket login message (private and business URLs): sign `<seconds>GET/users/self/verify`.
    public func loginMessage(time: Timestamp) -> String {
        let seconds = String(time.nanoseconds / 1_000_000_000)
        let sign = signature(prehash: seconds + "GET" + "/users/self/verify")
        return "{\"op\":\"login\",\"args\":[{\"apiKey\":\(JSONValue.quote(credentials.apiKey)),\"passphrase\":\(JSONValue.quote(credentials.passphrase ?? "")),\"timestamp\":\"\(seconds)\",\"sign\":\"\(sign)\"}]}"
    }

    /// ISO-8601 UTC with milliseconds: `2025-01-01T00:00:00.000Z`.
    public static func isoTimestamp(_ time: Timestamp) -> String {
        let ms = time.milliseconds
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let date = UTCDate(daysSinceEpoch: days)
        let inDay = ms - days * 86_400_000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(date)T\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
    }
}
