import Foundation

/// Runs the Python trainer (`python3 -m huracan_trainer`, the repository's `trainer/` on
/// PYTHONPATH) for tests. Missing python3 or its packages skip the test with the reason, except
/// under `HURACAN_REQUIRE_SERVERS=1`, where that is a failure.
public enum PythonTrainer {
    public static var trainerFolder: URL { TestPaths.repository.appendingPathComponent("trainer") }

    /// python3 when it can import `modules`; otherwise the test is skipped (see `MissingTool`).
    public static func python(requiring modules: [String]) throws -> String {
        let python = try MissingTool.path("python3", install: "apt-get install python3")
        let check = try? ExternalTool.run(python, ["-c", "import " + modules.joined(separator: ", ")])
        guard check?.status == 0 else {
            try MissingTool.skip("python modules \(modules.joined(separator: ", ")) (\(check?.output.suffix(200) ?? ""))", install: "pip install xgboost-cpu ray pyarrow numpy")
        }
        return python
    }

    /// Runs `python3 -m huracan_trainer arguments...` under `nice` (tests running beside it may
    /// be timing-sensitive); returns status and combined output.
    public static func run(_ python: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        process.arguments = ["-n", "10", python, "-m", "huracan_trainer"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = trainerFolder.path + (env["PYTHONPATH"].map { ":" + $0 } ?? "")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
