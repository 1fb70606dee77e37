import Foundation
import Testing
import HuracanCore
import HuracanSimVenue

/// One simulated day (2025-01-01, 100 ms steps) for a few coins of every tier, summarised once
/// and shared by the statistical tests.
struct DaySummary: Sendable {
    struct Coin: Sendable {
        var index: CoinIndex
        var tier: Int
        var tick: Double
        var books = 0, trades = 0, fundings = 0
        var settlements: [Timestamp] = []
        var settlementMarksPositive = true
        var spreadBpsSum = 0.0
        var topNotionalSum = 0.0
        var offGrid = 0, crossed = 0, nonPositive = 0
        var buyAggressorWithPositiveAlpha = 0, tradesWithPositiveAlpha = 0
        var buyAggressorWithNegativeAlpha = 0, tradesWithNegativeAlpha = 0
        var imbalanceAlphaProduct = 0.0
        var minuteMids: [Double] = []
        var fundingRates: [Double] = []
        var jumps = 0

        var meanSpreadBps: Double { spreadBpsSum / Double(books) }
        var minuteReturns: [Double] { zip(minuteMids.dropFirst(), minuteMids).map { log($0 / $1) } }
    }

    static let names = ["BTC", "ETH", "DOGE", "LTC", "DOT"]
    static let extra: [CoinIndex] = [100, 140, 250, 330]  // tiers 3 and 4
    static let shared = DaySummary()

    var coins: [Coin] = []
    let market = Fixtures.market(seed: 2025)

    init() {
        let indices = Self.names.map(Fixtures.coin) + Self.extra
        var events: [MarketEvent] = []
        events.reserveCapacity(64)
        let stepsPerMinute: Int64 = 600
        for index in indices {
            let instrument = Fixtures.universe[index]
            var summary = Coin(index: index, tier: instrument.tier, tick: instrument.tickSize.doubleValue)
            var state = market.makeCoin(index)
            summary.minuteMids.append(state.mid)
            for step in Int64(0)..<(1_440 * stepsPerMinute) {
                events.removeAll(keepingCapacity: true)
                market.generate(step: step, coin: &state, into: &events)
                for event in events { summary.add(event, alpha: state.alpha) }
                if (step + 1) % stepsPerMinute == 0 { summary.minuteMids.append(state.mid) }
            }
            summary.jumps = state.jumpCount
            coins.append(summary)
        }
    }
}

extension DaySummary.Coin {
    mutating func add(_ event: MarketEvent, alpha: Double) {
        switch event.payload {
        case .book(let top):
            books += 1
            if top.bidPrice <= 0 || top.bidSize <= 0 || top.askSize <= 0 { nonPositive += 1 }
            if top.bidPrice >= top.askPrice { crossed += 1 }
            for price in [top.bidPrice, top.askPrice] where abs(price / tick - (price / tick).rounded()) > 1e-6 { offGrid += 1 }
            spreadBpsSum += top.spreadBps
            topNotionalSum += top.bidPrice * top.bidSize
            imbalanceAlphaProduct += top.imbalance * alpha
        case .trade(let price, let size, let aggressor):
            trades += 1
            if price <= 0 || size <= 0 { nonPositive += 1 }
            if abs(price / tick - (price / tick).rounded()) > 1e-6 { offGrid += 1 }
            if alpha > 0 {
                tradesWithPositiveAlpha += 1
                if aggressor == .buy { buyAggressorWithPositiveAlpha += 1 }
            } else {
                tradesWithNegativeAlpha += 1
                if aggressor == .buy { buyAggressorWithNegativeAlpha += 1 }
            }
        case .funding(let rate, _):
            fundings += 1
            fundingRates.append(rate)
        case .fundingSettlement(_, let mark):
            settlements.append(event.time)
            if mark <= 0 { settlementMarksPositive = false }
        }
    }
}

func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) {
        sab += (x - ma) * (y - mb)
        saa += (x - ma) * (x - ma)
        sbb += (y - mb) * (y - mb)
    }
    return sab / (saa * sbb).squareRoot()
}

func autocorrelation(_ x: [Double], lag: Int) -> Double { correlation(Array(x.dropLast(lag)), Array(x.dropFirst(lag))) }

@Suite struct SimulatedMarketStatisticsTests {
    let day = DaySummary.shared

    @Test func pricesArePositiveOnTheTickGridAndNeverCrossed() {
        for coin in day.coins {
            #expect(coin.nonPositive == 0, "coin \(coin.index)")
            #expect(coin.offGrid == 0, "coin \(coin.index)")
            #expect(coin.crossed == 0, "coin \(coin.index)")
            #expect(coin.minuteMids.allSatisfy { $0 > 0 && $0.isFinite })
        }
    }

    @Test func majorsStartAtFamiliarPrices() {
        let market = Fixtures.market()
        #expect(abs(market.makeCoin(Fixtures.coin("BTC")).mid / 95_000 - 1) < 1e-9)
        #expect(abs(market.makeCoin(Fixtures.coin("ETH")).mid / 3_500 - 1) < 1e-9)
        #expect(abs(market.makeCoin(Fixtures.coin("PEPE")).mid / 0.018 - 1) < 1e-9)  // 1000PEPE
        for index in 0..<Fixtures.universe.count {
            let coin = market.makeCoin(CoinIndex(index))
            let ticksPerPrice = coin.mid / Fixtures.universe.instruments[index].tickSize.doubleValue
            #expect(ticksPerPrice > 1_000, "\(Fixtures.universe.instruments[index].coin): tick too coarse for \(coin.mid)")
        }
    }

    @Test func eventRatesFollowTheTiers() {
        let seconds = 86_400.0
        for coin in day.coins {
            let bookRate = Double(coin.books) / seconds
            let tradeRate = Double(coin.trades) / seconds
            let expected = 4.0 * [3.2, 1.8, 1.0, 0.7][coin.tier - 1]
            #expect(bookRate > expected * 0.8 && bookRate < expected * 1.2, "coin \(coin.index): \(bookRate) book updates/s")
            #expect(tradeRate > bookRate * 0.4 && tradeRate < bookRate * 0.6, "coin \(coin.index): \(tradeRate) trades/s")
            #expect(coin.fundings >= 1_439 && coin.fundings <= 1_440)
        }
    }

    @Test func spreadsWidenAndDepthThinsDownTheTiers() {
        var spread = [Double](repeating: 0, count: 5), notional = [Double](repeating: 0, count: 5), count = [Double](repeating: 0, count: 5)
        for coin in day.coins {
            spread[coin.tier] += coin.meanSpreadBps
            notional[coin.tier] += coin.topNotionalSum / Double(coin.books)
            count[coin.tier] += 1
        }
        let meanSpread = (1...4).map { spread[$0] / count[$0] }
        let meanNotional = (1...4).map { notional[$0] / count[$0] }
        #expect(meanSpread == meanSpread.sorted(), "spreads by tier: \(meanSpread)")
        #expect(meanSpread[0] < 1.5 && meanSpread[3] > 5, "spreads by tier: \(meanSpread)")
        #expect(meanNotional == meanNotional.sorted(by: >), "top notional by tier: \(meanNotional)")
        #expect(meanNotional[0] > 50_000 && meanNotional[3] < 20_000)
    }

    @Test func theMarketFactorCorrelatesCoins() {
        let btc = day.coins[0].minuteReturns, eth = day.coins[1].minuteReturns
        #expect(correlation(btc, eth) > 0.3) // the latent per-coin drift is idiosyncratic too
        var sum = 0.0, pairs = 0.0
        for i in day.coins.indices {
            for j in day.coins.indices where j > i {
                sum += correlation(day.coins[i].minuteReturns, day.coins[j].minuteReturns)
                pairs += 1
            }
        }
        #expect(sum / pairs > 0.15)
    }

    @Test func volatilityClusters() {
        // Autocorrelation of squared one-minute returns, lags 1 to 5, averaged over the coins.
        var total = 0.0, n = 0.0
        for coin in day.coins {
            let squared = coin.minuteReturns.map { $0 * $0 }
            for lag in 1...5 {
                total += autocorrelation(squared, lag: lag)
                n += 1
            }
        }
        #expect(total / n > 0.05)
    }

    @Test func jumpsHappenAndFattenTheTails() {
        #expect(day.coins.map(\.jumps).reduce(0, +) >= 3)
        // Excess kurtosis of one-minute returns, pooled over the coins after scaling each to unit variance.
        var pooled: [Double] = []
        for coin in day.coins {
            let r = coin.minuteReturns
            let sd = (r.map { $0 * $0 }.reduce(0, +) / Double(r.count)).squareRoot()
            pooled += r.map { $0 / sd }
        }
        let kurtosis = pooled.map { $0 * $0 * $0 * $0 }.reduce(0, +) / Double(pooled.count)
        #expect(kurtosis > 4)
    }

    @Test func dailyVolatilityLooksLikeCrypto() {
        for coin in day.coins {
            let r = coin.minuteReturns
            let daily = (r.map { $0 * $0 }.reduce(0, +)).squareRoot()
            #expect(daily > 0.01 && daily < 0.25, "coin \(coin.index): daily vol \(daily)")
        }
    }

    @Test func orderFlowCarriesTheLatentAlpha() {
        var imbalance = 0.0, buyWhenUp = 0.0, buyWhenDown = 0.0
        for coin in day.coins {
            imbalance += coin.imbalanceAlphaProduct / Double(coin.books)
            buyWhenUp += Double(coin.buyAggressorWithPositiveAlpha) / Double(coin.tradesWithPositiveAlpha)
            buyWhenDown += Double(coin.buyAggressorWithNegativeAlpha) / Double(coin.tradesWithNegativeAlpha)
        }
        let n = Double(day.coins.count)
        #expect(imbalance / n > 0.05)
        #expect(buyWhenUp / n > 0.55 && buyWhenDown / n < 0.45)
        #expect(buyWhenUp / n < 0.8 && buyWhenDown / n > 0.2)  // noisy, not a giveaway
    }

    @Test func fundingSettlesAtZeroEightAndSixteenUTC() {
        let hour: Int64 = 3_600_000_000_000
        let expected = [0, 8, 16].map { Timestamp(nanoseconds: Fixtures.start.nanoseconds + $0 * hour) }
        for coin in day.coins {
            #expect(coin.settlements == expected)
            #expect(coin.settlementMarksPositive)
            #expect(coin.fundingRates.allSatisfy { abs($0) <= 0.0075 })
            let mean = coin.fundingRates.reduce(0, +) / Double(coin.fundingRates.count)
            #expect(mean > -0.001 && mean < 0.001, "coin \(coin.index): mean funding \(mean)")
        }
    }
}
