import HuracanCore

/// Keeps one OKX `books` (or `books*-l2-tbt`) book in sync, following okx.com docs-v5
/// "Order book channel" and the 2026 changelog (/work/shared/exchanges/okx-v5.md §6):
/// - each update must have `prevSeqId ==` the previous `seqId`, else resubscribe;
/// - a WebSocket `snapshot` push (legacy) replaces the book;
/// - without a WebSocket snapshot: buffer updates, GET /api/v5/market/books, refetch while its
///   `seqId` is older than the first buffered `prevSeqId`, drop updates with `seqId <=` snapshot,
///   the first kept has `prevSeqId <= snapshot.seqId < seqId`;
/// - the CRC32 checksum of the top 25 levels is verified only while the venue sends a non-zero one
///   (it is being retired and sent as 0).
public struct OKXBookSync: Sendable {
    public enum State: Sendable, Equatable {
        case awaitingSnapshot
        case live(lastSeqID: Int64)
    }

    public private(set) var book = LocalOrderBook(keepsText: true)
    public private(set) var state: State = .awaitingSnapshot
    private var buffer: [DepthUpdate] = []
    public var bufferLimit = 10_000
    public private(set) var resyncCount = 0
    public private(set) var checksumsVerified = 0

    public init() {}

    public var isInSync: Bool { if case .live = state { true } else { false } }
    public var needsSnapshot: Bool { state == .awaitingSnapshot }

    public mutating func receive(_ event: DepthUpdate) -> BookSyncResult {
        if event.isSnapshot {
            buffer.removeAll(keepingCapacity: true)
            book.reset(event)
            state = .live(lastSeqID: event.finalID)
            return verifyChecksum(event)
        }
        switch state {
        case .awaitingSnapshot:
            if buffer.count >= bufferLimit { buffer.removeFirst(buffer.count - bufferLimit + 1) }
            buffer.append(event)
            return .buffered
        case .live(let last):
            guard event.previousID == last else {
                return dropBook("prevSeqId \(event.previousID) does not follow the previous seqId \(last)")
            }
            book.apply(event)
            state = .live(lastSeqID: event.finalID)
            if event.bids.isEmpty && event.asks.isEmpty && event.finalID == event.previousID { return .ignored }
            return verifyChecksum(event)
        }
    }

    /// A REST snapshot (`finalID` = its seqId). Returns `.resync` when it is older than the
    /// stream (fetch again) or does not join the buffered updates.
    public mutating func applySnapshot(_ snapshot: DepthUpdate) -> BookSyncResult {
        if let first = buffer.first, snapshot.finalID < first.previousID {
            resyncCount += 1
            return .resync(reason: "snapshot seqId \(snapshot.finalID) is older than the stream's prevSeqId \(first.previousID): fetch again")
        }
        book.reset(snapshot)
        state = .live(lastSeqID: snapshot.finalID)
        let pending = buffer.filter { $0.finalID > snapshot.finalID }
        buffer.removeAll(keepingCapacity: true)
        guard let first = pending.first else { return .applied }
        guard first.previousID <= snapshot.finalID else {
            return dropBook("first update prevSeqId \(first.previousID) is after the snapshot seqId \(snapshot.finalID)")
        }
        book.apply(first)
        state = .live(lastSeqID: first.finalID)
        for event in pending.dropFirst() {
            let result = receive(event)
            if case .resync = result { return result }
        }
        return .applied
    }

    /// Verifies `checksum` when non-zero (signed CRC32 of the top 25 levels interleaved).
    private mutating func verifyChecksum(_ event: DepthUpdate) -> BookSyncResult {
        guard event.checksum != 0 else { return .applied }
        let computed = Self.checksum(book)
        guard computed == event.checksum else {
            return dropBook("checksum mismatch: venue \(event.checksum), local \(computed)")
        }
        checksumsVerified += 1
        return .applied
    }

    /// `bidPx:bidSz:askPx:askSz:...` over the top 25 levels with the exact wire strings; when one
    /// side runs out the other continues alone. CRC32 as a signed 32-bit integer.
    public static func checksum(_ book: LocalOrderBook) -> Int32 {
        var text = ""
        text.reserveCapacity(1024)
        var first = true
        func add(_ part: (price: String, size: String)) {
            if !first { text += ":" }
            first = false
            text += part.price
            text += ":"
            text += part.size
        }
        for i in 0..<25 {
            if i < book.bids.count { add(book.bids.text(at: i)) }
            if i < book.asks.count { add(book.asks.text(at: i)) }
        }
        return Int32(bitPattern: CRC32.checksum(text.utf8))
    }

    private mutating func dropBook(_ reason: String) -> BookSyncResult {
        book.clear()
        buffer.removeAll(keepingCapacity: true)
        state = .awaitingSnapshot
        resyncCount += 1
        return .resync(reason: reason)
    }
}
