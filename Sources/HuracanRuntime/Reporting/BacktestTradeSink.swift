import Foundation
import HuracanCore

/// Where a backtest's closed trades go as they close, so the engine does not keep them and a
/// month-long backtest needs no more memory than an hour: tallied for the report
/// (`TradeTally`) and, when asked, written to the trades CSV (the same rows, in the same order,
/// as `TradeCSV.write` of all trades). The CSV is written to `<path>.partial` and renamed
/// when `finish` is called, so a run that fails leaves no half file under the asked name.
public final class BacktestTradeSink: Sendable {
    private struct State {
        var tally = TradeTally()
        var file: FileHandle?
        var buffer = ""
        var failure: String?
    }

    private let state = Locked(State())
    private let csvPath: String?
    /// How many of the newest closed trades the engine still keeps (breakers and metrics read them).
    public let keep: Int

    public init(csvPath: String?, keep: Int = Engine.realTimeTradeRetention) throws {
        self.csvPath = csvPath
        self.keep = keep
        guard let csvPath else { return }
        let partial = csvPath + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: Data((TradeCSV.header + "\n").utf8)),
              let file = FileHandle(forWritingAtPath: partial) else {
            throw TradeCSVError(path: partial, reason: "cannot create it (is the folder there and writable?)")
        }
        _ = try file.seekToEnd()
        state.withLock { $0.file = file }
    }

    /// Takes one round's closed trades (the engine's `onClosedTrades`).
    public func take(_ trades: [Trade]) {
        state.withLock { state in
            state.tally.add(trades)
            guard state.file != nil else { return }
            for trade in trades { state.buffer += TradeCSV.line(trade) }
            if state.buffer.utf8.count >= 1 << 16 { Self.flush(&state) }
        }
    }

    private static func flush(_ state: inout State) {
        guard let file = state.file, !state.buffer.isEmpty else { return }
        do { try file.write(contentsOf: Data(state.buffer.utf8)) } catch {
            if state.failure == nil { state.failure = "\(error)" }
        }
        state.buffer = ""
    }

    private static func close(_ state: inout State) {
        try? state.file?.close()
        state.file = nil
    }

    /// Closes and removes the partial CSV (the run failed, or `finish` could not write it);
    /// after a successful `finish` there is none left to remove.
    public func discard() {
        state.withLock { Self.close(&$0) }
        if let csvPath { try? FileManager.default.removeItem(atPath: csvPath + ".partial") }
    }

    /// Writes what is left, closes the CSV under its name, and returns the tally.
    public func finish() throws -> TradeTally {
        let (tally, failure) = state.withLock { state -> (TradeTally, String?) in
            Self.flush(&state)
            Self.close(&state)
            return (state.tally, state.failure)
        }
        if let csvPath {
            if let failure { throw TradeCSVError(path: csvPath + ".partial", reason: failure) }
            if FileManager.default.fileExists(atPath: csvPath) { try FileManager.default.removeItem(atPath: csvPath) }
            try FileManager.default.moveItem(atPath: csvPath + ".partial", toPath: csvPath)
        }
        return tally
    }
}

/// The trades CSV could not be written: the file and why.
public struct TradeCSVError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "trades CSV \(path): \(reason)" }
}
