import Testing

/// What a test does when a program it needs (a server, python, chromium) is not installed: it
/// is cancelled (`Test.cancel`, recorded in the test events with the reason; the console
/// reporter counts it as passed, so the reason is also printed), never a silent early return.
/// Under `HURACAN_REQUIRE_SERVERS=1` (CI, after installing everything) a missing program is a
/// failure instead.
public enum MissingTool {
    /// Ends the running test (or test case) because `what` is missing; `install` says how to get it.
    public static func skip(_ what: String, install: String) throws -> Never {
        if ExternalTool.required { throw TestSupportError.missingTool("\(what) (HURACAN_REQUIRE_SERVERS=1)") }
        let reason = "\(what) is not installed (\(install))"
        print("skipped: \(reason)")
        try Test.cancel(Comment(rawValue: reason))
    }

    /// The path of the program `name`, or ends the test as `skip` does.
    public static func path(_ name: String, install: String) throws -> String {
        if let path = ExternalTool.find(name) { return path }
        try skip(name, install: install)
    }
}
