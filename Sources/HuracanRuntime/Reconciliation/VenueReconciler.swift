import HuracanCore
import HuracanExchanges
import HuracanJournal
import HuracanVenues
import Logging

/// Settles the order journal against one venue after a start, crash or disconnect, before the
/// engine trades again. It never places an order, so nothing is ever sent twice:
///
/// 1. every unfinished journal order of the venue is queried by client order id: found, its
///    status is recorded; an intent or unknown order the venue does not have (and no fill
///    names) is rejected "never reached the venue"; an acknowledged one the venue no longer
///    has is expired;
/// 2. open venue orders the journal does not know are adopted or cancelled (`policy`), and
///    journaled either way;
/// 3. venue fills since the journal's last fill (or its oldest unfinished order), minus
///    `fillMargin` and no further back than `fillLookback`, that the journal lacks are
///    journaled and returned for the engine's portfolio;
/// 4. venue positions are compared with the journal's positions per coin.
///
/// Final journal orders are checked again too (`recheckFinishedSince`): those whose status
/// contradicts their fills (rejected or cancelled with a filled quantity) and those finished
/// recently; where the venue reports another status, the venue's is journaled. Periodic runs
/// (`skip`) leave alone the orders the running engine is still settling itself.
public struct VenueReconciler: Sendable {
    public let api: VenueAPI
    public let journal: OrderJournal
    public var policy: UnknownOrderPolicy
    /// How far back venue fills are fetched at most.
    public var fillLookback: Duration
    /// Fetched fills start this much before the journal's last fill (clock skew, late writes).
    public var fillMargin: Duration
    let logger: Logger

    public init(api: VenueAPI, journal: OrderJournal, policy: UnknownOrderPolicy = .cancel, fillLookback: Duration = .seconds(24 * 3_600),
                fillMargin: Duration = .seconds(60), logger: Logger = Logger(label: "huracan.reconcile")) {
        self.api = api
        self.journal = journal
        self.policy = policy
        self.fillLookback = fillLookback
        self.fillMargin = fillMargin
        self.logger = logger
    }

    public var venue: VenueID { api.venue }
    var directory: SymbolDirectory { api.directory }

    /// Runs the four steps, stores the one-line summary in the journal and returns the report.
    /// Throws when the venue's open orders, fills or positions cannot be read; a single order
    /// that cannot be queried or cancelled is listed in `failures` instead.
    public func reconcile(now: Timestamp = WallClock.now(), recheckFinishedSince: Timestamp? = nil,
                          skip: Set<String> = []) async throws -> ReconciliationReport {
        let unfinished = try await journal.unfinishedOrders(venue: venue).filter { !skip.contains($0.clientOrderID) }
        let recheck = try await journal.ordersToRecheck(venue: venue, finishedSince: recheckFinishedSince ?? now - fillLookback)
            .filter { !skip.contains($0.clientOrderID) && $0.createdAt >= now - fillLookback }
        let openOrders = try await api.openOrders()
        let venuePositions = try await api.positions()
        let journalPositionsBefore = try await journal.positions(venue: venue)

        // The venue's fills over the window, read first: a timed-out intent with fills did reach the venue.
        let floor = now - fillLookback
        var since = try await journal.lastFillTime(venue: venue).map { $0 - fillMargin } ?? floor
        if let oldest = (unfinished + recheck).map(\.createdAt).min() { since = min(since, oldest - fillMargin) }
        since = max(since, floor)
        var symbols = Set(openOrders.map(\.symbol) + venuePositions.map(\.symbol))
        for coin in (unfinished + recheck).map(\.coin) + Array(journalPositionsBefore.keys) {
            if let symbol = directory.symbol(forCoin: coin) { symbols.insert(symbol) }
        }
        for order in unfinished + recheck { if let symbol = order.symbol { symbols.insert(symbol) } }
        let executions = try await api.recentFills(since: since, symbols: symbols.sorted()).sorted { ($0.fill.time, $0.fill.tradeID) < ($1.fill.time, $1.fill.tradeID) }
        let filledOrderIDs = Set(executions.map(\.fill.clientOrderID).filter { !$0.isEmpty })
        let filledVenueOrderIDs = Set(executions.map(\.venueOrderID))

        var report = ReconciliationReport(venue: venue, time: now, policy: policy, fillsSince: since)

        // 1. Unfinished journal orders.
        report.ordersChecked = unfinished.count
        for order in unfinished {
            guard let symbol = order.symbol ?? directory.symbol(forCoin: order.coin) else {
                report.failures.append("\(order.clientOrderID): \(order.coin) has no \(venue) symbol in the universe; check it at the venue by hand")
                continue
            }
            let found: VenueOrderUpdate?
            do {
                found = try await api.queryOrder(clientOrderID: order.clientOrderID, symbol: symbol)
            } catch {
                report.failures.append("\(order.clientOrderID): query at \(venue) failed: \(error)")
                continue
            }
            let note: String
            if var update = found {
                update.fill = nil  // fills are journaled from the fill history (step 3), each once
                _ = try await journal.record(update)
                note = "found at \(venue) (\(update.venueStatus))"
            } else if filledOrderIDs.contains(order.clientOrderID) || order.venueOrderID.map(filledVenueOrderIDs.contains) == true {
                _ = try await journal.record(.accepted(clientOrderID: order.clientOrderID, venueOrderID: order.venueOrderID ?? "", time: now))
                note = "not queryable at \(venue) but has fills there"
            } else if order.status == .new || order.status == .unknown {
                _ = try await journal.record(.rejected(clientOrderID: order.clientOrderID, reason: "never reached the venue (not found at \(venue) by client order id)", time: now))
                note = "never reached the venue"
            } else {
                _ = try await journal.record(VenueOrderUpdate(
                    venue: venue, symbol: symbol, clientOrderID: order.clientOrderID, venueOrderID: order.venueOrderID ?? "", status: .expired,
                    venueStatus: "not found", side: order.request.side, type: order.request.type, timeInForce: order.request.timeInForce,
                    quantity: order.request.quantity, price: order.request.price, filledQuantity: order.filledQuantity, averagePrice: nil,
                    reduceOnly: order.request.reduceOnly, fill: nil, reason: "no longer at \(venue) (final and purged)", time: now))
                note = "no longer at the venue"
            }
            if let after = try await journal.order(clientOrderID: order.clientOrderID), after.status != order.status {
                report.resolved.append(.init(clientOrderID: order.clientOrderID, coin: order.coin, from: order.status, to: after.status, note: note))
            }
        }

        // 1b. Final journal orders the venue may tell otherwise.
        report.ordersRechecked = recheck.count
        for order in recheck {
            guard let symbol = order.symbol ?? directory.symbol(forCoin: order.coin) else { continue }
            let found: VenueOrderUpdate?
            do {
                found = try await api.queryOrder(clientOrderID: order.clientOrderID, symbol: symbol)
            } catch {
                report.failures.append("\(order.clientOrderID): recheck at \(venue) failed: \(error)")
                continue
            }
            guard let update = found, try await journal.correct(to: update) else { continue }
            report.resolved.append(.init(clientOrderID: order.clientOrderID, coin: order.coin, from: order.status, to: update.status,
                                         note: "journaled \(order.status.journalText), the venue reports \(update.venueStatus)"))
        }

        // 2. Open venue orders the journal does not know.
        for open in openOrders {
            let coin = directory.coin(open.symbol)
            let entry = ReconciliationReport.VenueOrder(clientOrderID: open.clientOrderID, venueOrderID: open.venueOrderID, symbol: open.symbol,
                                                        coin: coin, side: open.side, quantity: open.quantity, price: open.price)
            if open.clientOrderID.isEmpty {
                if try await journal.order(venue: venue, venueOrderID: open.venueOrderID) == nil {
                    report.failures.append("\(venue) order \(open.venueOrderID) on \(open.symbol) has no client order id: cannot be journaled or cancelled by id; cancel it by hand")
                }
                continue
            }
            if let known = try await journal.order(clientOrderID: open.clientOrderID) {
                if known.status.isTerminal, try await journal.correct(to: open) {
                    report.resolved.append(.init(clientOrderID: open.clientOrderID, coin: known.coin, from: known.status, to: open.status,
                                                 note: "journaled \(known.status.journalText) but open at \(venue)"))
                }
                continue
            }
            _ = try await journal.adopt(open, coin: coin, at: now)
            switch policy {
            case .adopt:
                report.adopted.append(entry)
            case .cancel:
                do {
                    try await api.cancelOrder(clientOrderID: open.clientOrderID, symbol: open.symbol)
                    _ = try await journal.record(.cancelled(clientOrderID: open.clientOrderID, time: now))
                    report.cancelled.append(entry)
                } catch {
                    // Filled or cancelled meanwhile? The venue's answer decides.
                    if let update = try? await api.queryOrder(clientOrderID: open.clientOrderID, symbol: open.symbol) {
                        var update = update
                        update.fill = nil
                        _ = try await journal.record(update)
                    }
                    report.failures.append("\(open.clientOrderID): cancel at \(venue) failed: \(error)")
                }
            }
        }

        // 3. Fills the journal lacks.
        try await applyMissing(executions, to: &report)

        // 4. Positions, read now. A resting order may fill while this runs: on a difference the
        // fills are fetched once more before it is reported.
        report.positionDifferences = try await positionDifferences()
        if !report.positionDifferences.isEmpty {
            let again = try await api.recentFills(since: since, symbols: symbols.union(report.positionDifferences.compactMap { directory.symbol(forCoin: $0.coin) }).sorted())
            try await applyMissing(again.sorted { ($0.fill.time, $0.fill.tradeID) < ($1.fill.time, $1.fill.tradeID) }, to: &report)
            report.positionDifferences = try await positionDifferences()
        }

        try await journal.recordReconciliation(venue: venue, summary: report.summary, at: now)
        if report.isClean {
            logger.info("reconciliation \(report.summary)")
        } else {
            logger.warning("reconciliation \(report.summary)")
        }
        return report
    }

    /// Journals the venue fills the journal lacks (Binance history has no client order id: it is
    /// taken from the journaled order with the same venue order id) and lists them in the report.
    func applyMissing(_ executions: [VenueExecution], to report: inout ReconciliationReport) async throws {
        for execution in executions {
            var fill = execution.fill
            if fill.clientOrderID.isEmpty, let owner = try await journal.order(venue: venue, venueOrderID: execution.venueOrderID) {
                fill.clientOrderID = owner.clientOrderID
            }
            if try await journal.record(fill, venueOrderID: execution.venueOrderID, feeAsset: execution.feeAsset) {
                report.missingFills.append(fill)
            }
        }
    }

    /// Coins whose venue position (signed, summed over position sides) differs from the journal's.
    func positionDifferences() async throws -> [ReconciliationReport.PositionDifference] {
        var venueByCoin: [String: Quantity] = [:]
        for position in try await api.positions() { venueByCoin[directory.coin(position.symbol), default: .zero] += position.quantity }
        let journalByCoin = try await journal.positions(venue: venue)
        var out: [ReconciliationReport.PositionDifference] = []
        for coin in Set(venueByCoin.keys).union(journalByCoin.keys).sorted() {
            let atVenue = venueByCoin[coin] ?? .zero, inJournal = journalByCoin[coin] ?? .zero
            if atVenue != inJournal { out.append(.init(coin: coin, venueQuantity: atVenue, journalQuantity: inJournal)) }
        }
        return out
    }
}
