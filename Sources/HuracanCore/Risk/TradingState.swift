/// What the circuit breakers allow, globally or on one venue. Exits are allowed in every state.
public enum TradingState: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Entries allowed.
    case active = "ACTIVE"
    /// Exits only: no new entries; open positions are managed to their normal exits.
    case reducing = "REDUCING"
    /// No new entries and the engine should flatten open positions (exits are still allowed).
    case halted = "HALTED"

    public var description: String { rawValue }

    /// Ordered from least to most restrictive, so the worst of several states is their maximum.
    public var severity: Int {
        switch self {
        case .active: 0
        case .reducing: 1
        case .halted: 2
        }
    }
}
