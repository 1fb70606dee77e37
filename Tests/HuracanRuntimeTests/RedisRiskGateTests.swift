import Foundation
import HuracanConfig
import HuracanCore
import HuracanRedis
@testable import HuracanRuntime
import HuracanTestSupport
import Testing

/// The shared risk ledger in Redis: same rules as the local ledger, atomic across processes,
/// and no entry without it.
@Suite(.serialized) struct RedisRiskGateTests {
    let universe = try! UniverseLoader.load(for: EngineConfig())

    func limits() -> RiskLimits {
        var limits = RiskLimits()
        limits.globalMaxExposurePct = 100
        limits.perCoinMaxExposurePct = 10
        limits.perSectorMaxExposurePct = 30
        limits.perExchangeMaxExposurePct = 70
        limits.maxActiveTrades = 40
        limits.maxConcurrentTrades = 60
        return limits
    }

    func gate(_ server: RedisServer, process: Int = 0, timeout: Duration = .seconds(30)) -> RedisRiskGate {
        RedisRiskGate(client: RedisClient(RedisConfiguration(port: server.port, poolSize: 1, reconnectBaseSeconds: 0.01, reconnectMaxSeconds: 0.1)),
                      prefix: "test", processIndex: process, universe: universe, timeout: timeout)
    }

    func randomRequest(_ random: inout SplitMix) -> TradeRequest {
        let coin = CoinIndex(random.next() % 12)
        let venue = VenueID.allCases[Int(random.next() % 3)]
        return TradeRequest(coin: coin, sector: universe[coin].sector, venue: venue, notional: 500 + random.uniform() * 4_000, minimumNotional: 100)
    }

    /// The Lua script decides exactly as `RiskLedger.decide` on the same sequence of requests,
    /// fills and closes.
    @Test func luaScriptAgreesWithTheLocalLedger() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let shared = gate(server)
        defer { shared.client.shutdown() }
        try await shared.client.send(["PING"]) // connected before the sequence, as RedisLink.connect leaves it
        let local = RiskLedger(limits: limits(), equity: 100_000, coinCount: universe.count)
        var random = SplitMix(seed: 11)
        var open: [(TradeRequest, Double)] = []
        var decisions: [RiskDecision: Int] = [:]
        for step in 0..<400 {
            if !open.isEmpty, random.uniform() < 0.3 {
                let (request, notional) = open.remove(at: Int(random.next() % UInt64(open.count)))
                local.adjust(coin: request.coin, sector: request.sector, venue: request.venue, by: -notional)
                local.tradeEnded()
                shared.adjust(coin: request.coin, sector: request.sector, venue: request.venue, by: -notional)
                shared.tradeEnded()
                try await shared.flush()
                continue
            }
            let request = randomRequest(&random)
            let expected = local.checkTrade(request)
            let passThrough = RiskCheck(decision: .approve, reason: .withinLimits, approvedNotional: request.notional, exposurePct: 0, limitPct: 0)
            let got = await onThread { shared.reserve(request, local: passThrough, limits: limits(), equity: 100_000) }
            #expect(got.decision == expected.decision && got.reason == expected.reason, "step \(step): \(got.explanation) vs \(expected.explanation)")
            #expect(abs(got.approvedNotional - expected.approvedNotional) < 1e-6, "step \(step)")
            decisions[expected.decision, default: 0] += 1
            if expected.decision != .block { open.append((request, expected.approvedNotional)) }
        }
        #expect(decisions.count == 3, "the sequence exercises approvals, throttles and blocks: \(decisions)")
        let snapshot = try await shared.snapshot()
        let localSnapshot = local.snapshot()
        #expect(abs(snapshot.global - localSnapshot.global) < 1e-6)
        #expect(snapshot.openTrades == localSnapshot.openTrades)
    }

    /// Four ledgers (as four engine processes would) reserving at once never pass a limit.
    @Test func concurrentProcessesNeverExceedTheGlobalLimit() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let gates = (0..<4).map { gate(server, process: $0) }
        defer { for g in gates { g.client.shutdown() } }
        for g in gates { try await g.client.send(["PING"]) }
        var tight = limits()
        tight.globalMaxExposurePct = 20
        tight.perCoinMaxExposurePct = 100
        tight.perSectorMaxExposurePct = 100
        tight.perExchangeMaxExposurePct = 100
        tight.maxActiveTrades = 1_000
        tight.maxConcurrentTrades = 1_000
        let ledgers = gates.map { RiskLedger(limits: tight, equity: 100_000, coinCount: universe.count, shared: $0) }
        let results = await withTaskGroup(of: [RiskCheck].self) { group in
            for (n, ledger) in ledgers.enumerated() {
                group.addTask {
                    await onThread {
                        var random = SplitMix(seed: UInt64(n + 1))
                        return (0..<150).map { _ in ledger.checkTrade(randomRequest(&random)) }
                    }
                }
            }
            var all: [RiskCheck] = []
            for await part in group { all += part }
            return all
        }
        let snapshot = try await gates[0].snapshot()
        let approved = results.filter { $0.decision != .block }.map(\.approvedNotional).reduce(0, +)
        #expect(results.contains { $0.decision == .block && $0.reason == .globalExposure }, "the limit was reached")
        #expect(snapshot.global <= 20_000 + 1e-6, "global exposure \(snapshot.global) within 20 % of 100,000")
        #expect(snapshot.highWaterGlobalPct <= 20 + 1e-9)
        #expect(abs(snapshot.global - approved) < 1e-6, "the shared ledger holds exactly what was approved")
        let localSum = ledgers.map { $0.snapshot().global }.reduce(0, +)
        #expect(abs(localSum - approved) < 1e-6, "each process's own ledger kept its part")
    }

    @Test func noEntryWithoutRedisAndChangesWaitForIt() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let shared = gate(server, timeout: .milliseconds(300))
        defer { shared.client.shutdown() }
        try await shared.client.send(["PING"])
        let ledger = RiskLedger(limits: limits(), equity: 100_000, coinCount: universe.count, shared: shared)
        var random = SplitMix(seed: 3)
        let first = randomRequest(&random)
        let approved = await onThread { ledger.checkTrade(first) }
        #expect(approved.decision == .approve)

        server.kill()
        let second = randomRequest(&random)
        let blocked = await onThread { ledger.checkTrade(second) }
        #expect(blocked.decision == .block && blocked.reason == .sharedLedgerUnavailable)
        #expect(ledger.snapshot().openTrades == 1, "the refused entry left nothing reserved locally")
        ledger.adjust(coin: first.coin, sector: first.sector, venue: first.venue, by: -approved.approvedNotional)
        ledger.tradeEnded()
        await #expect(throws: RedisError.self) { try await shared.flush() }
        #expect(shared.unsentChanges > 0, "the close waits for Redis")

        try server.start()
        for _ in 0..<50 where shared.unsentChanges > 0 {
            try? await shared.flush()
            try await Task.sleep(for: .milliseconds(20))   // poll interval
        }
        let snapshot = try await shared.snapshot()
        #expect(abs(snapshot.global) < 1e-6 && snapshot.openTrades == 0, "the close reached the shared ledger after the restart")
        let again = await onThread { ledger.checkTrade(first) }
        #expect(again.decision == .approve)
    }

    @Test func restartedProcessRetiresWhatItLeft() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let a = gate(server, process: 0), b = gate(server, process: 1)
        defer { a.client.shutdown(); b.client.shutdown() }
        let la = RiskLedger(limits: limits(), equity: 100_000, coinCount: universe.count, shared: a)
        let lb = RiskLedger(limits: limits(), equity: 100_000, coinCount: universe.count, shared: b)
        var random = SplitMix(seed: 5)
        let ra = randomRequest(&random), rb = randomRequest(&random)
        let ca = await onThread { la.checkTrade(ra) }
        let cb = await onThread { lb.checkTrade(rb) }
        #expect(try await a.snapshot().openTrades == 2)
        // Process 0 dies and starts again, flat: its share leaves the ledger, process 1's stays.
        #expect(try await gate(server, process: 0).retirePreviousRun() > 0)
        let after = try await b.snapshot()
        #expect(after.openTrades == 1)
        #expect(abs(after.global - cb.approvedNotional) < 1e-6)
        _ = ca
    }
}

/// Runs `body` on a thread of its own, as engine shards do: the shared ledger's `reserve` waits
/// for Redis on the calling thread, which must not be one of Swift's few cooperative threads.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
