import Foundation
import HuracanTestSupport
import Testing

/// Ctrl-C (SIGINT) and SIGTERM stop long commands promptly with exit 130 and without partial
/// output: a backtest writes no trades file, a data set generation leaves no half-written file.
@Suite(.serialized) struct CommandSignalTests {
    struct Run {
        let process: Process
        let output: URL
        var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
    }

    static func start(_ arguments: [String], folder: URL) throws -> Run {
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built (swift build --build-tests builds it)")
        let output = folder.appendingPathComponent("output-\(arguments[0]).txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        return Run(process: process, output: output)
    }

    /// Sends `signal` once `ready` holds, then waits (at most 15 s) for the exit.
    static func interrupt(_ run: Run, with signal: Int32, when ready: @escaping () -> Bool) async -> (status: Int32?, seconds: Double) {
        _ = await eventually(.seconds(60)) { ready() }
        let sent = ContinuousClock.now
        kill(run.process.processIdentifier, signal)
        let exited = await eventually(.seconds(15)) { !run.process.isRunning }
        let waited = ContinuousClock.now - sent
        if !exited { run.process.terminate() }
        return (exited ? run.process.terminationStatus : nil, Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18)
    }

    @Test func ctrlCStopsABacktestWithoutWritingItsResults() async throws {
        let folder = TestPaths.temporaryDirectory("signal-backtest")
        defer { try? FileManager.default.removeItem(at: folder) }
        let trades = folder.appendingPathComponent("trades.csv")
        let run = try Self.start(["backtest", "--coins", "50", "--from", "2026-01-01", "--to", "2026-01-08", "--trades", trades.path], folder: folder)
        let (status, seconds) = await Self.interrupt(run, with: SIGINT) { run.text.contains("backtest ") && run.text.contains("% at") }
        #expect(status == 130, "\(run.text.suffix(1_000))")
        #expect(seconds < 5, "stopped \(seconds) s after the signal")
        #expect(run.text.contains("interrupted"), "\(run.text.suffix(500))")
        #expect(!FileManager.default.fileExists(atPath: trades.path), "no trades file from a run that did not finish")
        #expect(!FileManager.default.fileExists(atPath: trades.path + ".partial"), "nor its partial file")
    }

    @Test func sigtermStopsDataGenerationBetweenFiles() async throws {
        let folder = TestPaths.temporaryDirectory("signal-generate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lake = folder.appendingPathComponent("lake")
        let run = try Self.start(["data", "generate", "--data", lake.path, "--coins", "400", "--hours", "24"], folder: folder)
        let (status, seconds) = await Self.interrupt(run, with: SIGTERM) {
            (FileManager.default.enumerator(atPath: lake.path)?.allObjects as? [String])?.contains { $0.hasSuffix(".parquet") } == true
        }
        #expect(status == 130, "\(run.text.suffix(1_000))")
        #expect(seconds < 5, "stopped \(seconds) s after the signal")
        let left = (FileManager.default.enumerator(atPath: lake.path)?.allObjects as? [String] ?? []).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty, "half-written files left: \(left)")
    }
}
