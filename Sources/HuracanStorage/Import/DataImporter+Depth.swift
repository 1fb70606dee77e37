import HuracanCore
import HuracanExchanges

/// What the depth importer does when an update does not follow the book it should apply to
/// (update ids jump: messages are missing from the dump).
public enum DepthGapPolicy: String, Sendable, CaseIterable {
    /// The venue's rule: the book is dropped and rebuilt from the next snapshot; nothing is
    /// written in between (the gap is reported with file and line).
    case resync
    /// Keep applying updates to the last book after a gap (reported), for dumps known to be cut
    /// into pieces. Levels the missing messages changed may be stale until updated again.
    case `continue`
}

/// One order book being rebuilt from depth files (Binance snapshot + diff-depth rows, Bybit
/// snapshot + delta messages), reusing the exchange adapters' `LocalOrderBook`.
struct DepthBookState {
    var coin: String
    var venue: VenueID
    var book = LocalOrderBook()
    /// A snapshot has been applied and no gap has dropped the book since.
    var hasBook = false
    /// Binance: the snapshot's lastUpdateId until the first update is applied.
    var awaitingFirstAfter: Int64?
    /// Final update id of the last message applied.
    var lastFinalID: Int64 = 0
    var lastTop: BookTop?
}

/// A Binance depth message being assembled from consecutive CSV rows with the same ids.
struct BinanceDepthMessage {
    var key: String
    var symbol: Substring
    var file: String
    var line: Int
    var update: DepthUpdate
}

extension DataImporter {
    // MARK: Binance depth CSV

    /// One row of a Binance depth file; rows of one message (same ids and type) are applied together.
    func binanceDepthRow(_ f: [Substring], columns: [String: Int], file: String, line: Int) throws(RowError) {
        func field(_ name: String, _ fallback: Int) throws(RowError) -> Substring { try Self.field(name, fallback, in: f, columns: columns) }
        guard f.count >= 8 else { throw RowError(message: "\(f.count) fields, expected 9 (symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu)") }
        let symbol = try field("symbol", 0)
        let type = try field("update_type", 5).lowercased()
        guard type == "snap" || type == "set" else { throw RowError(message: "update_type \"\(type)\" is not snap or set") }
        guard let first = Int64(try field("first_update_id", 2)), let last = Int64(try field("last_update_id", 3)) else {
            throw RowError(message: "bad update ids \"\(try field("first_update_id", 2))\", \"\(try field("last_update_id", 3))\"")
        }
        let previous = (try? field("pu", 8)).flatMap { Int64($0) } ?? -1
        let timeField = try field("timestamp", 1)
        let key = "\(symbol)/\(type)/\(first)/\(last)/\(timeField)"
        if binanceDepthPending?.key != key {
            finishBinanceDepthMessage()
            binanceDepthPending = BinanceDepthMessage(
                key: key, symbol: symbol, file: file, line: line,
                update: DepthUpdate(symbol: String(symbol), isSnapshot: type == "snap", firstID: first, finalID: last, previousID: previous,
                                    bids: [], asks: [], time: try Self.timestamp(timeField)))
        }
        let side = try field("side", 4).lowercased()
        let priceText = try field("price", 6), sizeText = try field("qty", 7)
        let price: FixedDecimal, size: FixedDecimal
        do {
            price = try FixedDecimal(parsing: String(priceText))
            size = try FixedDecimal(parsing: String(sizeText))
        } catch {
            throw RowError(message: "bad price or qty \"\(priceText)\", \"\(sizeText)\": \(error)")
        }
        guard price.isPositive, !size.isNegative else { throw RowError(message: "price must be positive and qty not negative, got \(priceText), \(sizeText)") }
        switch side {
        case "b", "bid", "buy": binanceDepthPending!.update.bids.append(PriceLevel(price: price, size: size))
        case "a", "ask", "sell": binanceDepthPending!.update.asks.append(PriceLevel(price: price, size: size))
        default: throw RowError(message: "side \"\(side)\" is not b or a")
        }
    }

    /// Applies the message assembled so far (at a change of ids and at the end of a file).
    func finishBinanceDepthMessage() {
        guard let message = binanceDepthPending else { return }
        binanceDepthPending = nil
        let name: String
        do throws(RowError) { name = try coinFor(message.symbol, venue: venue ?? .binance) } catch {
            issue(message.file, message.line, error.message)
            return
        }
        let key = "binance/\(message.symbol)"
        var state = depthBooks[key] ?? DepthBookState(coin: name, venue: venue ?? .binance)
        defer { depthBooks[key] = state }
        let u = message.update
        if u.isSnapshot {
            state.book.reset(u)
            state.hasBook = true
            state.awaitingFirstAfter = u.finalID
            state.lastFinalID = u.finalID
            emitTop(&state, time: u.time, file: message.file, line: message.line)
            return
        }
        guard state.hasBook else {
            issue(message.file, message.line, "depth update \(u.firstID)...\(u.finalID) with no book to apply to (no snapshot yet, or dropped at a gap); skipped")
            return
        }
        var gap: String?
        if let snapshotID = state.awaitingFirstAfter {
            // Binance: drop updates older than the snapshot; the first applied has U <= L <= u.
            if u.finalID < snapshotID { return }
            if u.firstID > snapshotID + 1 { gap = "first update U \(u.firstID) is after the snapshot's lastUpdateId \(snapshotID)" }
        } else if u.previousID != state.lastFinalID {
            gap = "pu \(u.previousID) does not follow the previous update's u \(state.lastFinalID)"
        }
        if let gap, !applyAfterGap(&state, gap, file: message.file, line: message.line) { return }
        state.book.apply(u)
        state.awaitingFirstAfter = nil
        state.lastFinalID = u.finalID
        emitTop(&state, time: u.time, file: message.file, line: message.line)
    }

    // MARK: Bybit orderbook JSONL

    /// One Bybit v5 `orderbook.N.SYMBOL` WebSocket message (snapshot or delta).
    func bybitDepthLine(_ line: Substring, file: String, line number: Int) throws(RowError) {
        let update: DepthUpdate
        do { update = try BybitDepthParser.parse(Array(line.utf8)) } catch { throw RowError(message: "\(error)") }
        let key = "bybit/\(update.symbol)"
        let name = try coinFor(Substring(update.symbol), venue: venue ?? .bybit)
        var state = depthBooks[key] ?? DepthBookState(coin: name, venue: venue ?? .bybit)
        defer { depthBooks[key] = state }
        // Bybit: a snapshot (or u = 1 after a service restart) replaces the book; a delta's u is
        // the previous u + 1.
        if update.isSnapshot || update.finalID == 1 {
            state.book.reset(update)
            state.hasBook = true
            state.lastFinalID = update.finalID
            emitTop(&state, time: update.time, file: file, line: number)
            return
        }
        guard state.hasBook else {
            throw RowError(message: "delta u \(update.finalID) with no book to apply to (no snapshot yet, or dropped at a gap); skipped")
        }
        if update.finalID != state.lastFinalID + 1,
           !applyAfterGap(&state, "update id \(update.finalID) does not follow \(state.lastFinalID)", file: file, line: number) {
            return
        }
        state.book.apply(update)
        state.lastFinalID = update.finalID
        emitTop(&state, time: update.time, file: file, line: number)
    }

    // MARK: shared

    /// Reports a gap; returns whether to apply the update anyway (policy `continue`).
    private func applyAfterGap(_ state: inout DepthBookState, _ reason: String, file: String, line: Int) -> Bool {
        switch depthGaps {
        case .resync:
            issue(file, line, "\(reason): messages are missing; book dropped until the next snapshot (--depth-gaps continue applies updates anyway)")
            state.book.clear()
            state.hasBook = false
            state.lastTop = nil
            return false
        case .continue:
            issue(file, line, "\(reason): messages are missing; applying the update to the last book (--depth-gaps continue)")
            return true
        }
    }

    /// Writes a book-top row when the best bid or ask (price or size) changed.
    private func emitTop(_ state: inout DepthBookState, time: Timestamp, file: String, line: Int) {
        guard let top = state.book.top, top != state.lastTop else { return }
        guard !state.book.isCrossed else {
            issue(file, line, "book crossed after this message: best bid \(top.bidPrice) >= best ask \(top.askPrice); no book top written")
            return
        }
        state.lastTop = top
        book.append(BookRecord(time: time, coin: state.coin, venue: state.venue, top: top))
    }
}
