import Foundation
import HuracanBus
import HuracanCore
import HuracanStorage
import HuracanTestSupport

/// Sample records of every kind, spread over two coins and two UTC days.
enum RecordSamples {
    static let day1 = UTCDate(year: 2025, month: 1, day: 27)
    static let coins = ["BTC", "ETH"]

    static func time(_ i: Int) -> Timestamp {
        // Two days: the second half of the rows fall on the next day.
        Timestamp(nanoseconds: day1.start.nanoseconds + Int64(i) * 86_400_000_000_000 / 50 + Int64(i % 7) * 1_000)
    }

    static func book(_ n: Int = 100) -> [BookRecord] {
        var r = SplitMix(seed: 1)
        return (0..<n).map { i in
            BookRecord(time: time(i), coin: coins[i % 2], venue: .binance,
                       top: BookTop(bidPrice: 100 + r.uniform(), bidSize: r.uniform() * 5, askPrice: 101 + r.uniform(), askSize: r.uniform()))
        }
    }

    static func trades(_ n: Int = 100) -> [TradeRecord] {
        var r = SplitMix(seed: 2)
        return (0..<n).map { i in
            TradeRecord(time: time(i), coin: coins[i % 2], venue: i % 3 == 0 ? .okx : .bybit, price: 100 + r.uniform(), size: r.uniform(),
                        side: i % 2 == 0 ? .buy : .sell, tradeID: i % 5 == 0 ? nil : Int64(i) * 1_000_000_007)
        }
    }

    static func funding(_ n: Int = 100) -> [FundingRecord] {
        (0..<n).map { i in
            FundingRecord(time: time(i), coin: coins[i % 2], venue: .binance, rate: Double(i) * 1e-6 - 2e-5, markPrice: 100 + Double(i), isSettlement: i % 8 == 0)
        }
    }

    static func features(_ n: Int = 100) -> [FeaturesRecord] {
        var r = SplitMix(seed: 3)
        return (0..<n).map { i in
            var f = Features()
            for k in 0..<Features.count { f[k] = r.uniform() * 10 - 5 }
            return FeaturesRecord(time: time(i), coin: coins[i % 2], features: f)
        }
    }

    static func signals(_ n: Int = 100) -> [ModelSignalRecord] {
        (0..<n).map { i -> ModelSignalRecord in
            let style: TradeStyle = i % 2 == 0 ? .scalp : .runner
            let side: Side = i % 3 == 0 ? .sell : .buy
            let edge = Double(i) / 3
            let after = Double(i) / 4 - 1
            return ModelSignalRecord(SignalMessage(coin: coins[i % 2], style: style, side: side, edgeBps: edge, confidence: 0.5,
                                                   edgeAfterCostBps: after, time: time(i)))
        }
    }

    static func orders(_ n: Int = 100) -> [OrderRecord] {
        (0..<n).map { i -> OrderRecord in
            let side: Side = i % 2 == 0 ? .buy : .sell
            let type: OrderType = i % 3 == 0 ? .market : .limit
            let tif: TimeInForce = i % 3 == 0 ? .ioc : .gtc
            let quantity = FixedDecimal(units: Int64(i + 1), exponent: 3)
            let price: FixedDecimal? = i % 3 == 0 ? nil : FixedDecimal(units: 6_500_012 + Int64(i), exponent: 2)
            let tradeID: UInt64? = i % 2 == 0 ? UInt64(i) : nil
            let style: TradeStyle? = i % 5 == 0 ? nil : .scalp
            return OrderRecord(OrderMessage(
                OrderRequest(clientOrderID: "hc-\(i)", coin: coins[i % 2], venue: .binance, side: side, type: type, timeInForce: tif, quantity: quantity,
                             price: price, reduceOnly: i % 4 == 0),
                tradeID: tradeID, style: style, reason: "entry edge \(i)", time: time(i)))
        }
    }

    static func fills(_ n: Int = 100) -> [FillRecord] {
        (0..<n).map { i -> FillRecord in
            let side: Side = i % 2 == 0 ? .buy : .sell
            let price = FixedDecimal(units: 6_500_012 + Int64(i), exponent: 2)
            let quantity = FixedDecimal(units: Int64(i + 1), exponent: 4)
            let fee = FixedDecimal(units: Int64(i) - 3, exponent: 6)
            let liquidity: Liquidity = i % 2 == 0 ? .maker : .taker
            return FillRecord(Fill(clientOrderID: "hc-\(i)", tradeID: "t\(i)", coin: coins[i % 2], venue: .okx, side: side, price: price,
                                   quantity: quantity, fee: fee, liquidity: liquidity, time: time(i)))
        }
    }
}
