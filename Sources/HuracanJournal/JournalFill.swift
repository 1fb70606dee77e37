import HuracanCore

/// A journaled fill: the engine's `Fill` plus what only the venue's fill history tells (the
/// venue's order id, the fee asset).
public struct JournalFill: Sendable, Hashable {
    public var fill: Fill
    public var venueOrderID: String?
    /// The asset the fee was charged in ("USDT", "BNB"); nil when the report did not say.
    public var feeAsset: String?

    public init(fill: Fill, venueOrderID: String? = nil, feeAsset: String? = nil) {
        self.fill = fill
        self.venueOrderID = venueOrderID
        self.feeAsset = feeAsset
    }
}
