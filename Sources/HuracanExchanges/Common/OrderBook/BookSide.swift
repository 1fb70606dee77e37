import HuracanCore

/// One side of a local order book: levels in one flat array of fixed-point mantissas (10^-18
/// units), sorted so the best level is the LAST element.
///
/// Why this layout: keys ascend towards the best level (bids keep the price, asks its negation),
/// so an insert or delete near the top of the book — where most of the churn is — shifts only
/// the few levels above it, and removing the best level shifts nothing. A level is found by
/// interpolation on the sorted keys (venue prices sit on a tick grid, so a dense book is hit in
/// one probe), corrected by a galloping search that keeps the worst case logarithmic for sparse
/// or uneven books. Indices in the public API count from the best level (0 = best).
public struct BookSide: Sendable {
    /// A level in storage order.
    @usableFromInline struct Slot: Sendable {
        /// The price mantissa on the bid side, its negation on the ask side.
        @usableFromInline var key: Int128
        @usableFromInline var size: Int128
        @inlinable init(key: Int128, size: Int128) {
            self.key = key
            self.size = size
        }
    }

    public let isBid: Bool
    /// Levels, keys strictly ascending, best last.
    @usableFromInline var slots: [Slot] = []
    /// Wire text per level in storage order, kept only when `keepsText` (OKX checksum).
    @usableFromInline var texts: [(String, String)] = []
    public let keepsText: Bool
    /// Interpolation constants, refreshed after every insert, delete or load: a key's offset from
    /// the worst key, shifted right by `shift` (so the span fits 64 bits), times `scale` =
    /// (count - 1) / span as a 0.64 fixed-point fraction, is the guessed position (one multiply).
    @usableFromInline var shift = 0
    @usableFromInline var scale: UInt64 = 0

    public init(isBid: Bool, keepsText: Bool = false) {
        self.isBid = isBid
        self.keepsText = keepsText
        slots.reserveCapacity(512)
        if keepsText { texts.reserveCapacity(512) }
    }

    public var count: Int { slots.count }
    public var isEmpty: Bool { slots.isEmpty }

    @inlinable func key(_ price: Int128) -> Int128 { isBid ? price : 0 &- price }

    /// Storage position of the level `i` places from the best.
    @inlinable func position(_ i: Int) -> Int {
        precondition(i >= 0 && i < slots.count, "book level \(i) out of range 0..<\(slots.count)")
        return slots.count - 1 - i
    }

    /// Price of level `i` (0 = best).
    public func price(at i: Int) -> FixedDecimal {
        let key = slots[position(i)].key
        return FixedDecimal(mantissa: isBid ? key : 0 &- key)
    }

    /// Size of level `i` (0 = best).
    public func size(at i: Int) -> FixedDecimal { FixedDecimal(mantissa: slots[position(i)].size) }

    /// Wire text of level `i` (0 = best): the venue's strings when kept, the canonical decimals otherwise.
    public func text(at i: Int) -> (price: String, size: String) {
        keepsText ? texts[position(i)] : (price(at: i).description, size(at: i).description)
    }

    public mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        refreshScale()
    }

    /// Recomputes the interpolation constants (after the first, last or number of levels changed).
    @usableFromInline mutating func refreshScale() {
        guard slots.count >= 2, let first = slots.first?.key, let last = slots.last?.key else {
            shift = 0
            scale = 0
            return
        }
        let span = UInt128(bitPattern: last &- first)
        shift = max(0, 64 &- span.leadingZeroBitCount)
        let shifted = UInt64(truncatingIfNeeded: span &>> shift)
        // Keys are distinct integers, so span >= count - 1 and the fraction is at most 1.
        let fraction = UInt128(UInt64(slots.count &- 1)) &<< 64 / UInt128(shifted)
        scale = fraction > UInt128(UInt64.max) ? UInt64.max : UInt64(fraction)
    }

    /// First storage position whose key is not below `key` (`count` when every key is below).
    ///
    /// Interpolates between the worst and best keys, then gallops from the guess towards the
    /// level (1, 2, 4, ... positions) and finishes with a binary search inside the last step.
    @inlinable static func lowerBound(_ key: Int128, in slot: UnsafeBufferPointer<Slot>, shift: Int, scale: UInt64) -> Int {
        let n = slot.count
        guard n > 0 else { return 0 }
        let first = slot[0].key
        if key <= first { return 0 }
        let last = slot[n &- 1].key
        if key > last { return n }
        if key == last { return n &- 1 }
        // first < key < last, so n >= 2 and the answer is in 1...n-1.
        let difference = UInt128(bitPattern: key &- first)
        let offset = shift == 0 ? UInt64(truncatingIfNeeded: difference) : UInt64(truncatingIfNeeded: difference &>> shift)
        var guess = Int(truncatingIfNeeded: offset.multipliedFullWidth(by: scale).high)
        guess = min(max(guess, 1), n &- 1)
        let probe = slot[guess].key
        if probe == key { return guess }  // a dense book: the usual case
        // Bracket the answer as slot[low].key < key <= slot[high].key.
        var low: Int, high: Int
        if probe > key {
            high = guess
            var step = 1
            low = high &- 1
            while low > 0, slot[low].key >= key {
                high = low
                step &<<= 1
                low = high &- step
            }
            if low < 0 { low = 0 }
        } else {
            low = guess
            var step = 1
            high = low &+ 1
            while high < n &- 1, slot[high].key < key {
                low = high
                step &<<= 1
                high = low &+ step
            }
            if high > n &- 1 { high = n &- 1 }
        }
        while high &- low > 1 {
            let middle = (low &+ high) &>> 1
            if slot[middle].key < key { low = middle } else { high = middle }
        }
        return high
    }

    @inlinable func lowerBound(_ key: Int128) -> Int {
        slots.withUnsafeBufferPointer { Self.lowerBound(key, in: $0, shift: shift, scale: scale) }
    }

    /// Sets the absolute size at `price` (mantissas); zero deletes. Deleting an absent level is
    /// normal (venues send deletes for levels beyond our depth). On a side that keeps wire text
    /// the canonical decimals stand in for it.
    @inlinable public mutating func set(price: Int128, size: Int128) {
        let k = key(price)
        let i = lowerBound(k)
        let found = i < slots.count && slots[i].key == k
        if keepsText {
            setWithText(at: i, found: found, key: k, size: size,
                        text: (FixedDecimal(mantissa: price).description, FixedDecimal(mantissa: size).description))
            return
        }
        if found {
            if size == 0 {
                slots.remove(at: i)
                refreshScale()
            } else {
                slots[i].size = size
            }
        } else if size != 0 {
            slots.insert(Slot(key: k, size: size), at: i)
            refreshScale()
        }
    }

    /// Applies a message's level changes in order.
    ///
    /// Size changes of existing levels (nearly all of them) are written in place through one
    /// mutable buffer; an insert or delete leaves the buffer, goes through `set`, and resumes.
    @inlinable public mutating func apply(_ changes: ArraySlice<LevelChange>) {
        changes.withUnsafeBufferPointer { apply($0) }
    }

    /// `apply` for level changes in place (the hot path: no copy, no reference counting).
    @inlinable mutating func apply(_ changes: UnsafeBufferPointer<LevelChange>) {
        if keepsText {
            for change in changes { set(price: change.price, size: change.size) }
            return
        }
        do {
            var next = 0
            while next < changes.count {
                let (shift, scale, isBid) = (self.shift, self.scale, self.isBid)
                next = slots.withUnsafeMutableBufferPointer { slot -> Int in
                    var j = next
                    while j < changes.count {
                        let change = changes[j]
                        let k = isBid ? change.price : 0 &- change.price
                        let i = Self.lowerBound(k, in: UnsafeBufferPointer(slot), shift: shift, scale: scale)
                        let found = i < slot.count && slot[i].key == k
                        if found, change.size != 0 {
                            slot[i].size = change.size
                        } else if found || change.size != 0 {
                            return j  // delete or insert
                        }
                        j &+= 1
                    }
                    return j
                }
                if next < changes.count {
                    set(price: changes[next].price, size: changes[next].size)
                    next &+= 1
                }
            }
        }
    }

    /// `apply` for a whole array.
    public mutating func apply(_ changes: [LevelChange]) { apply(changes[...]) }

    /// `set` that also keeps the wire text of the level.
    public mutating func set(_ level: PriceLevel) {
        guard keepsText else { set(price: level.price.mantissa, size: level.size.mantissa); return }
        let k = key(level.price.mantissa)
        let i = lowerBound(k)
        setWithText(at: i, found: i < slots.count && slots[i].key == k, key: k, size: level.size.mantissa, text: (level.wirePrice, level.wireSize))
    }

    @usableFromInline mutating func setWithText(at i: Int, found: Bool, key k: Int128, size: Int128, text: (String, String)) {
        if found {
            if size == 0 {
                slots.remove(at: i); texts.remove(at: i)
                refreshScale()
            } else {
                slots[i].size = size; texts[i] = text
            }
        } else if size != 0 {
            slots.insert(Slot(key: k, size: size), at: i); texts.insert(text, at: i)
            refreshScale()
        }
    }

    /// Replaces the side with a snapshot's levels (applied in order, so a repeated price keeps its
    /// last size and size zero means absent). Levels sent best first, as every venue sends them,
    /// are loaded in one pass; any other order falls back to setting them one by one.
    public mutating func load(_ changes: [LevelChange]) { load(changes[...]) }

    /// `load` for a run of level changes.
    public mutating func load(_ changes: ArraySlice<LevelChange>) {
        removeAll()
        var previous: Int128?
        for change in changes {
            let k = key(change.price)
            if let p = previous, k >= p { return reload(changes) }
            previous = k
            if change.size != 0 { slots.append(Slot(key: k, size: change.size)) }
        }
        slots.reverse()
        refreshScale()
        if keepsText {
            texts = slots.map { (FixedDecimal(mantissa: isBid ? $0.key : 0 &- $0.key).description, FixedDecimal(mantissa: $0.size).description) }
        }
    }

    /// `load` keeping the wire text of each level.
    public mutating func load(_ levels: [PriceLevel]) {
        removeAll()
        var previous: Int128?
        for level in levels {
            let k = key(level.price.mantissa)
            if let p = previous, k >= p {
                removeAll()
                for level in levels { set(level) }
                return
            }
            previous = k
            guard level.size.mantissa != 0 else { continue }
            slots.append(Slot(key: k, size: level.size.mantissa))
            if keepsText { texts.append((level.wirePrice, level.wireSize)) }
        }
        slots.reverse()
        texts.reverse()
        refreshScale()
    }

    private mutating func reload(_ changes: ArraySlice<LevelChange>) {
        removeAll()
        for change in changes { set(price: change.price, size: change.size) }
    }

    /// Drops levels beyond `depth` (venues only maintain a bounded depth).
    public mutating func truncate(to depth: Int) {
        guard slots.count > depth else { return }
        let drop = slots.count - max(depth, 0)
        slots.removeFirst(drop)
        if keepsText { texts.removeFirst(drop) }
        refreshScale()
    }

    /// The best `depth` levels, best first.
    public func levels(_ depth: Int) -> [BookLevel] {
        (0..<min(max(depth, 0), count)).map { BookLevel(price: price(at: $0), quantity: size(at: $0)) }
    }
}
