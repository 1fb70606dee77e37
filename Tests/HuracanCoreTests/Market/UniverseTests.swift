import Foundation
import HuracanCore
import Testing

private func d(_ text: String) -> FixedDecimal {
    do { return try FixedDecimal(parsing: text) } catch { fatalError("bad fixture \(text): \(error)") }
}

/// The universe shipped with the engine, found from this file: Tests/HuracanCoreTests/Market/ -> package root.
private let shippedUniversePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent() // Market
    .deletingLastPathComponent() // HuracanCoreTests
    .deletingLastPathComponent() // Tests
    .deletingLastPathComponent() // package root
    .appendingPathComponent("Sources/HuracanConfig/Resources/universe.csv")
    .path

private let header = "rank,coin,sector,tier,tick_size,lot_size,min_notional,multiplier,binance_symbol,okx_symbol,bybit_symbol,okx_contract_value"
private let btcRow = "1,BTC,L1,1,0.1,0.001,50,1,BTCUSDT,BTC-USDT-SWAP,BTCUSDT,0.01"
private let ethRow = "2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"

/// Header, BTC on line 2, then `rows` from line 3.
private func csv(_ rows: String...) -> String { ([header, btcRow] + rows).joined(separator: "\n") + "\n" }

/// The problems reported for `text`, or an issue when it parses.
private func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    do {
        let universe = try Universe(csv: text, source: "test.csv")
        Issue.record("expected a UniverseError, parsed \(universe.count) coins", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.problems
    }
}

@Suite("Universe")
struct UniverseTests {
    // MARK: The shipped file

    @Test("the shipped universe has 400 unique coins, BTC first")
    func shippedUniverse() throws {
        let text = try String(contentsOfFile: shippedUniversePath, encoding: .utf8)
        let universe = try Universe(csv: text, source: "universe.csv")
        #expect(universe.count == 400)
        #expect(universe.instruments.count == 400)
        #expect(Set(universe.instruments.map(\.coin)).count == 400)
        #expect(universe.instruments.map(\.rank) == Array(1...400))
        #expect(universe.instruments.first?.coin == "BTC")
        #expect(universe[0].coin == "BTC")
        #expect(universe[1].coin == "ETH")
        #expect(universe.index(of: "BTC") == 0)
        #expect(universe.index(of: "ETH") == 1)
        #expect(universe.index(of: "NOT-A-COIN") == nil)
        #expect(universe.top(10).map(\.coin).first == "BTC")
        #expect(universe.top(10).count == 10)
        #expect(universe.top(1_000).count == 400)

        let btc = try #require(universe.instrument("BTC"))
        #expect(btc.rank == 1 && btc.sector == .l1 && btc.tier == 1)
        #expect(btc.tickSize == d("0.1") && btc.lotSize == d("0.001") && btc.minNotional == 50 && btc.multiplier == 1)
        #expect(btc.venueSymbols == [.binance: "BTCUSDT", .okx: "BTC-USDT-SWAP", .bybit: "BTCUSDT"])
        #expect(btc.okxContractValue == d("0.01"))
        #expect(btc.venues == [.binance, .okx, .bybit])

        let pepe = try #require(universe.instrument("PEPE"))
        #expect(pepe.multiplier == 1_000)
        #expect(pepe.tickSize == d("0.0000001"))
        #expect(pepe.venueSymbols[.binance] == "1000PEPEUSDT")

        for (i, instrument) in universe.instruments.enumerated() {
            #expect(universe.index(of: instrument.coin) == CoinIndex(i))
            #expect(!instrument.venues.isEmpty, "\(instrument.coin) has no venue")
            #expect(instrument.tickSize.isPositive && instrument.lotSize.isPositive && instrument.minNotional.isPositive)
            #expect((1...4).contains(instrument.tier))
            #expect((instrument.venueSymbols[.okx] != nil) == (instrument.okxContractValue != nil), "\(instrument.coin)")
        }
    }

    // MARK: Good input

    @Test("a small file parses, sorted by rank, with comments, blank lines, spaces and CRLF")
    func smallFile() throws {
        let text = [
            header,
            "# majors",
            "2, ETH ,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1",
            "",
            btcRow,
            "3,HYPE,DeFi,2,0.001,0.01,5,1,,,HYPEUSDT,",
            "",
        ].joined(separator: "\r\n")
        let universe = try Universe(csv: text, source: "test.csv")
        #expect(universe.instruments.map(\.coin) == ["BTC", "ETH", "HYPE"])
        let hype = try #require(universe.instrument("HYPE"))
        #expect(hype.venues == [.bybit])
        #expect(hype.okxContractValue == nil)
        #expect(hype.sector == .defi && hype.tier == 2)
        #expect(universe.instrument("ETH")?.venueSymbols[.okx] == "ETH-USDT-SWAP")
    }

    // MARK: Broken input: every problem names source:line

    @Test("duplicate coin")
    func duplicateCoin() {
        #expect(problems(csv("2,BTC,L1,1,0.1,0.001,50,1,BTCUSDT,BTC-USDT-SWAP,BTCUSDT,0.01"))
            == ["test.csv:3: duplicate coin BTC (first on line 2)"])
    }

    @Test("duplicate rank")
    func duplicateRank() {
        #expect(problems(csv("1,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: duplicate rank 1"])
    }

    @Test("unknown sector")
    func unknownSector() {
        #expect(problems(csv("2,ETH,Layer1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: unknown sector \"Layer1\" (allowed: L1, L2, DeFi, Meme, AI, Gaming, Infrastructure, Exchange, Privacy, Payments, RWA, Storage, Other)"])
        // Sector names are case-sensitive.
        #expect(problems(csv("2,ETH,defi,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1")).first?.hasPrefix("test.csv:3: unknown sector \"defi\"") == true)
    }

    @Test("bad tick sizes", arguments: [
        ("0", "test.csv:3: tick_size must be positive, got 0"),
        ("0.000", "test.csv:3: tick_size must be positive, got 0.000"),
        ("-0.01", "test.csv:3: tick_size must be positive, got -0.01"),
        ("abc", "test.csv:3: tick_size invalid decimal \"abc\": unexpected character \"a\""),
        ("0.01.5", "test.csv:3: tick_size invalid decimal \"0.01.5\": more than one decimal point"),
        ("", "test.csv:3: tick_size invalid decimal \"\": empty string"),
        ("1e-19", "test.csv:3: tick_size invalid decimal \"1e-19\": more than 18 fractional digits"),
    ])
    func badTickSize(tick: String, problem: String) {
        #expect(problems(csv("2,ETH,L1,1,\(tick),0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1")) == [problem])
    }

    @Test("bad lot size, minimum notional, multiplier and contract value")
    func badOtherDecimals() {
        #expect(problems(csv("2,ETH,L1,1,0.01,0,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: lot_size must be positive, got 0"])
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,-5,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: min_notional must be positive, got -5"])
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,20,x,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: multiplier invalid decimal \"x\": unexpected character \"x\""])
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0"))
            == ["test.csv:3: okx_contract_value must be positive, got 0"])
    }

    @Test("wrong column count", arguments: [
        ("2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT", 11),
        ("2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1,extra", 13),
        ("2;ETH;L1;1;0.01;0.001;20;1;ETHUSDT;ETH-USDT-SWAP;ETHUSDT;0.1", 1),
    ])
    func wrongColumnCount(row: String, found: Int) {
        #expect(problems(csv(row)) == ["test.csv:3: expected 12 columns, found \(found)"])
    }

    @Test("no venue")
    func noVenue() {
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,20,1,,,,")) == ["test.csv:3: ETH is listed on no venue"])
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,20,1, , , ,")) == ["test.csv:3: ETH is listed on no venue"])
    }

    @Test("OKX symbol and contract value go together")
    func okxPairing() {
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,"))
            == ["test.csv:3: okx_symbol given without okx_contract_value"])
        #expect(problems(csv("2,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,,ETHUSDT,0.1"))
            == ["test.csv:3: okx_contract_value given but okx_symbol is empty"])
    }

    @Test("bad rank, tier and coin name")
    func badFields() {
        #expect(problems(csv("0,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: rank must be a positive integer, got \"0\""])
        #expect(problems(csv("two,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: rank must be a positive integer, got \"two\""])
        #expect(problems(csv("2,ETH,L1,5,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: tier must be 1 to 4, got \"5\""])
        #expect(problems(csv("2,ETH,L1,0,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: tier must be 1 to 4, got \"0\""])
        #expect(problems(csv("2,eth,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: coin must be upper-case letters and digits, got \"eth\""])
        #expect(problems(csv("2,,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: coin must be upper-case letters and digits, got \"\""])
        #expect(problems(csv("2,ÉTH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1"))
            == ["test.csv:3: coin must be upper-case letters and digits, got \"ÉTH\""])
    }

    @Test("bad header")
    func badHeader() {
        let wrongOrder = "coin,rank,sector,tier,tick_size,lot_size,min_notional,multiplier,binance_symbol,okx_symbol,bybit_symbol,okx_contract_value"
        for bad in ["rank,coin,sector", wrongOrder, btcRow, header + ",extra"] {
            let found = problems(bad + "\n" + btcRow + "\n")
            #expect(found == ["test.csv:1: header must be \(header), got \(bad)"])
        }
    }

    @Test("empty file and a file with no coins")
    func empty() {
        #expect(problems("") == ["test.csv: the file is empty"])
        #expect(problems("\n\n") == ["test.csv: the file is empty"])
        #expect(problems(header + "\n") == ["test.csv: no coins"])
        #expect(problems(header + "\n# nothing yet\n\n") == ["test.csv: no coins"])
    }

    @Test("every bad row is reported with its own line, after comments and blank lines")
    func manyProblems() throws {
        let text = [
            header,                                                                     // 1
            btcRow,                                                                     // 2
            "# a comment still counts as a line",                                       // 3
            "",                                                                         // 4
            "1,ETH,L1,1,0.01,0.001,20,1,ETHUSDT,ETH-USDT-SWAP,ETHUSDT,0.1",             // 5: duplicate rank
            "3,SOL,Chain,1,0.01,0.01,5,1,SOLUSDT,SOL-USDT-SWAP,SOLUSDT,1",              // 6: unknown sector
            "4,XRP,Payments,1,0,0.1,5,1,XRPUSDT,XRP-USDT-SWAP,XRPUSDT,100",             // 7: zero tick
            "5,DOGE,Meme,1,0.00001,1,5,1",                                              // 8: 8 columns
            "6,BTC,L1,1,0.1,0.001,50,1,BTCUSDT,,,",                                     // 9: duplicate coin
            "7,ADA,L1,9,abc,1,5,1,,,,",                                                 // 10: three problems
        ].joined(separator: "\n")
        let error = #expect(throws: UniverseError.self) { try Universe(csv: text, source: "config/universe.csv") }
        let found = try #require(error?.problems)
        #expect(found == [
            "config/universe.csv:5: duplicate rank 1",
            "config/universe.csv:6: unknown sector \"Chain\" (allowed: L1, L2, DeFi, Meme, AI, Gaming, Infrastructure, Exchange, Privacy, Payments, RWA, Storage, Other)",
            "config/universe.csv:7: tick_size must be positive, got 0",
            "config/universe.csv:8: expected 12 columns, found 8",
            "config/universe.csv:9: duplicate coin BTC (first on line 2)",
            "config/universe.csv:10: tier must be 1 to 4, got \"9\"",
            "config/universe.csv:10: tick_size invalid decimal \"abc\": unexpected character \"a\"",
            "config/universe.csv:10: ADA is listed on no venue",
        ])
        let description = try #require(error?.description)
        #expect(description.hasPrefix("universe has 8 problems:\n  - config/universe.csv:5: duplicate rank 1\n"))
        #expect(UniverseError(problems: ["x.csv:2: bad"]).description == "universe has 1 problem:\n  - x.csv:2: bad")
    }

    @Test("a Universe built from instruments indexes them in order")
    func fromInstruments() {
        let instruments = ["AAA", "BBB", "CCC"].enumerated().map { i, coin in
            Instrument(coin: coin, rank: i + 1, sector: .other, tier: 4, tickSize: d("0.01"), lotSize: 1, minNotional: 5,
                       venueSymbols: [.bybit: coin + "USDT"])
        }
        let universe = Universe(instruments: instruments)
        #expect(universe.count == 3)
        #expect(universe[2].coin == "CCC")
        #expect(universe.index(of: "BBB") == 1)
        #expect(universe.instrument("CCC")?.rank == 3)
        #expect(universe.instrument("DDD") == nil)
        #expect(universe.top(2).map(\.coin) == ["AAA", "BBB"])
        #expect(universe.top(0).isEmpty)
        #expect(Universe(instruments: []).count == 0)
    }
}
