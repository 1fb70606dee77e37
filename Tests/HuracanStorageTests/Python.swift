import Foundation
import HuracanTestSupport

/// Runs python3 scripts that use pyarrow, duckdb or polars. Missing python or modules skip the
/// test with a printed reason, except under HURACAN_REQUIRE_SERVERS=1 where that is a failure.
enum Python {
    /// The python3 path if it can import every module in `modules`; otherwise prints the reason
    /// and returns nil (the caller records an issue when `ExternalTool.required`).
    static func available(_ modules: [String]) -> String? {
        guard let python = ExternalTool.find("python3") else {
            print("skipped: python3 not installed")
            return nil
        }
        let check = (try? ExternalTool.run(python, ["-c", "import " + modules.joined(separator: ", ")])) ?? (status: 1, output: "")
        guard check.status == 0 else {
            print("skipped: python modules \(modules.joined(separator: ", ")) not installed (pip install \(modules.joined(separator: " ")))")
            return nil
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
