import HuracanCore

/// How one more venue quotes a coin the generator streams from another venue: the same mid
/// with its own spread (a fixed factor per coin and venue, 0.8x to 1.5x) and a slightly
/// different funding rate; trades print on every venue. That gives routing real differences to
/// choose from without generating each stream twice.
public struct VenueQuote: Sendable, Hashable {
    public let venue: VenueID
    public let spreadFactor: Double
    public let fundingOffset: Double
    public let tick: Double

    /// `event` as seen on this venue.
    @inlinable public func apply(to event: MarketEvent) -> MarketEvent {
        var derived = event
        derived.venue = venue
        switch event.payload {
        case .book(var top):
            let mid = top.mid
            let half = max(tick, (top.askPrice - top.bidPrice) * spreadFactor) / 2
            top.bidPrice = ((mid - half) / tick).rounded(.down) * tick
            top.askPrice = ((mid + half) / tick).rounded(.up) * tick
            if top.askPrice <= top.bidPrice { top.askPrice = top.bidPrice + tick }
            derived.payload = .book(top)
        case .funding(let rate, let mark):
            derived.payload = .funding(rate: offsetRate(rate), markPrice: mark)
        case .fundingSettlement(let rate, let mark):
            derived.payload = .fundingSettlement(rate: offsetRate(rate), markPrice: mark)
        case .trade:
            break
        }
        return derived
    }

    /// The streamed venue's funding rate as this venue's (offset, within the usual cap).
    @inlinable func offsetRate(_ rate: Double) -> Double {
        min(0.0075, max(-0.0075, rate + fundingOffset))
    }
}

extension SimulatedMarket {
    /// The simulated venues that list `coin`, the streamed venue first.
    public func venues(of coin: CoinIndex) -> [VenueID] {
        let primary = venue(of: coin)
        let listed = universe[coin].venueSymbols
        return [primary] + simulatedVenues.filter { $0 != primary && listed[$0] != nil }
    }

    /// How each venue other than the streamed one quotes `coin` (in `venues(of:)` order).
    public func otherVenueQuotes(of coin: CoinIndex) -> [VenueQuote] {
        let tick = universe[coin].tickSize.doubleValue
        return venues(of: coin).dropFirst().map { venue in
            let key = CounterHash.mix(parameters.seed ^ (UInt64(UInt32(bitPattern: coin)) << 8) ^ UInt64(venue.index + 1) &* 0x9E37_79B9)
            return VenueQuote(venue: venue, spreadFactor: 0.8 + 0.7 * Double(key >> 11) / Double(1 << 53),
                              fundingOffset: (Double(CounterHash.mix(key) >> 11) / Double(1 << 53) - 0.5) * 0.00004, tick: tick)
        }
    }
}
