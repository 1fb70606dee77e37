import HuracanCore

/// Keeps one Binance USD-M book in sync from the diff-depth stream and a REST snapshot, exactly as
/// documented ("How to manage a local order book correctly", developers.binance.com, USDⓈ-M
/// Futures WebSocket Market Streams; /work/shared/exchanges/binance-usdm.md §6):
/// 1. buffer `<symbol>@depth` events; 2. GET /fapi/v1/depth, note `lastUpdateId` L;
/// 3. drop events with `u < L`; 4. the first applied event has `U <= L <= u`;
/// 5. every later event has `pu ==` the previous event's `u`, else resync from step 2.
public struct BinanceBookSync: Sendable {
    public enum State: Sendable, Equatable {
        case awaitingSnapshot
        case awaitingFirstEvent(lastUpdateID: Int64)
        case live(lastFinalID: Int64)
    }

    public private(set) var book = LocalOrderBook()
    public private(set) var state: State = .awaitingSnapshot
    private var buffer: [DepthUpdate] = []
    /// Events kept while waiting for the snapshot; older ones are dropped beyond this.
    public var bufferLimit = 10_000
    public private(set) var resyncCount = 0

    public init() {}

    public var isInSync: Bool { if case .live = state { true } else { false } }
    /// True when the caller should fetch a REST snapshot now.
    public var needsSnapshot: Bool { state == .awaitingSnapshot }

    /// One `depthUpdate` event (U = firstID, u = finalID, pu = previousID).
    public mutating func receive(_ event: DepthUpdate) -> BookSyncResult {
        switch state {
        case .awaitingSnapshot:
            if buffer.count >= bufferLimit { buffer.removeFirst(buffer.count - bufferLimit + 1) }
            buffer.append(event)
            return .buffered
        case .awaitingFirstEvent(let lastUpdateID):
            return applyFirst(event, lastUpdateID: lastUpdateID)
        case .live(let last):
            guard event.previousID == last else {
                return dropBook("pu \(event.previousID) does not follow the previous u \(last)")
            }
            book.apply(event)
            state = .live(lastFinalID: event.finalID)
            return .applied
        }
    }

    /// The REST snapshot (`finalID` = lastUpdateId); replays the buffered events on top.
    public mutating func applySnapshot(_ snapshot: DepthUpdate) -> BookSyncResult {
        book.reset(snapshot)
        state = .awaitingFirstEvent(lastUpdateID: snapshot.finalID)
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        var result: BookSyncResult = .applied
        for event in pending {
            result = receive(event)
            if case .resync = result { return result }
        }
        if case .awaitingFirstEvent = state { return .applied }
        return result == .ignored ? .applied : result
    }

    private mutating func applyFirst(_ event: DepthUpdate, lastUpdateID: Int64) -> BookSyncResult {
        if event.finalID < lastUpdateID { return .ignored }
        guard event.firstID <= lastUpdateID else {
            return dropBook("first event U \(event.firstID) is after the snapshot's lastUpdateId \(lastUpdateID)")
        }
        book.apply(event)
        state = .live(lastFinalID: event.finalID)
        return .applied
    }

    private mutating func dropBook(_ reason: String) -> BookSyncResult {
        book.clear()
        buffer.removeAll(keepingCapacity: true)
        state = .awaitingSnapshot
        resyncCount += 1
        return .resync(reason: reason)
    }
}
