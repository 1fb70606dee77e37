import HuracanCore
import HuracanExchanges
import HuracanRuntime
import HuracanVenues
import Synchronization
import Testing

/// The live feed as engine events: conversion, time stamps kept inside the round, funding
/// settlements when the venue moves to the next period.
struct LiveMarketSourceTests {
    final class Clock: Sendable {
        let now = Atomic<Int64>(0)
    }

    static func ticker(_ symbol: String, bid: FixedDecimal, ask: FixedDecimal) -> BookTicker {
        BookTicker(symbol: symbol, bidPrice: bid, bidSize: 2, askPrice: ask, askSize: 3, updateID: 1, time: .epoch)
    }

    static func load(_ source: LiveMarketSource, until end: Int64) throws -> [MarketEvent] {
        var out: [MarketEvent] = []
        try source.load(until: Timestamp(nanoseconds: end)) { out.append($0) }
        return out
    }

    @Test func booksAndTradesBecomeEventsOfTheRightCoinAndUnknownSymbolsAreIgnored() throws {
        let clock = Clock()
        let source = LiveMarketSource(venue: .bybit, coins: ["BTCUSDT": 0, "ETHUSDT": 1]) { clock.now.load(ordering: .relaxed) }
        clock.now.store(1_000, ordering: .relaxed)
        source.apply(.top(symbol: "ETHUSDT", Self.ticker("ETHUSDT", bid: 3_000, ask: FixedDecimal(units: 300_001, exponent: 2))))
        source.apply(.top(symbol: "DOGEUSDT", Self.ticker("DOGEUSDT", bid: 1, ask: 2)))
        source.apply(.trade(PublicTrade(symbol: "BTCUSDT", tradeID: "7", price: 90_000, size: FixedDecimal(units: 5, exponent: 3), aggressor: .sell, time: .epoch)))
        let events = try Self.load(source, until: 5_000)
        #expect(events.count == 2)
        #expect(events[0].coin == 1 && events[0].venue == .bybit)
        #expect(events[0].payload == .book(BookTop(bidPrice: 3_000, bidSize: 2, askPrice: 3_000.01, askSize: 3)))
        #expect(events[1].coin == 0 && events[1].payload == .trade(price: 90_000, size: 0.005, aggressor: .sell))
        #expect(try Self.load(source, until: 6_000).isEmpty)
    }

    @Test func eventTimesStayInsideTheRoundBeingLoaded() throws {
        let clock = Clock()
        let source = LiveMarketSource(venue: .binance, coins: ["BTCUSDT": 0]) { clock.now.load(ordering: .relaxed) }
        clock.now.store(500, ordering: .relaxed)
        source.apply(.top(symbol: "BTCUSDT", Self.ticker("BTCUSDT", bid: 1, ask: 2)))
        #expect(try Self.load(source, until: 1_000).map(\.time.nanoseconds) == [500])
        // Arrived while the previous round was being processed, stamped before its end: moved
        // to the start of this round, never into the past.
        clock.now.store(900, ordering: .relaxed)
        source.apply(.top(symbol: "BTCUSDT", Self.ticker("BTCUSDT", bid: 1, ask: 2)))
        // Stamped after the round's end (the coordinator is behind): kept just inside it.
        clock.now.store(2_500, ordering: .relaxed)
        source.apply(.top(symbol: "BTCUSDT", Self.ticker("BTCUSDT", bid: 1, ask: 2)))
        #expect(try Self.load(source, until: 2_000).map(\.time.nanoseconds) == [1_000, 1_999])
    }

    @Test func fundingUpdatesAndASettlementWhenTheNextPeriodBegins() throws {
        let clock = Clock()
        let source = LiveMarketSource(venue: .okx, coins: ["BTC-USDT-SWAP": 0]) { clock.now.load(ordering: .relaxed) }
        let first = Timestamp(nanoseconds: 8 * 3_600 * 1_000_000_000)
        source.apply(.markFunding(MarkFunding(symbol: "BTC-USDT-SWAP", markPrice: 90_000, indexPrice: nil, fundingRate: FixedDecimal(units: 1, exponent: 4), nextFundingTime: first, time: .epoch)))
        source.apply(.markFunding(MarkFunding(symbol: "BTC-USDT-SWAP", markPrice: nil, indexPrice: nil, fundingRate: FixedDecimal(units: 2, exponent: 4), nextFundingTime: first, time: .epoch)))
        var events = try Self.load(source, until: 10)
        #expect(events.map(\.kind) == [.funding, .funding])
        #expect(events[1].payload == .funding(rate: 0.0002, markPrice: 90_000))
        source.apply(.markFunding(MarkFunding(symbol: "BTC-USDT-SWAP", markPrice: 91_000, indexPrice: nil, fundingRate: FixedDecimal(units: 5, exponent: 5),
                                              nextFundingTime: first + .nanoseconds(8 * 3_600 * 1_000_000_000), time: .epoch)))
        events = try Self.load(source, until: 20)
        // The period that ended settles at its last rate and mark.
        #expect(events.map(\.payload) == [.fundingSettlement(rate: 0.0002, markPrice: 90_000), .funding(rate: 0.00005, markPrice: 91_000)])
    }
}
