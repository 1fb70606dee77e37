import Foundation
import HuracanCore
import HuracanJournal
import HuracanTestSupport
import Logging
import Testing

/// The journal's two databases; every test runs on both.
enum JournalBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgresql
    var testDescription: String { rawValue }

    /// A fresh database URL (SQLite in a nested folder that does not exist yet); without
    /// PostgreSQL installed the test case is skipped with the reason (see `MissingTool`).
    func makeURL(folder: URL) throws -> String {
        switch self {
        case .sqlite:
            return "sqlite:" + folder.appendingPathComponent("state/journal.sqlite").path
        case .postgresql:
            return try PostgresServer.start().makeDatabase("journal")
        }
    }

    /// Runs `body` with a journal on a fresh database, closed afterwards.
    func withJournal(_ body: (OrderJournal, String) async throws -> Void) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-journal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try makeURL(folder: folder)
        let journal = try await OrderJournal.open(url: url, logger: JournalFixtures.logger)
        do {
            try await body(journal, url)
        } catch {
            try? await journal.close()
            throw error
        }
        try await journal.close()
    }
}

/// Orders, fills and times used by the journal tests.
enum JournalFixtures {
    static var logger: Logger {
        var logger = Logger(label: "test.journal")
        logger.logLevel = .critical
        return logger
    }

    static let t0 = Timestamp(seconds: 1_750_000_000)

    static func request(_ id: String, coin: String = "BTC", venue: VenueID = .binance, side: Side = .buy, quantity: Quantity = FixedDecimal(units: 3, exponent: 3),
                        price: Price? = 65_000) -> OrderRequest {
        OrderRequest(clientOrderID: id, coin: coin, venue: venue, side: side, type: price == nil ? .market : .limit,
                     timeInForce: price == nil ? .ioc : .gtc, quantity: quantity, price: price)
    }

    static func fill(_ id: String, trade: String, coin: String = "BTC", venue: VenueID = .binance, side: Side = .buy,
                     quantity: Quantity = FixedDecimal(units: 1, exponent: 3), price: Price = 65_000, at seconds: Int64 = 10) -> Fill {
        Fill(clientOrderID: id, tradeID: trade, coin: coin, venue: venue, side: side, price: price, quantity: quantity,
             fee: FixedDecimal(units: 2_600_000_123, exponent: 11), liquidity: .taker, time: t0 + .seconds(seconds))
    }
}
