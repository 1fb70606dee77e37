import Foundation
import HuracanTestSupport
import Testing

/// The module graph in docs/architecture.md is generated from Package.swift: this test renders
/// it from `swift package dump-package` and fails when the page is stale (run it with
/// `HURACAN_WRITE_ARCHITECTURE=1` to rewrite the section). It also checks that the README's
/// module table names every module.
@Suite struct ArchitectureTests {
    static let begin = "<!-- module graph: generated from Package.swift by ArchitectureTests; do not edit -->"
    static let end = "<!-- end of module graph -->"

    struct Target {
        var name: String
        var type: String
        var modules: [String]
        var packages: [String]
    }

    /// The package's non-test targets, in manifest order.
    static func targets() throws -> [Target] {
        let swift = try #require(ExternalTool.find("swift"), "swift is not on PATH")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: swift)
        let scratch = TestPaths.temporaryDirectory("dump-package")
        // Its own scratch folder: the test run holds the lock of .build.
        process.arguments = ["package", "--package-path", TestPaths.repository.path, "--scratch-path", scratch.path, "dump-package"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let targets = try #require(manifest["targets"] as? [[String: Any]])
        return targets.compactMap { target in
            guard let name = target["name"] as? String, let type = target["type"] as? String, type != "test" else { return nil }
            var modules: [String] = [], packages: [String] = []
            for dependency in target["dependencies"] as? [[String: Any]] ?? [] {
                for (kind, value) in dependency {
                    guard let first = (value as? [Any])?.first as? String else { continue }
                    if kind == "product" { packages.append(first) } else { modules.append(first) }
                }
            }
            return Target(name: name, type: type, modules: modules, packages: packages)
        }
    }

    static func render(_ targets: [Target]) -> String {
        var lines = [begin, "", "```mermaid", "graph TD"]
        for target in targets {
            for module in target.modules { lines.append("  \(target.name) --> \(module)") }
        }
        lines += ["```", "", "| module | kind | depends on | packages |", "|---|---|---|---|"]
        for target in targets {
            let kind = target.type == "executable" ? "executable" : "library"
            let modules = target.modules.isEmpty ? "-" : target.modules.map { "`\($0)`" }.joined(separator: ", ")
            let packages = target.packages.isEmpty ? "-" : target.packages.joined(separator: ", ")
            lines.append("| `\(target.name)` | \(kind) | \(modules) | \(packages) |")
        }
        lines += ["", end]
        return lines.joined(separator: "\n")
    }

    @Test(.enabled(if: ExternalTool.find("swift") != nil || ExternalTool.required, "swift is not on PATH"))
    func moduleGraphInTheDocsIsCurrent() throws {
        let targets = try Self.targets()
        #expect(targets.contains { $0.name == "HuracanCore" && $0.modules.isEmpty }, "Core depends on no other module")
        let expected = Self.render(targets)
        let page = TestPaths.repository.appendingPathComponent("docs/architecture.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "docs/architecture.md has no generated module graph")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
        let current = String(text[start.lowerBound..<stop.upperBound])
        if current != expected, ProcessInfo.processInfo.environment["HURACAN_WRITE_ARCHITECTURE"] == "1" {
            try text.replacingCharacters(in: start.lowerBound..<stop.upperBound, with: expected).write(to: page, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == expected, "docs/architecture.md's module graph is stale: run HURACAN_WRITE_ARCHITECTURE=1 swift test --filter ArchitectureTests")
    }

    @Test(.enabled(if: ExternalTool.find("swift") != nil || ExternalTool.required, "swift is not on PATH"))
    func readmeNamesEveryModule() throws {
        let readme = try String(contentsOf: TestPaths.repository.appendingPathComponent("README.md"), encoding: .utf8)
        for target in try Self.targets() {
            #expect(readme.contains("| `\(target.name)` |"), "README.md's module table lacks \(target.name)")
        }
    }
}
