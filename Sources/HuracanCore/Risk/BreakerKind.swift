/// Which circuit breaker tripped or reset; the raw value is a bounded metric and log label.
public enum BreakerKind: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case drawdown
    case dailyLoss = "daily_loss"
    case consecutiveLosses = "consecutive_losses"
    case staleData = "stale_data"
    case venueErrors = "venue_errors"
    case killSwitch = "kill_switch"

    public var description: String { rawValue }

    /// The order in which `CircuitBreakers.entryBlock` reports a blocking breaker: global halts
    /// first, then the global daily limit, the venue, and the coin's own breakers.
    public static let bySeverity: [BreakerKind] = [
        .killSwitch, .drawdown, .dailyLoss, .venueErrors, .staleData, .consecutiveLosses,
    ]

    /// Small dense index for per-kind counters.
    var index: Int {
        switch self {
        case .drawdown: 0
        case .dailyLoss: 1
        case .consecutiveLosses: 2
        case .staleData: 3
        case .venueErrors: 4
        case .killSwitch: 5
        }
    }
}
