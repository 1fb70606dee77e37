import HuracanSQL

extension ModelRegistry {
    /// The registry's schema, version by version. Never edit a released migration; add one.
    public static let migrations: [SQLMigration] = [
        SQLMigration(version: 1, name: "model_registry and model_events") { db in
            [
                """
                CREATE TABLE model_registry (
                    coin VARCHAR(20) NOT NULL,
                    version INTEGER NOT NULL,
                    sharpe_ratio \(db.doubleType) NOT NULL,
                    regime VARCHAR(20) NOT NULL,
                    last_retrain_date \(db.timestampType) NOT NULL,
                    is_active BOOLEAN NOT NULL DEFAULT FALSE,
                    performance_metrics \(db.jsonType) NOT NULL,
                    style VARCHAR(10) NOT NULL,
                    horizon_seconds \(db.doubleType) NOT NULL,
                    artifact_path VARCHAR(300) NOT NULL,
                    checksum_sha256 CHAR(64) NOT NULL,
                    feature_schema_version INTEGER NOT NULL,
                    training_start \(db.timestampType) NOT NULL,
                    training_end \(db.timestampType) NOT NULL,
                    trainer_version VARCHAR(40) NOT NULL,
                    created_at \(db.timestampType) NOT NULL,
                    activated_at \(db.timestampType),
                    PRIMARY KEY (coin, version)
                )
                """,
                "CREATE INDEX model_registry_active ON model_registry (coin, regime, is_active)",
                """
                CREATE TABLE model_events (
                    id \(db.dialect == .postgresql ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"),
                    coin VARCHAR(20) NOT NULL,
                    version INTEGER NOT NULL,
                    action VARCHAR(20) NOT NULL,
                    detail VARCHAR(500) NOT NULL,
                    at \(db.timestampType) NOT NULL
                )
                """,
            ]
        },
    ]
}
