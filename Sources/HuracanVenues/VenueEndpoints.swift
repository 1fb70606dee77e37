import HuracanCore

/// Base URLs of one venue: REST, public and private WebSocket. The production and testnet/demo
/// hosts are configuration defaults (`engine.venues.<venue>`, from each venue's docs); this type
/// adds each venue's stream paths to them.
public struct VenueEndpoints: Sendable, Hashable {
    public var rest: String
    public var publicWebSocket: String
    /// Binance: the user-data base (`…/ws`, the listen key is appended as `/<key>`).
    public var privateWebSocket: String
    /// OKX demo trading (`x-simulated-trading: 1`).
    public var isDemo: Bool

    public init(rest: String, publicWebSocket: String, privateWebSocket: String, isDemo: Bool = false) {
        self.rest = rest
        self.publicWebSocket = publicWebSocket
        self.privateWebSocket = privateWebSocket
        self.isDemo = isDemo
    }

    /// Endpoints from configured base URLs (`engine.venues.<venue>.rest_url` / `ws_url` and their
    /// testnet twins: scheme and host, no path); each venue's documented stream paths are appended.
    public static func configured(_ venue: VenueID, rest: String, webSocket: String, demo: Bool = false) -> VenueEndpoints {
        func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }
        let http = trimmed(rest), ws = trimmed(webSocket)
        switch venue {
        case .binance: return VenueEndpoints(rest: http, publicWebSocket: ws + "/ws", privateWebSocket: ws + "/ws")
        case .okx: return VenueEndpoints(rest: http, publicWebSocket: ws + "/ws/v5/public", privateWebSocket: ws + "/ws/v5/private", isDemo: demo)
        case .bybit: return VenueEndpoints(rest: http, publicWebSocket: ws + "/v5/public/linear", privateWebSocket: ws + "/v5/private")
        }
    }

    /// A fake venue (tests): every URL on one local HTTP/WebSocket server.
    public static func local(_ venue: VenueID, port: Int) -> VenueEndpoints {
        configured(venue, rest: "http://127.0.0.1:\(port)", webSocket: "ws://127.0.0.1:\(port)")
    }
}
