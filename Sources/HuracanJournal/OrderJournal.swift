import Foundation
import HuracanCore
import HuracanExchanges
import HuracanSQL
import Logging
import SQLKit
import Synchronization

/// The order journal: every order intent written durably before it is sent, then its venue
/// outcome, every fill once, positions from fills, closed trades and reconciliation runs, in
/// SQLite (embedded) or PostgreSQL (one code path). After a crash or restart it tells what the
/// engine had in flight, so `VenueReconciler` can settle it against the venue without sending an
/// order twice.
///
/// One engine process writes a journal; operations run one at a time on its single connection
/// (a transaction's statements are never interleaved). Order statuses only move forward.
/// Funding reports are kept in the `funding` table.
public final class OrderJournal: Sendable {
    public let database: SQLDatabaseHandle
    let logger: Logger
    let access = SerialAccess()
    private let closed = Atomic<Bool>(false)

    init(database: SQLDatabaseHandle, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Opens the journal at `url` (`sqlite:PATH`, a plain file path, or `postgresql://...`),
    /// creating a SQLite file's folder, and applies the journal's migrations.
    public static func open(url: String, password: String? = nil, logger: Logger = Logger(label: "huracan.journal")) async throws -> OrderJournal {
        let text = url.hasPrefix("sqlite:") || url.contains("://") ? url : "sqlite:" + url
        let database = try await SQLDatabaseHandle.open(text, password: password, logger: logger)
        do {
            // Every commit reaches the disk before it returns (an intent must survive a crash).
            if database.dialect == .sqlite { try await database.sql.raw("PRAGMA synchronous = FULL").run() }
            try await SQLMigrator.migrate(database, component: "order_journal", migrations: migrations)
        } catch {
            try? await database.close()
            throw error
        }
        return OrderJournal(database: database, logger: logger)
    }

    /// A journal dropped without `close()` still closes its connection (in the background).
    deinit {
        guard !closed.load(ordering: .acquiring) else { return }
        let database = database
        Task { try? await database.close() }
    }

    /// Closes the connection; later calls throw.
    public func close() async throws {
        try await access.run {
            guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
            try await database.close()
        }
    }

    // MARK: orders

    /// Writes the order before it is sent (status `intent`); durable when it returns. Recording
    /// the same request again does nothing; the same client order id for a different order throws.
    public func recordIntent(_ request: OrderRequest, tradeID: UInt64?, isEntry: Bool, at time: Timestamp, symbol: String? = nil) async throws {
        try await transaction("recordIntent \(request.clientOrderID)") { sql in
            if let existing = try await Self.fetchOrder(sql, clientOrderID: request.clientOrderID) {
                guard existing.request == request else {
                    throw JournalError(.duplicateOrderID, "order journal \(self.database.url): client order id \(request.clientOrderID) is already journaled for "
                                       + "\(Self.describe(existing.request)) (\(existing.status)), not \(Self.describe(request)); "
                                       + "client order ids must be unique across engine runs")
                }
                return
            }
            try await sql.raw("""
                INSERT INTO orders (client_order_id, venue, coin, symbol, side, type, time_in_force, quantity, price, reduce_only,
                    trade_id, is_entry, origin, status, venue_order_id, filled_quantity, reject_reason, created_at, updated_at)
                VALUES (\(bind: request.clientOrderID), \(bind: request.venue.rawValue), \(bind: request.coin), \(bind: symbol),
                    \(bind: request.side.rawValue), \(bind: request.type.rawValue), \(bind: request.timeInForce.rawValue),
                    \(bind: request.quantity.description), \(bind: request.price?.description), \(bind: request.reduceOnly),
                    \(bind: tradeID.map { Int64(bitPattern: $0) }), \(bind: isEntry), \(bind: JournalOrder.Origin.engine.rawValue),
                    \(bind: OrderStatus.new.journalText), \(bind: String?.none), \(bind: "0"), \(bind: String?.none),
                    \(bind: time.nanoseconds), \(bind: time.nanoseconds))
                """).run()
        }
    }

    /// Applies a venue report: accepted / rejected / cancelled / expired move the order forward
    /// (never out of a terminal status), a fill is stored once per venue, coin and trade id,
    /// funding is stored once per venue, coin and time. Returns whether anything changed.
    @discardableResult
    public func record(_ report: VenueReport) async throws -> Bool {
        switch report {
        case .accepted(let id, let venueOrderID, let time):
            return try await move(id, to: .acknowledged, venueOrderID: venueOrderID, reason: nil, at: time)
        case .rejected(let id, let reason, let time):
            return try await move(id, to: .rejected, venueOrderID: nil, reason: reason, at: time)
        case .cancelled(let id, let time):
            return try await move(id, to: .cancelled, venueOrderID: nil, reason: nil, at: time)
        case .expired(let id, let time):
            return try await move(id, to: .expired, venueOrderID: nil, reason: nil, at: time)
        case .fill(let fill):
            return try await record(fill)
        case .funding(let coin, let venue, let rate, let markPrice, let time):
            return try await transaction("funding \(venue) \(coin)") { sql in
                let found = try await sql.raw("SELECT coin FROM funding WHERE venue = \(bind: venue.rawValue) AND coin = \(bind: coin) AND time = \(bind: time.nanoseconds)").first()
                guard found == nil else { return false }
                try await sql.raw("""
                    INSERT INTO funding (venue, coin, rate, mark_price, time)
                    VALUES (\(bind: venue.rawValue), \(bind: coin), \(bind: rate.description), \(bind: markPrice.description), \(bind: time.nanoseconds))
                    """).run()
                return true
            }
        }
    }

    /// Stores a fill unless the journal has it (same venue, coin and trade id), adds it to the
    /// coin's position and to its order's filled quantity (the order becomes partially filled or
    /// filled unless it is already final). A fill without a client order id (Binance trade
    /// history) is matched to its order by `venueOrderID`. Returns whether it was new.
    @discardableResult
    public func record(_ fill: Fill, venueOrderID: String? = nil, feeAsset: String? = nil) async throws -> Bool {
        try await transaction("fill \(fill.venue) \(fill.coin) \(fill.tradeID)") { sql in
            let venue = fill.venue.rawValue
            let known = try await sql.raw("SELECT trade_id FROM fills WHERE venue = \(bind: venue) AND coin = \(bind: fill.coin) AND trade_id = \(bind: fill.tradeID)").first()
            guard known == nil else { return false }
            var clientOrderID = fill.clientOrderID
            if clientOrderID.isEmpty, let venueOrderID, !venueOrderID.isEmpty,
               let row = try await sql.raw("SELECT client_order_id FROM orders WHERE venue = \(bind: venue) AND venue_order_id = \(bind: venueOrderID)").first() {
                clientOrderID = try row.decode(column: "client_order_id", as: String.self)
            }
            try await sql.raw("""
                INSERT INTO fills (venue, coin, trade_id, client_order_id, venue_order_id, side, price, quantity, fee, fee_asset, liquidity, time)
                VALUES (\(bind: venue), \(bind: fill.coin), \(bind: fill.tradeID), \(bind: clientOrderID), \(bind: venueOrderID),
                    \(bind: fill.side.rawValue), \(bind: fill.price.description), \(bind: fill.quantity.description), \(bind: fill.fee.description),
                    \(bind: feeAsset), \(bind: fill.liquidity.rawValue), \(bind: fill.time.nanoseconds))
                """).run()
            // The coin's net position.
            let signed = fill.side == .buy ? fill.quantity : -fill.quantity
            if let row = try await sql.raw("SELECT quantity FROM positions WHERE venue = \(bind: venue) AND coin = \(bind: fill.coin)").first() {
                let quantity = try Self.decimal(row, "quantity", self.database) + signed
                try await sql.raw("UPDATE positions SET quantity = \(bind: quantity.description), updated_at = \(bind: fill.time.nanoseconds) WHERE venue = \(bind: venue) AND coin = \(bind: fill.coin)").run()
            } else {
                try await sql.raw("INSERT INTO positions (venue, coin, quantity, updated_at) VALUES (\(bind: venue), \(bind: fill.coin), \(bind: signed.description), \(bind: fill.time.nanoseconds))").run()
            }
            // Its order.
            guard !clientOrderID.isEmpty, let order = try await Self.fetchOrder(sql, clientOrderID: clientOrderID) else { return true }
            let filled = order.filledQuantity + fill.quantity
            var status = order.status
            let target: OrderStatus = filled >= order.request.quantity ? .filled : .partiallyFilled
            if status.advances(to: target) { status = target }
            if filled > order.request.quantity {
                self.logger.warning("order journal: fills of \(clientOrderID) total \(filled), more than the ordered \(order.request.quantity)")
            }
            // A fill is the venue's word: an order journaled as rejected did reach it, and one
            // journaled cancelled or expired whose fills complete it was filled.
            if order.status == .rejected || (order.status.isTerminal && target == .filled) , order.status != target {
                self.logger.warning("order journal: \(clientOrderID) was journaled as \(order.status)\(order.rejectReason.map { " (\($0))" } ?? "") but the venue reports fill \(fill.tradeID); now \(target)")
                status = target
            }
            let newVenueOrderID = (order.venueOrderID ?? "").isEmpty ? venueOrderID : order.venueOrderID
            try await sql.raw("""
                UPDATE orders SET filled_quantity = \(bind: filled.description), status = \(bind: status.journalText),
                    venue_order_id = \(bind: newVenueOrderID), updated_at = \(bind: max(order.updatedAt, fill.time).nanoseconds)
                WHERE client_order_id = \(bind: clientOrderID)
                """).run()
            return true
        }
    }

    /// Applies the venue's view of a journaled order (a REST query, a stream update): its venue
    /// order id, its status (forward only; `filled` is taken from the venue even when the
    /// journal lacks some fills) and its fill if it carries one. Returns the order's status, or
    /// nil when the journal does not have the order.
    @discardableResult
    public func record(_ update: VenueOrderUpdate) async throws -> OrderStatus? {
        let reason = update.reason ?? (update.status == .rejected ? update.venueStatus : nil)
        guard try await order(clientOrderID: update.clientOrderID) != nil else { return nil }
        _ = try await move(update.clientOrderID, to: update.status, venueOrderID: update.venueOrderID,
                           reason: reason, at: update.time)
        if let fill = update.fill { _ = try await record(fill, venueOrderID: update.venueOrderID) }
        return try await order(clientOrderID: update.clientOrderID)?.status
    }

    /// Sets an order to the status the venue reports for it when the journal says otherwise
    /// (reconciliation: the venue is the truth). A journaled reject the venue has, or a final
    /// status that differs from the venue's final status, is corrected and logged; an order
    /// the venue still works is never moved backwards out of an unfinished status. Returns
    /// whether the status changed.
    @discardableResult
    public func correct(to update: VenueOrderUpdate) async throws -> Bool {
        let venueStatus = update.status
        return try await transaction("correct \(update.clientOrderID)") { sql in
            guard let order = try await Self.fetchOrder(sql, clientOrderID: update.clientOrderID), order.status != venueStatus else { return false }
            let contradicts = order.status.isTerminal && (order.status == .rejected || venueStatus.isTerminal)
            guard contradicts || order.status.advances(to: venueStatus) else { return false }
            if contradicts {
                self.logger.warning("order journal: \(update.clientOrderID) was journaled as \(order.status); \(update.venue) reports \(update.venueStatus) with \(update.filledQuantity) filled: corrected to \(venueStatus)")
            }
            let orderID = (order.venueOrderID ?? "").isEmpty ? update.venueOrderID : order.venueOrderID
            try await sql.raw("""
                UPDATE orders SET status = \(bind: venueStatus.journalText), venue_order_id = \(bind: orderID),
                    reject_reason = \(bind: venueStatus == .rejected ? order.rejectReason : nil), updated_at = \(bind: max(order.updatedAt, update.time).nanoseconds)
                WHERE client_order_id = \(bind: update.clientOrderID)
                """).run()
            return true
        }
    }

    /// The send of an intent timed out: the venue may or may not have it (intent -> unknown).
    @discardableResult
    public func markUnknown(clientOrderID: String, at time: Timestamp = WallClock.now()) async throws -> Bool {
        try await move(clientOrderID, to: .unknown, venueOrderID: nil, reason: nil, at: time)
    }

    /// Journals a venue order this journal does not have (found open at reconciliation) with
    /// origin `venue`, acknowledged (or its final status). `coin` defaults to the symbol.
    /// Returns false when the journal already has the client order id.
    @discardableResult
    public func adopt(_ update: VenueOrderUpdate, coin: String? = nil, at time: Timestamp) async throws -> Bool {
        guard !update.clientOrderID.isEmpty else {
            throw JournalError(.invalidRequest, "order journal \(database.url): cannot adopt \(update.venue) order \(update.venueOrderID) on \(update.symbol): "
                               + "it has no client order id; cancel or close it at the venue by hand")
        }
        return try await transaction("adopt \(update.clientOrderID)") { sql in
            guard try await Self.fetchOrder(sql, clientOrderID: update.clientOrderID) == nil else { return false }
            let status: OrderStatus = update.status.isTerminal ? update.status : .acknowledged
            let type = update.type ?? (update.price == nil ? .market : .limit)
            try await sql.raw("""
                INSERT INTO orders (client_order_id, venue, coin, symbol, side, type, time_in_force, quantity, price, reduce_only,
                    trade_id, is_entry, origin, status, venue_order_id, filled_quantity, reject_reason, created_at, updated_at)
                VALUES (\(bind: update.clientOrderID), \(bind: update.venue.rawValue), \(bind: coin ?? update.symbol), \(bind: update.symbol),
                    \(bind: update.side.rawValue), \(bind: type.rawValue), \(bind: (update.timeInForce ?? .gtc).rawValue),
                    \(bind: update.quantity.description), \(bind: type == .market ? nil : update.price?.description), \(bind: update.reduceOnly),
                    \(bind: Int64?.none), \(bind: false), \(bind: JournalOrder.Origin.venue.rawValue), \(bind: status.journalText),
                    \(bind: update.venueOrderID), \(bind: "0"), \(bind: update.reason), \(bind: time.nanoseconds), \(bind: time.nanoseconds))
                """).run()
            return true
        }
    }

    /// Moves an order forward to `next` (and records its venue order id when first known).
    func move(_ clientOrderID: String, to next: OrderStatus, venueOrderID: String?, reason: String?, at time: Timestamp) async throws -> Bool {
        try await transaction("\(next) \(clientOrderID)") { sql in
            guard let order = try await Self.fetchOrder(sql, clientOrderID: clientOrderID) else {
                self.logger.debug("order journal: \(next) for \(clientOrderID), which is not journaled")
                return false
            }
            var status = order.status
            var rejectReason = order.rejectReason
            var orderID = order.venueOrderID
            if status.advances(to: next) {
                status = next
                if let reason { rejectReason = String(reason.prefix(1_000)) }
            } else if order.status.isTerminal, next != order.status, next.isTerminal {
                self.logger.warning("order journal: \(clientOrderID) stays \(order.status); the venue now reports \(next)")
            }
            if (orderID ?? "").isEmpty, let venueOrderID, !venueOrderID.isEmpty { orderID = venueOrderID }
            guard status != order.status || orderID != order.venueOrderID || rejectReason != order.rejectReason else { return false }
            try await sql.raw("""
                UPDATE orders SET status = \(bind: status.journalText), venue_order_id = \(bind: orderID), reject_reason = \(bind: rejectReason),
                    updated_at = \(bind: max(order.updatedAt, time).nanoseconds)
                WHERE client_order_id = \(bind: clientOrderID)
                """).run()
            return true
        }
    }

    // MARK: trades and reconciliations

    /// Stores a closed trade for trade history (once per trade id, venue, coin and opening time).
    @discardableResult
    public func recordClosedTrade(_ trade: Trade) async throws -> Bool {
        try await recordClosedTrade(ClosedTradeRecord(trade))
    }

    @discardableResult
    public func recordClosedTrade(_ t: ClosedTradeRecord) async throws -> Bool {
        try await transaction("closed trade \(t.tradeID)") { sql in
            let id = Int64(bitPattern: t.tradeID)
            let found = try await sql.raw("""
                SELECT trade_id FROM closed_trades WHERE trade_id = \(bind: id) AND venue = \(bind: t.venue.rawValue)
                    AND coin = \(bind: t.coin) AND opened_at = \(bind: t.openedAt.nanoseconds)
                """).first()
            guard found == nil else { return false }
            try await sql.raw("""
                INSERT INTO closed_trades (trade_id, venue, coin, style, side, entry_reason, signal_time, expected_edge_bps, quantity,
                    entry_notional, average_entry_price, exit_quantity, exit_notional, average_exit_price, gross_pnl, fees, funding, net_pnl,
                    opened_at, closed_at, exit_reason, take_profit, stop_loss)
                VALUES (\(bind: id), \(bind: t.venue.rawValue), \(bind: t.coin), \(bind: t.style.rawValue), \(bind: t.side.rawValue),
                    \(bind: t.entryReason), \(bind: t.signalTime.nanoseconds), \(bind: Self.finite(t.expectedEdgeBps)), \(bind: t.quantity.description),
                    \(bind: t.entryNotional.description), \(bind: t.averageEntryPrice?.description), \(bind: t.exitQuantity.description),
                    \(bind: t.exitNotional.description), \(bind: t.averageExitPrice?.description), \(bind: t.grossPnL.description),
                    \(bind: t.fees.description), \(bind: t.funding.description), \(bind: t.netPnL.description), \(bind: t.openedAt.nanoseconds),
                    \(bind: t.closedAt?.nanoseconds), \(bind: t.exitReason?.rawValue), \(bind: Self.finite(t.takeProfit)), \(bind: Self.finite(t.stopLoss)))
                """).run()
            return true
        }
    }

    /// Stores the one-line summary of a reconciliation run.
    public func recordReconciliation(venue: VenueID, summary: String, at time: Timestamp) async throws {
        try await serial("reconciliation \(venue)") { sql in
            try await sql.raw("INSERT INTO reconciliations (time, venue, summary) VALUES (\(bind: time.nanoseconds), \(bind: venue.rawValue), \(bind: summary))").run()
        }
    }

    // MARK: plumbing

    /// Runs `body` alone on the connection; SQL errors are named with the journal and operation.
    func serial<T>(_ operation: String, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await access.run {
            guard !closed.load(ordering: .acquiring) else {
                throw JournalError(.closed, "order journal \(database.url): \(operation) after close(); open the journal again")
            }
            do {
                return try await body(database.sql)
            } catch let error as JournalError {
                throw error
            } catch {
                throw JournalError(.database, "order journal \(database.url): \(operation) failed: \(String(reflecting: error))")
            }
        }
    }

    /// `serial` inside a transaction (SQLite: BEGIN IMMEDIATE, taking the write lock at once).
    func transaction<T>(_ operation: String, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = database.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await serial(operation) { sql in
            try await sql.raw(begin).run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }


    static func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }

    static func describe(_ request: OrderRequest) -> String {
        "\(request.venue) \(request.coin) \(request.side) \(request.type) \(request.quantity)" + (request.price.map { " @ \($0)" } ?? "")
    }
}
