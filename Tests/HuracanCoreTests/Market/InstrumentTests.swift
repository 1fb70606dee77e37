import Foundation
import HuracanCore
import Testing

private func d(_ text: String) -> FixedDecimal {
    do { return try FixedDecimal(parsing: text) } catch { fatalError("bad fixture \(text): \(error)") }
}

private let btc = Instrument(
    coin: "BTC", rank: 1, sector: .l1, tier: 1, tickSize: d("0.1"), lotSize: d("0.001"), minNotional: 50,
    venueSymbols: [.binance: "BTCUSDT", .okx: "BTC-USDT-SWAP", .bybit: "BTCUSDT"], okxContractValue: d("0.01")
)

private let pepe = Instrument(
    coin: "PEPE", rank: 12, sector: .meme, tier: 2, tickSize: d("0.0000001"), lotSize: 1, minNotional: 5,
    multiplier: 1_000, venueSymbols: [.bybit: "1000PEPEUSDT", .binance: "1000PEPEUSDT"]
)

@Suite("Instrument and venue enums")
struct InstrumentTests {
    @Test("defaults and venues in VenueID order")
    func basics() {
        #expect(btc.multiplier == 1)
        #expect(btc.venues == [.binance, .okx, .bybit])
        #expect(pepe.venues == [.binance, .bybit])
        #expect(pepe.okxContractValue == nil)
        #expect(pepe.multiplier == 1_000)
    }

    @Test("prices round to the tick, by default to the nearest (ties to even)")
    func roundPrice() {
        #expect(btc.roundPrice(d("65000.14")) == d("65000.1"))
        #expect(btc.roundPrice(d("65000.16")) == d("65000.2"))
        #expect(btc.roundPrice(d("65000.15")) == d("65000.2")) // 650001.5 ticks -> 650002
        #expect(btc.roundPrice(d("65000.25")) == d("65000.2")) // 650002.5 ticks -> 650002
        #expect(btc.roundPrice(d("65000.11"), .up) == d("65000.2"))
        #expect(btc.roundPrice(d("65000.19"), .down) == d("65000.1"))
        #expect(btc.roundPrice(d("65000.19"), .towardZero) == d("65000.1"))
        #expect(btc.roundPrice(d("65000.1"), .up) == d("65000.1"))
        #expect(pepe.roundPrice(d("0.00001234567")) == d("0.0000123"))
        #expect(pepe.roundPrice(d("0.00001235"), .up) == d("0.0000124"))
    }

    @Test("quantities round toward zero, never larger than asked")
    func roundQuantity() {
        #expect(btc.roundQuantity(d("0.0019999")) == d("0.001"))
        #expect(btc.roundQuantity(d("0.0009")) == 0)
        #expect(btc.roundQuantity(d("1.234")) == d("1.234"))
        #expect(btc.roundQuantity(d("-0.0019")) == d("-0.001"))
        #expect(pepe.roundQuantity(d("12345.9")) == 12_345)
        #expect(pepe.roundQuantity(d("-12345.9")) == -12_345)
    }

    @Test("minimums: positive, on the lot grid, at least the minimum notional")
    func minimums() {
        #expect(btc.meetsMinimums(quantity: d("0.001"), price: 50_000)) // notional exactly 50
        #expect(!btc.meetsMinimums(quantity: d("0.001"), price: d("49999.9"))) // 49.9999
        #expect(!btc.meetsMinimums(quantity: d("0.0015"), price: 65_000)) // off the lot grid
        #expect(!btc.meetsMinimums(quantity: 0, price: 65_000))
        #expect(!btc.meetsMinimums(quantity: d("-0.001"), price: 65_000))
        #expect(pepe.meetsMinimums(quantity: 500_000, price: d("0.00001"))) // 5
        #expect(!pepe.meetsMinimums(quantity: 499_999, price: d("0.00001"))) // 4.99999
    }

    @Test("Codable round trip")
    func codable() throws {
        let data = try JSONEncoder().encode([btc, pepe])
        #expect(try JSONDecoder().decode([Instrument].self, from: data) == [btc, pepe])
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains(#""tickSize":"0.1""#))
    }

    @Test("venue, sector and side enums")
    func enums() {
        #expect(VenueID.allCases == [.binance, .okx, .bybit])
        #expect(VenueID.allCases.map(\.index) == [0, 1, 2])
        #expect(VenueID.okx.description == "okx")
        #expect(Sector.allCases.map(\.index) == Array(0..<Sector.allCases.count))
        #expect(Sector(rawValue: "DeFi") == .defi)
        #expect(Sector.rwa.description == "RWA")
        #expect(Side.buy.opposite == .sell && Side.sell.opposite == .buy)
        #expect(Side.buy.sign == 1 && Side.sell.sign == -1)
        #expect(Side.sell.description == "sell")
    }

    @Test("a funding settlement is booked as a venue books it: rate in 1e-8 steps, mark on the tick")
    func fundingSettlementIsExact() throws {
        let time = Timestamp(seconds: 1_800_000_000)
        let report = try #require(VenueReport.fundingSettlement(btc, venue: .binance, rate: 0.000123456, mark: 65_432.123, time: time))
        #expect(report == .funding(coin: "BTC", venue: .binance, rate: d("0.00012346"), markPrice: d("65432.1"), time: time))
        #expect(VenueReport.fundingSettlement(btc, venue: .binance, rate: .nan, mark: 65_432, time: time) == nil)
        #expect(VenueReport.fundingSettlement(btc, venue: .binance, rate: 0.0001, mark: 0, time: time) == nil)
    }
}
