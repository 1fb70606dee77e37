import Crypto
import Foundation

/// Model files under `model_registry.storage_path/{coin}/{version}.json`, written atomically
/// (temporary file in the same folder, then rename) and identified by their SHA-256.
public struct ModelArtifactStore: Sendable {
    public let root: URL

    public init(root: String) { self.root = URL(fileURLWithPath: root) }

    /// The path of a model relative to `root`: `{coin}/{version}.json`.
    public static func relativePath(coin: String, version: Int) -> String { "\(coin)/\(version).json" }

    public func url(relativePath: String) -> URL {
        relativePath.hasPrefix("/") ? URL(fileURLWithPath: relativePath) : root.appendingPathComponent(relativePath)
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes `data` to `relativePath` atomically: readers see the old file or the whole new one.
    public func write(_ data: Data, to relativePath: String) throws(RegistryError) {
        let target = url(relativePath: relativePath)
        let folder = target.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, target.path) != 0 {
                throw RegistryError(.artifactUnavailable, "cannot rename \(temporary.path) to \(target.path): \(String(cString: strerror(errno)))")
            }
        } catch let error as RegistryError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RegistryError(.artifactUnavailable, "cannot write the model file \(target.path): \(error.localizedDescription)")
        }
    }

    /// Reads a model file and checks it against its registered checksum.
    public func read(_ relativePath: String, checksum: String) throws(RegistryError) -> Data {
        let target = url(relativePath: relativePath)
        guard let data = FileManager.default.contents(atPath: target.path) else {
            throw RegistryError(.artifactUnavailable, "model file \(target.path) is missing or unreadable")
        }
        let actual = Self.sha256(data)
        guard actual == checksum else {
            throw RegistryError(.checksumMismatch, "model file \(target.path) fails its checksum (registered sha256 \(checksum.prefix(12))…, file \(actual.prefix(12))…): corrupt or replaced")
        }
        return data
    }
}

/// A registry failure: what kind (`cause`, for callers that act on it) and a message naming the
/// coin, version, file or database involved and the fix.
public struct RegistryError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Cause: String, Sendable, Hashable {
        /// A registration or request the registry refuses (bad coin, regime, schema).
        case invalidRequest
        /// No such model version, or no active model where one is needed.
        case notFound
        /// The model file is missing, unreadable or cannot be written.
        case artifactUnavailable
        /// The model file does not match the checksum it was registered with.
        case checksumMismatch
        /// The model was trained on another feature schema than the engine's.
        case schemaMismatch
        /// The model file is not a model the engine can run (format, features, target).
        case invalidModel
        /// The registry database refused or lost a write.
        case database
        /// The Python trainer could not be found, started or read.
        case trainer
    }

    public var cause: Cause
    public var message: String
    public init(_ cause: Cause, _ message: String) {
        self.cause = cause
        self.message = message
    }
    public var description: String { message }
}
