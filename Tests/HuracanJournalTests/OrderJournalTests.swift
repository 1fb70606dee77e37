import Foundation
@testable import HuracanCore
import HuracanExchanges
import HuracanJournal
import HuracanSQL
import HuracanTestSupport
import SQLKit
import Testing

/// The order journal against SQLite (a file in a temporary folder) and a throwaway PostgreSQL.
@Suite struct OrderJournalTests {
    typealias F = JournalFixtures

    @Test(arguments: JournalBackend.allCases)
    func opensWithVersionedMigrationsAndCreatesTheFolder(backend: JournalBackend) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-journal-open")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try backend.makeURL(folder: folder)
        for _ in 0..<2 {
            let journal = try await OrderJournal.open(url: url, logger: F.logger)
            #expect(try await SQLMigrator.appliedVersions(journal.database, component: "order_journal") == [1])
            try await journal.close()
        }
        if backend == .sqlite {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("state/journal.sqlite").path))
            // A plain path is a SQLite file too.
            let plain = folder.appendingPathComponent("plain/j.sqlite").path
            let journal = try await OrderJournal.open(url: plain, logger: F.logger)
            try await journal.close()
            #expect(FileManager.default.fileExists(atPath: plain))
        }
        // A journal migrated by a newer build is refused.
        try await SQLDatabaseHandle.with(url) { db in
            try await db.sql.raw("INSERT INTO schema_migrations (component, version, name, applied_at) VALUES ('order_journal', 9, 'future', \(bind: Date()))").run()
        }
        let newer = await #expect(throws: SQLDatabaseError.self) { _ = try await OrderJournal.open(url: url, logger: F.logger) }
        #expect(newer?.cause == .schema)
    }

    @Test(arguments: JournalBackend.allCases)
    func intentIsDurableIdempotentAndRefusesAReusedID(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            let price = try FixedDecimal(parsing: "65000.123456789012345678")
            let request = F.request("h0-1-1", price: price)
            try await journal.recordIntent(request, tradeID: 1 << 48 | 7, isEntry: true, at: F.t0, symbol: "BTCUSDT")
            try await journal.recordIntent(request, tradeID: 1 << 48 | 7, isEntry: true, at: F.t0 + .seconds(1))
            let order = try #require(try await journal.order(clientOrderID: "h0-1-1"))
            #expect(order.request == request)   // the 18-digit price comes back exactly
            #expect(order.status == .new && order.origin == .engine && order.isEntry)
            #expect(order.tradeID == 1 << 48 | 7 && order.symbol == "BTCUSDT")
            #expect(order.filledQuantity == .zero && order.createdAt == F.t0 && order.venueOrderID == nil)
            // The same id for another order is a bug upstream: refused, naming both orders.
            await #expect {
                try await journal.recordIntent(F.request("h0-1-1", side: .sell), tradeID: 9, isEntry: false, at: F.t0)
            } throws: { error in
                (error as? JournalError)?.cause == .duplicateOrderID && "\(error)".contains("h0-1-1") && "\(error)".contains("unique")
            }
            #expect(try await journal.order(clientOrderID: "nope") == nil)
            // A market order without price, no trade.
            try await journal.recordIntent(F.request("m1", price: nil), tradeID: nil, isEntry: false, at: F.t0)
            let market = try #require(try await journal.order(clientOrderID: "m1"))
            #expect(market.request.price == nil && market.tradeID == nil && market.request.type == .market && market.request.timeInForce == .ioc)
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func reportsMoveOrdersForwardAndNeverOutOfATerminalStatus(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            for id in ["a", "r", "c", "e"] { try await journal.recordIntent(F.request(id), tradeID: 1, isEntry: true, at: F.t0) }
            #expect(try await journal.record(.accepted(clientOrderID: "a", venueOrderID: "V1", time: F.t0 + .seconds(1))))
            #expect(try await journal.record(.accepted(clientOrderID: "a", venueOrderID: "V1", time: F.t0 + .seconds(2))) == false)
            #expect(try await journal.record(.rejected(clientOrderID: "r", reason: "insufficient margin", time: F.t0)))
            #expect(try await journal.record(.cancelled(clientOrderID: "c", time: F.t0)))
            #expect(try await journal.record(.expired(clientOrderID: "e", time: F.t0)))
            var a = try #require(try await journal.order(clientOrderID: "a"))
            #expect(a.status == .acknowledged && a.venueOrderID == "V1" && a.updatedAt == F.t0 + .seconds(1))
            let r = try #require(try await journal.order(clientOrderID: "r"))
            #expect(r.status == .rejected && r.rejectReason == "insufficient margin")
            #expect(try await journal.order(clientOrderID: "c")?.status == .cancelled)
            #expect(try await journal.order(clientOrderID: "e")?.status == .expired)
            // Terminal orders stay terminal whatever arrives late.
            #expect(try await journal.record(.accepted(clientOrderID: "r", venueOrderID: "V2", time: F.t0)))  // only the venue order id is new
            #expect(try await journal.order(clientOrderID: "r")?.status == .rejected)
            #expect(try await journal.record(.expired(clientOrderID: "c", time: F.t0)) == false)
            #expect(try await journal.order(clientOrderID: "c")?.status == .cancelled)
            // A partially filled order is not moved back to acknowledged by a late acknowledgement.
            try await journal.record(.fill(F.fill("a", trade: "t1")))
            try await journal.record(.accepted(clientOrderID: "a", venueOrderID: "V1", time: F.t0 + .seconds(20)))
            a = try #require(try await journal.order(clientOrderID: "a"))
            #expect(a.status == .partiallyFilled)
            try await journal.record(.cancelled(clientOrderID: "a", time: F.t0 + .seconds(30)))
            #expect(try await journal.order(clientOrderID: "a")?.status == .cancelled)
            // Reports for orders the journal never had change nothing.
            #expect(try await journal.record(.cancelled(clientOrderID: "ghost", time: F.t0)) == false)
            #expect(try await journal.unfinishedOrders(venue: .binance).isEmpty)
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func fillsAreStoredOnceAndDriveOrdersAndPositions(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            #expect(try await journal.lastFillTime(venue: .binance) == nil)
            try await journal.recordIntent(F.request("b1"), tradeID: 1, isEntry: true, at: F.t0)
            try await journal.recordIntent(F.request("s1", coin: "ETH", side: .sell, quantity: FixedDecimal(units: 5, exponent: 1), price: nil), tradeID: 2, isEntry: true, at: F.t0)
            try await journal.record(.accepted(clientOrderID: "b1", venueOrderID: "777", time: F.t0))
            #expect(try await journal.record(.fill(F.fill("b1", trade: "100", at: 10))))
            #expect(try await journal.record(.fill(F.fill("b1", trade: "100", at: 10))) == false)   // duplicate ignored
            var b1 = try #require(try await journal.order(clientOrderID: "b1"))
            #expect(b1.status == .partiallyFilled && b1.filledQuantity == FixedDecimal(units: 1, exponent: 3))
            // Binance trade history carries no client order id: matched by the venue order id.
            let historyFill = F.fill("", trade: "101", quantity: FixedDecimal(units: 2, exponent: 3), at: 12)
            #expect(try await journal.record(historyFill, venueOrderID: "777", feeAsset: "BNB"))
            b1 = try #require(try await journal.order(clientOrderID: "b1"))
            #expect(b1.status == .filled && b1.filledQuantity == FixedDecimal(units: 3, exponent: 3))
            // The same trade id on another coin is another fill (Binance ids are per symbol).
            #expect(try await journal.record(.fill(F.fill("s1", trade: "100", coin: "ETH", side: .sell, quantity: FixedDecimal(units: 5, exponent: 1), price: 3_000, at: 11))))
            #expect(try await journal.order(clientOrderID: "s1")?.status == .filled)
            // A fill of an order the journal does not know still counts for the position.
            #expect(try await journal.record(.fill(F.fill("manual", trade: "102", side: .sell, quantity: FixedDecimal(units: 1, exponent: 3), at: 13))))

            let positions = try await journal.positions(venue: .binance)
            #expect(positions == ["BTC": FixedDecimal(units: 2, exponent: 3), "ETH": -FixedDecimal(units: 5, exponent: 1)])
            #expect(try await journal.positions(venue: .okx).isEmpty)
            #expect(try await journal.lastFillTime(venue: .binance) == F.t0 + .seconds(13))
            #expect(try await journal.hasFill(venue: .binance, coin: "BTC", tradeID: "101"))
            #expect(try await journal.hasFill(venue: .binance, coin: "ETH", tradeID: "101") == false)

            let fills = try await journal.fills(venue: .binance)
            #expect(fills.map(\.fill.tradeID) == ["100", "100", "101", "102"])
            let history = try #require(fills.first { $0.fill.tradeID == "101" })
            #expect(history.fill.clientOrderID == "b1" && history.venueOrderID == "777" && history.feeAsset == "BNB")
            #expect(history.fill.fee == FixedDecimal(units: 2_600_000_123, exponent: 11) && history.fill.liquidity == .taker)
            #expect(history.fill.time == F.t0 + .seconds(12) && history.fill.price == 65_000)
            #expect(try await journal.fills(venue: .binance, since: F.t0 + .seconds(12)).map(\.fill.tradeID) == ["101", "102"])
            // Flat again: the coin leaves the positions.
            try await journal.record(.fill(F.fill("manual2", trade: "103", side: .sell, quantity: FixedDecimal(units: 2, exponent: 3), at: 14)))
            #expect(try await journal.positions(venue: .binance) == ["ETH": -FixedDecimal(units: 5, exponent: 1)])
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func unknownAndUnfinishedOrders(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            for (i, id) in ["i", "u", "k", "p", "f"].enumerated() {
                try await journal.recordIntent(F.request(id), tradeID: nil, isEntry: false, at: F.t0 + .seconds(Int64(i)))
            }
            try await journal.recordIntent(F.request("other", venue: .okx), tradeID: nil, isEntry: false, at: F.t0)
            #expect(try await journal.markUnknown(clientOrderID: "u", at: F.t0 + .seconds(9)))
            #expect(try await journal.markUnknown(clientOrderID: "u") == false)
            try await journal.record(.accepted(clientOrderID: "k", venueOrderID: "1", time: F.t0))
            #expect(try await journal.markUnknown(clientOrderID: "k") == false)   // acknowledged stays acknowledged
            try await journal.record(.fill(F.fill("p", trade: "1")))
            try await journal.record(.fill(F.fill("f", trade: "2", quantity: FixedDecimal(units: 3, exponent: 3))))
            #expect(try await journal.order(clientOrderID: "u")?.status == .unknown)
            let unfinished = try await journal.unfinishedOrders(venue: .binance)
            #expect(unfinished.map(\.clientOrderID) == ["i", "u", "k", "p"])
            #expect(unfinished.map(\.status) == [.new, .unknown, .acknowledged, .partiallyFilled])
            #expect(try await journal.unfinishedOrders(venue: .okx).map(\.clientOrderID) == ["other"])
            // The stored words are the journal's own vocabulary (docs/exchanges.md), not the enum's names.
            let rows = try await journal.database.sql.raw("SELECT client_order_id, status FROM orders WHERE venue = 'binance' ORDER BY client_order_id").all()
            let words = try rows.map { "\(try $0.decode(column: "client_order_id", as: String.self))=\(try $0.decode(column: "status", as: String.self))" }
            #expect(words == ["f=filled", "i=intent", "k=acknowledged", "p=partially_filled", "u=unknown"])
            // A journal written by an older build stores adopted orders as `adopted`: read as acknowledged, still unfinished.
            try await journal.database.sql.raw("UPDATE orders SET status = 'adopted' WHERE client_order_id = 'k'").run()
            #expect(try await journal.order(clientOrderID: "k")?.status == .acknowledged)
            #expect(try await journal.unfinishedOrders(venue: .binance).map(\.clientOrderID) == ["i", "u", "k", "p"])
            // A word the journal never writes is refused with the row and column named.
            try await journal.database.sql.raw("UPDATE orders SET status = 'partiallyFilled' WHERE client_order_id = 'p'").run()
            let bad = await #expect(throws: JournalError.self) { _ = try await journal.order(clientOrderID: "p") }
            #expect(bad?.cause == .unreadableRow && bad.map { "\($0)" }?.contains("status \"partiallyFilled\" is not valid") == true)
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func adoptsVenueOrdersAndAppliesVenueUpdates(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            let manual = VenueOrderUpdate(venue: .bybit, symbol: "BTCUSDT", clientOrderID: "web-1", venueOrderID: "555", status: .acknowledged,
                                          venueStatus: "New", side: .sell, type: .limit, timeInForce: .gtc, quantity: FixedDecimal(units: 4, exponent: 3),
                                          price: 70_000, filledQuantity: .zero, averagePrice: nil, reduceOnly: false, fill: nil, reason: nil, time: F.t0)
            #expect(try await journal.adopt(manual, coin: "BTC", at: F.t0 + .seconds(1)))
            #expect(try await journal.adopt(manual, coin: "BTC", at: F.t0 + .seconds(2)) == false)
            var adopted = try #require(try await journal.order(clientOrderID: "web-1"))
            #expect(adopted.status == .acknowledged && adopted.origin == .venue && adopted.venueOrderID == "555" && adopted.symbol == "BTCUSDT")
            #expect(adopted.request.coin == "BTC" && adopted.request.price == 70_000 && adopted.tradeID == nil && adopted.createdAt == F.t0 + .seconds(1))
            #expect(try await journal.unfinishedOrders(venue: .bybit).map(\.clientOrderID) == ["web-1"])
            #expect(try await journal.order(venue: .bybit, venueOrderID: "555")?.clientOrderID == "web-1")
            try await journal.record(.fill(F.fill("web-1", trade: "e1", venue: .bybit, side: .sell)))
            adopted = try #require(try await journal.order(clientOrderID: "web-1"))
            #expect(adopted.status == .partiallyFilled && adopted.origin == .venue)
            // An order without a client order id cannot be adopted.
            var anonymous = manual
            anonymous.clientOrderID = ""
            let refused = await #expect(throws: JournalError.self) { try await journal.adopt(anonymous, at: F.t0) }
            #expect(refused?.cause == .invalidRequest)

            // The venue's view of a journaled order: status (filled even without all fills) and venue order id.
            try await journal.recordIntent(F.request("q1", venue: .bybit), tradeID: 3, isEntry: true, at: F.t0)
            try await journal.markUnknown(clientOrderID: "q1", at: F.t0)
            var found = manual
            found.clientOrderID = "q1"
            found.venueOrderID = "556"
            found.status = .filled
            found.fill = F.fill("q1", trade: "e2", venue: .bybit, quantity: FixedDecimal(units: 3, exponent: 3))
            #expect(try await journal.record(found) == .filled)
            let q1 = try #require(try await journal.order(clientOrderID: "q1"))
            #expect(q1.venueOrderID == "556" && q1.filledQuantity == FixedDecimal(units: 3, exponent: 3))
            found.clientOrderID = "not-journaled"
            #expect(try await journal.record(found) == nil)
            var rejected = found
            rejected.clientOrderID = "q2"
            rejected.status = .rejected
            rejected.fill = nil
            rejected.venueStatus = "Rejected"
            try await journal.recordIntent(F.request("q2", venue: .bybit), tradeID: 4, isEntry: true, at: F.t0)
            #expect(try await journal.record(rejected) == .rejected)
            #expect(try await journal.order(clientOrderID: "q2")?.rejectReason == "Rejected")
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func closedTradesFundingAndReconciliations(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            var trade = Trade(id: 2 << 48 | 5, coin: "ETH", venue: .okx, style: .runner, side: .sell, entryReason: "runner edge 12.5 bps",
                              signalTime: F.t0, expectedEdgeBps: 12.5)
            trade.quantity = FixedDecimal(units: 5, exponent: 1)
            trade.entryNotional = try FixedDecimal(parsing: "1500.25")
            trade.exitQuantity = trade.quantity
            trade.exitNotional = try FixedDecimal(parsing: "1490.000000000000000001")
            trade.fees = try FixedDecimal(parsing: "0.6")
            trade.funding = try FixedDecimal(parsing: "-0.05")
            trade.openedAt = F.t0 + .milliseconds(3)
            trade.closedAt = F.t0 + .seconds(600)
            trade.exitReason = .takeProfit
            trade.takeProfit = 2_950.5
            trade.stopLoss = 3_050
            trade.phase = .closed
            #expect(try await journal.recordClosedTrade(trade))
            #expect(try await journal.recordClosedTrade(trade) == false)
            var earlier = Trade(id: 1, coin: "BTC", venue: .binance, style: .scalp, side: .buy, entryReason: "scalp", signalTime: F.t0, expectedEdgeBps: 4)
            earlier.closedAt = F.t0 + .seconds(60)
            earlier.exitReason = .timeout
            try await journal.recordClosedTrade(earlier)

            let trades = try await journal.closedTrades(limit: 10)
            #expect(trades.map(\.tradeID) == [2 << 48 | 5, 1])
            #expect(trades[0] == ClosedTradeRecord(trade))
            let gross = try FixedDecimal(parsing: "10.249999999999999999")
            #expect(trades[0].netPnL == trade.netPnL && trades[0].grossPnL == gross)
            #expect(trades[1].averageEntryPrice == nil && trades[1].exitReason == .timeout)
            #expect(try await journal.closedTrades(limit: 1).count == 1)
            #expect(try await journal.closedTrades(venue: .binance).map(\.coin) == ["BTC"])

            let funding = VenueReport.funding(coin: "ETH", venue: .okx, rate: FixedDecimal(units: 1, exponent: 4), markPrice: 3_000, time: F.t0)
            #expect(try await journal.record(funding))
            #expect(try await journal.record(funding) == false)
            let stored = try await journal.funding(venue: .okx)
            let rate = try FixedDecimal(parsing: "0.0001")
            #expect(stored.count == 1 && stored[0].rate == rate && stored[0].markPrice == 3_000 && stored[0].time == F.t0)

            try await journal.recordReconciliation(venue: .okx, summary: "okx: 1 orders checked", at: F.t0)
            try await journal.recordReconciliation(venue: .bybit, summary: "bybit: 0 orders checked", at: F.t0 + .seconds(1))
            #expect(try await journal.reconciliations().map(\.venue) == [.bybit, .okx])
            #expect(try await journal.reconciliations(venue: .okx) == [JournalReconciliation(time: F.t0, venue: .okx, summary: "okx: 1 orders checked")])
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func concurrentWritersAreSerialised(backend: JournalBackend) async throws {
        try await backend.withJournal { journal, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let id = "c\(i)"
                        try await journal.recordIntent(F.request(id, quantity: FixedDecimal(units: 2, exponent: 3)), tradeID: UInt64(i), isEntry: true, at: F.t0)
                        try await journal.record(.accepted(clientOrderID: id, venueOrderID: "v\(i)", time: F.t0))
                        try await journal.record(.fill(F.fill(id, trade: "a\(i)", at: Int64(i))))
                        try await journal.record(.fill(F.fill(id, trade: "b\(i)", at: Int64(i))))
                        try await journal.record(.fill(F.fill(id, trade: "a\(i)", at: Int64(i))))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await journal.positions(venue: .binance) == ["BTC": FixedDecimal(units: 80, exponent: 3)])
            #expect(try await journal.fills(venue: .binance).count == 80)
            #expect(try await journal.unfinishedOrders(venue: .binance).isEmpty)
        }
    }

    @Test(arguments: JournalBackend.allCases)
    func callsAfterCloseThrow(backend: JournalBackend) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-journal-closed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try backend.makeURL(folder: folder)
        let journal = try await OrderJournal.open(url: url, logger: F.logger)
        try await journal.close()
        try await journal.close()
        await #expect {
            try await journal.recordIntent(F.request("late"), tradeID: nil, isEntry: false, at: F.t0)
        } throws: { error in
            (error as? JournalError)?.cause == .closed && "\(error)".contains("after close()")
        }
    }
}
