import Foundation
import HuracanCore
import HuracanExchanges
import Testing

/// The per-venue limiter never lets a 400-coin burst exceed a documented limit.
@Suite struct RateLimiterTests {
    /// Checks every rolling window of every counter against the documented limit; returns the
    /// worst usage as a fraction of the limit.
    static func worstUsage(_ grants: [(Timestamp, [RateLimitCost])], rules: [RateLimitRule]) -> Double {
        var worst = 0.0
        for rule in rules {
            var byCounter: [String: [(Int64, Int)]] = [:]
            for (time, costs) in grants {
                for cost in costs where cost.rule == rule.name {
                    byCounter[rule.isPerKey ? cost.key : "", default: []].append((time.nanoseconds, cost.units))
                }
            }
            for (_, log) in byCounter {
                let sorted = log.sorted { $0.0 < $1.0 }
                var start = 0, sum = 0
                for end in sorted.indices {
                    sum += sorted[end].1
                    while sorted[start].0 <= sorted[end].0 - rule.windowNanoseconds {
                        sum -= sorted[start].1
                        start += 1
                    }
                    worst = max(worst, Double(sum) / Double(rule.limit))
                }
            }
        }
        return worst
    }

    static let coins = (0..<400).map { "C\($0)USDT" }

    @Test(arguments: VenueID.allCases)
    func burstFor400CoinsStaysUnderEveryLimit(venue: VenueID) {
        var limiter = VenueRateLimits.limiter(venue)
        let start = Timestamp(seconds: 1_700_000_000)
        var grants: [(Timestamp, [RateLimitCost])] = []
        // Start-up burst: every coin wants a depth snapshot and an entry order at the same instant,
        // then a cancel and a status query.
        for coin in Self.coins {
            for call in [VenueRateLimits.Call.depthSnapshot(limit: 1000), .placeOrder(symbol: coin), .cancelOrder(symbol: coin), .queryOrder(symbol: coin)] {
                let costs = VenueRateLimits.cost(call, venue: venue)
                grants.append((limiter.reserve(costs, now: start), costs))
            }
        }
        let worst = Self.worstUsage(grants, rules: VenueRateLimits.rules(venue))
        #expect(worst <= 0.8 + 1e-9, "\(venue): worst window at \(worst * 100)% of a documented limit")
        #expect(worst > 0.5, "\(venue): the limiter should use its budget, got \(worst * 100)%")
        let last = grants.map(\.0).max()!
        let seconds = Double(last - start) / 1e9
        // Pacing spreads the burst rather than refusing it: all 1600 calls are scheduled.
        #expect(grants.count == 1600)
        print("\(venue): 1600 calls for 400 coins scheduled over \(String(format: "%.1f", seconds)) s, worst window \(String(format: "%.0f", worst * 100))% of a documented limit")
    }

    @Test func throttleReplyPausesAndTightens() {
        var limiter = VenueRateLimits.limiter(.binance)
        let now = Timestamp(seconds: 100)
        #expect(limiter.reserve(VenueRateLimits.cost(.serverTime, venue: .binance), now: now) == now)
        limiter.throttled(httpStatus: 429, retryAfter: .seconds(7), now: now)
        #expect(limiter.safety == 0.4)
        let next = limiter.reserve(VenueRateLimits.cost(.serverTime, venue: .binance), now: now)
        #expect(next == Timestamp(seconds: 107))
        // An IP ban (418) pauses at least two minutes even with a shorter Retry-After.
        limiter.throttled(httpStatus: 418, retryAfter: .seconds(1), now: Timestamp(seconds: 110))
        #expect(limiter.reserve(VenueRateLimits.cost(.serverTime, venue: .binance), now: Timestamp(seconds: 111)) == Timestamp(seconds: 230))
        #expect(limiter.safety == RateLimiter.minimumSafety)
    }

    @Test func usageHeaderAboveOurCountSlowsUs() {
        var limiter = VenueRateLimits.limiter(.binance)
        let now = Timestamp(seconds: 100)
        // Another process on this IP already used 1910 of 2400 weight this minute.
        limiter.observe(used: 1910, rule: "weight", now: now)
        #expect(limiter.used("weight", at: now) == 1910)
        let at = limiter.reserve(VenueRateLimits.cost(.depthSnapshot(limit: 1000), venue: .binance), now: now)
        #expect(at > now)
    }

    @Test func okxLimitsArePerInstrument() {
        var limiter = VenueRateLimits.limiter(.okx)
        let now = Timestamp(seconds: 100)
        // 48 (= 0.8 x 60) places per 2 s on one instrument, but a different one is not held up.
        for _ in 0..<48 { #expect(limiter.reserve(VenueRateLimits.cost(.placeOrder(symbol: "BTC-USDT-SWAP"), venue: .okx), now: now) == now) }
        #expect(limiter.reserve(VenueRateLimits.cost(.placeOrder(symbol: "BTC-USDT-SWAP"), venue: .okx), now: now) > now)
        #expect(limiter.reserve(VenueRateLimits.cost(.placeOrder(symbol: "ETH-USDT-SWAP"), venue: .okx), now: now) == now)
    }
}
