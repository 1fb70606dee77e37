import HuracanCore

/// Signs Bybit v5 requests: hex HMAC-SHA256 over `timestamp + apiKey + recvWindow + payload`, where
/// payload is the exact JSON body (POST) or the query string without `?` (GET).
/// Source: bybit-exchange.github.io/docs/v5/guide "Authentication"; vectors in
/// /work/shared/exchanges/bybit-v5.md §2.
public struct BybitSigner: Sendable {
    public let credentials: VenueCredentials
    public var recvWindow: Int64

    public init(credentials: VenueCredentials, recvWindow: Int64 = 5000) {
        self.credentials = credentials
        self.recvWindow = recvWindow
    }

    public func signature(timestamp: Int64, payload: String) -> String {
        HMACSigning.hex(secret: credentials.secret, message: String(timestamp) + credentials.apiKey + String(recvWindow) + payload)
    }

    /// The `X-BAPI-*` headers for a request whose payload is `payload`.
    public func headers(timestamp: Int64, payload: String) -> [(String, String)] {
        [
            ("X-BAPI-API-KEY", credentials.apiKey),
            ("X-BAPI-TIMESTAMP", String(timestamp)),
            ("X-BAPI-RECV-WINDOW", String(recvWindow)),
            ("X-BAPI-SIGN", signature(timestamp: timestamp, payload: payload)),
            ("Content-Type", "application/json"),
        ]
    }

    /// WebSocket auth signature: hex HMAC of `GET/realtime<expires>`.
    public func webSocketSignature(expires: Int64) -> String {
        HMACSigning.hex(secret: credentials.secret, message: "GET/realtime" + String(expires))
    }

    /// `{"op":"auth","args":[key, expires, signature]}` for the private and trade streams.
    public func authMessage(expires: Int64) -> String {
        "{\"op\":\"auth\",\"args\":[\(JSONValue.quote(credentials.apiKey)),\(expires),\"\(webSocketSignature(expires: expires))\"]}"
    }
}
