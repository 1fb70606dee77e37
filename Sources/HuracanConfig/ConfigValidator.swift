import HuracanCore

/// Rules that involve more than one key.
enum ConfigValidator {
    static func crossChecks(_ c: EngineConfig) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        func add(_ path: String, _ value: any CustomStringConvertible, _ message: String) {
            issues.append(ConfigIssue(path: path, value: value.description, message: message, source: nil))
        }
        let e = "engine."
        if c.activeCoins > c.maxCoins {
            add(e + "active_coins", c.activeCoins, "must not exceed engine.max_coins (\(c.maxCoins))")
        }
        if c.maxActiveTrades > c.maxConcurrentTrades {
            add(e + "max_active_trades", c.maxActiveTrades, "must not exceed engine.max_concurrent_trades (\(c.maxConcurrentTrades))")
        }
        if c.processIndex >= c.processCount {
            add(e + "process_index", c.processIndex, "must be below engine.process_count (\(c.processCount))")
        }
        if c.processCount > 1, c.messageBus.type != "redis_streams" {
            add(e + "process_count", c.processCount, "several engine processes share their risk ledger through Redis: set engine.message_bus.type to redis_streams")
        }
        let r = c.risk
        let global = r.globalMaxExposurePct
        for (key, value) in [("per_coin_max_exposure_pct", r.perCoinMaxExposurePct), ("per_sector_max_exposure_pct", r.perSectorMaxExposurePct),
                             ("per_exchange_max_exposure_pct", r.perExchangeMaxExposurePct)] where value > global {
            add(e + "risk." + key, formatNumber(value), "must not exceed engine.risk.global_max_exposure_pct (\(formatNumber(global)))")
        }
        if r.perCoinMaxExposurePct > r.perSectorMaxExposurePct {
            add(e + "risk.per_coin_max_exposure_pct", formatNumber(r.perCoinMaxExposurePct),
                "must not exceed engine.risk.per_sector_max_exposure_pct (\(formatNumber(r.perSectorMaxExposurePct))): a coin belongs to one sector")
        }
        if c.observability.latencyPercentiles != c.observability.latencyPercentiles.sorted() || Set(c.observability.latencyPercentiles).count != c.observability.latencyPercentiles.count {
            add(e + "observability.metrics.latency_percentiles", ConfigValue.list(c.observability.latencyPercentiles.map { .double($0) }), "must be increasing without repeats")
        }
        if c.mode == .live, !(c.venues.binance.enabled || c.venues.okx.enabled || c.venues.bybit.enabled) {
            add(e + "mode", "live", "live mode needs at least one of engine.venues.binance/okx/bybit.enabled")
        }
        if c.strategy.emaCrossSlow <= c.strategy.emaCrossFast {
            add(e + "strategy.ema_cross.slow", c.strategy.emaCrossSlow, "must be more than engine.strategy.ema_cross.fast (\(c.strategy.emaCrossFast))")
        }
        if c.strategy.scalp.enabled == false && c.strategy.runner.enabled == false {
            add(e + "strategy", "scalp and runner disabled", "enable at least one style")
        }
        return issues
    }
}
