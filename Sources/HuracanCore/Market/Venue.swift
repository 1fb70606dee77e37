/// A trading venue. The simulated venue imitates one of these, so exposure limits per exchange
/// and fee schedules work the same in every mode.
public enum VenueID: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case binance, okx, bybit
    public var description: String { rawValue }
    /// Small dense index for per-venue arrays on hot paths.
    public var index: Int {
        switch self {
        case .binance: 0
        case .okx: 1
        case .bybit: 2
        }
    }
}

/// Market sector of a coin, used for per-sector exposure limits.
public enum Sector: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case l1 = "L1", l2 = "L2", defi = "DeFi", meme = "Meme", ai = "AI", gaming = "Gaming"
    case infrastructure = "Infrastructure", exchange = "Exchange", privacy = "Privacy"
    case payments = "Payments", rwa = "RWA", storage = "Storage", other = "Other"
    public var description: String { rawValue }
    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// Buy or sell.
public enum Side: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case buy, sell
    public var opposite: Side { self == .buy ? .sell : .buy }
    /// +1 for buy, -1 for sell.
    public var sign: Int { self == .buy ? 1 : -1 }
    public var description: String { rawValue }
}
