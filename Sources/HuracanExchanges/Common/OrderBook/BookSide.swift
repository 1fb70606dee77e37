import HuracanCore

/// One side of a local order book: levels sorted best first, kept in flat arrays of fixed-point
/// mantissas (10^-18 units) so an update is a binary search plus at most one shift.
///
/// Bids are stored with negated keys so both sides search ascending.
public struct BookSide: Sendable {
    public let isBid: Bool
    /// Sort keys: the price mantissa, negated on the bid side. Best level first.
    @usableFromInline var keys: [Int128] = []
    @usableFromInline var sizes: [Int128] = []
    /// Wire text per level, kept only when `keepsText` (OKX checksum).
    @usableFromInline var texts: [(String, String)] = []
    public let keepsText: Bool

    public init(isBid: Bool, keepsText: Bool = false) {
        self.isBid = isBid
        self.keepsText = keepsText
        keys.reserveCapacity(512)
        sizes.reserveCapacity(512)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    @inlinable func key(_ price: Int128) -> Int128 { isBid ? -price : price }

    /// Price of level `i` (0 = best).
    public func price(at i: Int) -> FixedDecimal { FixedDecimal(mantissa: isBid ? -keys[i] : keys[i]) }
    public func size(at i: Int) -> FixedDecimal { FixedDecimal(mantissa: sizes[i]) }
    public func text(at i: Int) -> (price: String, size: String) {
        keepsText ? texts[i] : (price(at: i).description, size(at: i).description)
    }

    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
    }

    /// First index whose key is not below `key`.
    @inlinable func lowerBound(_ key: Int128) -> Int {
        var low = 0, high = keys.count
        // Most updates land near the top of the book: check the first levels linearly.
        while low < high, low < 8 {
            if keys[low] >= key { return low }
            low += 1
        }
        while low < high {
            let mid = (low + high) &>> 1
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Sets the absolute size at `price` (mantissas); zero deletes. Deleting an absent level is
    /// normal (venues send deletes for levels beyond our depth).
    @inlinable public mutating func set(price: Int128, size: Int128) {
        let k = key(price)
        let i = lowerBound(k)
        if i < keys.count, keys[i] == k {
            if size == 0 {
                keys.remove(at: i)
                sizes.remove(at: i)
            } else {
                sizes[i] = size
            }
        } else if size != 0 {
            keys.insert(k, at: i)
            sizes.insert(size, at: i)
        }
    }

    /// `set` that also keeps the wire text of the level.
    public mutating func set(_ level: PriceLevel) {
        guard keepsText else { set(price: level.price.mantissa, size: level.size.mantissa); return }
        let k = key(level.price.mantissa)
        let i = lowerBound(k)
        let size = level.size.mantissa
        if i < keys.count, keys[i] == k {
            if size == 0 {
                keys.remove(at: i); sizes.remove(at: i); texts.remove(at: i)
            } else {
                sizes[i] = size; texts[i] = (level.wirePrice, level.wireSize)
            }
        } else if size != 0 {
            keys.insert(k, at: i); sizes.insert(size, at: i); texts.insert((level.wirePrice, level.wireSize), at: i)
        }
    }

    /// Drops levels beyond `depth` (venues only maintain a bounded depth).
    public mutating func truncate(to depth: Int) {
        guard keys.count > depth else { return }
        keys.removeSubrange(depth...)
        sizes.removeSubrange(depth...)
        if keepsText { texts.removeSubrange(depth...) }
    }

    public func levels(_ depth: Int) -> [BookLevel] {
        (0..<min(depth, count)).map { BookLevel(price: price(at: $0), quantity: size(at: $0)) }
    }
}
