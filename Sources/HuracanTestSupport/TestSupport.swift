import Foundation

/// Paths to the repository and to the shared fixtures beside it, for tests.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static var repository: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("cannot find the repository root from \(#filePath)")
    }

    /// `../shared` next to the repository: fixtures, market data, universe sources.
    public static var shared: URL { repository.deletingLastPathComponent().appendingPathComponent("shared") }

    /// A fresh empty temporary directory.
    public static func temporaryDirectory(_ label: String = "huracan") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Finds server and tool binaries for tests. A missing binary skips the test with a printed
/// reason, except under `HURACAN_REQUIRE_SERVERS=1` (CI), where it is a failure.
public enum ExternalTool {
    public static var required: Bool { ProcessInfo.processInfo.environment["HURACAN_REQUIRE_SERVERS"] == "1" }

    /// The absolute path of `name` on PATH (or in the usual system folders), if present.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/lib/postgresql/15/bin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` with `arguments`, feeding `input` on standard input; returns status and output.
    public static func run(_ tool: String, _ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A small deterministic random generator (SplitMix64) for tests and fuzzing.
public struct SplitMix: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension TestPaths {
    /// The `huracan` executable built beside the test bundle (`swift build --build-tests` and
    /// `swift test` build it), or nil.
    public static var huracanBinary: String? {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("huracan").path
        let candidates = [beside, repository.appendingPathComponent(".build/debug/huracan").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Polls `condition` (async, never blocking a thread) until it holds or `timeout` passes.
public func eventually(_ timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
