import HuracanCore

/// The synthetic order book of one symbol on a fake venue: a mid that walks one tick at a time,
/// ten levels a side, and the venue's update ids (Binance U/u/pu, OKX seqId/prevSeqId, Bybit u/seq).
struct FakeBook: Sendable {
    let instrument: FakeInstrument
    /// Mid in ticks (the best bid is one tick below, the best ask one above).
    var midTicks: Int64
    var bids: [(price: FixedDecimal, size: FixedDecimal)] = []
    var asks: [(price: FixedDecimal, size: FixedDecimal)] = []
    /// Last update id sent (Binance u, OKX seqId, Bybit u).
    var updateID: Int64 = 1000
    var crossSequence: Int64 = 50_000
    var step: UInt64 = 0
    var tradeID: Int64 = 1
    var fundingRate = FixedDecimal(units: 1, exponent: 4)
    /// The day's high-low range as a fraction of the mid (24 h statistics endpoints).
    var dayRange = FixedDecimal(units: 2, exponent: 2)
    /// Traded value over 24 h (quote currency).
    var dayQuoteVolume = FixedDecimal(units: 50_000_000, exponent: 0)

    static let levels = 10

    init(instrument: FakeInstrument) {
        self.instrument = instrument
        midTicks = Int64((instrument.startPrice / instrument.tickSize).mantissa / FixedDecimal.unit)
        rebuild()
    }

    var bestBid: FixedDecimal { bids.first?.price ?? .zero }
    var bestAsk: FixedDecimal { asks.first?.price ?? .zero }
    var mid: FixedDecimal { instrument.tickSize * Int(midTicks) }
    var dayHigh: FixedDecimal { (mid * (1 + dayRange / 2)).rounded(toMultipleOf: instrument.tickSize, .nearest) }
    var dayLow: FixedDecimal { (mid * (1 - dayRange / 2)).rounded(toMultipleOf: instrument.tickSize, .nearest) }

    /// Sizes in the venue's order unit (contracts on OKX).
    mutating func rebuild() {
        let tick = instrument.tickSize
        bids = (0..<Self.levels).map { i in (tick * Int(midTicks - 1 - Int64(i)), instrument.lotSize * Int(size(i, salt: 1))) }
        asks = (0..<Self.levels).map { i in (tick * Int(midTicks + 1 + Int64(i)), instrument.lotSize * Int(size(i, salt: 2))) }
    }

    private func size(_ level: Int, salt: UInt64) -> UInt64 {
        var x = (step &+ UInt64(level) &* 0x9E37_79B9_7F4A_7C15) ^ (salt &* 0xBF58_476D_1CE4_E5B9)
        x = (x ^ (x >> 31)) &* 0x94D0_49BB_1331_11EB
        return 1 + (x ^ (x >> 29)) % 40
    }

    /// Moves the market one step and returns the changed levels (size 0 = removed).
    mutating func advance() -> (bids: [(FixedDecimal, FixedDecimal)], asks: [(FixedDecimal, FixedDecimal)]) {
        step &+= 1
        var x = step &* 0xD1B5_4A32_D192_ED03 ^ UInt64(bitPattern: Int64(instrument.symbol.utf8.count))
        x = (x ^ (x >> 29)) &* 0x94D0_49BB_1331_11EB
        switch (x >> 7) % 3 {
        case 0: midTicks -= 1
        case 1: midTicks += 1
        default: break
        }
        if midTicks < 20 { midTicks = 20 }
        let oldBids = bids, oldAsks = asks
        rebuild()
        return (Self.diff(oldBids, bids), Self.diff(oldAsks, asks))
    }

    static func diff(_ old: [(price: FixedDecimal, size: FixedDecimal)], _ new: [(price: FixedDecimal, size: FixedDecimal)]) -> [(FixedDecimal, FixedDecimal)] {
        var out: [(FixedDecimal, FixedDecimal)] = []
        let newByPrice = Dictionary(new.map { ($0.price, $0.size) }, uniquingKeysWith: { a, _ in a })
        let oldByPrice = Dictionary(old.map { ($0.price, $0.size) }, uniquingKeysWith: { a, _ in a })
        for level in old where newByPrice[level.price] == nil { out.append((level.price, .zero)) }
        for level in new where oldByPrice[level.price] != level.size { out.append((level.price, level.size)) }
        return out
    }
}
