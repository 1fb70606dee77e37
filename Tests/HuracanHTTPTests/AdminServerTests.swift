import Foundation
import HuracanCore
import Hummingbird
import HummingbirdTesting
import HuracanHTTP
import Synchronization
import Testing

/// Records what the admin interface asked for.
final class RecordingBackend: AdminBackend {
    let calls = Locked<[String]>([])
    func statusJSON() -> String { "{\"activeCoins\": 20}\n" }
    let ready = Locked(true)
    func readiness() -> (ready: Bool, json: String) {
        let isReady = ready.withLock { $0 }
        return (isReady, "{\"ready\": \(isReady)}\n")
    }
    func metricsText() -> String { "# TYPE huracan_active_coins gauge\nhuracan_active_coins 20\n" }
    func riskJSON() -> String { "{\"tradingState\": \"ACTIVE\"}\n" }
    func scale(activeCoins: Int?, maxActiveTrades: Int?) throws(AdminError) -> String {
        if let activeCoins, activeCoins > 400 { throw AdminError("active_coins must be between 1 and max_coins (400), got \(activeCoins)") }
        calls.withLock { $0.append("scale \(activeCoins.map(String.init) ?? "-") \(maxActiveTrades.map(String.init) ?? "-")") }
        return "ok"
    }
    func setKillSwitch(_ on: Bool) -> String {
        calls.withLock { $0.append("kill \(on)") }
        return "kill switch \(on)"
    }
}

@Suite struct AdminServerTests {
    func app(token: String?, backend: RecordingBackend) -> some ApplicationProtocol {
        Application(router: AdminServer(backend: backend, token: token).router())
    }

    @Test func healthAndStatusNeedNoToken() async throws {
        let backend = RecordingBackend()
        try await app(token: "secret", backend: backend).test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            backend.ready.withLock { $0 = false }
            try await client.execute(uri: "/ready", method: .get) {
                #expect($0.status == .serviceUnavailable)
                #expect(String(buffer: $0.body).contains("\"ready\": false"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body).contains("huracan_active_coins 20"))
            }
            try await client.execute(uri: "/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"activeCoins\": 20"))
            }
        }
    }

    @Test func adminCallsNeedTheBearerToken() async throws {
        let backend = RecordingBackend()
        try await app(token: "secret", backend: backend).test(.live) { client in
            let body = ByteBuffer(string: "{\"active_coins\": 100}")
            try await client.execute(uri: "/admin/scale", method: .post, body: body) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/admin/scale", method: .post, headers: [.authorization: "Bearer wrong"], body: body) {
                #expect($0.status == .unauthorized)
                #expect(!String(buffer: $0.body).contains("secret"))
            }
            try await client.execute(uri: "/admin/scale", method: .post, headers: [.authorization: "Bearer secret"], body: body) {
                #expect($0.status == .accepted)
            }
            try await client.execute(uri: "/admin/kill-switch", method: .post, headers: [.authorization: "Bearer secret"],
                                     body: ByteBuffer(string: "{\"on\": true}")) { #expect($0.status == .ok) }
        }
        #expect(backend.calls.withLock { $0 } == ["scale 100 -", "kill true"])
    }

    @Test func badRequestsAreRefusedWithTheReason() async throws {
        let backend = RecordingBackend()
        try await app(token: "secret", backend: backend).test(.live) { client in
            let headers: HTTPFields = [.authorization: "Bearer secret"]
            try await client.execute(uri: "/admin/scale", method: .post, headers: headers, body: ByteBuffer(string: "{\"active_coins\": 401}")) {
                #expect($0.status == .badRequest)
                #expect(String(buffer: $0.body).contains("got 401"))
            }
            try await client.execute(uri: "/admin/scale", method: .post, headers: headers, body: ByteBuffer(string: "{}")) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/admin/scale", method: .post, headers: headers, body: ByteBuffer(string: "not json")) {
                #expect($0.status == .badRequest)
            }
        }
        #expect(backend.calls.withLock { $0 }.isEmpty)
    }

    @Test func adminCallsAreDisabledWithoutAToken() async throws {
        try await app(token: nil, backend: RecordingBackend()).test(.live) { client in
            try await client.execute(uri: "/admin/scale", method: .post, headers: [.authorization: "Bearer "],
                                     body: ByteBuffer(string: "{\"active_coins\": 100}")) {
                #expect($0.status == .forbidden)
            }
        }
    }
}
