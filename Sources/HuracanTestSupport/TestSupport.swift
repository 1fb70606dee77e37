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
