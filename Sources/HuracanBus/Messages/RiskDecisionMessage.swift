import HuracanCore

/// The global risk controller's answer to one trade request (APPROVE / THROTTLE / BLOCK),
/// published for monitoring and audit. Notional is in quote currency; exposure in percent of equity.
public struct RiskDecisionMessage: Sendable, Hashable {
    public var coin: String
    public var venue: VenueID
    public var decision: RiskDecision
    public var reason: RiskReason
    public var requestedNotional: Double
    public var approvedNotional: Double
    /// The binding scope's exposure before the trade, in percent of equity.
    public var exposurePct: Double
    /// The binding scope's limit, in percent of equity.
    public var limitPct: Double
    public var time: Timestamp

    public init(
        coin: String, venue: VenueID, decision: RiskDecision, reason: RiskReason, requestedNotional: Double,
        approvedNotional: Double, exposurePct: Double, limitPct: Double, time: Timestamp
    ) {
        self.coin = coin
        self.venue = venue
        self.decision = decision
        self.reason = reason
        self.requestedNotional = requestedNotional
        self.approvedNotional = approvedNotional
        self.exposurePct = exposurePct
        self.limitPct = limitPct
        self.time = time
    }

    /// The message for a risk check of `requestedNotional` on `coin` at `venue`.
    public init(_ check: RiskCheck, coin: String, venue: VenueID, requestedNotional: Double, time: Timestamp) {
        self.init(
            coin: coin, venue: venue, decision: check.decision, reason: check.reason, requestedNotional: requestedNotional,
            approvedNotional: check.approvedNotional, exposurePct: check.exposurePct, limitPct: check.limitPct, time: time
        )
    }
}

extension RiskDecisionMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        self.init(
            coin: try r.string("coin"), venue: try r.choice("venue", VenueID.allCases),
            decision: try r.choice("decision", RiskDecision.allCases), reason: try r.choice("reason", RiskReason.allCases),
            requestedNotional: try r.double("requested_notional"), approvedNotional: try r.double("approved_notional"),
            exposurePct: try r.double("exposure_pct"), limitPct: try r.double("limit_pct"), time: try r.time()
        )
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("coin", coin)
        try w.set("venue", venue.rawValue)
        try w.set("decision", decision.rawValue)
        try w.set("reason", reason.rawValue)
        try w.set("requested_notional", requestedNotional)
        try w.set("approved_notional", approvedNotional)
        try w.set("exposure_pct", exposurePct)
        try w.set("limit_pct", limitPct)
        try w.set("time_ns", time: time)
    }
}
