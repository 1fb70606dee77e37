import HuracanCore

/// Why the simulated venue refused a call; the message names the coin, the venue and the fix.
public enum SimulatedVenueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The coin is not in the universe at all.
    case unknownCoin(coin: String, venue: VenueID)
    /// The coin is in the universe but this venue instance does not serve it.
    case coinNotServed(coin: String, venue: VenueID)
    /// The order names another venue than the one it was sent to.
    case wrongVenue(clientOrderID: String, requested: VenueID, venue: VenueID)

    public var description: String {
        switch self {
        case .unknownCoin(let coin, let venue):
            "simulated venue \(venue): unknown coin \"\(coin)\": it is not in the universe (use the engine-wide base asset name, e.g. BTC)"
        case .coinNotServed(let coin, let venue):
            "simulated venue \(venue): coin \(coin) is not served by this venue (add it to the venue's coins)"
        case .wrongVenue(let id, let requested, let venue):
            "simulated venue \(venue): order \(id) is addressed to \(requested); send it to the \(requested) venue"
        }
    }
}
