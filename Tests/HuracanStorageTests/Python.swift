import Foundation
import HuracanTestSupport

/// Runs python3 scripts that use pyarrow, duckdb or polars. Missing python or modules skip the
/// test with the reason, except under HURACAN_REQUIRE_SERVERS=1 where that is a failure.
enum Python {
    /// The python3 path, when it can import every module in `modules`; otherwise the test is
    /// skipped (see `MissingTool`).
    static func require(_ modules: [String]) throws -> String {
        let python = try MissingTool.path("python3", install: "apt-get install python3")
        let check = (try? ExternalTool.run(python, ["-c", "import " + modules.joined(separator: ", ")])) ?? (status: 1, output: "")
        guard check.status == 0 else {
            try MissingTool.skip("python modules \(modules.joined(separator: ", "))", install: "pip install \(modules.joined(separator: " "))")
        }
        return python
    }

    /// Runs `script` with `arguments`; returns standard output (and error) and throws on a non-zero exit.
    static func run(_ python: String, _ script: String, _ arguments: [String] = []) throws -> String {
        let (status, output) = try ExternalTool.run(python, ["-c", script] + arguments)
        guard status == 0 else { throw ScriptError(output: output) }
        return output
    }

    struct ScriptError: Error, CustomStringConvertible {
        var output: String
        var description: String { "python failed:\n\(output)" }
    }
}
