import Foundation
import HuracanBus
import HuracanCore
import HuracanFuzzTargets
import HuracanTestSupport
import Testing

/// The fuzzers' seed corpus and every input a fuzzer ever crashed on (tools/fuzz/regressions,
/// named `TARGET-*`) go through the parsers on each test run: a fixed crash stays fixed.
@Suite struct FuzzCorpusTests {
    static let fuzz = TestPaths.repository.appendingPathComponent("tools/fuzz")

    static func files(_ folder: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") && $0.lastPathComponent != "README.md" }.sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzTarget.allCases) func seedsAndRegressionsParseWithoutCrashing(target: FuzzTarget) throws {
        let seeds = Self.files(Self.fuzz.appendingPathComponent("corpus/\(target.rawValue)"))
        #expect(seeds.count >= 3, "tools/fuzz/corpus/\(target.rawValue) has \(seeds.count) seeds")
        let regressions = Self.files(Self.fuzz.appendingPathComponent("regressions")).filter { $0.lastPathComponent.hasPrefix(target.rawValue + "-") }
        for file in seeds + regressions { target.run(Array(try Data(contentsOf: file))) }
    }

    /// The bus seeds are real messages of every kind in the current wire format (rewritten with
    /// HURACAN_WRITE_FUZZ_SEEDS=1 after a format change).
    @Test func busSeedsAreCurrentMessages() throws {
        let folder = Self.fuzz.appendingPathComponent("corpus/bus")
        let messages = [order(1), execution(2), market(3), signal(4), featuresMessage(5), riskDecision(6)]
        let encodings: [(suffix: String, encode: (BusMessage) -> [UInt8])] = [("bin", BusCodec.encodeBinary), ("json", BusCodec.encode)]
        for (i, message) in messages.enumerated() {
            for encoding in encodings {
                let file = folder.appendingPathComponent("message-\(i).\(encoding.suffix)")
                if ProcessInfo.processInfo.environment["HURACAN_WRITE_FUZZ_SEEDS"] == "1" { try Data(encoding.encode(message)).write(to: file) }
                #expect(try BusCodec.decode(Array(try Data(contentsOf: file))) == message, "\(file.lastPathComponent)")
            }
        }
    }
}
