/// The spec's bus streams, named under `engine.message_bus.stream_prefix`
/// (`huracan:market_data:BTC`, `huracan:orders:global`, ...).
///
/// Orders and executions are lossless: never dropped, publishers see backpressure instead.
/// Market data, features and signals are lossy: under pressure the oldest entry is conflated away,
/// because a newer tick supersedes an older one.
public struct StreamName: Sendable, Hashable {
    /// The `message_bus.stream_prefix` value, e.g. `huracan`.
    public let prefix: String

    public init(prefix: String = "huracan") { self.prefix = prefix }

    /// Raw market data of one coin (lossy).
    public func marketData(_ coin: String) -> String { "\(prefix):market_data:\(coin)" }
    /// Processed features of one coin (lossy).
    public func features(_ coin: String) -> String { "\(prefix):features:\(coin)" }
    /// Trading signals of one coin (lossy).
    public func signals(_ coin: String) -> String { "\(prefix):signals:\(coin)" }
    /// Every order, for risk monitoring (lossless).
    public var ordersGlobal: String { "\(prefix):orders:global" }
    /// Every execution, for P&L tracking (lossless).
    public var executionsGlobal: String { "\(prefix):executions:global" }

    /// Whether `name` must never be dropped. See `StreamName.isLossless(_:)` (static).
    public func isLossless(_ name: String) -> Bool { Self.isLossless(name) }

    /// Kind segments of the streams that may be conflated.
    public static let lossyKinds: Set<Substring> = ["market_data", "features", "signals"]

    /// Classifies a stream by its kind segment (the one before the last `:`), whatever the prefix:
    /// `market_data`, `features` and `signals` are lossy; everything else, including orders,
    /// executions and any name this engine does not know, is lossless (never dropped).
    public static func isLossless(_ name: String) -> Bool {
        // The segment between the last two colons, found without allocating.
        let utf8 = name.utf8
        guard let last = utf8.lastIndex(of: UInt8(ascii: ":")) else { return true }
        let before = utf8[..<last]
        let start = before.lastIndex(of: UInt8(ascii: ":")).map { utf8.index(after: $0) } ?? utf8.startIndex
        let kind = Substring(name.utf8[start..<last])
        return !lossyKinds.contains(kind)
    }
}
