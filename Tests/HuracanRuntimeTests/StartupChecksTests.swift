#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import HuracanTestSupport
import Logging
import Synchronization
import Testing

/// Bad conditions fail before work starts, with the port or path and the fix named.
@Suite struct StartupChecksTests {
    @Test func aPortInUseIsRefusedWithThePortAndTheKeyNamed() throws {
        let port = try #require(FreePorts.take(1).first)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(bound == 0 && listen(fd, 1) == 0)
        #expect {
            try StartupChecks.portIsFree(host: "127.0.0.1", port: port, key: "engine.observability.prometheus.port")
        } throws: { error in
            let message = "\(error)"
            return message.contains("port \(port) on 127.0.0.1 is in use by another process") && message.contains("engine.observability.prometheus.port")
        }
        close(fd)
        try StartupChecks.portIsFree(host: "127.0.0.1", port: port, key: "k")
    }

    @Test func directoriesAndOutputFilesAreCheckedWithoutCreatingAnything() throws {
        let dir = TestPaths.temporaryDirectory("startup-checks")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("plain.txt").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        try StartupChecks.writableDirectory(dir.path, key: "engine.data_dir")
        let later = dir.appendingPathComponent("a/b/c").path
        try StartupChecks.writableDirectory(later, key: "engine.data_dir")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path), "the check creates nothing")
        #expect { try StartupChecks.writableDirectory(file + "/data", key: "engine.data_dir") } throws: {
            "\($0)".contains("\(file) is a file, not a folder") && "\($0)".contains("engine.data_dir")
        }
        try StartupChecks.writableFile(dir.appendingPathComponent("trades.csv").path, option: "--trades")
        #expect { try StartupChecks.writableFile(dir.appendingPathComponent("missing/trades.csv").path, option: "--trades") } throws: {
            "\($0)".contains("--trades") && "\($0)".contains("does not exist")
        }
        #expect { try StartupChecks.writableFile(dir.path, option: "--report") } throws: { "\($0)".contains("is a folder") }
    }

    @Test func anUnreachableDatabaseNamesTheAddressAndTheEmbeddedAlternative() throws {
        let port = try #require(FreePorts.take(1).first)
        #expect { try StartupChecks.databaseReachable("postgresql://huracan@127.0.0.1:\(port)/huracan") } throws: {
            "\($0)".contains("PostgreSQL at 127.0.0.1:\(port)") && "\($0)".contains("sqlite:")
        }
        let dir = TestPaths.temporaryDirectory("startup-db")
        defer { try? FileManager.default.removeItem(at: dir) }
        try StartupChecks.databaseReachable("sqlite:" + dir.appendingPathComponent("registry.sqlite").path)
    }

    /// File errors read as a path and a reason, not an NSCocoaErrorDomain dump.
    @Test func fileErrorsAreReadable() {
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/nonexistent-huracan-folder/out.csv"))
            Issue.record("writing into a missing folder succeeded")
        } catch {
            let text = ReadableError.describe(error)
            #expect(text.hasPrefix("/nonexistent-huracan-folder/out.csv: "), "\(text)")
            #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("UserInfo"), "\(text)")
        }
    }

    @Test func theTrainerIsFoundBesideTheExecutableOrTheErrorSaysHowToFixIt() throws {
        let repository = TestPaths.repository.path
        let fromBuild = try TrainerLocation.resolve(configured: "/nonexistent/trainer", python: "python3",
                                                    executable: repository + "/.build/debug/huracan")
        #expect(fromBuild == repository + "/trainer")
        #expect(try TrainerLocation.resolve(configured: repository + "/trainer", python: "python3") == repository + "/trainer")
        #expect {
            try TrainerLocation.resolve(configured: "/nonexistent/trainer", python: "/nonexistent/python", executable: "/tmp/elsewhere/huracan")
        } throws: { "\($0)".contains("engine.model_registry.retraining.trainer_path") && "\($0)".contains("pip install ./trainer") }
    }

    @Test func backtestLogLinesCarryTheSimulatedTime() {
        let clock = SimulatedLogClock()
        let lines = Locked<[String]>([])
        var logger = Logger(label: "huracan") { SimulatedTimeLogHandler(label: $0, clock: clock) { line in lines.withLock { $0.append(line) } } }
        logger.logLevel = .info
        logger.warning("before the engine")
        clock.set(Timestamp(nanoseconds: 1_737_958_320_000_000_000))   // 2025-01-27T06:12:00Z
        logger.warning("breaker tripped")
        let written = lines.withLock { $0 }
        #expect(written.count == 2)
        #expect(!(written.first ?? "").contains("(sim)"))
        #expect(written.last?.hasPrefix("2025-01-27T06:12:00.000Z (sim) warning huracan:") == true, "\(written)")
    }

    @Test func warningsAreKeptForTheLiveScreen() {
        let warnings = RecentWarnings(capacity: 3)
        let lines = Locked<[String]>([])
        var logger = Logger(label: "huracan") {
            WarningRecordingLogHandler(SimulatedTimeLogHandler(label: $0, clock: SimulatedLogClock()) { line in lines.withLock { $0.append(line) } }, warnings: warnings)
        }
        logger.logLevel = .info
        logger.info("quiet")
        for n in 1...4 { logger.warning("breaker \(n)") }
        logger.critical("trading HALTED")
        #expect(lines.withLock { $0.count } == 6, "every line still reaches the log")
        let kept = warnings.latest
        #expect(kept.count == 3)
        #expect(kept.first?.hasSuffix("warning breaker 3") == true && kept.last?.hasSuffix("critical trading HALTED") == true, "\(kept)")
    }
}
