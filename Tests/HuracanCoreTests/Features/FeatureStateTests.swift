import Foundation
import HuracanCore
import HuracanTestSupport
import Testing

/// Each streaming feature against a direct computation over the whole event history.
@Suite struct FeatureStateTests {
    struct Recorded {
        var books: [(time: Int64, top: BookTop)] = []
        var trades: [(time: Int64, price: Double, size: Double, side: Side)] = []
    }

    /// A deterministic random walk of books and trades over `seconds`.
    func history(seconds: Int, seed: UInt64) -> (FeatureState, Recorded) {
        var rng = SplitMix(seed: seed)
        var state = FeatureState()
        var recorded = Recorded()
        var time: Int64 = 1_700_000_000_000_000_000
        var mid = 100.0
        let end = time + Int64(seconds) * 1_000_000_000
        while time < end {
            time += Int64(rng.uniform() * 900_000_000) + 1_000_000
            if rng.uniform() < 0.02 { time += 3_000_000_000 } // quiet gaps of a few seconds
            if rng.uniform() < 0.6 {
                mid *= exp((rng.uniform() - 0.5) * 0.002)
                let top = BookTop(bidPrice: mid - 0.01, bidSize: 1 + rng.uniform() * 5, askPrice: mid + 0.01, askSize: 1 + rng.uniform() * 5)
                state.update(.book(0, .binance, Timestamp(nanoseconds: time), top))
                recorded.books.append((time, top))
            } else {
                let side: Side = rng.uniform() < 0.5 ? .buy : .sell
                let price = mid + (side == .buy ? 0.01 : -0.01), size = 0.1 + rng.uniform()
                state.update(.trade(0, .binance, Timestamp(nanoseconds: time), price: price, size: size, aggressor: side))
                recorded.trades.append((time, price, size, side))
            }
        }
        state.update(.funding(0, .binance, Timestamp(nanoseconds: time), rate: 0.00012, markPrice: mid))
        return (state, recorded)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func featuresMatchDirectComputation(seed: UInt64) throws {
        let (state, recorded) = history(seconds: 400, seed: seed)
        let f = state.features()
        let last = try #require(recorded.books.last)
        let mid = last.top.mid
        let second = last.time / 1_000_000_000

        func directReturn(_ h: Int64) -> Double {
            let cutoff = (second - h + 1) * 1_000_000_000
            let past = recorded.books.last(where: { $0.time < cutoff })?.top.mid ?? recorded.books[0].top.mid
            return log(mid / past) * 10_000
        }
        #expect(abs(f.return1sBps - directReturn(1)) < 1e-9)
        #expect(abs(f.return10sBps - directReturn(10)) < 1e-9)
        #expect(abs(f.return60sBps - directReturn(60)) < 1e-9)

        // Volatility: the exponentially weighted variance rate, recomputed from scratch.
        var variance = 0.0
        for i in 1..<recorded.books.count {
            let previous = recorded.books[i - 1], current = recorded.books[i]
            guard current.top.mid != previous.top.mid else { continue }
            let dt = Double(max(current.time - previous.time, 1_000_000)) / 1e9
            let r = log(current.top.mid / previous.top.mid)
            variance += (1 - exp(-dt / FeatureState.volatilityHalfLife)) * (r * r / dt - variance)
        }
        #expect(abs(f.volatilityBps - variance.squareRoot() * 10_000) < 1e-9)

        #expect(abs(f.spreadBps - (last.top.askPrice - last.top.bidPrice) / mid * 10_000) < 1e-12)
        #expect(abs(f.bookImbalance - (last.top.bidSize - last.top.askSize) / (last.top.bidSize + last.top.askSize)) < 1e-12)

        let lastTrade = try #require(recorded.trades.last).time
        var signed = 0.0, total = 0.0, count = 0.0, pv = 0.0, v = 0.0
        for trade in recorded.trades {
            let age = Double(lastTrade - trade.time) / 1e9
            let w = exp(-age / FeatureState.flowTimeConstant), wv = exp(-age / FeatureState.vwapTimeConstant)
            signed += w * (trade.side == .buy ? trade.size : -trade.size)
            total += w * trade.size
            count += w
            pv += wv * trade.price * trade.size
            v += wv * trade.size
        }
        #expect(abs(f.flowImbalance - signed / total) < 1e-9)
        #expect(abs(f.tradeRate - count / FeatureState.flowTimeConstant) < 1e-9)
        let vwap = pv / v
        #expect(abs(f.vwapDistanceBps - (mid - vwap) / vwap * 10_000) < 1e-6)
        #expect(abs(f.fundingRateBps - 1.2) < 1e-12)
        #expect(state.isWarm)
    }

    @Test func coldStateIsNotWarmAndReturnsZeros() {
        var state = FeatureState()
        #expect(!state.isWarm)
        #expect(state.features() == Features())
        state.update(.book(0, .okx, Timestamp(seconds: 10), BookTop(bidPrice: 99, bidSize: 1, askPrice: 101, askSize: 3)))
        let f = state.features()
        #expect(f.return60sBps == 0 && f.spreadBps == 200 && f.bookImbalance == -0.5)
        #expect(!state.isWarm)
    }

    @Test func badBooksAndTradesAreIgnored() {
        var state = FeatureState()
        state.update(.book(0, .okx, Timestamp(seconds: 10), BookTop(bidPrice: 0, bidSize: 1, askPrice: 0, askSize: 3)))
        state.update(.trade(0, .okx, Timestamp(seconds: 10), price: .nan, size: 1, aggressor: .buy))
        #expect(state.bookUpdates == 0)
        #expect(state.features() == Features())
    }
}

