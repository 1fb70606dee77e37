import Foundation
import HuracanCore

/// Renders engine status: a live screen refreshed in place on a terminal, or one log line per
/// update when output is a file or pipe.
public struct StatusView: Sendable {
    public let interactive: Bool
    /// Warnings shown under the live screen, so they stay visible across redraws.
    public let warnings: RecentWarnings?

    public init(interactive: Bool = isatty(STDOUT_FILENO) == 1, warnings: RecentWarnings? = nil) {
        self.interactive = interactive
        self.warnings = warnings
    }

    public func show(_ status: EngineStatus) {
        let text = interactive ? screen(status) : line(status) + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func line(_ s: EngineStatus) -> String {
        let unhealthy = s.shards.filter { !$0.healthy }.map { String($0.id) }
        return "\(s.engineTime) state=\(s.tradingState) coins=\(s.activeCoins) shards=\(s.shards.count) threads=\(s.threads)"
            + (unhealthy.isEmpty ? "" : " unhealthy=[\(unhealthy.joined(separator: ","))]")
            + " events/s=\(Int(s.eventsPerSecond)) signals/s=\(format1(s.signalsPerSecond)) orders=\(s.totals.ordersSent)"
            + " open(scalp=\(s.openTrades["scalp"] ?? 0) runner=\(s.openTrades["runner"] ?? 0)) closed=\(s.closedTrades)"
            + " exposure=\(format1(s.exposurePct))% equity=\(money(s.equity)) pnl=\(money(s.pnl))"
            + " latency_us p50=\(micro(s.latencyP50)) p99=\(micro(s.latencyP99))"
    }

    public func screen(_ s: EngineStatus) -> String {
        var out = "\u{1B}[H\u{1B}[2J"
        out += "Huracan  \(s.engineTime)   (Ctrl-C stops and prints the summary)\n\n"
        out += "coins active   \(s.activeCoins) on \(s.shards.count) shards, \(s.threads) threads\n"
        for shard in s.shards {
            let names = shard.coins.prefix(12).joined(separator: " ") + (shard.coins.count > 12 ? " +\(shard.coins.count - 12)" : "")
            out += "  shard \(shard.id) \(shard.healthy ? "ok       " : "UNHEALTHY") \(names)\n"
        }
        out += "\nevents/s       \(Int(s.eventsPerSecond))\n"
        out += "signals/s      \(format1(s.signalsPerSecond))\n"
        out += "orders         \(s.totals.ordersSent) sent, \(s.totals.rejects) rejected\n"
        out += "risk           approve \(s.totals.riskApproved)  throttle \(s.totals.riskThrottled)  block \(s.totals.riskBlocked)\n"
        out += "open trades    scalp \(s.openTrades["scalp"] ?? 0)  runner \(s.openTrades["runner"] ?? 0)   closed \(s.closedTrades)\n"
        out += "exposure       \(format1(s.exposurePct))% of equity\n"
        out += "equity         \(money(s.equity))   P&L \(money(s.pnl))\n"
        out += "trading        \(s.tradingState)" + (s.breakers.isEmpty ? "" : "  " + s.breakers.joined(separator: "; ")) + "\n"
        out += "tick-to-decision  p50 \(micro(s.latencyP50)) us   p99 \(micro(s.latencyP99)) us   p99.9 \(micro(s.latencyP999)) us\n"
        if let recent = warnings?.latest, !recent.isEmpty {
            out += "\nlast warnings\n" + recent.map { "  " + $0 + "\n" }.joined()
        }
        return out
    }
}

func format1(_ value: Double) -> String { String(format: "%.1f", value) }
func micro(_ nanoseconds: UInt64) -> String { String(format: "%.2f", Double(nanoseconds) / 1000) }
