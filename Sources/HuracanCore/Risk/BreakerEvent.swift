/// A circuit breaker tripped or reset, with the measured value and the threshold it was judged
/// against, for the log and the trip counters.
public struct BreakerEvent: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: BreakerKind
    /// `"global"`, a coin name, or a venue name.
    public var scope: String
    /// True when the breaker tripped, false when it reset.
    public var tripped: Bool
    /// The time passed to the call that detected the change.
    public var time: Timestamp
    /// The measured value: a percentage, a count of losses, an age in seconds, or 1/0 for the kill switch.
    public var value: Double
    /// The threshold `value` was judged against, in the same unit.
    public var threshold: Double
    /// One line for the log, e.g. `drawdown 10.4% from peak 105000.00 >= 10.0%: HALTED`.
    public var message: String

    public init(kind: BreakerKind, scope: String, tripped: Bool, time: Timestamp, value: Double, threshold: Double, message: String) {
        self.kind = kind
        self.scope = scope
        self.tripped = tripped
        self.time = time
        self.value = value
        self.threshold = threshold
        self.message = message
    }

    public var description: String { message }
}
