/// A risk ledger shared by several engine processes (Redis in production). Each process keeps
/// its own `RiskLedger` for its coins and asks the shared one before an entry opens, so every
/// global, sector and exchange limit holds across processes.
///
/// `reserve` is atomic in the shared ledger (check and reserve in one step) and may block the
/// calling shard for one round trip; entries are rare next to market events. Exposure changes
/// after the entry (fills, marks, releases) are reported with `adjust` and may be batched.
public protocol SharedRiskGate: AnyObject, Sendable {
    /// Reserves what the local ledger approved (`local`, never a block) in the shared ledger and
    /// answers the shared decision: the same, a smaller (throttled) notional, or a block.
    /// When the shared ledger cannot be reached it answers a block with
    /// `RiskReason.sharedLedgerUnavailable`.
    func reserve(_ request: TradeRequest, local: RiskCheck, limits: RiskLimits, equity: Double) -> RiskCheck
    /// Changes the shared exposure of a coin (commit, release or mark-to-market); may be batched.
    func adjust(coin: CoinIndex, sector: Sector, venue: VenueID, by delta: Double)
    /// A trade ended: frees its slot in the shared trade count; may be batched.
    func tradeEnded()
}
