import Foundation
import HuracanCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on
/// a free 127.0.0.1 port, trust authentication, stopped and deleted when the test process ends.
/// Run as root, the server runs as the `postgres` user (initdb refuses root) via `runuser`.
/// One server per test process; each test takes its own database (`makeDatabase`). When
/// `openssl` is installed the server also offers TLS with a throwaway self-signed certificate
/// for `localhost` and 127.0.0.1 (`certificateFile`).
public final class PostgresServer: Sendable {
    public let port: Int
    public let dataDirectory: String
    /// The server's self-signed certificate (PEM), to trust as `sslrootcert`; nil without TLS.
    public let certificateFile: String?
    public let user = "huracan"
    let binaries: String
    let runAs: String?
    let options: String
    let logFile: String

    private static let shared = Locked<PostgresServer?>(nil)
    private static let counter = Atomic<Int>(0)
    /// Servers to stop and delete when the test process ends.
    private static let started = Locked<[(pgctl: String, data: String, runAs: String?)]>([])

    private init(port: Int, dataDirectory: String, certificateFile: String?, binaries: String, runAs: String?, options: String, logFile: String) {
        self.options = options
        self.logFile = logFile
        self.port = port
        self.dataDirectory = dataDirectory
        self.certificateFile = certificateFile
        self.binaries = binaries
        self.runAs = runAs
    }

    /// The shared server, started on first use; without PostgreSQL installed the calling test is
    /// skipped with the reason (a failure under `HURACAN_REQUIRE_SERVERS=1`, see `MissingTool`).
    public static func start() throws -> PostgresServer {
        let binaries = try installedBinaries()
        return try shared.withLock { server in
            if let server { return server }
            let started = try launch(binaries: binaries)
            server = started
            return started
        }
    }

    /// A server of the caller's own (for tests that stop and restart it), deleted when the test
    /// process ends; skips the test when PostgreSQL is not installed, as `start()`.
    public static func startOwn() throws -> PostgresServer {
        try launch(binaries: try installedBinaries())
    }

    /// The folder of initdb and pg_ctl; a test without them is skipped (see `MissingTool`).
    private static func installedBinaries() throws -> String {
        let initdb = try MissingTool.path("initdb", install: "apt-get install postgresql")
        _ = try MissingTool.path("pg_ctl", install: "apt-get install postgresql")
        return URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// Stops the server (fast shutdown: sessions are ended, as when an operator restarts it).
    public func stop() throws {
        let result = try Self.run(binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], runAs: runAs)
        guard result.status == 0 else { throw LauncherError("pg_ctl stop failed: \(result.output)") }
    }

    /// Starts the stopped server again on the same port with the same data.
    public func restart() throws {
        let result = try Self.run(binaries + "/pg_ctl", ["-D", dataDirectory, "-o", options, "-l", logFile, "-w", "-t", "60", "start"], runAs: runAs)
        guard result.status == 0 else { throw LauncherError("pg_ctl start failed: \(result.output)") }
    }

    /// A new empty database on the shared server; returns its URL (`postgresql://huracan@127.0.0.1:PORT/NAME`).
    public func makeDatabase(_ prefix: String = "test") throws -> String {
        let name = "\(prefix)_\(ProcessInfo.processInfo.processIdentifier)_\(Self.counter.add(1, ordering: .relaxed).newValue)"
        let result = try Self.run(binaries + "/createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", user, name], runAs: nil)
        guard result.status == 0 else { throw LauncherError("createdb \(name) failed: \(result.output)") }
        return "postgresql://\(user)@127.0.0.1:\(port)/\(name)"
    }

    private static func launch(binaries: String) throws -> PostgresServer {
        let runAs: String? = getuid() == 0 ? "postgres" : nil
        let folder = TestPaths.temporaryDirectory("huracan-pg")
        let data = folder.appendingPathComponent("data").path
        let certificate = try makeCertificate(in: folder)
        if let runAs {
            // initdb refuses to run as root: hand the folder to the postgres user.
            let chown = try run("/usr/bin/chown", ["-R", runAs, folder.path], runAs: nil)
            guard chown.status == 0 else { throw LauncherError("chown \(folder.path) to \(runAs) failed: \(chown.output)") }
        }
        let initdb = try run(binaries + "/initdb", ["-D", data, "-U", "huracan", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], runAs: runAs)
        guard initdb.status == 0 else { throw LauncherError("initdb failed: \(initdb.output)") }
        var lastError = ""
        for _ in 0..<5 {
            let port = try FreePorts.take()
            var options = "-p \(port) -k \(folder.path) -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
            if let certificate { options += " -c ssl=on -c ssl_cert_file=\(certificate.certificate) -c ssl_key_file=\(certificate.key)" }
            let logFile = folder.appendingPathComponent("server.log").path
            let start = try run(binaries + "/pg_ctl", ["-D", data, "-o", options, "-l", logFile, "-w", "-t", "60", "start"], runAs: runAs)
            if start.status == 0 {
                let first = Self.started.withLock { list in
                    list.append((binaries + "/pg_ctl", data, runAs))
                    return list.count == 1
                }
                if first {
                    atexit {
                        for stop in PostgresServer.started.withLock({ $0 }) {
                            _ = try? PostgresServer.run(stop.pgctl, ["-D", stop.data, "-m", "immediate", "-w", "stop"], runAs: stop.runAs)
                            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: stop.data).deletingLastPathComponent().path)
                        }
                    }
                }
                return PostgresServer(port: port, dataDirectory: data, certificateFile: certificate?.certificate, binaries: binaries, runAs: runAs,
                                      options: options, logFile: logFile)
            }
            lastError = start.output + ((try? String(contentsOfFile: folder.appendingPathComponent("server.log").path, encoding: .utf8)) ?? "")
        }
        throw LauncherError("pg_ctl start failed: \(lastError)")
    }

    /// A self-signed certificate and its key in `folder`; nil when openssl is not installed.
    private static func makeCertificate(in folder: URL) throws -> (certificate: String, key: String)? {
        guard let openssl = ExternalTool.find("openssl") else {
            print("PostgreSQL test server without TLS: openssl not installed")
            return nil
        }
        let certificate = folder.appendingPathComponent("server.crt").path
        let key = folder.appendingPathComponent("server.key").path
        let made = try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
                                     "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], runAs: nil)
        guard made.status == 0 else { throw LauncherError("openssl could not make a test certificate: \(made.output)") }
        chmod(key, 0o600)
        return (certificate, key)
    }

    /// Runs a tool with posix_spawn and waitpid, its output in a file. Not Foundation's
    /// `Process`: on Linux it detects exit through a descriptor the child inherits, and the
    /// server that `pg_ctl start` leaves running inherits it too, so the wait would never end.
    static func run(_ tool: String, _ arguments: [String], runAs: String?) throws -> (status: Int32, output: String) {
        let argv = runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", tool] + arguments } ?? [tool] + arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("huracan-pg-cmd-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid = pid_t()
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw LauncherError("cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}

public struct LauncherError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
