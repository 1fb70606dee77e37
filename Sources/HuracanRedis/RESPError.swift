/// Why a Redis call failed. Messages never contain the password.
public enum RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Redis answered with an error reply (`-ERR ...`, `-BUSYGROUP ...`, `-NOSCRIPT ...`).
    case server(String)
    /// The reply was not the shape the command returns.
    case unexpectedReply(command: String, reply: String)
    /// The connection is down (refused, reset, closed); the client reconnects with backoff.
    case connectionLost(String)
    /// No reply within the command timeout.
    case timeout(command: String, seconds: Double)
    /// AUTH was refused.
    case authenticationFailed(String)
    /// The peer sent bytes that are not RESP; the connection is closed.
    case protocolViolation(String)
    /// The client was shut down.
    case closed

    public var description: String {
        switch self {
        case .server(let message): "redis: \(message)"
        case .unexpectedReply(let command, let reply): "redis: unexpected reply to \(command): \(reply.prefix(300))"
        case .connectionLost(let reason): "redis: connection lost: \(reason)"
        case .timeout(let command, let seconds): "redis: no reply to \(command) within \(seconds) s"
        case .authenticationFailed(let reason): "redis: authentication failed: \(reason) (check engine.message_bus.password_env / password_file)"
        case .protocolViolation(let reason): "redis: malformed reply from server: \(reason)"
        case .closed: "redis: client is shut down"
        }
    }

    /// The error code of a server error (`BUSYGROUP`, `NOGROUP`, `NOSCRIPT`, `ERR`...).
    public var serverCode: Substring? {
        if case .server(let message) = self { return message.split(separator: " ", maxSplits: 1).first }
        return nil
    }
}

/// The RESP parser's error: the bytes are not RESP.
public enum RESPError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self {
        case .malformed(let reason): "malformed RESP: \(reason)"
        }
    }
}
