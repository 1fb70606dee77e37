import Foundation
import Testing
import HuracanCore
import HuracanSimVenue

@Test func probe() {
    let market = Fixtures.market()
    let names = ["BTC", "ETH", "SOL", "DOGE", "LTC", "PEPE"] + [Fixtures.universe.instruments[80].coin, Fixtures.universe.instruments[300].coin]
    var events: [MarketEvent] = []
    events.reserveCapacity(64)
    for name in names {
        let index = Fixtures.coin(name)
        var coin = market.makeCoin(index)
        var counts = [0, 0, 0, 0]
        var spread = 0.0, notional = 0.0, tradeNotional = 0.0, buys = 0, imbalanceAlpha = 0.0, aggAlpha = 0.0
        var minutes: [Double] = [coin.mid]
        let steps: Int64 = 864_000 / 4
        for step in 0..<steps {
            events.removeAll(keepingCapacity: true)
            market.generate(step: step, coin: &coin, into: &events)
            for e in events {
                counts[Int(e.kind.rawValue)] += 1
                if e.kind == .book { spread += e.top.spreadBps; notional += e.top.bidPrice * e.top.bidSize; imbalanceAlpha += e.top.imbalance * coin.alpha }
                if e.kind == .trade { tradeNotional += e.price * e.size; if e.aggressor == .buy { buys += 1 }; aggAlpha += (e.aggressor == .buy ? 1 : -1) * coin.alpha }
            }
            if (step + 1) % 600 == 0 { minutes.append(coin.mid) }
        }
        let r = zip(minutes.dropFirst(), minutes).map { log($0 / $1) }
        let sd = (r.map { $0 * $0 }.reduce(0, +) / Double(r.count)).squareRoot()
        let sq = r.map { $0 * $0 }
        let m = sq.reduce(0, +) / Double(sq.count)
        var num = 0.0, den = 0.0
        for i in 0..<sq.count { den += (sq[i] - m) * (sq[i] - m); if i > 0 { num += (sq[i] - m) * (sq[i - 1] - m) } }
        let secs = Double(steps) / 10
        print(name, "tier", Fixtures.universe[index].tier, "mid0", market.makeCoin(index).mid, "mid", coin.mid, "book/s", Double(counts[0]) / secs, "trade/s", Double(counts[1]) / secs,
              "funding", counts[2], counts[3], "spread", spread / Double(counts[0]), "topNotional", notional / Double(counts[0]),
              "tradeNotional", tradeNotional / Double(counts[1]), "buys", Double(buys) / Double(counts[1]),
              "dailyvol", sd * (1440.0).squareRoot(), "acf1", num / den, "jumps", coin.jumpCount, "fr", coin.fundingRate,
              "imbA", imbalanceAlpha / Double(counts[0]), "aggA", aggAlpha / Double(counts[1]))
    }
}
