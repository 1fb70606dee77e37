import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRuntime
import Logging

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the whole pipeline: simulated venue -> features -> model -> gates -> orders -> fills.",
        discussion: "Build with -c release for meaningful figures. Reports events/s, tick-to-decision percentiles and peak RSS."
    )

    @Option(help: "Active coins.")
    var coins = 400

    @Option(help: "Simulated minutes to run.")
    var minutes = 30.0

    @Option(help: "Shard threads (default: one per core).")
    var threads: Int?

    @Option(help: "Mean milliseconds between book updates per coin in the simulated market.")
    var updateIntervalMs = 250.0

    @Option(name: .shortAndLong, help: "Configuration file (YAML).")
    var config: String?

    func run() throws {
        var engineConfig = try loadOrExit(config)
        engineConfig.activeCoins = coins
        engineConfig.maxActiveTrades = engineConfig.maxConcurrentTrades
        engineConfig.simulator.updateIntervalMs = updateIntervalMs
        var logger = Logger(label: "huracan.bench")
        logger.logLevel = .warning
        let start = UTCDate(parsing: engineConfig.simulator.startDate)!.start
        let engine = try EngineRunner.makeEngine(config: engineConfig, start: start, threads: threads, logger: logger)
        let end = start + .nanoseconds(Int64(minutes * 60e9))
        let clock = ContinuousClock()
        let began = clock.now
        engine.run(until: end, pacing: .asFastAsPossible, stepsPerRound: 10, statusInterval: 3600)
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let summary = EngineRunner.summary(engine)
        let latency = engine.latencySummary()
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(coins) coins on \(engine.shardCount) shards, \(engine.threadCount) threads")
        print("simulated \(minutes) min: \(summary.events) market events in \(String(format: "%.2f", seconds)) s")
        print("throughput: \(Int(Double(summary.events) / seconds)) events/s (generation, matching and decisions included)")
        print("tick-to-decision (book events, ns): p50 \(latency.p50)  p99 \(latency.p99)  p99.9 \(latency.p999)  max \(latency.max)")
        print("trades: \(summary.stats.ordersSent) orders, \(engine.tradeLog.count) closed, \(engine.openTrades().count) open")
        print("peak RSS: \(peakResidentMegabytes()) MB")
    }
}

/// Peak resident set size of this process (VmHWM), in MB; 0 when unknown.
func peakResidentMegabytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        return (Int(digits) ?? 0) / 1024
    }
    return 0
}
