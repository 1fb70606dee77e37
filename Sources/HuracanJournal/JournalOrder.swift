import HuracanCore

/// One order as the journal holds it: the request the engine made (or the venue order that was
/// adopted), where it stands, and how much of it the journaled fills executed.
public struct JournalOrder: Sendable, Hashable {
    /// Who created the order: the engine (an intent) or the venue (adopted at reconciliation).
    public enum Origin: String, Sendable, Hashable, Codable { case engine, venue }

    public var request: OrderRequest
    /// The venue's native symbol when known (adopted orders, or given with the intent).
    public var symbol: String?
    /// The engine trade the order belongs to; nil for adopted orders.
    public var tradeID: UInt64?
    public var isEntry: Bool
    public var origin: Origin
    public var status: OrderStatus
    public var venueOrderID: String?
    /// Sum of the journaled fills of this order.
    public var filledQuantity: Quantity
    /// Why the venue (or reconciliation) rejected or ended the order.
    public var rejectReason: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(request: OrderRequest, symbol: String?, tradeID: UInt64?, isEntry: Bool, origin: Origin, status: OrderStatus,
                venueOrderID: String?, filledQuantity: Quantity, rejectReason: String?, createdAt: Timestamp, updatedAt: Timestamp) {
        self.request = request
        self.symbol = symbol
        self.tradeID = tradeID
        self.isEntry = isEntry
        self.origin = origin
        self.status = status
        self.venueOrderID = venueOrderID
        self.filledQuantity = filledQuantity
        self.rejectReason = rejectReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var clientOrderID: String { request.clientOrderID }
    public var venue: VenueID { request.venue }
    public var coin: String { request.coin }
}
