/// The coins the engine may trade, most liquid first. Index `i` is `CoinIndex(i)`.
public struct Universe: Sendable {
    public let instruments: [Instrument]
    private let indexByCoin: [String: Int]

    public init(instruments: [Instrument]) {
        self.instruments = instruments
        var index: [String: Int] = [:]
        for (i, instrument) in instruments.enumerated() { index[instrument.coin] = i }
        self.indexByCoin = index
    }

    public var count: Int { instruments.count }
    public subscript(index: CoinIndex) -> Instrument { instruments[Int(index)] }
    public func index(of coin: String) -> CoinIndex? { indexByCoin[coin].map { CoinIndex($0) } }
    public func instrument(_ coin: String) -> Instrument? { indexByCoin[coin].map { instruments[$0] } }

    /// The first `count` coins by rank: the active set when no cost ranking is available.
    public func top(_ count: Int) -> [Instrument] { Array(instruments.prefix(count)) }
}

/// A problem in a universe file, with its line.
public struct UniverseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        "universe has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension Universe {
    static let columns = ["rank", "coin", "sector", "tier", "tick_size", "lot_size", "min_notional", "multiplier",
                          "binance_symbol", "okx_symbol", "bybit_symbol", "okx_contract_value"]

    /// Parses the universe CSV (see `config/universe.csv`). Every bad row is reported, with
    /// `source:line`: missing columns, duplicates, unknown sectors, bad sizes, no venue.
    public init(csv text: String, source: String) throws(UniverseError) {
        var problems: [String] = []
        var instruments: [Instrument] = []
        var seenCoins: [String: Int] = [:]
        var seenRanks: Set<Int> = []
        // "\r\n" is a single Character in Swift, so CRLF files must be split on it explicitly.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { throw UniverseError(problems: ["\(source): the file is empty"]) }
        let headerColumns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard headerColumns == Self.columns else {
            throw UniverseError(problems: ["\(source):1: header must be \(Self.columns.joined(separator: ",")), got \(header)"])
        }
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty && !line.hasPrefix("#") {
            let at = "\(source):\(offset + 1)"
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
            guard cells.count == Self.columns.count else {
                problems.append("\(at): expected \(Self.columns.count) columns, found \(cells.count)")
                continue
            }
            var rowProblems: [String] = []
            func decimal(_ column: Int, positive: Bool = true) -> FixedDecimal? {
                do {
                    let value = try FixedDecimal(parsing: cells[column])
                    if positive && !value.isPositive { rowProblems.append("\(at): \(Self.columns[column]) must be positive, got \(cells[column])"); return nil }
                    return value
                } catch {
                    rowProblems.append("\(at): \(Self.columns[column]) \(error)")
                    return nil
                }
            }
            let coin = cells[1]
            if coin.isEmpty || !coin.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
                rowProblems.append("\(at): coin must be upper-case letters and digits, got \"\(coin)\"")
            } else if let first = seenCoins[coin] {
                rowProblems.append("\(at): duplicate coin \(coin) (first on line \(first))")
            }
            let rank = Int(cells[0])
            if let rank, rank > 0 {
                if !seenRanks.insert(rank).inserted { rowProblems.append("\(at): duplicate rank \(rank)") }
            } else {
                rowProblems.append("\(at): rank must be a positive integer, got \"\(cells[0])\"")
            }
            let sector = Sector(rawValue: cells[2])
            if sector == nil {
                rowProblems.append("\(at): unknown sector \"\(cells[2])\" (allowed: \(Sector.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let tier = Int(cells[3])
            if tier == nil || !(1...4).contains(tier!) { rowProblems.append("\(at): tier must be 1 to 4, got \"\(cells[3])\"") }
            let tick = decimal(4), lot = decimal(5), minNotional = decimal(6), multiplier = decimal(7)
            var symbols: [VenueID: String] = [:]
            for (column, venue) in [(8, VenueID.binance), (9, .okx), (10, .bybit)] where !cells[column].isEmpty {
                symbols[venue] = cells[column]
            }
            if symbols.isEmpty { rowProblems.append("\(at): \(coin) is listed on no venue") }
            var contractValue: FixedDecimal?
            if !cells[11].isEmpty {
                contractValue = decimal(11)
                if symbols[.okx] == nil { rowProblems.append("\(at): okx_contract_value given but okx_symbol is empty") }
            } else if symbols[.okx] != nil {
                rowProblems.append("\(at): okx_symbol given without okx_contract_value")
            }
            if rowProblems.isEmpty, let rank, let sector, let tier, let tick, let lot, let minNotional, let multiplier {
                seenCoins[coin] = offset + 1
                instruments.append(Instrument(coin: coin, rank: rank, sector: sector, tier: tier, tickSize: tick, lotSize: lot,
                                              minNotional: minNotional, multiplier: multiplier, venueSymbols: symbols,
                                              okxContractValue: contractValue))
            }
            problems += rowProblems
        }
        if instruments.isEmpty && problems.isEmpty { problems.append("\(source): no coins") }
        guard problems.isEmpty else { throw UniverseError(problems: problems) }
        self.init(instruments: instruments.sorted { $0.rank < $1.rank })
    }
}

extension StringProtocol {
    var trimmed: String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
