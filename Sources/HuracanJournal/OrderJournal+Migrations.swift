import HuracanSQL

extension OrderJournal {
    /// The journal's schema, version by version. Never edit a released migration; add one.
    ///
    /// Exact numbers (prices, quantities, money) are TEXT holding `FixedDecimal.description`, so
    /// nothing is rounded on either database; times are integer nanoseconds since the epoch (UTC).
    public static let migrations: [SQLMigration] = [
        SQLMigration(version: 1, name: "orders, fills, positions, funding, closed_trades, reconciliations") { db in
            let serial = db.dialect == .postgresql ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
            return [
                """
                CREATE TABLE orders (
                    client_order_id VARCHAR(64) PRIMARY KEY,
                    venue VARCHAR(16) NOT NULL,
                    coin VARCHAR(32) NOT NULL,
                    symbol VARCHAR(64),
                    side VARCHAR(4) NOT NULL,
                    type VARCHAR(10) NOT NULL,
                    time_in_force VARCHAR(10) NOT NULL,
                    quantity TEXT NOT NULL,
                    price TEXT,
                    reduce_only BOOLEAN NOT NULL,
                    trade_id BIGINT,
                    is_entry BOOLEAN NOT NULL,
                    origin VARCHAR(10) NOT NULL,
                    status VARCHAR(20) NOT NULL,
                    venue_order_id VARCHAR(64),
                    filled_quantity TEXT NOT NULL,
                    reject_reason TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX orders_venue_status ON orders (venue, status)",
                "CREATE INDEX orders_venue_order_id ON orders (venue, venue_order_id)",
                // Binance trade ids are unique per symbol only, hence the coin in the key.
                """
                CREATE TABLE fills (
                    venue VARCHAR(16) NOT NULL,
                    coin VARCHAR(32) NOT NULL,
                    trade_id VARCHAR(64) NOT NULL,
                    client_order_id VARCHAR(64) NOT NULL,
                    venue_order_id VARCHAR(64),
                    side VARCHAR(4) NOT NULL,
                    price TEXT NOT NULL,
                    quantity TEXT NOT NULL,
                    fee TEXT NOT NULL,
                    fee_asset VARCHAR(16),
                    liquidity VARCHAR(5) NOT NULL,
                    time BIGINT NOT NULL,
                    PRIMARY KEY (venue, coin, trade_id)
                )
                """,
                "CREATE INDEX fills_venue_time ON fills (venue, time)",
                "CREATE INDEX fills_client_order ON fills (client_order_id)",
                // Signed net quantity per coin, kept in the same transaction as each fill.
                """
                CREATE TABLE positions (
                    venue VARCHAR(16) NOT NULL,
                    coin VARCHAR(32) NOT NULL,
                    quantity TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (venue, coin)
                )
                """,
                """
                CREATE TABLE funding (
                    venue VARCHAR(16) NOT NULL,
                    coin VARCHAR(32) NOT NULL,
                    rate TEXT NOT NULL,
                    mark_price TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    PRIMARY KEY (venue, coin, time)
                )
                """,
                // Trade ids restart with every engine run, so the opening time is part of the key.
                """
                CREATE TABLE closed_trades (
                    trade_id BIGINT NOT NULL,
                    venue VARCHAR(16) NOT NULL,
                    coin VARCHAR(32) NOT NULL,
                    style VARCHAR(10) NOT NULL,
                    side VARCHAR(4) NOT NULL,
                    entry_reason TEXT NOT NULL,
                    signal_time BIGINT NOT NULL,
                    expected_edge_bps \(db.doubleType) NOT NULL,
                    quantity TEXT NOT NULL,
                    entry_notional TEXT NOT NULL,
                    average_entry_price TEXT,
                    exit_quantity TEXT NOT NULL,
                    exit_notional TEXT NOT NULL,
                    average_exit_price TEXT,
                    gross_pnl TEXT NOT NULL,
                    fees TEXT NOT NULL,
                    funding TEXT NOT NULL,
                    net_pnl TEXT NOT NULL,
                    opened_at BIGINT NOT NULL,
                    closed_at BIGINT,
                    exit_reason VARCHAR(20),
                    take_profit \(db.doubleType) NOT NULL,
                    stop_loss \(db.doubleType) NOT NULL,
                    PRIMARY KEY (trade_id, venue, coin, opened_at)
                )
                """,
                "CREATE INDEX closed_trades_closed_at ON closed_trades (closed_at)",
                """
                CREATE TABLE reconciliations (
                    id \(serial),
                    time BIGINT NOT NULL,
                    venue VARCHAR(16) NOT NULL,
                    summary TEXT NOT NULL
                )
                """,
            ]
        },
    ]
}
