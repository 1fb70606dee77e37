import HuracanCore

/// A depth message in the hot-path form: the sequence fields of `DepthUpdate` and its levels as
/// flat `LevelChange` runs (no wire text per level). A parser fills one reused value per symbol:
/// the level storage only grows, so after the first messages a message costs no allocation and
/// no per-level bookkeeping (the parser writes straight into the storage).
public struct CompactDepthUpdate: Sendable, Equatable {
    public var symbol: String
    public var isSnapshot: Bool
    public var finalID: Int64
    public var crossSequence: Int64
    public var time: Timestamp
    /// Storage whose first `bidCount` / `askCount` elements are this message's levels.
    @usableFromInline var bidStorage: [LevelChange] = []
    @usableFromInline var askStorage: [LevelChange] = []
    @usableFromInline var bidCount = 0
    @usableFromInline var askCount = 0

    public init(symbol: String = "", isSnapshot: Bool = false, finalID: Int64 = 0, crossSequence: Int64 = 0,
                bids: [LevelChange] = [], asks: [LevelChange] = [], time: Timestamp = .epoch) {
        self.symbol = symbol
        self.isSnapshot = isSnapshot
        self.finalID = finalID
        self.crossSequence = crossSequence
        self.time = time
        setLevels(bids: bids, asks: asks)
    }

    /// The compact form of a parsed `DepthUpdate` (tests and tools; the hot path parses directly).
    public init(_ update: DepthUpdate) {
        self.init(symbol: update.symbol, isSnapshot: update.isSnapshot, finalID: update.finalID, crossSequence: update.crossSequence,
                  bids: update.bids.map(LevelChange.init), asks: update.asks.map(LevelChange.init), time: update.time)
    }

    /// Bid level changes in message order.
    public var bids: ArraySlice<LevelChange> { bidStorage[..<bidCount] }
    /// Ask level changes in message order.
    public var asks: ArraySlice<LevelChange> { askStorage[..<askCount] }
    /// Level changes in this message, both sides.
    public var levelCount: Int { bidCount + askCount }

    public mutating func setLevels(bids: [LevelChange], asks: [LevelChange]) {
        bidStorage = bids
        bidCount = bids.count
        askStorage = asks
        askCount = asks.count
    }

    /// Forgets the levels (storage kept).
    @inline(__always) mutating func removeLevels() {
        bidCount = 0
        askCount = 0
    }

    public static func == (lhs: CompactDepthUpdate, rhs: CompactDepthUpdate) -> Bool {
        lhs.symbol == rhs.symbol && lhs.isSnapshot == rhs.isSnapshot && lhs.finalID == rhs.finalID && lhs.crossSequence == rhs.crossSequence
            && lhs.time == rhs.time && lhs.bids.elementsEqual(rhs.bids) && lhs.asks.elementsEqual(rhs.asks)
    }
}
