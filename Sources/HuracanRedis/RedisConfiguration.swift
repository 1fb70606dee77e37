/// Where and how to reach Redis. The password is held here but never printed.
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// ACL user name for `AUTH user password`; nil uses `AUTH password` (the default user).
    public var username: String?
    public var password: String?
    public var tls: Bool
    /// PEM file of the certificate authorities to trust for TLS (nil: the system's).
    public var tlsCAFile: String?
    /// Connections in the pool (commands are pipelined on each).
    public var poolSize: Int
    /// How long a command may wait for its reply before the connection is declared broken.
    public var commandTimeoutSeconds: Double
    public var connectTimeoutSeconds: Double
    /// Reconnect backoff: first delay, doubled per failure up to the maximum, with +-20 % jitter.
    public var reconnectBaseSeconds: Double
    public var reconnectMaxSeconds: Double

    public init(
        host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil, tls: Bool = false,
        tlsCAFile: String? = nil, poolSize: Int = 2, commandTimeoutSeconds: Double = 5, connectTimeoutSeconds: Double = 5,
        reconnectBaseSeconds: Double = 0.05, reconnectMaxSeconds: Double = 5
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.tls = tls
        self.tlsCAFile = tlsCAFile
        self.poolSize = max(1, poolSize)
        self.commandTimeoutSeconds = commandTimeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.reconnectBaseSeconds = reconnectBaseSeconds
        self.reconnectMaxSeconds = reconnectMaxSeconds
    }

    /// `host:port` for messages (never the password).
    public var address: String { "\(host):\(port)" }
}

extension RedisConfiguration: CustomStringConvertible {
    public var description: String {
        "redis\(tls ? "s" : "")://\(address) (pool \(poolSize)\(password == nil ? "" : ", password set"))"
    }
}
