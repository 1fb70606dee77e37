import Foundation
import HuracanRegistry

/// Where the Python trainer (`huracan_trainer`) is found: the configured folder
/// (`retraining.trainer_path`), else the repository the running `huracan` was built in (its
/// `trainer/` folder, so the default `./trainer` works from any directory), else a package
/// installed for the interpreter (no PYTHONPATH needed). The error names the key and the fixes.
public enum TrainerLocation {
    /// The folder to put on PYTHONPATH, or nil when the installed package is used.
    public static func resolve(configured: String, python: String, executable: String = CommandLine.arguments[0]) throws(RegistryError) -> String? {
        if holdsTrainer(configured) { return URL(fileURLWithPath: configured).standardizedFileURL.path }
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("trainer").path
            if holdsTrainer(candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        if installed(python: python) { return nil }
        throw RegistryError(.trainer, "the trainer (Python package huracan_trainer) was not found: not in \(configured) "
                            + "(engine.model_registry.retraining.trainer_path), not beside the huracan executable, and not installed for \(python). "
                            + "Set trainer_path to the repository's trainer/ folder, or install it: pip install ./trainer")
    }

    static func holdsTrainer(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: folder).appendingPathComponent("huracan_trainer/__init__.py").path)
    }

    /// Whether `python -c "import huracan_trainer"` succeeds.
    static func installed(python: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", "import huracan_trainer"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
