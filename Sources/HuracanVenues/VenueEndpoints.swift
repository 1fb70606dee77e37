import HuracanCore

/// Base URLs of one venue: REST, public and private WebSocket. Production and testnet/demo
/// defaults from each venue's docs (/work/shared/exchanges/*.md §1); every URL is configurable.
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

    public static func production(_ venue: VenueID) -> VenueEndpoints {
        switch venue {
        case .binance: VenueEndpoints(rest: "https://fapi.binance.com", publicWebSocket: "wss://fstream.binance.com/ws", privateWebSocket: "wss://fstream.binance.com/ws")
        case .okx: VenueEndpoints(rest: "https://www.okx.com", publicWebSocket: "wss://ws.okx.com:8443/ws/v5/public", privateWebSocket: "wss://ws.okx.com:8443/ws/v5/private")
        case .bybit: VenueEndpoints(rest: "https://api.bybit.com", publicWebSocket: "wss://stream.bybit.com/v5/public/linear", privateWebSocket: "wss://stream.bybit.com/v5/private")
        }
    }

    /// Binance demo futures, OKX demo trading, Bybit testnet.
    public static func testnet(_ venue: VenueID) -> VenueEndpoints {
        switch venue {
        case .binance: VenueEndpoints(rest: "https://demo-fapi.binance.com", publicWebSocket: "wss://demo-fstream.binance.com/ws", privateWebSocket: "wss://demo-fstream.binance.com/ws")
        case .okx: VenueEndpoints(rest: "https://www.okx.com", publicWebSocket: "wss://wspap.okx.com:8443/ws/v5/public", privateWebSocket: "wss://wspap.okx.com:8443/ws/v5/private", isDemo: true)
        case .bybit: VenueEndpoints(rest: "https://api-testnet.bybit.com", publicWebSocket: "wss://stream-testnet.bybit.com/v5/public/linear", privateWebSocket: "wss://stream-testnet.bybit.com/v5/private")
        }
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
