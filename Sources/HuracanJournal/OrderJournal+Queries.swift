import HuracanCore
import HuracanSQL
import SQLKit

extension OrderJournal {
    static let orderColumns = """
        client_order_id, venue, coin, symbol, side, type, time_in_force, quantity, price, reduce_only, trade_id, is_entry, origin, \
        status, venue_order_id, filled_quantity, reject_reason, created_at, updated_at
        """

    /// The journaled order with this client order id.
    public func order(clientOrderID: String) async throws -> JournalOrder? {
        try await serial("order \(clientOrderID)") { sql in try await Self.fetchOrder(sql, clientOrderID: clientOrderID) }
    }

    /// The journaled order with this venue order id on `venue`.
    public func order(venue: VenueID, venueOrderID: String) async throws -> JournalOrder? {
        try await serial("order \(venue) \(venueOrderID)") { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.orderColumns) FROM orders WHERE venue = \(bind: venue.rawValue) AND venue_order_id = \(bind: venueOrderID)")
                .first().map { try Self.decodeOrder($0, self.database) }
        }
    }

    /// Orders of `venue` the venue may still act on (intent, unknown, acknowledged, partially
    /// filled, adopted), oldest first.
    public func unfinishedOrders(venue: VenueID) async throws -> [JournalOrder] {
        let statuses = OrderStatus.journalTexts(OrderStatus.unfinished)
        return try await serial("unfinished orders \(venue)") { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.orderColumns) FROM orders WHERE venue = \(bind: venue.rawValue) AND status IN (\(binds: statuses))
                ORDER BY created_at, client_order_id
                """).all().map { try Self.decodeOrder($0, self.database) }
        }
    }

    /// Every journaled order of `venue`, oldest first (audits and tests).
    public func orders(venue: VenueID) async throws -> [JournalOrder] {
        try await serial("orders \(venue)") { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.orderColumns) FROM orders WHERE venue = \(bind: venue.rawValue) ORDER BY created_at, client_order_id
                """).all().map { try Self.decodeOrder($0, self.database) }
        }
    }

    /// Final orders of `venue` to check again against the venue: those whose status contradicts
    /// their fills (rejected, cancelled or expired with a filled quantity) and those finished at
    /// or after `finishedSince`, oldest first.
    public func ordersToRecheck(venue: VenueID, finishedSince: Timestamp) async throws -> [JournalOrder] {
        let final = OrderStatus.journalTexts(OrderStatus.allCases.filter(\.isTerminal))
        let unfilled = [OrderStatus.rejected, .cancelled, .expired].map(\.journalText)
        return try await serial("orders to recheck \(venue)") { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.orderColumns) FROM orders WHERE venue = \(bind: venue.rawValue) AND status IN (\(binds: final))
                AND (updated_at >= \(bind: finishedSince.nanoseconds) OR (status IN (\(binds: unfilled)) AND filled_quantity NOT IN ('0', '0.0', '')))
                ORDER BY created_at, client_order_id
                """).all().map { try Self.decodeOrder($0, self.database) }
                .filter { $0.updatedAt >= finishedSince || ($0.status != .filled && !$0.filledQuantity.isZero) }
        }
    }

    /// Signed net quantity per coin of `venue` from the journaled fills (flat coins left out).
    public func positions(venue: VenueID) async throws -> [String: Quantity] {
        try await serial("positions \(venue)") { sql in
            var out: [String: Quantity] = [:]
            for row in try await sql.raw("SELECT coin, quantity FROM positions WHERE venue = \(bind: venue.rawValue)").all() {
                let quantity = try Self.decimal(row, "quantity", self.database)
                if !quantity.isZero { out[try row.decode(column: "coin", as: String.self)] = quantity }
            }
            return out
        }
    }

    /// Fills of `venue` at or after `since`, in time order.
    public func fills(venue: VenueID, since: Timestamp = .epoch) async throws -> [JournalFill] {
        try await serial("fills \(venue)") { sql in
            try await sql.raw("""
                SELECT venue, coin, trade_id, client_order_id, venue_order_id, side, price, quantity, fee, fee_asset, liquidity, time
                FROM fills WHERE venue = \(bind: venue.rawValue) AND time >= \(bind: since.nanoseconds) ORDER BY time, coin, trade_id
                """).all().map { try Self.decodeFill($0, self.database) }
        }
    }

    /// Whether the journal has this fill.
    public func hasFill(venue: VenueID, coin: String, tradeID: String) async throws -> Bool {
        try await serial("fill \(venue) \(coin) \(tradeID)") { sql in
            try await sql.raw("SELECT trade_id FROM fills WHERE venue = \(bind: venue.rawValue) AND coin = \(bind: coin) AND trade_id = \(bind: tradeID)").first() != nil
        }
    }

    /// The time of the latest journaled fill of `venue`; nil before the first fill.
    public func lastFillTime(venue: VenueID) async throws -> Timestamp? {
        try await serial("last fill time \(venue)") { sql in
            guard let row = try await sql.raw("SELECT MAX(time) AS latest FROM fills WHERE venue = \(bind: venue.rawValue)").first(),
                  try !row.decodeNil(column: "latest") else { return nil }
            return Timestamp(nanoseconds: try row.decode(column: "latest", as: Int64.self))
        }
    }

    /// The latest closed trades, most recently closed first.
    public func closedTrades(limit: Int = 100, venue: VenueID? = nil) async throws -> [ClosedTradeRecord] {
        try await serial("closed trades") { sql in
            let rows: [any SQLRow]
            if let venue {
                rows = try await sql.raw("SELECT * FROM closed_trades WHERE venue = \(bind: venue.rawValue) ORDER BY closed_at DESC, opened_at DESC, trade_id DESC LIMIT \(bind: max(limit, 0))").all()
            } else {
                rows = try await sql.raw("SELECT * FROM closed_trades ORDER BY closed_at DESC, opened_at DESC, trade_id DESC LIMIT \(bind: max(limit, 0))").all()
            }
            return try rows.map { try Self.decodeTrade($0, self.database) }
        }
    }

    /// Funding settlements of `venue` at or after `since`, in time order.
    public func funding(venue: VenueID, since: Timestamp = .epoch) async throws -> [(coin: String, rate: FixedDecimal, markPrice: Price, time: Timestamp)] {
        try await serial("funding \(venue)") { sql in
            try await sql.raw("SELECT coin, rate, mark_price, time FROM funding WHERE venue = \(bind: venue.rawValue) AND time >= \(bind: since.nanoseconds) ORDER BY time, coin")
                .all().map { row in
                    (try row.decode(column: "coin", as: String.self), try Self.decimal(row, "rate", self.database),
                     try Self.decimal(row, "mark_price", self.database), Timestamp(nanoseconds: try row.decode(column: "time", as: Int64.self)))
                }
        }
    }

    /// The latest reconciliation runs (of `venue`, or all), newest first.
    public func reconciliations(venue: VenueID? = nil, limit: Int = 20) async throws -> [JournalReconciliation] {
        try await serial("reconciliations") { sql in
            let rows: [any SQLRow]
            if let venue {
                rows = try await sql.raw("SELECT time, venue, summary FROM reconciliations WHERE venue = \(bind: venue.rawValue) ORDER BY id DESC LIMIT \(bind: max(limit, 0))").all()
            } else {
                rows = try await sql.raw("SELECT time, venue, summary FROM reconciliations ORDER BY id DESC LIMIT \(bind: max(limit, 0))").all()
            }
            return try rows.map { row in
                JournalReconciliation(time: Timestamp(nanoseconds: try row.decode(column: "time", as: Int64.self)),
                                      venue: try Self.venue(row, self.database),
                                      summary: try row.decode(column: "summary", as: String.self))
            }
        }
    }

    // MARK: decoding

    static func fetchOrder(_ sql: any SQLDatabase, clientOrderID: String) async throws -> JournalOrder? {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: orderColumns) FROM orders WHERE client_order_id = \(bind: clientOrderID)").first() else { return nil }
        return try decodeOrder(row, nil)
    }

    static func decodeOrder(_ row: any SQLRow, _ database: SQLDatabaseHandle?) throws -> JournalOrder {
        let id = try row.decode(column: "client_order_id", as: String.self)
        func bad(_ column: String, _ text: String) -> JournalError {
            JournalError(.unreadableRow, "order journal: orders row \(id): \(column) \"\(text)\" is not valid; the row was written by another program or a newer build")
        }
        func parse<T: RawRepresentable<String>>(_ column: String, _ type: T.Type) throws -> T {
            let text = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: text) else { throw bad(column, text) }
            return value
        }
        func optionalText(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) }
        func journalStatus() throws -> OrderStatus {
            let text = try row.decode(column: "status", as: String.self)
            guard let status = OrderStatus(journalText: text) else { throw bad("status", text) }
            return status
        }
        let price = try optionalText("price")
        let request = OrderRequest(
            clientOrderID: id, coin: try row.decode(column: "coin", as: String.self), venue: try parse("venue", VenueID.self),
            side: try parse("side", Side.self), type: try parse("type", OrderType.self), timeInForce: try parse("time_in_force", TimeInForce.self),
            quantity: try decimal(row, "quantity", database), price: try price.map { try decimal($0, column: "price", database) },
            reduceOnly: try row.decode(column: "reduce_only", as: Bool.self))
        return JournalOrder(
            request: request, symbol: try optionalText("symbol"),
            tradeID: try row.decodeNil(column: "trade_id") ? nil : UInt64(bitPattern: try row.decode(column: "trade_id", as: Int64.self)),
            isEntry: try row.decode(column: "is_entry", as: Bool.self), origin: try parse("origin", JournalOrder.Origin.self),
            status: try journalStatus(), venueOrderID: try optionalText("venue_order_id"),
            filledQuantity: try decimal(row, "filled_quantity", database), rejectReason: try optionalText("reject_reason"),
            createdAt: Timestamp(nanoseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp(nanoseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func decodeFill(_ row: any SQLRow, _ database: SQLDatabaseHandle?) throws -> JournalFill {
        let tradeID = try row.decode(column: "trade_id", as: String.self)
        func parse<T: RawRepresentable<String>>(_ column: String, _ type: T.Type) throws -> T {
            let text = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: text) else {
                throw JournalError(.unreadableRow, "order journal: fills row \(tradeID): \(column) \"\(text)\" is not valid; the row was written by another program or a newer build")
            }
            return value
        }
        let fill = Fill(clientOrderID: try row.decode(column: "client_order_id", as: String.self), tradeID: tradeID,
                        coin: try row.decode(column: "coin", as: String.self), venue: try parse("venue", VenueID.self), side: try parse("side", Side.self),
                        price: try decimal(row, "price", database), quantity: try decimal(row, "quantity", database), fee: try decimal(row, "fee", database),
                        liquidity: try parse("liquidity", Liquidity.self), time: Timestamp(nanoseconds: try row.decode(column: "time", as: Int64.self)))
        return JournalFill(fill: fill,
                           venueOrderID: try row.decodeNil(column: "venue_order_id") ? nil : try row.decode(column: "venue_order_id", as: String.self),
                           feeAsset: try row.decodeNil(column: "fee_asset") ? nil : try row.decode(column: "fee_asset", as: String.self))
    }

    static func decodeTrade(_ row: any SQLRow, _ database: SQLDatabaseHandle?) throws -> ClosedTradeRecord {
        let id = UInt64(bitPattern: try row.decode(column: "trade_id", as: Int64.self))
        func parse<T: RawRepresentable<String>>(_ column: String, _ type: T.Type) throws -> T {
            let text = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: text) else {
                throw JournalError(.unreadableRow, "order journal: closed_trades row \(id): \(column) \"\(text)\" is not valid; the row was written by another program or a newer build")
            }
            return value
        }
        func optionalDecimal(_ column: String) throws -> FixedDecimal? { try row.decodeNil(column: column) ? nil : try decimal(row, column, database) }
        func time(_ column: String) throws -> Timestamp { Timestamp(nanoseconds: try row.decode(column: column, as: Int64.self)) }
        return ClosedTradeRecord(
            tradeID: id, coin: try row.decode(column: "coin", as: String.self), venue: try parse("venue", VenueID.self),
            style: try parse("style", TradeStyle.self), side: try parse("side", Side.self), entryReason: try row.decode(column: "entry_reason", as: String.self),
            signalTime: try time("signal_time"), expectedEdgeBps: try row.decode(column: "expected_edge_bps", as: Double.self),
            quantity: try decimal(row, "quantity", database), entryNotional: try decimal(row, "entry_notional", database),
            averageEntryPrice: try optionalDecimal("average_entry_price"), exitQuantity: try decimal(row, "exit_quantity", database),
            exitNotional: try decimal(row, "exit_notional", database), averageExitPrice: try optionalDecimal("average_exit_price"),
            grossPnL: try decimal(row, "gross_pnl", database), fees: try decimal(row, "fees", database), funding: try decimal(row, "funding", database),
            netPnL: try decimal(row, "net_pnl", database), openedAt: try time("opened_at"),
            closedAt: try row.decodeNil(column: "closed_at") ? nil : try time("closed_at"),
            exitReason: try row.decodeNil(column: "exit_reason") ? nil : try parse("exit_reason", ExitReason.self),
            takeProfit: try row.decode(column: "take_profit", as: Double.self), stopLoss: try row.decode(column: "stop_loss", as: Double.self))
    }

    static func venue(_ row: any SQLRow, _ database: SQLDatabaseHandle?) throws -> VenueID {
        let text = try row.decode(column: "venue", as: String.self)
        guard let venue = VenueID(rawValue: text) else { throw JournalError(.unreadableRow, "order journal: venue \"\(text)\" is not binance, okx or bybit") }
        return venue
    }

    /// An exact number stored as text.
    static func decimal(_ row: any SQLRow, _ column: String, _ database: SQLDatabaseHandle?) throws -> FixedDecimal {
        try decimal(try row.decode(column: column, as: String.self), column: column, database)
    }

    static func decimal(_ text: String, column: String, _ database: SQLDatabaseHandle?) throws -> FixedDecimal {
        do {
            return try FixedDecimal(parsing: text)
        } catch {
            throw JournalError(.unreadableRow, "order journal\(database.map { " \($0.url)" } ?? ""): column \(column): \(error)")
        }
    }
}
