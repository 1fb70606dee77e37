import Foundation
import Hummingbird
import HuracanCore

/// The engine's HTTP interface on 127.0.0.1 (by default): `GET /health` (alive), `GET /ready`
/// (readiness checks; 503 when not ready), `GET /status`,
/// `GET /risk`, `GET /metrics` (Prometheus), and
/// admin calls that need `Authorization: Bearer <token>`:
/// `POST /admin/scale` `{"active_coins": 100, "max_active_trades": 200}` and
/// `POST /admin/kill-switch` `{"on": true}`.
public struct AdminServer: Sendable {
    public let backend: any AdminBackend
    /// The admin bearer token; admin calls are refused when it is nil.
    let token: String?

    public init(backend: any AdminBackend, token: String?) {
        self.backend = backend
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    struct ScaleRequest: Decodable {
        var active_coins: Int?
        var max_active_trades: Int?
    }

    struct KillSwitchRequest: Decodable {
        var on: Bool
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("health") { _, _ in json("{\"status\": \"alive\"}\n") }
        router.get("ready") { _, _ -> Response in
            let (ready, body) = backend.readiness()
            return Response(status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("status") { _, _ in json(backend.statusJSON()) }
        router.get("risk") { _, _ in json(backend.riskJSON()) }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: backend.metricsText())))
        }
        let admin = router.group("admin").add(middleware: BearerTokenMiddleware(token: token))
        admin.post("scale") { request, context -> Response in
            let body = try await request.decode(as: ScaleRequest.self, context: context)
            guard body.active_coins != nil || body.max_active_trades != nil else {
                return message(.badRequest, "give active_coins and/or max_active_trades")
            }
            do {
                return message(.accepted, try backend.scale(activeCoins: body.active_coins, maxActiveTrades: body.max_active_trades))
            } catch {
                return message(.badRequest, (error as? AdminError)?.message ?? "\(error)")
            }
        }
        admin.post("kill-switch") { request, context -> Response in
            let body = try await request.decode(as: KillSwitchRequest.self, context: context)
            return message(.ok, backend.setKillSwitch(body.on))
        }
        return router
    }

    /// The server as a service for a `ServiceGroup`.
    public func application(host: String, port: Int) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "huracan"))
    }
}

/// Refuses requests without the right bearer token (constant-time comparison).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else {
            return message(.forbidden, "admin calls are disabled: set the variable named by engine.observability.admin_token_env")
        }
        let header = request.headers[.authorization] ?? ""
        let given = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        guard constantTimeEqual(Array(given.utf8), Array(token.utf8)) else {
            return message(.unauthorized, "missing or wrong bearer token")
        }
        return try await next(request, context)
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(a.count == b.count ? 0 : 1)
    for i in 0..<max(a.count, b.count) { difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
    return difference == 0
}

func json(_ text: String) -> Response {
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

func message(_ status: HTTPResponse.Status, _ text: String) -> Response {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    return Response(status: status, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: "{\"message\": \"\(escaped)\"}\n")))
}
