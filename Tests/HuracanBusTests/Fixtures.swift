import HuracanBus
import HuracanCore
import Synchronization

func d(_ text: String) -> FixedDecimal {
    do { return try FixedDecimal(parsing: text) } catch { fatalError("bad fixture \(text): \(error)") }
}

let t0 = Timestamp(nanoseconds: 1_795_614_508_123_456_789)
let names = StreamName(prefix: "huracan")

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now = Locked<Int64>(1_000)
    var read: @Sendable () -> Int64 { { [self] in now.withLock { $0 } } }
    func advance(_ nanoseconds: Int64) { now.withLock { $0 += nanoseconds } }
    var value: Int64 { now.withLock { $0 } }
}

func order(_ n: Int, coin: String = "BTC") -> BusMessage {
    .order(OrderMessage(
        OrderRequest(clientOrderID: "ord-\(n)", coin: coin, venue: .binance, side: .buy, type: .limit, timeInForce: .postOnly,
                     quantity: d("0.015"), price: d("65000.1"), reduceOnly: false),
        tradeID: UInt64(n), style: .scalp, reason: "entry", time: t0
    ))
}

func execution(_ n: Int) -> BusMessage {
    .execution(ExecutionMessage(Fill(
        clientOrderID: "ord-\(n)", tradeID: "T\(n)", coin: "ETH", venue: .okx, side: .sell, price: d("3200.55"),
        quantity: d("0.1"), fee: d("-0.0016"), liquidity: .maker, time: t0
    )))
}

func market(_ n: Int, coin: String = "BTC") -> BusMessage {
    .market(MarketMessage(
        coin: coin, venue: .bybit, kind: .book, time: t0 + .nanoseconds(n), bid: 65000, bidSize: 1.5, ask: 65000.1, askSize: 0.7
    ))
}

func signal(_ n: Int) -> BusMessage {
    .signal(SignalMessage(coin: "SOL", style: .runner, side: .buy, edgeBps: 12.5 + Double(n), confidence: 0.72, edgeAfterCostBps: 6.25, time: t0))
}

func featuresMessage(_ n: Int) -> BusMessage {
    var f = Features()
    for i in 0..<Features.count { f[i] = Double(i) * 0.5 - 1 + Double(n) }
    return .features(FeaturesMessage(coin: "DOGE", time: t0, features: f))
}

func riskDecision(_ n: Int) -> BusMessage {
    .riskDecision(RiskDecisionMessage(
        coin: "BTC", venue: .binance, decision: .throttle, reason: .coinExposure, requestedNotional: 1000 + Double(n),
        approvedNotional: 500, exposurePct: 33.5, limitPct: 40, time: t0
    ))
}
