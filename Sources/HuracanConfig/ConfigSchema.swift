import HuracanCore

/// Every configuration key the engine knows, in the order `config show` prints them.
public enum ConfigSchema {
    public static var fields: [ConfigField] {
        typealias C = ConfigField
        let e = "engine."
        var fields: [ConfigField] = [
            .choice(e + "mode", \.modeName, RunMode.allCases.map(\.rawValue), "backtest replays on a simulated clock; paper trades with simulated fills in real time; live sends real orders"),
            .int(e + "max_coins", \.maxCoins, 1...400, "Hardware capacity: the largest universe the engine is sized for"),
            .int(e + "max_concurrent_trades", \.maxConcurrentTrades, 1...10_000, "Hard limit on open trades across all coins"),
            .int(e + "active_coins", \.activeCoins, 1...400, "Coins traded now (soft scale knob; changeable at runtime)"),
            .int(e + "max_active_trades", \.maxActiveTrades, 1...10_000, "Soft limit on open trades; new entries are throttled above it"),
            .int(e + "coins_per_event_loop", \.coinsPerEventLoop, 1...400, "Coins per shard (event loop); shards = ceil(active_coins / this)"),
            .number(e + "event_loop_timeout_seconds", \.eventLoopTimeoutSeconds, 0.1...86_400, "Watchdog: a shard silent this long is unhealthy and its coins stop opening trades"),
            .int(e + "event_loop_threads", \.eventLoopThreads, 0...256, "OS threads that run shards; 0 means one per core"),
            .number(e + "starting_equity", \.startingEquity, 1...1e12, "Account equity in USDT for paper and backtest runs"),
            .string(e + "data_dir", \.dataDir, allowed: "a directory path", "Where data, journals and the embedded database live", check: nonEmpty),
            .string(e + "universe_file", \.universeFile, allowed: "a CSV file path, or empty for the built-in universe", "Coin universe (see config/universe.csv)"),
            .int(e + "process_index", \.processIndex, 0...255, "This engine process's number when several share the work (0-based; needs message_bus.type redis_streams)"),
            .int(e + "process_count", \.processCount, 1...256, "Engine processes sharing the universe; each trades the coins consistent hashing gives it"),

            .choice(e + "message_bus.type", \.messageBus.type, ["in_process", "redis_streams"],
                    unsupported: ["kafka": "kafka is not supported yet; use redis_streams or in_process", "nats": "nats is not supported yet; use redis_streams or in_process"],
                    "Message bus: in_process (embedded) or redis_streams"),
            .string(e + "message_bus.host", \.messageBus.host, allowed: "a host name or IP address", "Redis host", check: hostName),
            .int(e + "message_bus.port", \.messageBus.port, 1...65_535, "Redis port"),
            .string(e + "message_bus.stream_prefix", \.messageBus.streamPrefix, allowed: "letters, digits, _ or -", "Prefix of every stream name", check: identifier),
            .int(e + "message_bus.max_consumers_per_group", \.messageBus.maxConsumersPerGroup, 1...1_000, "Consumers per consumer group"),
            .string(e + "message_bus.password_env", \.messageBus.passwordEnv, allowed: "an environment variable name", "Environment variable holding the Redis password", check: environmentName),
            .string(e + "message_bus.password_file", \.messageBus.passwordFile, allowed: "a file path or empty", "File holding the Redis password"),
            .bool(e + "message_bus.tls", \.messageBus.tls, "Connect to Redis over TLS"),
            .string(e + "message_bus.tls_ca_file", \.messageBus.tlsCAFile, allowed: "a PEM file path, or empty for the system's CAs", "Certificate authorities trusted for Redis TLS"),
            .int(e + "message_bus.queue_capacity", \.messageBus.queueCapacity, 16...16_777_216, "Bounded queue size per stream (in-process) and publish buffer (Redis)"),
            .int(e + "message_bus.messages_per_entry", \.messageBus.messagesPerEntry, 1...1_024, "Most messages packed into one Redis stream entry when published together to the same stream (1: one entry per message)"),

            .string(e + "model_registry.storage_path", \.modelRegistry.storagePath, allowed: "a directory path", "Model artifacts: {storage_path}/{coin}/{version}.json", check: nonEmpty),
            .string(e + "model_registry.metadata_db", \.modelRegistry.metadataDB, allowed: "postgresql://[user@]host[:port]/db[?sslmode=MODE&sslrootcert=FILE] or sqlite:PATH", "Registry and trade history database", check: databaseURL),
            .string(e + "model_registry.metadata_db_password_env", \.modelRegistry.metadataDBPasswordEnv, allowed: "an environment variable name", "Environment variable holding the database password", check: environmentName),
            .string(e + "model_registry.metadata_db_password_file", \.modelRegistry.metadataDBPasswordFile, allowed: "a file path or empty", "File holding the database password"),
            .int(e + "model_registry.models_per_regime", \.modelRegistry.modelsPerRegime, 1...20, "Best-N models kept active per coin and regime, ranked by walk-forward Sharpe after costs"),
            .number(e + "model_registry.min_sharpe", \.modelRegistry.minSharpe, -1_000...1_000, "Walk-forward Sharpe after costs a trained model needs to be activated automatically"),
            .number(e + "model_registry.poll_seconds", \.modelRegistry.pollSeconds, 0.1...3_600, "How often a running engine checks the registry for activated models (PostgreSQL also notifies)"),
            .bool(e + "model_registry.retraining.enabled", \.modelRegistry.retraining.enabled, "Retrain models on a schedule and on drift"),
            .bool(e + "model_registry.retraining.use_ray", \.modelRegistry.retraining.useRay, "Distribute training on Ray (one task per coin)"),
            .bool(e + "model_registry.retraining.pool_coins", \.modelRegistry.retraining.poolCoins, "Train one model over all the coins' rows (returns in units of each coin's volatility) and register it for each coin; false trains each coin on its own rows"),
            .int(e + "model_registry.retraining.workers_per_coin", \.modelRegistry.retraining.workersPerCoin, 1...64, "Ray CPU workers per coin"),
            .int(e + "model_registry.retraining.gpu_per_worker", \.modelRegistry.retraining.gpuPerWorker, 0...8, "GPUs per Ray worker (0 = CPU only)"),
            .string(e + "model_registry.retraining.ray_address", \.modelRegistry.retraining.rayAddress, allowed: "ray://host:port, host:port or empty", "Ray cluster; empty starts a local instance", check: rayAddress),
            .number(e + "model_registry.retraining.interval_hours", \.modelRegistry.retraining.intervalHours, 0.1...8_760, "Scheduled retraining interval per coin"),
            .string(e + "model_registry.retraining.trainer_path", \.modelRegistry.retraining.trainerPath, allowed: "a directory path", "The trainer/ folder (Python package huracan_trainer)", check: nonEmpty),
            .string(e + "model_registry.retraining.python", \.modelRegistry.retraining.python, allowed: "a command or path", "Python interpreter that runs the trainer", check: nonEmpty),
            .number(e + "model_registry.retraining.drift_tolerance_pct", \.modelRegistry.retraining.driftTolerancePct, 0...100, "Retrain a coin when its live hit rate falls this many points below the model's validation hit rate"),
            .int(e + "model_registry.retraining.drift_min_trades", \.modelRegistry.retraining.driftMinTrades, 1...100_000, "Closed trades needed before the drift check judges a model"),
        ]
        fields += riskFields(e + "risk.") + costFields(e + "cost_model.") + observabilityFields(e + "observability.")
        fields += strategyFields(e + "strategy.") + simulatorFields(e + "simulator.") + dataFields(e + "data.")
        fields += liveFields(e + "live.")
        for (name, key) in [("binance", \EngineConfig.venues.binance), ("okx", \.venues.okx), ("bybit", \.venues.bybit)] {
            fields += venueFields(e + "venues.\(name).", key)
        }
        return fields
    }

    private static func riskFields(_ p: String) -> [ConfigField] {
        [
            .number(p + "global_max_exposure_pct", \.risk.globalMaxExposurePct, 0...10_000, "Gross notional / equity across everything (200 = 2x leverage)"),
            .number(p + "per_coin_max_exposure_pct", \.risk.perCoinMaxExposurePct, 0...10_000, "Largest exposure in one coin"),
            .number(p + "per_sector_max_exposure_pct", \.risk.perSectorMaxExposurePct, 0...10_000, "Largest exposure in one sector"),
            .number(p + "per_exchange_max_exposure_pct", \.risk.perExchangeMaxExposurePct, 0...10_000, "Largest exposure on one exchange"),
            .number(p + "soft_throttle_threshold_pct", \.risk.softThrottleThresholdPct, 1...100, "Share of any limit where new trades start being throttled"),
            .number(p + "risk_per_trade_pct", \.risk.riskPerTradePct, 0.001...10, "Equity risked between entry and stop on one trade (volatility sizing)"),
            .number(p + "max_drawdown_pct", \.risk.maxDrawdownPct, 0.1...100, "Drawdown from peak equity that halts new entries"),
            .number(p + "daily_loss_limit_pct", \.risk.dailyLossLimitPct, 0.1...100, "Loss within a UTC day that halts new entries"),
            .int(p + "max_consecutive_losses", \.risk.maxConsecutiveLosses, 1...1_000, "Losing trades in a row on one coin before it cools down"),
            .number(p + "loss_cooldown_seconds", \.risk.lossCooldownSeconds, 0...604_800, "Cool-down after max_consecutive_losses"),
            .number(p + "stale_data_seconds", \.risk.staleDataSeconds, 0.1...3_600, "No new entries on a coin whose market data is older than this"),
            .number(p + "stale_data_grace_seconds", \.risk.staleDataGraceSeconds, 0...3_600, "A coin without any market data yet is reported stale only this long after it joined the active set (start-up grace)"),
            .number(p + "venue_error_rate_pct", \.risk.venueErrorRatePct, 0.1...100, "Venue error/reject rate that trips the venue breaker"),
            .number(p + "venue_error_window_seconds", \.risk.venueErrorWindowSeconds, 1...86_400, "Window for the venue error rate"),
            .int(p + "venue_error_min_requests", \.risk.venueErrorMinRequests, 1...1_000_000, "Requests needed in the window before the venue error rate is judged"),
        ]
    }

    private static func costFields(_ p: String) -> [ConfigField] {
        [
            .bool(p + "real_time_updates", \.costModel.realTimeUpdates, "Refresh spreads from the live book on every update"),
            .number(p + "update_interval_seconds", \.costModel.updateIntervalSeconds, 1...86_400, "Refresh interval for fees and funding"),
            .choice(p + "spread_source", \.costModel.spreadSource, ["exchange_websocket", "simulated"], "Where spreads come from"),
            .choice(p + "fee_source", \.costModel.feeSource, ["exchange_api", "simulated"], "Where maker/taker fees come from"),
            .choice(p + "funding_source", \.costModel.fundingSource, ["exchange_api", "simulated"], "Where funding rates come from"),
            .number(p + "min_edge_after_cost_bps", \.costModel.minEdgeAfterCostBps, -1_000...10_000, "Skip trades whose expected edge after costs is below this"),
            .bool(p + "rank_active_set", \.costModel.rankActiveSet, "Choose the active coins by cost efficiency (else the most liquid first)"),
            .number(p + "ranking_interval_seconds", \.costModel.rankingIntervalSeconds, 10...86_400, "How often the active set is re-ranked"),
            .number(p + "ranking_hysteresis_pct", \.costModel.rankingHysteresisPct, 0...1_000, "A member stays while ranked within active_coins x (1 + this)"),
        ]
    }

    private static func observabilityFields(_ p: String) -> [ConfigField] {
        [
            .bool(p + "prometheus.enabled", \.observability.prometheusEnabled, "Serve /metrics"),
            .int(p + "prometheus.port", \.observability.prometheusPort, 1...65_535, "Port of /metrics, /health, /ready and admin calls"),
            .string(p + "prometheus.bind_address", \.observability.prometheusBindAddress, allowed: "an IP address", "Address to bind; 127.0.0.1 keeps it local", check: hostName),
            .bool(p + "grafana.enabled", \.observability.grafanaEnabled, "Ship Grafana dashboards"),
            .string(p + "grafana.dashboard_path", \.observability.grafanaDashboardPath, allowed: "a directory path", "Where Grafana dashboards are provisioned from", check: nonEmpty),
            .numbers(p + "metrics.latency_percentiles", \.observability.latencyPercentiles, 0.001...99.9999, "Latency percentiles reported"),
            .number(p + "metrics.trade_rate_window_seconds", \.observability.tradeRateWindowSeconds, 1...86_400, "Window of trades-per-second"),
            .number(p + "metrics.health_check_interval_seconds", \.observability.healthCheckIntervalSeconds, 1...3_600, "Interval of readiness checks"),
            .string(p + "admin_token_env", \.observability.adminTokenEnv, allowed: "an environment variable name", "Environment variable holding the admin bearer token", check: environmentName),
        ]
    }

    private static func strategyFields(_ p: String) -> [ConfigField] {
        [
            .string(p + "model_file", \.strategy.modelFile, allowed: "a JSON file path, or empty for the built-in baseline", "Baseline model coefficients"),
            .choice(p + "name", \.strategy.name, StrategySelection.names,
                    "Strategy every coin runs: ml (the model's scalps and runners), ema_cross (EMA fast/slow cross of mid, fixed notional), book_imbalance (docs/strategies.md)"),
            ConfigField(path: p + "per_coin", allowed: "a list of COIN=strategy", doc: "Per-coin strategy, overriding name (e.g. [BTC=ema_cross])",
                        read: { .list($0.strategy.perCoin.map { .string($0) }) }) { config, value in
                guard case .list(let items) = value else { return "expected a list of COIN=strategy" }
                var entries: [String] = []
                for item in items {
                    guard case .string(let entry) = item else { return "expected COIN=strategy, found \(item)" }
                    guard let (_, strategy) = StrategySelection.parseOverride(entry) else { return "expected COIN=strategy, found \"\(entry)\"" }
                    guard StrategySelection.names.contains(strategy) else {
                        return "\"\(strategy)\" in \"\(entry)\" is not a strategy; one of \(StrategySelection.names.joined(separator: ", "))"
                    }
                    entries.append(entry)
                }
                config.strategy.perCoin = entries
                return nil
            },
            .int(p + "ema_cross.fast", \.strategy.emaCrossFast, 1...10_000, "ema_cross: quotes in the fast EMA"),
            .int(p + "ema_cross.slow", \.strategy.emaCrossSlow, 2...10_000, "ema_cross: quotes in the slow EMA (more than fast)"),
            .number(p + "ema_cross.notional_usdt", \.strategy.emaCrossNotionalUsdt, 1...10_000_000, "ema_cross: notional of each order"),
            .number(p + "book_imbalance.threshold", \.strategy.bookImbalanceThreshold, 0.01...0.99, "book_imbalance: top-of-book imbalance needed to enter"),
            .int(p + "max_trades_per_coin", \.strategy.maxTradesPerCoin, 1...10, "Open trades allowed per coin"),
            .number(p + "entry_cooldown_seconds", \.strategy.entryCooldownSeconds, 0...86_400, "Wait after a trade closes before the coin enters again"),
            .number(p + "warmup_seconds", \.strategy.warmupSeconds, 1...3_600,
                    "Seconds of market data a coin needs before it trades (features use returns over up to 60 s; lower only for rehearsals on fake venues)"),
            .bool(p + "scalp.enabled", \.strategy.scalp.enabled, "Trade the scalp style"),
            .number(p + "scalp.min_confidence", \.strategy.scalp.minConfidence, 0...1, "Model confidence needed for a scalp entry"),
            .number(p + "scalp.take_profit_bps", \.strategy.scalp.takeProfitBps, 0.1...10_000, "Scalp take-profit distance"),
            .number(p + "scalp.stop_loss_bps", \.strategy.scalp.stopLossBps, 0.1...10_000, "Scalp stop-loss distance"),
            .number(p + "scalp.timeout_seconds", \.strategy.scalp.timeoutSeconds, 1...86_400, "Scalp trades are closed after this"),
            .number(p + "scalp.expected_holding_seconds", \.strategy.scalp.expectedHoldingSeconds, 1...86_400, "Holding time used for expected funding cost"),
            .bool(p + "runner.enabled", \.strategy.runner.enabled, "Trade the runner style"),
            .number(p + "runner.min_confidence", \.strategy.runner.minConfidence, 0...1, "Model confidence needed for a runner entry"),
            .number(p + "runner.min_edge_bps", \.strategy.runner.minEdgeBps, 0...10_000, "Expected edge needed for a runner entry"),
            .number(p + "runner.initial_stop_bps", \.strategy.runner.initialStopBps, 0.1...10_000, "Runner stop distance at entry"),
            .number(p + "runner.trailing_stop_bps", \.strategy.runner.trailingStopBps, 0.1...10_000, "Runner trailing stop distance from the best price"),
            .number(p + "runner.max_hold_seconds", \.strategy.runner.maxHoldSeconds, 1...2_592_000, "Runner trades are closed after this"),
            .number(p + "runner.expected_holding_seconds", \.strategy.runner.expectedHoldingSeconds, 1...2_592_000, "Holding time used for expected funding cost"),
        ]
    }

    private static func simulatorFields(_ p: String) -> [ConfigField] {
        [
            .int(p + "seed", \.simulator.seed, 0...Int(Int32.max), "Seed of the simulated market: same seed, same market"),
            .number(p + "update_interval_ms", \.simulator.updateIntervalMs, 0.01...60_000, "Mean time between book updates per coin"),
            .number(p + "latency_ms", \.simulator.latencyMs, 0...10_000, "Order round-trip latency of the simulated venue"),
            .strings(p + "venues", \.simulator.venues, options: VenueNames.all, "Venues whose listings and fees the simulator imitates"),
            .string(p + "start_date", \.simulator.startDate, allowed: "a date YYYY-MM-DD", "First simulated day of a backtest", check: date),
            .number(p + "equity_interval_seconds", \.simulator.equityIntervalSeconds, 1...86_400,
                    "Equity is sampled every this many seconds; Sharpe, Sortino, volatility and drawdown are computed from the samples"),
        ]
    }

    private static func liveFields(_ p: String) -> [ConfigField] {
        [
            .choice(p + "venue", \.live.venue, VenueNames.all, "Venue of huracan run --mode paper|live when --venue is not given"),
            .string(p + "journal_db", \.live.journalDB, allowed: "postgresql://[user@]host[:port]/db[?sslmode=MODE], sqlite:PATH, or empty for sqlite:{data_dir}/journal.sqlite",
                    "Order journal and trade history database", check: { $0.isEmpty ? nil : databaseURL($0) }),
            .string(p + "journal_db_password_env", \.live.journalDBPasswordEnv, allowed: "an environment variable name", "Environment variable holding the journal database password", check: environmentName),
            .string(p + "journal_db_password_file", \.live.journalDBPasswordFile, allowed: "a file path or empty", "File holding the journal database password"),
            .choice(p + "unknown_orders", \.live.unknownOrders, ["cancel", "adopt"], "At start, open venue orders the journal does not know: cancel them or adopt them into the journal"),
            .choice(p + "leftover_positions", \.live.leftoverPositions, ["close", "keep"],
                    "At start, venue positions left by an earlier run: close them with reduce-only market orders, or keep them (reported, not managed)"),
            .number(p + "fill_lookback_hours", \.live.fillLookbackHours, 0.01...720, "How far back start-up reconciliation reads venue fills missed while the engine was down"),
            .int(p + "symbols_per_connection", \.live.symbolsPerConnection, 1...1_000, "Symbols per public WebSocket connection"),
            .number(p + "reconcile_interval_seconds", \.live.reconcileIntervalSeconds, 0...86_400,
                    "Seconds between reconciliations with the venue while trading (open orders, fills, positions); 0: only at start"),
            .number(p + "recheck_finished_minutes", \.live.recheckFinishedMinutes, 0...10_080,
                    "At start, final orders finished within this many minutes are checked against the venue again"),
            .number(p + "shutdown_wait_seconds", \.live.shutdownWaitSeconds, 0...600,
                    "At shutdown, how long to wait for every order in flight to be final (those that are not are reported)"),
        ]
    }

    private static func dataFields(_ p: String) -> [ConfigField] {
        [
            .bool(p + "record", \.data.record, "Record the engine's bus streams into the data lake under data_dir while it runs"),
            .strings(p + "record_streams", \.data.recordStreams, options: ["market_data", "features", "signals", "orders", "executions"],
                     "Streams recorded: market_data (book tops, trades, funding), features, signals, orders, executions"),
            .int(p + "flush_rows", \.data.flushRows, 100...10_000_000, "Rows the recorder buffers before writing (its memory bound)"),
            .number(p + "flush_interval_seconds", \.data.flushIntervalSeconds, 1...86_400, "Longest time recorded rows wait in memory"),
            .int(p + "feature_builders", \.data.featureBuilders, 0...64, "Feature-builder workers that turn market_data into stored features (0: none)"),
        ]
    }

    private static func venueFields(_ p: String, _ venue: WritableKeyPath<EngineConfig, EngineConfig.Venue>) -> [ConfigField] {
        [
            .bool(p + "enabled", venue.appending(path: \.enabled), "Connect to this venue"),
            .bool(p + "testnet", venue.appending(path: \.testnet), "Use the venue's testnet/demo endpoints"),
            .string(p + "rest_url", venue.appending(path: \.restURL), allowed: "an http(s) URL", "REST base URL", check: url(["https", "http"])),
            .string(p + "ws_url", venue.appending(path: \.wsURL), allowed: "a ws(s) URL", "WebSocket base URL", check: url(["wss", "ws"])),
            .string(p + "testnet_rest_url", venue.appending(path: \.testnetRestURL), allowed: "an http(s) URL", "Testnet REST base URL", check: url(["https", "http"])),
            .string(p + "testnet_ws_url", venue.appending(path: \.testnetWsURL), allowed: "a ws(s) URL", "Testnet WebSocket base URL", check: url(["wss", "ws"])),
            .string(p + "api_key_env", venue.appending(path: \.apiKeyEnv), allowed: "an environment variable name", "Environment variable holding the API key", check: environmentName),
            .string(p + "api_secret_env", venue.appending(path: \.apiSecretEnv), allowed: "an environment variable name", "Environment variable holding the API secret", check: environmentName),
            .string(p + "passphrase_env", venue.appending(path: \.passphraseEnv), allowed: "an environment variable name", "Environment variable holding the API passphrase (OKX)", check: environmentName),
            .string(p + "api_key_file", venue.appending(path: \.apiKeyFile), allowed: "a file path or empty", "File holding the API key (instead of the variable)"),
            .string(p + "api_secret_file", venue.appending(path: \.apiSecretFile), allowed: "a file path or empty", "File holding the API secret"),
            .string(p + "passphrase_file", venue.appending(path: \.passphraseFile), allowed: "a file path or empty", "File holding the API passphrase"),
        ]
    }
}

/// Venue names accepted in configuration.
enum VenueNames {
    static let all = ["binance", "okx", "bybit"]
}

extension EngineConfig {
    /// `mode` as text, for the schema.
    var modeName: String {
        get { mode.rawValue }
        set { mode = RunMode(rawValue: newValue) ?? mode }
    }
}
