
import HuracanBus
import HuracanCore
import Prometheus
import Synchronization

/// The engine's Prometheus metrics: the spec's names (huracan_trades_total,
/// huracan_trades_per_second, huracan_latency_seconds, huracan_hit_rate, huracan_cost_bps,
/// huracan_errors_total, huracan_active_positions, huracan_exposure_pct) and what an operator
/// needs beside them. Updated by the coordinator between rounds, never on the hot path; the text
/// it renders reaches `/metrics` through `EngineTelemetry`. Label values are bounded (styles,
/// venues, sectors, traded coins, decision reasons, breaker kinds, shard ids).
final class EngineMetrics {
    // Coordinator only: each update renders the text, which the engine publishes for readers.
    private let registry = PrometheusCollectorRegistry()
    private var last = PipelineStats()
    private var lastTrips: [String: Int] = [:]
    private var styleFigures: [TradeStyle: RunSummary.StyleFigures] = [:]
    private var coinPnL: [String: Double] = [:]
    private var lastBusPublished: [String: Int] = [:]
    private var lastBusAcknowledged: [String: Int] = [:]
    private var exposureCoins: Set<String> = []
    private var coinLimitPct: Double?
    /// Cumulative tick-to-decision histogram (upper bounds in seconds).
    static let latencyBounds: [Double] = [1e-7, 2.5e-7, 5e-7, 1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 1e-3, 1e-2, 1e-1]
    private var latencyBuckets = [UInt64](repeating: 0, count: EngineMetrics.latencyBounds.count)
    private var latencyCount: UInt64 = 0
    private var latencySum = 0.0

    private func gauge(_ name: String, _ labels: [(String, String)] = [], help: String) -> Gauge {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        return labels.isEmpty ? registry.makeGauge(descriptor: descriptor) : registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    private func counter(_ name: String, _ labels: [(String, String)] = [], help: String) -> Counter {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        return labels.isEmpty ? registry.makeCounter(descriptor: descriptor) : registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    /// Updates every metric and returns the Prometheus text exposition.
    func update(status: EngineStatus, risk: RiskReport, closed: ArraySlice<Trade>, latency: LatencyHistogram,
                intervalSeconds: Double, bus: [(stream: String, stats: StreamStats)] = [], busWaiting: Int = 0,
                spreads: [VenueID: Double] = [:]) -> String {
        for (venue, spread) in spreads {
            gauge("huracan_spread_bps", [("venue", venue.rawValue)], help: "Average quoted spread of the traded coins on the venue, in bps").set(to: spread)
        }
        for (stream, stats) in bus {
            let published = counter("huracan_bus_published_total", [("stream", stream)], help: "Messages published on the message bus, by stream")
            let seen = lastBusPublished[stream] ?? 0
            if stats.published > seen { published.increment(by: Int64(stats.published - seen)) }
            lastBusPublished[stream] = stats.published
            gauge("huracan_bus_queue_depth", [("stream", stream)], help: "Entries retained on the stream").set(to: Double(stats.length))
            for (group, g) in stats.groups {
                gauge("huracan_bus_consumer_lag", [("stream", stream), ("group", group)], help: "Entries not yet delivered to the consumer group")
                    .set(to: Double(g.lag))
                gauge("huracan_bus_pending", [("stream", stream), ("group", group)], help: "Entries delivered to the group and not yet acknowledged")
                    .set(to: Double(g.pending))
                let key = stream + "/" + group
                let consumed = counter("huracan_bus_consumed_total", [("stream", stream), ("group", group)], help: "Entries acknowledged by the consumer group")
                if g.acknowledged > (lastBusAcknowledged[key] ?? 0) { consumed.increment(by: Int64(g.acknowledged - (lastBusAcknowledged[key] ?? 0))) }
                lastBusAcknowledged[key] = g.acknowledged
            }
        }
        gauge("huracan_bus_waiting", help: "Orders and executions waiting for room on a full stream (kept, retried)").set(to: Double(busWaiting))
        let totals = status.totals
        func add(_ name: String, _ labels: [(String, String)], _ value: Int, _ previous: Int, help: String) {
            if value > previous { counter(name, labels, help: help).increment(by: Int64(value - previous)) } else { _ = counter(name, labels, help: help) }
        }
        add("huracan_events_total", [], totals.events, last.events, help: "Market events processed")
        add("huracan_signals_total", [], totals.signals, last.signals, help: "Model outputs confident enough for a style")
        add("huracan_orders_total", [], totals.ordersSent, last.ordersSent, help: "Orders sent")
        add("huracan_errors_total", [("kind", "order_reject")], totals.rejects, last.rejects, help: "Errors by kind")
        add("huracan_errors_total", [("kind", "order_state")], totals.orderErrors, last.orderErrors, help: "Errors by kind")
        add("huracan_errors_total", [("kind", "exit_reject")], totals.exitRejects, last.exitRejects, help: "Errors by kind")
        add("huracan_late_fills_total", [], totals.lateFills, last.lateFills, help: "Fills that arrived after their order was final (applied)")
        if let live = status.live {
            for (name, value) in live.venueCounters {
                gauge("huracan_live_repairs", [("venue", live.venue), ("kind", name)], help: "What the venue adapter repaired since start, by kind").set(to: Double(value))
            }
            gauge("huracan_reconciliations", [("venue", live.venue)], help: "Reconciliations with the venue since start").set(to: Double(live.reconciliations))
            gauge("huracan_reconcile_drifts", [("venue", live.venue)], help: "Reconciliations that found venue and journal positions different").set(to: Double(live.driftsFound))
            gauge("huracan_position_drift_coins", [("venue", live.venue)], help: "Coins whose venue position differs from the journal now").set(to: Double(live.drift.count))
            gauge("huracan_user_stream_up", [("venue", live.venue)], help: "1 when the private stream is connected and authenticated").set(to: live.userStreamConnected ? 1 : 0)
            gauge("huracan_orders_in_flight", [("venue", live.venue)], help: "Orders sent that are not final yet").set(to: Double(live.ordersInFlight))
            gauge("huracan_stream_disconnects", [("venue", live.venue)], help: "WebSocket connections that ended since start (public and private)").set(to: Double(live.streamDisconnects))
            gauge("huracan_book_resyncs", [("venue", live.venue)], help: "Order book resyncs since start").set(to: Double(live.bookResyncs))
            gauge("huracan_book_resync_seconds", [("venue", live.venue), ("stat", "median")], help: "Time for a book to come back in sync").set(to: live.bookResyncMedianSeconds)
            gauge("huracan_book_resync_seconds", [("venue", live.venue), ("stat", "max")], help: "Time for a book to come back in sync").set(to: live.bookResyncMaxSeconds)
        }
        add("huracan_skipped_entries_total", [("reason", "cost")], totals.skippedByCost, last.skippedByCost, help: "Entry candidates skipped, by reason")
        add("huracan_skipped_entries_total", [("reason", "stale_cost")], totals.skippedStaleCost, last.skippedStaleCost, help: "Entry candidates skipped, by reason")
        add("huracan_skipped_entries_total", [("reason", "breaker")], totals.breakerBlocked, last.breakerBlocked, help: "Entry candidates skipped, by reason")
        add("huracan_skipped_entries_total", [("reason", "size")], totals.skippedBySize, last.skippedBySize, help: "Entry candidates skipped, by reason")
        last = totals

        for (decision, reasons) in risk.decisions {
            for (reason, count) in reasons {
                let g = gauge("huracan_risk_decisions", [("decision", decision), ("reason", reason)], help: "Risk decisions since start by result and reason")
                g.set(to: Double(count))
            }
        }
        for (kind, count) in status.breakerTrips {
            add("huracan_breaker_trips_total", [("kind", kind)], count, lastTrips[kind] ?? 0, help: "Circuit breaker trips by kind")
        }
        lastTrips = status.breakerTrips
        let stateValue: Double = status.tradingState == "HALTED" ? 2 : (status.tradingState == "REDUCING" ? 1 : 0)
        gauge("huracan_trading_state", help: "0 ACTIVE, 1 REDUCING (exits only), 2 HALTED").set(to: stateValue)

        // Trades: running figures, updated with the trades closed since the last update.
        for trade in closed {
            styleFigures[trade.style, default: RunSummary.StyleFigures()].add(trade)
            coinPnL[trade.coin, default: 0] += trade.netPnL.doubleValue
        }
        for style in TradeStyle.allCases {
            let label = [("style", style.rawValue)]
            let f = styleFigures[style] ?? RunSummary.StyleFigures()
            let new = closed.reduce(0) { $0 + ($1.style == style ? 1 : 0) }
            let trades = counter("huracan_trades_total", label, help: "Closed trades")
            if new > 0 { trades.increment(by: Int64(new)) }
            gauge("huracan_hit_rate", label, help: "Share of closed trades with positive net P&L").set(to: f.winRate)
            gauge("huracan_cost_bps", label, help: "Fees and funding per trade, in bps of entry notional").set(to: f.costBps)
            gauge("huracan_pnl", label, help: "Net P&L of closed trades (quote currency)").set(to: f.netPnL.doubleValue)
            // The parts of huracan_cost_bps, for the Cost dashboard.
            gauge("huracan_fees", label, help: "Fees paid on closed trades (quote currency)").set(to: f.fees.doubleValue)
            gauge("huracan_funding", label, help: "Funding paid on closed trades (quote currency; negative: received)").set(to: f.funding.doubleValue)
            gauge("huracan_fee_bps", label, help: "Fees per trade, in bps of entry notional").set(to: f.feeBps)
            gauge("huracan_funding_bps", label, help: "Funding per trade, in bps of entry notional").set(to: f.fundingBps)
            gauge("huracan_active_positions", label, help: "Open trades").set(to: Double(status.openTrades[style.rawValue] ?? 0))
        }
        // Net P&L of closed trades by coin (label values: coins that have traded).
        for (coin, pnl) in coinPnL {
            gauge("huracan_coin_pnl", [("coin", coin)], help: "Net P&L of closed trades by coin (quote currency)").set(to: pnl)
        }
        gauge("huracan_trades_per_second", help: "Closed trades per second over the last interval")
            .set(to: intervalSeconds > 0 ? Double(closed.count) / intervalSeconds : 0)
        gauge("huracan_events_per_second", help: "Market events per second").set(to: status.eventsPerSecond)
        gauge("huracan_signals_per_second", help: "Signals per second").set(to: status.signalsPerSecond)
        gauge("huracan_equity", help: "Account equity (quote currency)").set(to: status.equity)
        gauge("huracan_active_coins", help: "Coins in the active set").set(to: Double(status.activeCoins))
        for shard in status.shards {
            gauge("huracan_shard_healthy", [("shard", String(shard.id))], help: "1 when the shard's event loop is healthy").set(to: shard.healthy ? 1 : 0)
            gauge("huracan_shard_coins", [("shard", String(shard.id))], help: "Coins owned by the shard").set(to: Double(shard.coins.count))
        }

        // Exposure by scope.
        func exposure(_ scope: String, _ name: String, _ pct: Double) {
            gauge("huracan_exposure_pct", [("scope", scope), ("name", name)], help: "Gross notional / equity in percent, by scope").set(to: pct)
        }
        exposure("global", "global", risk.global.exposurePct)
        for e in risk.exchanges { exposure("exchange", e.name, e.exposurePct) }
        for e in risk.sectors { exposure("sector", e.name, e.exposurePct) }
        let coins = Dictionary(uniqueKeysWithValues: risk.coins.map { ($0.name, $0.exposurePct) })
        for coin in exposureCoins.union(coins.keys) { exposure("coin", coin, coins[coin] ?? 0) }
        exposureCoins.formUnion(coins.keys)
        // Limits beside the exposures (the per-coin limit is known once a coin has exposure).
        func limit(_ scope: String, _ pct: Double) {
            gauge("huracan_exposure_limit_pct", [("scope", scope)], help: "Exposure limit in percent of equity, by scope").set(to: pct)
        }
        limit("global", risk.global.limitPct)
        if let e = risk.exchanges.first { limit("exchange", e.limitPct) }
        if let s = risk.sectors.first { limit("sector", s.limitPct) }
        if let c = risk.coins.first { coinLimitPct = c.limitPct }
        if let coinLimitPct { limit("coin", coinLimitPct) }
        gauge("huracan_soft_throttle_pct", help: "Share of a limit, in percent, above which new entries are throttled").set(to: risk.softThrottlePct)
        gauge("huracan_open_trades", help: "Open trades counted by the risk ledger").set(to: Double(risk.openTrades))
        gauge("huracan_max_active_trades", help: "Soft limit on open trades").set(to: Double(risk.maxActiveTrades))
        gauge("huracan_max_concurrent_trades", help: "Hard limit on open trades").set(to: Double(risk.maxConcurrentTrades))

        // Tick-to-decision latency, from the interval's HDR histogram into cumulative buckets.
        let interval = latency.cumulativeCounts(bounds: Self.latencyBounds)
        for i in latencyBuckets.indices { latencyBuckets[i] += interval.buckets[i] }
        latencyCount += interval.count
        latencySum += interval.sumSeconds
        var output = registry.emitToString()
        output += "# HELP huracan_latency_seconds Latency by stage (tick_to_decision: market event to decision)\n"
        output += "# TYPE huracan_latency_seconds histogram\n"
        for (i, bound) in Self.latencyBounds.enumerated() {
            output += "huracan_latency_seconds_bucket{stage=\"tick_to_decision\",le=\"\(bound)\"} \(latencyBuckets[i])\n"
        }
        output += "huracan_latency_seconds_bucket{stage=\"tick_to_decision\",le=\"+Inf\"} \(latencyCount)\n"
        output += "huracan_latency_seconds_sum{stage=\"tick_to_decision\"} \(latencySum)\n"
        output += "huracan_latency_seconds_count{stage=\"tick_to_decision\"} \(latencyCount)\n"
        return output
    }
}
