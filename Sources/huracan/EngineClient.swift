import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running engine's HTTP interface (`huracan run` serves it on 127.0.0.1).
struct EngineClient {
    let base: String

    func get(_ path: String) async throws -> Data {
        try await send(URLRequest(url: try url(path)))
    }

    /// GET that returns the body whatever the HTTP status (for `/ready`, which answers 503).
    func getWithStatus(_ path: String) async throws -> (status: Int, body: Data) {
        do {
            let (data, response) = try await URLSession.shared.data(for: URLRequest(url: try url(path)))
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw failure("no engine answering at \(base): start one with `huracan run` (\(error.localizedDescription))")
        }
    }

    func post(_ path: String, json: String, token: String?) async throws -> Data {
        var request = URLRequest(url: try url(path))
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return try await send(request)
    }

    private func url(_ path: String) throws -> URL {
        guard let url = URL(string: base + path), url.scheme?.hasPrefix("http") == true else {
            throw ValidationError("invalid engine URL \(base)")
        }
        return url
    }

    private func send(_ request: URLRequest) async throws -> Data {
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw failure("no engine answering at \(base): start one with `huracan run` (\(error.localizedDescription))")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw failure("engine answered \(status): \(text)")
        }
        return data
    }
}

/// Prints `message` to standard error and returns the exit code to throw (no usage text: the
/// command was right, the situation was not).
func failure(_ message: String) -> ExitCode {
    printError("Error: " + message)
    return ExitCode(1)
}
