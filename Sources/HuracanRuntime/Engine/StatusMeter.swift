import Histogram
import HuracanBus
import HuracanCore

/// The engine's running measurements between status reports: tick-to-decision latency (the
/// interval's and the run's), event and signal rates, counters of shards that were dropped, the
/// Prometheus metrics and how far they have read the closed trades. Owned by the coordinator.
struct StatusMeter {
    private(set) var intervalLatency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .two)
    private var totalLatency = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .two)
    private var lastRates = (wall: UInt64(0), events: 0, signals: 0)
    /// Counters of shards removed when the active set shrank.
    private var retiredStats = PipelineStats()
    let metrics = EngineMetrics()
    /// Closed trades (by `ClosedTradeLog` count) already given to the metrics.
    private(set) var tradesRead = 0
    /// Live runs: the live-trading part of the status (reconciliation, drift, repairs).
    let liveStatus: (@Sendable () -> LiveTradingStatus)?

    init(liveStatus: (@Sendable () -> LiveTradingStatus)?) { self.liveStatus = liveStatus }

    /// Moves the shards' latency records into the interval histogram (between rounds; at status
    /// time, not every round: a histogram's whole bucket array is added and cleared).
    mutating func collectLatency(from shards: [Shard]) {
        for shard in shards { collectLatency(of: shard) }
    }

    mutating func collectLatency(of shard: Shard) {
        guard shard.latency.totalCount > 0 else { return }
        intervalLatency.add(shard.latency)
        shard.latency.reset()
    }

    /// Keeps the counters and latency of a shard that is being dropped.
    mutating func retire(_ shard: Shard) {
        retiredStats = retiredStats + shard.context.stats
        collectLatency(of: shard)
    }

    /// Counters over the whole run: the shards' and those of dropped shards.
    func totals(_ shards: [Shard]) -> PipelineStats { shards.reduce(retiredStats) { $0 + $1.context.stats } }

    /// Starts measuring rates from `wall` (monotonic nanoseconds).
    mutating func startRates(at wall: UInt64, totals: PipelineStats) { lastRates = (wall, totals.events, totals.signals) }

    /// Seconds, events per second and signals per second since the last call (or `startRates`).
    mutating func rates(at wall: UInt64, totals: PipelineStats) -> (seconds: Double, events: Double, signals: Double) {
        let seconds = max(Double(wall - lastRates.wall) / 1e9, 1e-9)
        let rates = (seconds, Double(totals.events - lastRates.events) / seconds, Double(totals.signals - lastRates.signals) / seconds)
        lastRates = (wall, totals.events, totals.signals)
        return rates
    }

    /// Renders the Prometheus text for this status, then starts a new latency interval.
    mutating func publish(status: EngineStatus, risk: RiskReport, trades: ClosedTradeLog, intervalSeconds: Double,
                          bus: [(stream: String, stats: StreamStats)], busWaiting: Int, spreads: [VenueID: Double]) -> String {
        let text = metrics.update(status: status, risk: risk, closed: trades.trades(since: tradesRead), latency: intervalLatency,
                                  intervalSeconds: intervalSeconds, bus: bus, busWaiting: busWaiting, spreads: spreads)
        tradesRead = trades.count
        totalLatency.add(intervalLatency)
        intervalLatency.reset()
        return text
    }

    /// Tick-to-decision latency over the whole run so far, in nanoseconds (collect first).
    func latencySummary() -> LatencySummary {
        var all = totalLatency
        all.add(intervalLatency)
        return LatencySummary(count: all.totalCount, p50: all.valueAtPercentile(50), p99: all.valueAtPercentile(99),
                              p999: all.valueAtPercentile(99.9), max: all.max)
    }
}
