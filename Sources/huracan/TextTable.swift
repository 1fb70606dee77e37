import Foundation

/// A plain left-aligned text table for terminal output.
final class TextTable {
    private let columns: [String]
    private var rows: [[String]] = []

    init(columns: [String]) { self.columns = columns }

    func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = columns.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: "  ") + "\n"
        }
        return ([line(columns)] + rows.map(line)).joined()
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
