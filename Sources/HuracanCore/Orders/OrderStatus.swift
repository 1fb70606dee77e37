/// Where an order stands, from the engine's decision to the venue's last word. One model for the
/// order state machine, the order journal, the live venue's tracking and the fake venues; venue
/// words ("NEW", "live", "Filled") and the journal's stored text map onto it at those edges.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Created by the engine (journaled as an intent) and not yet known to the venue.
    case new
    /// Sent, but the reply never came: the venue may or may not have it.
    case unknown
    /// The venue has it and it rests or works (a venue's "new" is this).
    case acknowledged
    case partiallyFilled, filled, cancelled, rejected, expired

    public var description: String { rawValue }

    /// Filled, cancelled, rejected and expired orders never change again.
    public var isTerminal: Bool {
        switch self {
        case .filled, .cancelled, .rejected, .expired: true
        case .new, .unknown, .acknowledged, .partiallyFilled: false
        }
    }

    /// The venue works the order: acknowledged or partially filled.
    public var isWorking: Bool { self == .acknowledged || self == .partiallyFilled }

    /// Statuses the venue may still act on.
    public static let unfinished: [OrderStatus] = allCases.filter { !$0.isTerminal }

    /// Progress: new < unknown < acknowledged < partially filled < terminal.
    public var rank: Int {
        switch self {
        case .new: 0
        case .unknown: 1
        case .acknowledged: 2
        case .partiallyFilled: 3
        case .filled, .cancelled, .expired, .rejected: 4
        }
    }

    /// Whether a report may move a recorded order from `self` to `next`: forward only, never out
    /// of a terminal status, so stream and REST may repeat or reorder reports (the journal's rule).
    public func advances(to next: OrderStatus) -> Bool { !isTerminal && next.rank > rank }

    /// Whether a venue report may move an order from `self` to `next` (the order state machine).
    ///
    /// A fill may arrive before the acknowledgement (venues send them on different streams), so
    /// `new` may go straight to a fill, cancel or expiry. Rejection is only possible before the
    /// venue accepted the order. Terminal states are final.
    public func canTransition(to next: OrderStatus) -> Bool {
        switch (self, next) {
        case (.new, .unknown), (.new, .acknowledged), (.new, .rejected), (.new, .partiallyFilled), (.new, .filled),
             (.new, .cancelled), (.new, .expired):
            true
        case (.unknown, .acknowledged), (.unknown, .rejected), (.unknown, .partiallyFilled), (.unknown, .filled),
             (.unknown, .cancelled), (.unknown, .expired):
            true
        case (.acknowledged, .partiallyFilled), (.acknowledged, .filled), (.acknowledged, .cancelled),
             (.acknowledged, .expired):
            true
        case (.partiallyFilled, .partiallyFilled), (.partiallyFilled, .filled), (.partiallyFilled, .cancelled),
             (.partiallyFilled, .expired):
            true
        default:
            false
        }
    }
}

/// An order update that the state machine refuses.
public enum OrderError: Error, Sendable, Equatable, CustomStringConvertible {
    case illegalTransition(clientOrderID: String, from: OrderStatus, to: OrderStatus)
    case overfill(clientOrderID: String, ordered: Quantity, filled: Quantity)
    case wrongOrder(clientOrderID: String, fillFor: String)
    case invalid(clientOrderID: String, reason: String)

    public var description: String {
        switch self {
        case .illegalTransition(let id, let from, let to):
            "order \(id): illegal transition \(from) -> \(to)"
        case .overfill(let id, let ordered, let filled):
            "order \(id): fills of \(filled) exceed the ordered quantity \(ordered)"
        case .wrongOrder(let id, let other):
            "order \(id): received a fill for order \(other)"
        case .invalid(let id, let reason):
            "order \(id): \(reason)"
        }
    }
}
