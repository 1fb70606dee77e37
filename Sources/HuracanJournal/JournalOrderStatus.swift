import HuracanCore

/// Where a journaled order stands. Statuses only move forward (`rank`); terminal ones never
/// change again, so a late or repeated venue report cannot undo what is known.
public enum JournalOrderStatus: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Recorded before it was sent; the venue may not have seen it.
    case intent
    /// Sent, but the reply never came (timeout): the venue may or may not have it.
    case unknown
    case acknowledged
    case partiallyFilled = "partially_filled"
    case filled
    case cancelled
    case expired
    case rejected
    /// An open order found at the venue that this journal did not place (reconciliation).
    case adopted

    public var description: String { rawValue }

    public var isTerminal: Bool {
        switch self {
        case .filled, .cancelled, .expired, .rejected: true
        case .intent, .unknown, .acknowledged, .partiallyFilled, .adopted: false
        }
    }

    /// Statuses `unfinishedOrders` returns: the venue may still act on these.
    public static let unfinished: [JournalOrderStatus] = [.intent, .unknown, .acknowledged, .partiallyFilled, .adopted]

    /// Progress order: intent < unknown < acknowledged = adopted < partially filled < terminal.
    public var rank: Int {
        switch self {
        case .intent: 0
        case .unknown: 1
        case .acknowledged, .adopted: 2
        case .partiallyFilled: 3
        case .filled, .cancelled, .expired, .rejected: 4
        }
    }

    /// Whether the order may move from `self` to `next` (forward only, never out of a terminal status).
    public func canMove(to next: JournalOrderStatus) -> Bool { !isTerminal && next.rank > rank }

    /// The journal status of a venue status (a venue's "new" is acknowledged: the venue has it).
    public init(_ status: OrderStatus) {
        switch status {
        case .new, .acknowledged: self = .acknowledged
        case .partiallyFilled: self = .partiallyFilled
        case .filled: self = .filled
        case .cancelled: self = .cancelled
        case .rejected: self = .rejected
        case .expired: self = .expired
        }
    }
}
