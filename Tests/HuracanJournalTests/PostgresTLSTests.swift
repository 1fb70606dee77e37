import Foundation
import HuracanSQL
import HuracanTestSupport
import SQLKit
import Testing

/// `sslmode` on a PostgreSQL URL is honoured: the session is encrypted when asked, the server's
/// certificate is checked against `sslrootcert` with verify-ca / verify-full, and a failed check
/// is a clear error, not a plain-text fallback.
@Suite struct PostgresTLSTests {
    /// The shared test server (TLS on with a throwaway certificate) and that certificate; the
    /// test is skipped without PostgreSQL or openssl (see `MissingTool`).
    static func server() throws -> (server: PostgresServer, certificate: String) {
        let server = try PostgresServer.start()
        guard let certificate = server.certificateFile else {
            try MissingTool.skip("openssl (the PostgreSQL test server's certificate)", install: "apt-get install openssl")
        }
        return (server, certificate)
    }

    /// Whether the open session is encrypted, as the server sees it.
    static func encrypted(_ url: String) async throws -> Bool {
        try await SQLDatabaseHandle.with(url) { database in
            let row = try await database.sql.raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first()
            return try row?.decode(column: "ssl", as: Bool.self) ?? false
        }
    }

    @Test func sslModesEncryptAndVerifyAsAsked() async throws {
        let (server, certificate) = try Self.server()
        let url = try server.makeDatabase("tls")
        #expect(try await Self.encrypted(url + "?sslmode=disable") == false)
        #expect(try await Self.encrypted(url) == true, "the default (prefer) uses TLS when the server offers it")
        #expect(try await Self.encrypted(url + "?sslmode=require") == true)
        #expect(try await Self.encrypted(url + "?sslmode=verify-ca&sslrootcert=\(certificate)") == true)
        #expect(try await Self.encrypted(url + "?sslmode=verify-full&sslrootcert=\(certificate)") == true)
    }

    @Test func anUntrustedCertificateIsRefusedWithTheFix() async throws {
        let server = try Self.server().server
        let url = try server.makeDatabase("tls")
        // The system's authorities did not sign the throwaway certificate.
        let error = await #expect(throws: SQLDatabaseError.self) { try await Self.encrypted(url + "?sslmode=verify-full") }
        #expect(error?.cause == .tls)
        #expect(error?.description.contains("the TLS handshake failed") == true, "\(String(describing: error))")
        #expect(error?.description.contains("sslrootcert") == true)
    }

    @Test func badSettingsNameWhatIsWrong() async throws {
        #expect { try DatabaseURL("postgresql://u@h/db?sslmode=always") } throws: { ($0 as? SQLDatabaseError)?.cause == .invalidURL }
        #expect { try DatabaseURL("postgresql://u@h/db?ssl=true") } throws: { ($0 as? SQLDatabaseError)?.cause == .invalidURL }
        let url = try DatabaseURL("postgresql://u@h:5433/db?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(url == .postgres(host: "h", port: 5433, user: "u", database: "db", tls: PostgresTLS(mode: .verifyFull, rootCertificateFile: "/etc/ca.pem")))
        #expect(url.description == "postgresql://u@h:5433/db?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        let missing = await #expect(throws: SQLDatabaseError.self) { try await SQLDatabaseHandle.open("postgresql://u@127.0.0.1:1/db?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem") }
        #expect(missing?.cause == .tls && missing?.description.contains("cannot read sslrootcert /nonexistent/ca.pem") == true)
    }
}
