/// A Lua script run atomically by Redis. Calls use EVALSHA and fall back to EVAL once when the
/// server does not know the script yet (after a restart or SCRIPT FLUSH).
public struct RedisScript: Sendable {
    public let source: String
    private let sha: String?

    public init(_ source: String) {
        self.source = source
        self.sha = nil
    }

    init(source: String, sha: String) {
        self.source = source
        self.sha = sha
    }

    /// The script with its SHA1 as the server computed it (SCRIPT LOAD).
    public func loaded(on client: RedisClient) async throws(RedisError) -> RedisScript {
        let reply = try await client.send(["SCRIPT", "LOAD", .text(source)])
        guard let sha = reply.string else { throw .unexpectedReply(command: "SCRIPT LOAD", reply: reply.description) }
        return RedisScript(source: source, sha: sha)
    }

    /// The EVALSHA (when loaded) or EVAL command.
    public func command(keys: [String], arguments: [RESPArgument]) -> [RESPArgument] {
        let head: [RESPArgument] = sha.map { ["EVALSHA", .text($0)] } ?? ["EVAL", .text(source)]
        return head + [.int(keys.count)] + keys.map { .text($0) } + arguments
    }

    /// The EVAL command (script text sent in full; Redis caches it).
    public func evalCommand(keys: [String], arguments: [RESPArgument]) -> [RESPArgument] {
        ["EVAL", .text(source), .int(keys.count)] + keys.map { .text($0) } + arguments
    }

    /// Runs the script; error replies throw.
    public func run(on client: RedisClient, keys: [String], arguments: [RESPArgument]) async throws(RedisError) -> RESPValue {
        do {
            return try await client.send(command(keys: keys, arguments: arguments))
        } catch let error where error.serverCode == "NOSCRIPT" {
            return try await client.send(RedisScript(source).command(keys: keys, arguments: arguments))
        }
    }
}
