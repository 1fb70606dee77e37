#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HuracanConfig

/// Checks made before a command starts its work, so a bad condition fails at once with a message
/// naming the port or path and the fix, instead of halfway through (or, for a taken port, never).
public enum StartupChecks {
    /// What is wrong and how to fix it.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Everything a real-time run needs: its status port, its data directory and the model
    /// registry's database.
    public static func forRun(_ config: EngineConfig) throws(Failure) {
        let observability = config.observability
        if observability.prometheusEnabled {
            try portIsFree(host: observability.prometheusBindAddress, port: observability.prometheusPort,
                           key: "engine.observability.prometheus.port")
        }
        try writableDirectory(config.dataDir, key: "engine.data_dir")
        try databaseReachable(config.modelRegistry.metadataDB)
    }

    /// Binds `host:port` for a moment (as the server will, with SO_REUSEADDR) and lets it go:
    /// another process listening there makes this fail. Hosts that do not resolve are left to
    /// the server, which names them.
    public static func portIsFree(host: String, port: Int, key: String) throws(Failure) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else { return }
        defer { freeaddrinfo(result) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let reason = errno == EADDRINUSE ? "is in use by another process" : String(cString: strerror(errno))
            throw Failure("port \(port) on \(host) \(reason): the status page, /metrics and the kill switch would not be this engine's. "
                          + "Stop the other process or choose another port (\(key))")
        }
    }

    /// A file can be written in the directory: when it exists, a probe file is written and
    /// removed; when it does not, its nearest existing ancestor must be a writable folder (the
    /// command creates it). Nothing is created here.
    public static func writableDirectory(_ path: String, key: String) throws(Failure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure("\(path) (\(key)) is a file, not a folder. Choose another directory") }
            let probe = (path as NSString).appendingPathComponent(".huracan-write-check-\(getpid())")
            guard fm.createFile(atPath: probe, contents: Data()) else {
                throw Failure("\(path) (\(key)) is not writable. Fix its permissions or choose another directory")
            }
            try? fm.removeItem(atPath: probe)
            return
        }
        if let blocked = ReadableError.blockedParent(path) { throw Failure("\(path) (\(key)) cannot be created: \(blocked)") }
    }

    /// An output file can be written: its folder exists and is writable, and an existing file
    /// there may be replaced. Checked before a long computation whose result goes there.
    public static func writableFile(_ path: String, option: String) throws(Failure) {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure("\(option) \(path): the folder \(folder) does not exist. Create it or choose another path")
        }
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw Failure("\(option) \(path) is a folder; give a file name") }
            guard fm.isWritableFile(atPath: path) else { throw Failure("\(option) \(path) exists and is not writable. Fix its permissions or choose another path") }
        }
        guard fm.isWritableFile(atPath: folder) else {
            throw Failure("\(option) \(path): the folder \(folder) is not writable. Fix its permissions or choose another path")
        }
    }

    /// SQLite: the database's folder is writable. PostgreSQL: its port accepts a connection.
    public static func databaseReachable(_ url: String) throws(Failure) {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            let folder = (path as NSString).deletingLastPathComponent
            try writableDirectory(folder.isEmpty ? "." : folder, key: "engine.model_registry.metadata_db")
            return
        }
        guard let address = ParsedDatabaseAddress(url) else {
            throw Failure("engine.model_registry.metadata_db: cannot read a host and port from the database address")
        }
        guard TCPProbe.connect(host: address.host, port: address.port, timeout: 2) else {
            throw Failure("PostgreSQL at \(address.host):\(address.port) (engine.model_registry.metadata_db) does not answer. "
                          + "Start it, or use the embedded registry: metadata_db: \"sqlite:data/registry.sqlite\"")
        }
    }
}

/// host and port of a `postgresql://[user@]host[:port]/db` address.
struct ParsedDatabaseAddress {
    var host: String
    var port: Int

    init?(_ url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            self.port = port
        } else {
            host = String(authority)
            port = 5432
        }
        if host.isEmpty { return nil }
    }
}
