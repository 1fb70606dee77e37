/// The life cycle of an order, shared by every venue: venue statuses map onto these.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case new, acknowledged, partiallyFilled, filled, cancelled, rejected, expired

    public var description: String { rawValue }

    /// Filled, cancelled, rejected and expired orders never change again.
    public var isTerminal: Bool {
        switch self {
        case .filled, .cancelled, .rejected, .expired: true
        case .new, .acknowledged, .partiallyFilled: false
        }
    }

    /// Whether a venue report may move an order from `self` to `next`.
    ///
    /// A fill may arrive before the acknowledgement (venues send them on different streams), so
    /// `new` may go straight to a fill, cancel or expiry. Rejection is only possible before the
    /// venue accepted the order. Terminal states are final.
    public func canTransition(to next: OrderStatus) -> Bool {
        switch (self, next) {
        case (.new, .acknowledged), (.new, .rejected), (.new, .partiallyFilled), (.new, .filled),
             (.new, .cancelled), (.new, .expired):
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
