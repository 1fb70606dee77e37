import HuracanCore
import HuracanJournal

/// What one reconciliation of the journal against a venue found and did: journal orders whose
/// venue outcome was settled, unknown venue orders adopted or cancelled, fills applied that
/// happened while the engine was down, and positions that still differ.
public struct ReconciliationReport: Sendable, Hashable {
    /// A journal order whose status reconciliation changed.
    public struct ResolvedOrder: Sendable, Hashable {
        public var clientOrderID: String
        public var coin: String
        public var from: OrderStatus
        public var to: OrderStatus
        /// How it was settled ("found at the venue", "never reached the venue", ...).
        public var note: String
    }

    /// An open venue order the journal did not know.
    public struct VenueOrder: Sendable, Hashable {
        public var clientOrderID: String
        public var venueOrderID: String
        public var symbol: String
        public var coin: String
        public var side: Side
        public var quantity: Quantity
        public var price: Price?
    }

    /// A coin whose venue position and journal position (net of journaled fills) differ.
    public struct PositionDifference: Sendable, Hashable {
        public var coin: String
        public var venueQuantity: Quantity
        public var journalQuantity: Quantity
        public var difference: Quantity { venueQuantity - journalQuantity }
    }

    public var venue: VenueID
    public var time: Timestamp
    public var policy: UnknownOrderPolicy
    /// Venue fills were fetched from this time on.
    public var fillsSince: Timestamp
    /// Unfinished journal orders queried at the venue.
    public var ordersChecked = 0
    /// Final journal orders checked again (recently finished, or with a status their fills contradict).
    public var ordersRechecked = 0
    public var resolved: [ResolvedOrder] = []
    public var adopted: [VenueOrder] = []
    public var cancelled: [VenueOrder] = []
    /// Fills the venue has and the journal lacked, now journaled, in time order: the engine
    /// applies these to its portfolio.
    public var missingFills: [Fill] = []
    public var positionDifferences: [PositionDifference] = []
    /// Steps that could not be done (a query or cancel that failed, an order without client id).
    public var failures: [String] = []

    public init(venue: VenueID, time: Timestamp, policy: UnknownOrderPolicy, fillsSince: Timestamp) {
        self.venue = venue
        self.time = time
        self.policy = policy
        self.fillsSince = fillsSince
    }

    /// Positions agree and every step succeeded: safe to trade on the journal's view.
    public var isClean: Bool { positionDifferences.isEmpty && failures.isEmpty }

    /// One line for logs and the journal's `reconciliations` table.
    public var summary: String {
        var parts = ["\(venue): \(ordersChecked) orders checked", "\(ordersRechecked) final orders rechecked", "\(resolved.count) resolved", "\(adopted.count) adopted",
                     "\(cancelled.count) cancelled", "\(missingFills.count) missing fills applied"]
        if positionDifferences.isEmpty {
            parts.append("positions match")
        } else {
            parts.append("\(positionDifferences.count) position differences ("
                         + positionDifferences.map { "\($0.coin) venue \($0.venueQuantity) journal \($0.journalQuantity)" }.joined(separator: "; ") + ")")
        }
        if !failures.isEmpty { parts.append("\(failures.count) failures") }
        return parts.joined(separator: ", ")
    }

    /// A block of text for the terminal.
    public func render() -> String {
        var out = "reconciliation \(venue) (unknown orders: \(policy), fills since \(Self.clock(fillsSince)))\n"
        out += "  orders checked   \(ordersChecked)\n"
        out += "  final rechecked  \(ordersRechecked)\n"
        out += "  resolved         \(resolved.count)\n"
        for r in resolved { out += "    \(r.clientOrderID)  \(r.coin)  \(r.from.journalText) -> \(r.to.journalText)  \(r.note)\n" }
        out += "  adopted          \(adopted.count)\n"
        for o in adopted { out += "    \(Self.line(o))\n" }
        out += "  cancelled        \(cancelled.count)\n"
        for o in cancelled { out += "    \(Self.line(o))\n" }
        out += "  missing fills    \(missingFills.count)\n"
        for f in missingFills {
            out += "    \(f.coin) \(f.side) \(f.quantity) @ \(f.price)  fee \(f.fee)  order \(f.clientOrderID.isEmpty ? "?" : f.clientOrderID)  trade \(f.tradeID)\n"
        }
        if positionDifferences.isEmpty {
            out += "  positions        match\n"
        } else {
            out += "  positions        \(positionDifferences.count) differ\n"
            for d in positionDifferences { out += "    \(d.coin)  venue \(d.venueQuantity)  journal \(d.journalQuantity)  difference \(d.difference)\n" }
        }
        if !failures.isEmpty {
            out += "  failures         \(failures.count)\n"
            for f in failures { out += "    \(f)\n" }
        }
        return out
    }

    static func line(_ o: VenueOrder) -> String {
        "\(o.clientOrderID.isEmpty ? "(no client id)" : o.clientOrderID)  venue id \(o.venueOrderID)  \(o.coin) \(o.side) \(o.quantity)" + (o.price.map { " @ \($0)" } ?? "")
    }

    /// UTC date and time with milliseconds.
    static func clock(_ time: Timestamp) -> String {
        let ms = time.nanoseconds / 1_000_000
        let day = ((ms % 86_400_000) + 86_400_000) % 86_400_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let millis = day % 1_000
        return "\(UTCDate(daysSinceEpoch: time.dayNumber)) \(two(day / 3_600_000)):\(two(day / 60_000 % 60)):\(two(day / 1_000 % 60)).\(millis < 10 ? "00" : millis < 100 ? "0" : "")\(millis) UTC"
    }
}
