import HuracanCore

/// The same coin on several venues. The generator streams each coin from one venue; the other
/// venues that list it quote the same mid with their own spread (a fixed factor per coin and
/// venue, 0.8x to 1.5x) and a slightly different funding rate, and print the same trades. That
/// gives routing real differences to choose from without generating each stream twice.
extension SimulatedMarket {
    /// The simulated venues that list `coin`, the streamed venue first.
    public func venues(of coin: CoinIndex) -> [VenueID] {
        let primary = venue(of: coin)
        let listed = universe[coin].venueSymbols
        return [primary] + simulatedVenues.filter { $0 != primary && listed[$0] != nil }
    }

    /// `event` as seen on `venue` (the streamed venue's own events are returned unchanged).
    public func event(_ event: MarketEvent, on venue: VenueID) -> MarketEvent {
        guard venue != self.venue(of: event.coin) else { return event }
        var derived = event
        derived.venue = venue
        let key = CounterHash.mix(parameters.seed ^ (UInt64(UInt32(bitPattern: event.coin)) << 8) ^ UInt64(venue.index + 1) &* 0x9E37_79B9)
        switch event.kind {
        case .book:
            let factor = 0.8 + 0.7 * Double(key >> 11) / Double(1 << 53)
            let tick = universe[event.coin].tickSize.doubleValue
            let mid = event.top.mid
            let half = max(tick, (event.top.askPrice - event.top.bidPrice) * factor) / 2
            derived.top.bidPrice = ((mid - half) / tick).rounded(.down) * tick
            derived.top.askPrice = ((mid + half) / tick).rounded(.up) * tick
            if derived.top.askPrice <= derived.top.bidPrice { derived.top.askPrice = derived.top.bidPrice + tick }
        case .funding, .fundingSettlement:
            let offset = (Double(CounterHash.mix(key) >> 11) / Double(1 << 53) - 0.5) * 0.00004
            derived.size = min(0.0075, max(-0.0075, event.size + offset))
        case .trade:
            break
        }
        return derived
    }
}
