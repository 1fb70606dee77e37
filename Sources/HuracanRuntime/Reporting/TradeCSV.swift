import Foundation
import HuracanCore

/// Closed trades as CSV, one row per trade, for spreadsheets and for comparing runs.
public enum TradeCSV {
    public static let header = "id,coin,venue,style,side,entry_time,exit_time,quantity,entry_price,exit_price,fees,funding,net_pnl,entry_reason,exit_reason"

    public static func render(_ trades: [Trade]) -> String {
        var text = header + "\n"
        for t in trades { text += line(t) }
        return text
    }

    /// One trade's row, with its line end.
    public static func line(_ t: Trade) -> String {
        let fields: [String] = [
            String(t.id), t.coin, t.venue.rawValue, t.style.rawValue, t.side.rawValue, t.openedAt.description,
            t.closedAt?.description ?? "", t.quantity.description, t.averageEntryPrice.map { "\($0)" } ?? "",
            t.averageExitPrice.map { "\($0)" } ?? "", t.fees.description, t.funding.description, t.netPnL.description,
            t.entryReason, t.exitReason?.rawValue ?? "",
        ]
        return fields.joined(separator: ",") + "\n"
    }

    public static func write(_ trades: [Trade], to path: String) throws {
        try render(trades).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
