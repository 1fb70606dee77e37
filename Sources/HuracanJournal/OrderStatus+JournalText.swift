import HuracanCore

/// The words the journal stores for order statuses (its `orders.status` column): `intent`,
/// `unknown`, `acknowledged`, `partially_filled`, `filled`, `cancelled`, `expired`, `rejected`.
/// Journals written before adopted orders kept their origin only in `origin` also hold `adopted`,
/// read as acknowledged.
extension OrderStatus {
    /// The stored word of this status.
    public var journalText: String {
        switch self {
        case .new: "intent"
        case .partiallyFilled: "partially_filled"
        case .unknown, .acknowledged, .filled, .cancelled, .rejected, .expired: rawValue
        }
    }

    /// The status of a stored word, or nil when the word is not one the journal writes.
    public init?(journalText text: String) {
        switch text {
        case "intent": self = .new
        case "partially_filled": self = .partiallyFilled
        case "adopted": self = .acknowledged
        case "new", "partiallyFilled": return nil
        default:
            guard let status = OrderStatus(rawValue: text) else { return nil }
            self = status
        }
    }

    /// Every stored word of `statuses` (with the older `adopted` beside acknowledged), for
    /// `status IN (...)` queries.
    static func journalTexts(_ statuses: [OrderStatus]) -> [String] {
        statuses.map(\.journalText) + (statuses.contains(.acknowledged) ? ["adopted"] : [])
    }
}
