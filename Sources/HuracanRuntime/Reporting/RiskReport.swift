import HuracanCore

/// What `huracan risk status` shows: exposure against every limit by coin, sector, exchange and
/// globally, the breaker states, and the active set.
public struct RiskReport: Sendable, Codable {
    public struct Exposure: Sendable, Codable, Hashable {
        public var name: String
        public var exposurePct: Double
        public var limitPct: Double
    }

    public struct ActiveCoin: Sendable, Codable, Hashable {
        public var coin: String
        public var shard: Int
        /// Position in the cost-efficiency ranking (1 = best), when ranked.
        public var costRank: Int?
        public var active: Bool
    }

    public var time: Timestamp
    public var equity: Double
    public var tradingState: String
    public var breakers: [String]
    public var breakerTrips: [String: Int]
    public var openTrades: Int
    public var maxActiveTrades: Int
    public var maxConcurrentTrades: Int
    public var softThrottlePct: Double
    public var global: Exposure
    public var exchanges: [Exposure]
    public var sectors: [Exposure]
    /// Coins with exposure, largest first.
    public var coins: [Exposure]
    public var activeSet: [ActiveCoin]
    public var decisions: [String: [String: Int]]

    /// A plain-text rendering for the terminal.
    public func render() -> String {
        func row(_ e: Exposure) -> String {
            let used = e.limitPct > 0 ? e.exposurePct / e.limitPct * 100 : 0
            let flag = used >= 100 ? "  AT LIMIT" : (used >= softThrottlePct ? "  throttling" : "")
            return "  " + pad(e.name, 16) + lpad(format1(e.exposurePct) + "%", 9) + " of " + lpad(format1(e.limitPct) + "%", 7) + flag
        }
        var lines = ["risk at \(time): equity \(money(equity)), trading \(tradingState), open trades \(openTrades) (soft \(maxActiveTrades), hard \(maxConcurrentTrades))"]
        lines.append(breakers.isEmpty ? "breakers: none tripped" : "breakers:")
        lines += breakers.map { "  " + $0 }
        if !breakerTrips.isEmpty {
            lines.append("breaker trips since start: " + breakerTrips.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("exposure (gross notional / equity):")
        lines.append(row(global))
        lines.append("by exchange:")
        lines += exchanges.map(row)
        lines.append("by sector:")
        lines += sectors.filter { $0.exposurePct > 0 }.map(row)
        lines.append("by coin (largest first):")
        lines += coins.prefix(20).map(row)
        if coins.count > 20 { lines.append("  ... \(coins.count - 20) more") }
        let decided = decisions.sorted { $0.key < $1.key }.map { decision, reasons in
            decision + " " + reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        if !decided.isEmpty { lines.append("risk decisions: " + decided.joined(separator: "; ")) }
        lines.append("active set (\(activeSet.filter(\.active).count) coins): " + activeSet.map { c in
            c.coin + (c.costRank.map { "#\($0)" } ?? "") + (c.active ? "" : "(leaving)") + "@\(c.shard)"
        }.joined(separator: " "))
        return lines.joined(separator: "\n")
    }
}
