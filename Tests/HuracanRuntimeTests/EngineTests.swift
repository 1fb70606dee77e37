import Foundation
import HuracanConfig
import HuracanCore
import HuracanBus
import HuracanHTTP
import HuracanSimVenue
import HuracanTestSupport
@testable import HuracanRuntime
import Logging
import Testing

/// A config that trades often on a small universe slice, for engine tests.
func testConfig(activeCoins: Int = 12, perLoop: Int = 4, seed: Int = 7) throws -> EngineConfig {
    var config = try ConfigLoader(environment: [:]).load(path: nil)
    config.activeCoins = activeCoins
    config.coinsPerEventLoop = perLoop
    config.simulator.seed = seed
    config.costModel.rankActiveSet = false // tests below name coins by liquidity rank
    config.costModel.minEdgeAfterCostBps = -1_000 // trade on any confident signal
    config.strategy.entryCooldownSeconds = 5
    config.strategy.scalp.timeoutSeconds = 30
    config.strategy.runner.maxHoldSeconds = 120
    config.strategy.scalp.minConfidence = 0.55
    return config
}

let quiet: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

let day = UTCDate(year: 2026, month: 1, day: 1).start

@Suite(.serialized) struct EngineTests {
    @Test func shardsFollowConfiguration() throws {
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 10, perLoop: 4), start: day, threads: 2, logger: quiet)
        #expect(engine.shardCount == 3)
        #expect(engine.assignment.map(\.count) == [4, 3, 3])
        #expect(engine.threadCount == 2)
        #expect(engine.status().shards.map(\.coins.count) == [4, 3, 3])
    }

    @Test func backtestIsDeterministic() throws {
        let config = try testConfig(activeCoins: 6, perLoop: 3)
        let end = day + .seconds(3 * 3_600)
        let (first, firstTrades) = try EngineRunner.backtest(config: config, from: day, to: end, logger: quiet)
        let (second, secondTrades) = try EngineRunner.backtest(config: config, from: day, to: end, logger: quiet)
        #expect(firstTrades.count > 10)
        #expect(TradeCSV.render(firstTrades) == TradeCSV.render(secondTrades))
        #expect(first.endingEquity == second.endingEquity && first.events == second.events)
        var other = config
        other.simulator.seed = 8
        let (_, otherTrades) = try EngineRunner.backtest(config: other, from: day, to: end, logger: quiet)
        #expect(TradeCSV.render(otherTrades) != TradeCSV.render(firstTrades))
    }

    /// Shards decide on their own round view of the risk ledger, so a backtest gives the same
    /// trades on 1, 2 and 4 threads, with the limits binding (tight exposure and trade counts:
    /// shards compete for the same room) and the shards together never past a limit.
    @Test func backtestGivesTheSameTradesOnAnyNumberOfThreads() throws {
        var config = try testConfig(activeCoins: 16, perLoop: 3)
        config.risk.globalMaxExposurePct = 40
        config.risk.perSectorMaxExposurePct = 25
        config.maxConcurrentTrades = 6
        config.maxActiveTrades = 5
        let end = day + .seconds(2 * 3_600)
        var renders: [String] = []
        var equities: [Double] = []
        for threads in [1, 2, 4] {
            let engine = try EngineRunner.makeEngine(config: config, start: day, threads: threads, logger: quiet)
            #expect(engine.threadCount == threads && engine.shardCount == 6)
            engine.run(until: end, pacing: .asFastAsPossible, stepsPerRound: 50)
            renders.append(TradeCSV.render(engine.closedTrades))
            equities.append(engine.risk.snapshot().equity)
            let risk = engine.risk.snapshot()
            #expect(engine.closedTrades.count > 20)
            #expect(risk.count(.block) > 0, "the limits bind")
            #expect(risk.highestApprovedPct.global <= 40 + 1e-9 && risk.highestApprovedPct.sector <= 25 + 1e-9)
        }
        #expect(renders[0] == renders[1] && renders[1] == renders[2])
        #expect(equities[0] == equities[1] && equities[1] == equities[2])
    }

    @Test func accountingAddsUp() throws {
        let config = try testConfig(activeCoins: 6, perLoop: 3)
        let start = day
        let engine = try EngineRunner.makeEngine(config: config, start: start, threads: 1, logger: quiet)
        engine.run(until: start + .seconds(2 * 3_600), pacing: .asFastAsPossible)
        // Let open trades finish: stop entries and run on until flat.
        engine.control.setKillSwitch(true)
        engine.run(until: start + .seconds(3 * 3_600), pacing: .asFastAsPossible)
        #expect(engine.openTrades().isEmpty)
        let tradesNet = engine.closedTrades.reduce(Money.zero) { $0 + $1.netPnL }
        // The venues' own accounts (the simulated matchers' cash, fees and funding), kept apart
        // from the engine's trades.
        let matchers = engine.shards.flatMap(\.slots).flatMap(\.matchers)
        #expect(matchers.allSatisfy { $0.position.isZero })
        let venueNet = matchers.reduce(Money.zero) { $0 + $1.cashFlow - $1.feesPaid - $1.fundingPaid }
        #expect(engine.closedTrades.count > 10)
        #expect(tradesNet == venueNet, "every fill, fee and funding payment is in exactly one trade")
        let risk = engine.risk.snapshot()
        #expect(risk.openTrades == 0 && abs(risk.global) < 1e-6)
        #expect(abs(risk.equity - (config.startingEquity + tradesNet.doubleValue)) < 1e-6)
    }

    @Test func liveRebalancingKeepsPositions() throws {
        let config = try testConfig(activeCoins: 8, perLoop: 4)
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 2, logger: quiet)
        var t = day + .seconds(600)
        engine.run(until: t, pacing: .asFastAsPossible)
        #expect(engine.shardCount == 2)

        engine.control.request(.init(activeCoins: 16))
        t = t + .seconds(600)
        engine.run(until: t, pacing: .asFastAsPossible)
        #expect(engine.shardCount == 4)
        #expect(Set(engine.assignment.joined()) == Set(engine.universe.top(16).map(\.coin)))

        // Shrink while trades are open: removed coins keep their trades until the exits.
        var open = engine.openTrades()
        var guardCounter = 0
        while !open.contains(where: { engine.universe.index(of: $0.coin)! >= 4 }) && guardCounter < 100 {
            t = t + .seconds(10)
            engine.run(until: t, pacing: .asFastAsPossible)
            open = engine.openTrades()
            guardCounter += 1
        }
        let openOnRemoved = open.filter { engine.universe.index(of: $0.coin)! >= 4 }
        #expect(!openOnRemoved.isEmpty)
        let closedBefore = engine.closedTrades.count
        engine.control.request(.init(activeCoins: 4, maxActiveTrades: 50))
        engine.run(until: t + .seconds(1), pacing: .asFastAsPossible)
        #expect(engine.risk.limits.maxActiveTrades == 50)
        let stillOpen = Set(engine.openTrades().map(\.id))
        for trade in openOnRemoved where stillOpen.contains(trade.id) {
            #expect(engine.assignment.joined().contains(trade.coin), "\(trade.coin) keeps its shard while its trade is open")
        }
        #expect(engine.openTrades().allSatisfy { engine.assignment.joined().contains($0.coin) })
        engine.run(until: t + .seconds(600), pacing: .asFastAsPossible)
        let closedIDs = Set(engine.closedTrades.dropFirst(closedBefore).map(\.id))
        for trade in openOnRemoved { #expect(closedIDs.contains(trade.id), "trade \(trade.id) on \(trade.coin) ran to its exit") }
        #expect(Set(engine.assignment.joined()) == Set(engine.universe.top(4).map(\.coin)))
        // Removed coins opened nothing after removal.
        let removed = Set(engine.universe.instruments[4...].map(\.coin))
        #expect(engine.closedTrades.dropFirst(closedBefore).filter { removed.contains($0.coin) }.allSatisfy { closedIDs.contains($0.id) && openOnRemoved.map(\.id).contains($0.id) })
    }

    @Test func watchdogMarksStalledShardUnhealthyAndStopsItsEntries() throws {
        var config = try testConfig(activeCoins: 4, perLoop: 2)
        // A timeout of 1 s: the engine's own watchdog thread must not find the shard recovered
        // before the unhealthy stretch below has run, even on a busy machine.
        config.eventLoopTimeoutSeconds = 1
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 2, logger: quiet)
        engine.run(until: day + .seconds(120), pacing: .asFastAsPossible)
        let stalled = engine.shards[0]
        stalled.injectStall(nanoseconds: 3_000_000_000)
        let done = DispatchSemaphore(value: 0)
        // While the engine runs on its thread, the test touches only what the watchdog does.
        let watchdog = engine.watchdog, stalledHealth = stalled.health, otherHealth = engine.shards[1].health
        let running = ThreadHandOff(engine)
        let thread = Thread {
            running.value.run(until: day + .seconds(121), pacing: .asFastAsPossible)
            done.signal()
        }
        thread.start()
        // Checked every 50 ms; the stall (3 s) outlasts the timeout by far, so a busy machine
        // that starts the round late still sees it.
        for _ in 0..<56 where stalledHealth.isHealthy {
            Thread.sleep(forTimeInterval: 0.05)   // the watchdog's check interval
            watchdog.check(now: Int64(MonotonicClock.nanoseconds()))
        }
        #expect(stalledHealth.isHealthy == false)
        #expect(otherHealth.isHealthy)
        done.wait()
        let status = engine.status()
        #expect(status.shards[0].healthy == false)
        // While unhealthy its coins open nothing.
        let entriesBefore = stalled.context.stats.riskApproved + stalled.context.stats.riskThrottled
        engine.run(until: day + .seconds(300), pacing: .asFastAsPossible)
        #expect(stalled.context.stats.riskApproved + stalled.context.stats.riskThrottled == entriesBefore)
        #expect(stalled.context.entriesAllowed == false)
        // After a full timeout of normal running it recovers.
        for _ in 0..<80 where !stalled.isHealthy {
            Thread.sleep(forTimeInterval: 0.05)   // the watchdog's check interval
            engine.watchdog.check(now: Int64(MonotonicClock.nanoseconds()))
        }
        #expect(stalled.isHealthy)
    }

    @Test func concurrentShardsNeverExceedTheGlobalLimit() throws {
        var config = try testConfig(activeCoins: 24, perLoop: 2)
        config.risk.globalMaxExposurePct = 30
        config.risk.perExchangeMaxExposurePct = 30
        config.risk.perSectorMaxExposurePct = 30
        config.risk.perCoinMaxExposurePct = 10
        config.risk.riskPerTradePct = 0.01
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 4, logger: quiet)
        // Exposure is marked to market between rounds, so prices may carry it past a limit; what
        // the ledger guarantees is that no approval ever leaves a scope above its limit.
        var t = day
        for _ in 0..<60 {
            t = t + .seconds(60)
            engine.run(until: t, pacing: .asFastAsPossible)
        }
        let highest = engine.risk.snapshot().highestApprovedPct
        #expect(highest.global <= 30 + 1e-6 && highest.coin <= 10 + 1e-6)
        #expect(highest.sector <= 30 + 1e-6 && highest.exchange <= 30 + 1e-6)
        #expect(highest.global > 15, "limits were reached")
        #expect(engine.risk.snapshot().count(.block) + engine.risk.snapshot().count(.throttle) > 0)
    }
}

@Suite struct EngineAdminTests {
    @Test func adminScaleRebalancesARunningEngine() throws {
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 8, perLoop: 4), start: day, threads: 1, logger: quiet)
        let admin = EngineAdmin(engine: engine.handle, maxCoins: 400, maxConcurrentTrades: 500)
        #expect(throws: AdminError.self) { try admin.scale(activeCoins: 401, maxActiveTrades: nil) }
        #expect(throws: AdminError.self) { try admin.scale(activeCoins: nil, maxActiveTrades: 501) }
        _ = try admin.scale(activeCoins: 20, maxActiveTrades: 30)
        engine.run(until: day + .seconds(10), pacing: .asFastAsPossible)
        #expect(engine.shardCount == 5)
        #expect(engine.risk.limits.maxActiveTrades == 30)
        let status = try JSONDecoder().decode(EngineStatus.self, from: Data(admin.statusJSON().utf8))
        #expect(status.activeCoins == 20 && status.shards.count == 5)
        let report = try JSONDecoder().decode(RiskReport.self, from: Data(admin.riskJSON().utf8))
        #expect(report.activeSet.count == 20 && report.global.limitPct == 200 && report.exchanges.count == 3)
        #expect(report.sectors.count == Sector.allCases.count && report.maxActiveTrades == 30)
        #expect(report.breakers.allSatisfy { !$0.hasPrefix("stale_data") }, "coins outside the active set are not listed")
        #expect(report.render().contains("exposure (gross notional / equity):"))
        _ = admin.setKillSwitch(true)
        #expect(engine.control.isKilled)
    }
}

@Suite struct ReloadTests {
    @Test func hangupReloadAppliesValidFilesAndRefusesBadOnes() async throws {
        let directory = TestPaths.temporaryDirectory()
        let file = directory.appendingPathComponent("engine.yaml").path
        try "engine:\n  active_coins: 8\n  coins_per_event_loop: 4\n".write(toFile: file, atomically: true, encoding: .utf8)
        let config = try ConfigLoader(environment: [:]).load(path: file)
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, logger: quiet)
        let reload = await ReloadOnHangup(path: file, control: engine.control, logger: quiet)

        try "engine:\n  active_coins: 12\n  max_active_trades: 40\n  coins_per_event_loop: 4\n".write(toFile: file, atomically: true, encoding: .utf8)
        reload.reload()
        engine.run(until: day + .seconds(1), pacing: .asFastAsPossible)
        #expect(engine.shardCount == 3 && engine.risk.limits.maxActiveTrades == 40)

        try "engine:\n  active_coins: many\n".write(toFile: file, atomically: true, encoding: .utf8)
        reload.reload()
        engine.run(until: day + .seconds(2), pacing: .asFastAsPossible)
        #expect(engine.shardCount == 3 && engine.settings.activeCoins == 12)
    }
}

@Suite struct EngineBreakerTests {
    @Test func killSwitchHaltsAndClosesEverything() throws {
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 8, perLoop: 4), start: day, threads: 1, logger: quiet)
        var t = day + .seconds(600)
        engine.run(until: t, pacing: .asFastAsPossible)
        while engine.openTrades().isEmpty, t < day + .seconds(7_200) {
            t = t + .seconds(5)
            engine.run(until: t, pacing: .asFastAsPossible)
        }
        #expect(!engine.openTrades().isEmpty)
        engine.control.setKillSwitch(true)
        let entries = engine.status().totals.riskApproved + engine.status().totals.riskThrottled
        engine.run(until: t + .seconds(100), pacing: .asFastAsPossible)
        #expect(engine.openTrades().isEmpty, "HALTED closes every open trade")
        #expect(engine.status().totals.riskApproved + engine.status().totals.riskThrottled == entries)
        #expect(engine.status().tradingState == "HALTED")
        #expect(engine.breakerEvents.contains { $0.kind == .killSwitch && $0.tripped })
        engine.control.setKillSwitch(false)
        engine.run(until: t + .seconds(700), pacing: .asFastAsPossible)
        #expect(engine.status().tradingState == "ACTIVE")
        #expect(engine.breakerEvents.contains { $0.kind == .killSwitch && !$0.tripped })
    }

    @Test func drawdownBreakerHalts() throws {
        var config = try testConfig(activeCoins: 8, perLoop: 4)
        config.risk.maxDrawdownPct = 0.1
        config.risk.dailyLossLimitPct = 50
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(6 * 3_600), pacing: .asFastAsPossible)
        let trip = try #require(engine.breakerEvents.first { $0.kind == .drawdown && $0.tripped })
        #expect(trip.value >= 0.1 && trip.threshold == 0.1)
        #expect(engine.status().tradingState == "HALTED")
        #expect(engine.openTrades().isEmpty)
    }

    @Test func consecutiveLossesCoolACoinDown() throws {
        var config = try testConfig(activeCoins: 8, perLoop: 4)
        config.risk.maxConsecutiveLosses = 1
        config.risk.lossCooldownSeconds = 3_600
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(3 * 3_600), pacing: .asFastAsPossible)
        let trip = try #require(engine.breakerEvents.first { $0.kind == .consecutiveLosses && $0.tripped })
        // No trade on that coin opened during its cool-down.
        let tripTime = trip.time
        let reopened = engine.closedTrades.filter { $0.coin == trip.scope && $0.openedAt > tripTime && $0.openedAt < tripTime + .seconds(3_590) }
        #expect(reopened.isEmpty)
        #expect(engine.status().totals.breakerBlocked > 0)
    }
}

@Suite struct CostRefreshTests {
    @Test func staleCostsStopEntriesUntilTheVenueAnswersAgain() throws {
        var config = try testConfig(activeCoins: 6, perLoop: 6)
        config.costModel.updateIntervalSeconds = 30
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(1_200), pacing: .asFastAsPossible)
        #expect(engine.status().totals.skippedStaleCost == 0)
        let venues = Set(engine.shards.flatMap { $0.slots.flatMap(\.pipeline.venues) })
        for venue in venues { engine.setCostSource(venue, available: false) }
        let before = engine.status().totals
        engine.run(until: day + .seconds(1_260), pacing: .asFastAsPossible)   // within 2 intervals: still fresh
        engine.run(until: day + .seconds(3_000), pacing: .asFastAsPossible)
        let during = engine.status().totals
        #expect(during.skippedStaleCost > 0)
        let entriesWhileStale = (during.riskApproved + during.riskThrottled) - (before.riskApproved + before.riskThrottled)
        #expect(entriesWhileStale <= 6, "at most the entries of the first minute, before costs went stale")
        for venue in venues { engine.setCostSource(venue, available: true) }
        engine.run(until: day + .seconds(6_000), pacing: .asFastAsPossible)
        let after = engine.status().totals
        #expect(after.riskApproved + after.riskThrottled > during.riskApproved + during.riskThrottled)
    }
}

@Suite struct CostRankingTests {
    @Test func activeSetFollowsCostEfficiencyWithHysteresis() throws {
        var config = try testConfig(activeCoins: 12, perLoop: 6)
        config.costModel.rankActiveSet = true
        config.costModel.rankingIntervalSeconds = 300
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, logger: quiet)
        let initial = engine.activeSet
        #expect(initial.count == 12)
        // The initial set is the top of the cost ranking, not the liquidity order.
        let report = try #require(engine.riskReport(snapshot: engine.risk.snapshot(), status: engine.status()) as RiskReport?)
        #expect(report.activeSet.compactMap(\.costRank).allSatisfy { $0 <= 12 })
        #expect(Set(initial) != Set((0..<12).map { CoinIndex($0) }))
        var changes = 0
        var previous = Set(initial)
        var t = day
        for _ in 0..<12 {
            t = t + .seconds(900)
            engine.run(until: t, pacing: .asFastAsPossible)
            let current = Set(engine.activeSet)
            #expect(current.count == 12)
            changes += previous.symmetricDifference(current).count / 2
            previous = current
        }
        // Re-ranked every 5 minutes for 3 hours: the set adapts a little but does not churn.
        #expect(changes < 12 * 3)
        #expect(Set(engine.assignment.joined()).isSuperset(of: engine.activeSet.map { engine.universe[$0].coin }))
    }
}

@Suite struct EngineMetricsTests {
    @Test func exposesTheSpecMetricsInPrometheusTextFormat() throws {
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 8, perLoop: 4), start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(3_600), pacing: .asFastAsPossible)
        _ = engine.status()
        let text = engine.handle.telemetry.metricsText
        for name in ["huracan_trades_total", "huracan_trades_per_second", "huracan_latency_seconds_bucket", "huracan_hit_rate",
                     "huracan_cost_bps", "huracan_errors_total", "huracan_active_positions", "huracan_exposure_pct",
                     "huracan_risk_decisions", "huracan_trading_state", "huracan_shard_healthy", "huracan_events_total"] {
            #expect(text.contains("\n\(name)") || text.hasPrefix(name), "\(name) is exported")
        }
        // Every sample line is `name{labels} value` with a numeric value.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && Double(parts[1]) != nil, "bad sample line: \(line)")
            #expect(parts[0].allSatisfy { $0.isASCII }, "bad sample line: \(line)")
        }
        // The latency histogram is cumulative and ends at the total count.
        let buckets = text.split(separator: "\n").filter { $0.hasPrefix("huracan_latency_seconds_bucket") }.map { UInt64($0.split(separator: " ")[1])! }
        #expect(buckets == buckets.sorted() && buckets.last! > 0)
        let count = text.split(separator: "\n").first { $0.hasPrefix("huracan_latency_seconds_count") }.map { UInt64($0.split(separator: " ")[1])! }
        #expect(count == buckets.last)
        let closed = engine.closedTrades.count
        #expect(text.contains("huracan_trades_total{style=\"scalp\"} \(engine.closedTrades.filter { $0.style == .scalp }.count)"))
        #expect(closed > 0)
    }
}

@Suite struct PromtoolTests {
    @Test func promtoolAcceptsTheMetrics() throws {
        let promtool = try MissingTool.path("promtool", install: "apt-get install prometheus")
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 8, perLoop: 4), start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(1_800), pacing: .asFastAsPossible)
        _ = engine.status()
        let result = try ExternalTool.run(promtool, ["check", "metrics"], input: engine.handle.telemetry.metricsText)
        #expect(result.status == 0, "promtool check metrics: \(result.output)")
    }
}

@Suite struct RoutingTests {
    @Test func entriesAreRoutedAcrossVenuesAndAccountedPerVenue() throws {
        let engine = try EngineRunner.makeEngine(config: testConfig(activeCoins: 10, perLoop: 5), start: day, threads: 1, logger: quiet)
        #expect(engine.shards.flatMap(\.slots).contains { $0.matchers.count == 3 }, "majors are listed on all three venues")
        engine.run(until: day + .seconds(4 * 3_600), pacing: .asFastAsPossible)
        let venues = Set(engine.closedTrades.map(\.venue))
        #expect(venues.count >= 2, "entries went to more than one venue: \(venues)")
        // Each venue's account holds exactly its trades' fills, fees and funding.
        for venue in VenueID.allCases {
            let trades = engine.closedTrades.filter { $0.venue == venue }.reduce(Money.zero) { $0 + $1.netPnL }
            let open = engine.openTrades().filter { $0.venue == venue }
            guard open.isEmpty else { continue }
            let account = engine.shards.flatMap(\.slots).flatMap(\.matchers).filter { $0.venue == venue }
                .reduce(Money.zero) { $0 + $1.cashFlow - $1.feesPaid - $1.fundingPaid }
            #expect(trades == account, "\(venue)")
        }
    }
}

@Suite struct HealthCheckTests {
    @Test func readinessFollowsTheChecks() throws {
        var config = try testConfig(activeCoins: 4, perLoop: 4)
        let directory = TestPaths.temporaryDirectory()
        config.modelRegistry.metadataDB = "sqlite:\(directory.path)/db/huracan.sqlite"
        let engine = try EngineRunner.makeEngine(config: config, start: day, threads: 1, logger: quiet)
        engine.run(until: day + .seconds(60), pacing: .asFastAsPossible)
        let health = HealthChecks(config: config, engine: engine.handle)
        var report = health.runChecks()
        #expect(report.ready, "\(report.render())")
        #expect(report.checks.map(\.name) == ["database", "message_bus", "exchange_api", "models", "risk_limits", "kill_switch"])

        // The kill switch shows at once (before any round ran), at /ready too.
        engine.control.setKillSwitch(true)
        #expect(health.killSwitch().status == .failing)
        report = health.runChecks()
        #expect(!report.ready && report.checks.first { $0.name == "kill_switch" }?.status == .failing)
        engine.run(until: day + .seconds(61), pacing: .asFastAsPossible)
        report = health.runChecks()
        #expect(!report.ready)
        #expect(report.checks.first { $0.name == "risk_limits" }?.status == .failing)

        var unreachable = config
        unreachable.modelRegistry.metadataDB = "postgresql://127.0.0.1:1/huracan_models"
        unreachable.messageBus.type = "redis_streams"
        unreachable.messageBus.port = 1
        report = HealthChecks(config: unreachable, engine: engine.handle).runChecks()
        #expect(report.checks.first { $0.name == "database" }?.status == .failing)
        #expect(report.checks.first { $0.name == "message_bus" }?.message == "Redis at localhost:1 does not answer")
    }
}

@Suite struct EngineBusTests {
    @Test func ordersDecisionsAndExecutionsArePublishedWithTheirReasons() throws {
        var config = try testConfig(activeCoins: 8, perLoop: 4)
        config.risk.perSectorMaxExposurePct = 20
        config.risk.perCoinMaxExposurePct = 10
        let bus = InProcessBus(capacityPerStream: 1_000_000, maxConsumersPerGroup: 4, clock: { 0 })
        let names = StreamName(prefix: "huracan")
        _ = bus.createGroup(stream: names.ordersGlobal, group: "risk-monitor", fromStart: true)
        _ = bus.createGroup(stream: names.executionsGlobal, group: "pnl", fromStart: true)
        let engine = Engine(settings: EngineSettings(config), universe: try UniverseLoader.load(for: config), start: day, threads: 1,
                            logger: quiet, bus: bus) { _ in try! BaselineModelLoader.load(path: "") }
        engine.run(until: day + .seconds(3_600), pacing: .asFastAsPossible)

        let orders = try bus.read(stream: names.ordersGlobal, group: "risk-monitor", consumer: "a", max: 1_000_000)
        var entries = 0, exits = 0, decisions = 0, breakerBlocks = 0
        for delivery in orders {
            switch delivery.message {
            case .order(let order):
                if order.reason.hasPrefix("exit ") { exits += 1 } else { entries += 1 }
                #expect(!order.reason.isEmpty)
            case .riskDecision(let decision):
                #expect(decision.decision != .approve && decision.reason != .withinLimits)
                if [.staleData, .lossCooldown, .venueErrors].contains(decision.reason) {
                    breakerBlocks += 1
                } else {
                    decisions += 1
                    #expect(decision.limitPct > 0)
                }
            default:
                Issue.record("unexpected message on orders:global")
            }
        }
        let stats = engine.status().totals
        #expect(entries + exits == stats.ordersSent, "every order sent is on orders:global")
        #expect(decisions > 0 && decisions == stats.riskThrottled + stats.riskBlocked)
        #expect(breakerBlocks <= stats.breakerBlocked, "breaker blocks are reported once per coin and breaker, not per event")
        let executions = try bus.read(stream: names.executionsGlobal, group: "pnl", consumer: "a", max: 1_000_000)
        let fills = engine.closedTrades.count * 2 + engine.openTrades().count
        #expect(executions.count >= fills, "at least one fill per entry and exit")
        // The engine's own audit group keeps the streams from filling.
        #expect(bus.stats(stream: names.ordersGlobal).groups[EngineBus.auditGroup]?.lag == 0)
        #expect(engine.handle.telemetry.metricsText.contains("huracan_bus_published_total{stream=\"orders\"}"))
    }
}
