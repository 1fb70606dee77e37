import Foundation
import HuracanCore
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway redis-server on a free 127.0.0.1 port, with its data in a temporary folder
/// (append-only file, fsync always, so a restart keeps every acknowledged write).
public final class RedisServer: Sendable {
    public let port: Int
    public let directory: URL
    public let password: String?
    /// With TLS: the CA certificate clients must trust (the server then accepts only TLS).
    public let caFile: String?
    /// The running server, if any (tests may kill and restart it from any task).
    private let process = Locked<Process?>(nil)

    /// Starts a server; without redis-server installed the calling test is skipped with the
    /// reason (a failure under `HURACAN_REQUIRE_SERVERS=1`, see `MissingTool`).
    public static func start(password: String? = nil, tls: Bool = false, label: String = "redis") throws -> RedisServer {
        _ = try MissingTool.path("redis-server", install: "apt-get install redis-server")
        let directory = TestPaths.temporaryDirectory(label)
        let server = RedisServer(port: try FreePorts.take(), directory: directory, password: password,
                                 caFile: tls ? try makeCertificates(in: directory) : nil)
        try server.start()
        return server
    }

    init(port: Int, directory: URL, password: String?, caFile: String?) {
        self.port = port
        self.directory = directory
        self.password = password
        self.caFile = caFile
    }

    /// Starts (or restarts, on the same port and data) the server and waits until it answers.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ExternalTool.find("redis-server")!)
        var arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--save", "",
            "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--logfile", directory.appendingPathComponent("redis.log").path,
        ]
        if let password { arguments += ["--requirepass", password] }
        if caFile != nil {
            let d = directory.path
            arguments[1] = "0"
            arguments += ["--tls-port", String(port), "--tls-cert-file", "\(d)/server.crt", "--tls-key-file", "\(d)/server.key",
                          "--tls-ca-cert-file", "\(d)/ca.crt", "--tls-auth-clients", "no"]
        }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process.withLock { $0 = process }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.answers(port: port) { return }
            usleep(20_000)
        }
        throw TestSupportError.serverDidNotStart("redis-server on port \(port); log: \(directory.path)/redis.log")
    }

    /// A throwaway CA and a server certificate for 127.0.0.1 (openssl) in `directory`; returns
    /// the CA certificate's path.
    static func makeCertificates(in directory: URL) throws -> String {
        guard let openssl = ExternalTool.find("openssl") else { throw TestSupportError.missingTool("openssl") }
        let d = directory.path
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=huracan test CA", "-keyout", "\(d)/ca.key", "-out", "\(d)/ca.crt"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "\(d)/server.key", "-out", "\(d)/server.csr"],
        ]
        for step in steps {
            let (status, output) = try ExternalTool.run(openssl, step)
            guard status == 0 else { throw TestSupportError.serverDidNotStart("openssl \(step[0]): \(output)") }
        }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: "\(d)/san.ext", atomically: true, encoding: .utf8)
        let (status, output) = try ExternalTool.run(openssl, ["x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key",
                                                             "-CAcreateserial", "-days", "2", "-extfile", "\(d)/san.ext", "-out", "\(d)/server.crt"])
        guard status == 0 else { throw TestSupportError.serverDidNotStart("openssl x509: \(output)") }
        return "\(d)/ca.crt"
    }

    /// Kills the server (SIGKILL: no chance to save beyond what the append-only file has).
    public func kill() {
        guard let running = process.withLock({ $0.take() }) else { return }
        Glibc.kill(running.processIdentifier, SIGKILL)
        running.waitUntilExit()
    }

    /// Stops the server and removes its data.
    public func stop() {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { if let running = process.withLock({ $0 }) { Glibc.kill(running.processIdentifier, SIGKILL) } }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func answers(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Why a test helper could not provide its server.
public enum TestSupportError: Error, CustomStringConvertible {
    case missingTool(String)
    case serverDidNotStart(String)
    public var description: String {
        switch self {
        case .missingTool(let tool): "required tool is missing: \(tool)"
        case .serverDidNotStart(let what): "server did not start: \(what)"
        }
    }
}
