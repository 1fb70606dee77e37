import Foundation
import HuracanCore
import HuracanJournal
import HuracanTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the journal wrote is there after the writer dies: dropped without `close()`, and a
/// writer process killed with SIGKILL right after its last write returned.
@Suite struct JournalCrashTests {
    typealias F = JournalFixtures
    static let childURLVariable = "HURACAN_JOURNAL_CRASH_CHILD_URL"

    /// Writes two intents, an acknowledgement and two fills (one a duplicate).
    static func write(_ journal: OrderJournal) async throws {
        try await journal.recordIntent(F.request("k1"), tradeID: 1, isEntry: true, at: F.t0)
        try await journal.recordIntent(F.request("k2", coin: "ETH", side: .sell, quantity: 1, price: nil), tradeID: 2, isEntry: true, at: F.t0)
        try await journal.record(.accepted(clientOrderID: "k1", venueOrderID: "9", time: F.t0))
        try await journal.record(.fill(F.fill("k1", trade: "f1")))
        try await journal.record(.fill(F.fill("k2", trade: "f2", coin: "ETH", side: .sell, quantity: 1, price: 3_000)))
        try await journal.record(.fill(F.fill("k2", trade: "f2", coin: "ETH", side: .sell, quantity: 1, price: 3_000)))
    }

    static func check(_ url: String) async throws {
        let journal = try await OrderJournal.open(url: url, logger: F.logger)
        #expect(try await journal.order(clientOrderID: "k1")?.status == .partiallyFilled)
        #expect(try await journal.order(clientOrderID: "k2")?.status == .filled)
        #expect(try await journal.unfinishedOrders(venue: .binance).map(\.clientOrderID) == ["k1"])
        #expect(try await journal.positions(venue: .binance) == ["BTC": FixedDecimal(units: 1, exponent: 3), "ETH": -1])
        #expect(try await journal.fills(venue: .binance).count == 2)
        try await journal.close()
    }

    @Test(arguments: JournalBackend.allCases)
    func droppedWithoutCloseKeepsEverything(backend: JournalBackend) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-journal-drop")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try backend.makeURL(folder: folder)
        do {
            let journal = try await OrderJournal.open(url: url, logger: F.logger)
            try await Self.write(journal)
        }  // dropped here, never closed
        try await Self.check(url)
    }

    /// Runs this test binary again as a writer that kills itself after writing.
    @Test(arguments: JournalBackend.allCases)
    func killedWriterProcessLosesNothing(backend: JournalBackend) async throws {
        let folder = TestPaths.temporaryDirectory("huracan-journal-kill")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try backend.makeURL(folder: folder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        process.arguments = ["--testing-library", "swift-testing", "--filter", "journalCrashWriterChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childURLVariable] = url
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        await Task.detached { process.waitUntilExit() }.value
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL,
                "the writer should have killed itself after writing (reason \(process.terminationReason.rawValue), status \(process.terminationStatus))")
        try await Self.check(url)
    }

    /// The writer half of `killedWriterProcessLosesNothing`, run only in the child process that
    /// test starts (disabled, with that reason, in a normal run).
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childURLVariable] != nil,
                   "the writer half of killedWriterProcessLosesNothing: runs only in the child process that test starts"))
    func journalCrashWriterChild() async throws {
        let url = try #require(ProcessInfo.processInfo.environment[Self.childURLVariable])
        let journal = try await OrderJournal.open(url: url, logger: F.logger)
        try await Self.write(journal)
        kill(getpid(), SIGKILL)
    }
}
