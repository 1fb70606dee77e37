import HuracanCore

/// Signs Binance USD-M REST requests: HMAC-SHA256 (hex) over the exact urlencoded parameter string
/// sent, with `timestamp` and `recvWindow`, the signature appended last.
/// Source: developers.binance.com, USDⓈ-M Futures "General Info / SIGNED endpoint security";
/// vector in /work/shared/exchanges/binance-usdm.md §2.
public struct BinanceSigner: Sendable {
    public let credentials: VenueCredentials
    /// Milliseconds the request stays valid after `timestamp` (venue default 5000, max 60000).
    public var recvWindow: Int64

    public init(credentials: VenueCredentials, recvWindow: Int64 = 5000) {
        self.credentials = credentials
        self.recvWindow = recvWindow
    }

    /// Hex HMAC of `payload` with the account secret.
    public func signature(payload: String) -> String { HMACSigning.hex(secret: credentials.secret, message: payload) }

    /// The parameter string to send: `parameters`, then `timestamp` and `recvWindow`, then `signature`.
    public func signedQuery(_ parameters: [(String, String)], timestamp: Int64) -> String {
        let payload = HMACSigning.queryString(parameters + [("timestamp", String(timestamp)), ("recvWindow", String(recvWindow))])
        return payload + "&signature=" + signature(payload: payload)
    }

    /// The API-key header every authenticated request carries (listen-key calls need only this).
    public var headers: [(String, String)] { [("X-MBX-APIKEY", credentials.apiKey)] }
}
