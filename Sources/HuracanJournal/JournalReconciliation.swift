import HuracanCore

/// One reconciliation run as stored in the journal: when, which venue, and its one-line summary.
public struct JournalReconciliation: Sendable, Hashable {
    public var time: Timestamp
    public var venue: VenueID
    public var summary: String

    public init(time: Timestamp, venue: VenueID, summary: String) {
        self.time = time
        self.venue = venue
        self.summary = summary
    }
}
