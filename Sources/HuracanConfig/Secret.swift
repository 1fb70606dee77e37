import Foundation

/// A secret value (API key, password). Its description never shows the value, so it cannot leak
/// into logs, metrics or error messages by accident.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// Where it came from, e.g. `environment HURACAN_BINANCE_API_KEY`.
    public let origin: String

    public var description: String { "<secret from \(origin)>" }
    public var debugDescription: String { description }

    /// Reads a secret from the file named in config (if any), else from the environment variable.
    /// Returns nil when neither is set. Errors name the file, never the content.
    public static func resolve(environmentVariable: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Secret? {
        if !file.isEmpty {
            try checkPrivate(file)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SecretError(message: "cannot read the secret file \(file)")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw SecretError(message: "the secret file \(file) is empty") }
            return Secret(value: text, origin: "file \(file)")
        }
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return Secret(value: text, origin: "environment \(environmentVariable)")
    }

    /// Refuses a secret file that its group or other users can read or write (as ssh does with
    /// private keys): on a shared machine such a key is already in other hands.
    static func checkPrivate(_ file: String) throws {
        var status = stat()
        guard stat(file, &status) == 0 else {
            throw SecretError(message: "cannot read the secret file \(file): \(String(cString: strerror(errno)))")
        }
        let openBits = status.st_mode & 0o077
        guard openBits == 0 else {
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw SecretError(message: "the secret file \(file) can be read by other users (mode \(mode)): run chmod 600 \(file)")
        }
    }
}

public struct SecretError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
