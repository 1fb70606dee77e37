import HuracanCore

/// The live-trading part of `/status`: what the venue adapter had to repair, what the periodic
/// reconciliation found, and whether the private stream is up.
public struct LiveTradingStatus: Sendable, Codable, Hashable {
    public var venue: String
    /// Reconciliations run since start (the start-up one included).
    public var reconciliations = 0
    /// The last reconciliation's one-line summary.
    public var lastReconciliation = ""
    /// Reconciliations that found the venue's positions different from the journal's.
    public var driftsFound = 0
    /// The differences the last reconciliation left ("ETH venue 0.2 journal 0"); empty when none.
    public var drift: [String] = []
    /// Orders the last reconciliation settled or corrected, since start.
    public var ordersCorrected = 0
    /// The venue adapter's repair counters (unknown orders, fills read back, late fills, ...).
    public var venueCounters: [String: Int] = [:]
    public var userStreamConnected = false
    /// Orders sent by this run that are not final yet.
    public var ordersInFlight = 0
    /// Stream connections that ended (public feed and private stream), each logged with its cause.
    public var streamDisconnects = 0
    /// Book resyncs since start, and the median and longest time back to in sync (seconds).
    public var bookResyncs = 0
    public var bookResyncMedianSeconds = 0.0
    public var bookResyncMaxSeconds = 0.0

    public init(venue: String) { self.venue = venue }
}
