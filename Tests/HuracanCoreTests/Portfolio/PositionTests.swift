import HuracanCore
import Testing

private func d(_ text: String) -> FixedDecimal {
    do { return try FixedDecimal(parsing: text) } catch { fatalError("bad fixture \(text): \(error)") }
}

private let t0 = Timestamp(seconds: 1_795_614_508)

private func fill(
    _ side: Side, _ quantity: String, at price: String, fee: String = "0",
    coin: String = "BTC", venue: VenueID = .binance
) -> Fill {
    Fill(clientOrderID: "o", tradeID: "t", coin: coin, venue: venue, side: side, price: d(price),
         quantity: d(quantity), fee: d(fee), liquidity: d(fee).isNegative ? .maker : .taker, time: t0)
}

@Suite("Position")
struct PositionTests {
    @Test("a new position is flat")
    func flat() {
        let position = Position(coin: "BTC", venue: .okx)
        #expect(position.coin == "BTC" && position.venue == .okx)
        #expect(position.isFlat && !position.isLong && !position.isShort)
        #expect(position.quantity == 0 && position.costBasis == 0)
        #expect(position.averageEntryPrice == nil)
        #expect(position.unrealizedPnL(mark: 123) == 0)
        #expect(position.notional(mark: 123) == 0)
        #expect(position.realizedPnL == 0 && position.feesPaid == 0 && position.fundingPaid == 0)
        #expect(position.netRealizedPnL == 0)
    }

    @Test("long: open, add, partial close, full close")
    func long() {
        var p = Position(coin: "BTC", venue: .binance)

        // Buy 2 @ 100, fee 0.1: qty 2, basis 200, entry 100.
        #expect(p.apply(fill(.buy, "2", at: "100", fee: "0.1")) == 0)
        #expect(p.isLong)
        #expect(p.quantity == 2)
        #expect(p.costBasis == 200)
        #expect(p.averageEntryPrice == 100)
        #expect(p.feesPaid == d("0.1"))
        // Unrealised at 103: 2 x 103 - 200 = 6; at 95: 190 - 200 = -10.
        #expect(p.unrealizedPnL(mark: 103) == 6)
        #expect(p.unrealizedPnL(mark: 95) == -10)
        #expect(p.notional(mark: 95) == 190)

        // Buy 1 @ 106, fee 0.05: qty 3, basis 306, entry 306 / 3 = 102; fees 0.15.
        #expect(p.apply(fill(.buy, "1", at: "106", fee: "0.05")) == 0)
        #expect(p.quantity == 3)
        #expect(p.costBasis == 306)
        #expect(p.averageEntryPrice == 102)
        #expect(p.feesPaid == d("0.15"))

        // Sell 1.5 @ 110, fee 0.08: releases 306 x 1.5 / 3 = 153 of basis;
        // realised = 1.5 x 110 - 153 = 165 - 153 = 12. Left: qty 1.5, basis 153, entry 102; fees 0.23.
        #expect(p.apply(fill(.sell, "1.5", at: "110", fee: "0.08")) == 12)
        #expect(p.quantity == d("1.5"))
        #expect(p.costBasis == 153)
        #expect(p.averageEntryPrice == 102)
        #expect(p.realizedPnL == 12)
        #expect(p.feesPaid == d("0.23"))
        // Unrealised at 104: 1.5 x 104 - 153 = 156 - 153 = 3.
        #expect(p.unrealizedPnL(mark: 104) == 3)
        // Net realised: 12 - 0.23 = 11.77.
        #expect(p.netRealizedPnL == d("11.77"))

        // Sell 1.5 @ 98 with a maker rebate of 0.01: realised = 147 - 153 = -6; total 12 - 6 = 6.
        // Fees 0.23 - 0.01 = 0.22. Net realised 6 - 0.22 = 5.78.
        #expect(p.apply(fill(.sell, "1.5", at: "98", fee: "-0.01")) == -6)
        #expect(p.isFlat)
        #expect(p.costBasis == 0)
        #expect(p.averageEntryPrice == nil)
        #expect(p.realizedPnL == 6)
        #expect(p.feesPaid == d("0.22"))
        #expect(p.netRealizedPnL == d("5.78"))
        #expect(p.unrealizedPnL(mark: 1_000) == 0)
    }

    @Test("short: open, add, partial close, full close")
    func short() {
        var p = Position(coin: "ETH", venue: .okx)

        // Sell 4 @ 50, fee 0.2: qty -4, basis -200, entry 50.
        #expect(p.apply(fill(.sell, "4", at: "50", fee: "0.2")) == 0)
        #expect(p.isShort)
        #expect(p.quantity == -4)
        #expect(p.costBasis == -200)
        #expect(p.averageEntryPrice == 50)

        // Sell 1 @ 45, fee 0.05: qty -5, basis -245, entry -245 / -5 = 49; fees 0.25.
        #expect(p.apply(fill(.sell, "1", at: "45", fee: "0.05")) == 0)
        #expect(p.quantity == -5)
        #expect(p.costBasis == -245)
        #expect(p.averageEntryPrice == 49)
        // Unrealised at 47: -5 x 47 + 245 = 10; at 52: -260 + 245 = -15. Notional at 52 is 260.
        #expect(p.unrealizedPnL(mark: 47) == 10)
        #expect(p.unrealizedPnL(mark: 52) == -15)
        #expect(p.notional(mark: 52) == 260)

        // Buy 2 @ 40, fee 0.04: releases -245 x 2 / 5 = -98; realised = -2 x 40 - (-98) = 18.
        // Left: qty -3, basis -147, entry 49; fees 0.29.
        #expect(p.apply(fill(.buy, "2", at: "40", fee: "0.04")) == 18)
        #expect(p.quantity == -3)
        #expect(p.costBasis == -147)
        #expect(p.averageEntryPrice == 49)
        #expect(p.realizedPnL == 18)
        #expect(p.feesPaid == d("0.29"))
        // Unrealised at 47: -141 + 147 = 6; at 52: -156 + 147 = -9.
        #expect(p.unrealizedPnL(mark: 47) == 6)
        #expect(p.unrealizedPnL(mark: 52) == -9)

        // Buy 3 @ 51, fee 0.06: realised = -153 + 147 = -6; total 12. Fees 0.35. Net 12 - 0.35 = 11.65.
        #expect(p.apply(fill(.buy, "3", at: "51", fee: "0.06")) == -6)
        #expect(p.isFlat)
        #expect(p.costBasis == 0)
        #expect(p.realizedPnL == 12)
        #expect(p.feesPaid == d("0.35"))
        #expect(p.netRealizedPnL == d("11.65"))
    }

    @Test("a sell larger than the long flips to short in one fill")
    func flipLongToShort() {
        var p = Position(coin: "BTC", venue: .binance)
        // Buy 2 @ 100: basis 200.
        p.apply(fill(.buy, "2", at: "100"))
        // Sell 5 @ 90, fee 0.45: the 2 long close for 2 x 90 - 200 = -20 realised;
        // the other 3 open a short at 90: qty -3, basis -270, entry 90.
        #expect(p.apply(fill(.sell, "5", at: "90", fee: "0.45")) == -20)
        #expect(p.quantity == -3)
        #expect(p.costBasis == -270)
        #expect(p.averageEntryPrice == 90)
        #expect(p.realizedPnL == -20)
        #expect(p.feesPaid == d("0.45"))
        // Unrealised of the new short at 85: -3 x 85 + 270 = 15.
        #expect(p.unrealizedPnL(mark: 85) == 15)
        // Net realised: -20 - 0.45 = -20.45.
        #expect(p.netRealizedPnL == d("-20.45"))
        // Closing the short at 80 realises -3 x 80 + 270 = 30 on top: total 10.
        #expect(p.apply(fill(.buy, "3", at: "80")) == 30)
        #expect(p.realizedPnL == 10)
        #expect(p.isFlat)
    }

    @Test("a buy larger than the short flips to long in one fill")
    func flipShortToLong() {
        var p = Position(coin: "SOL", venue: .bybit)
        // Sell 1.5 @ 200: qty -1.5, basis -300.
        p.apply(fill(.sell, "1.5", at: "200"))
        // Buy 4 @ 150: the 1.5 short close for -1.5 x 150 + 300 = 75;
        // 2.5 open long at 150: basis 375, entry 150.
        #expect(p.apply(fill(.buy, "4", at: "150")) == 75)
        #expect(p.quantity == d("2.5"))
        #expect(p.costBasis == 375)
        #expect(p.averageEntryPrice == 150)
        #expect(p.realizedPnL == 75)
        // Unrealised at 160: 2.5 x 160 - 375 = 25.
        #expect(p.unrealizedPnL(mark: 160) == 25)
    }

    @Test("an exact close followed by an opposite open starts a fresh basis")
    func closeThenReopen() {
        var p = Position(coin: "BTC", venue: .binance)
        p.apply(fill(.buy, "1", at: "100"))
        #expect(p.apply(fill(.sell, "1", at: "120")) == 20)
        #expect(p.isFlat && p.costBasis == 0)
        // Selling from flat opens a short, realising nothing.
        #expect(p.apply(fill(.sell, "2", at: "130")) == 0)
        #expect(p.quantity == -2 && p.costBasis == -260 && p.averageEntryPrice == 130)
        #expect(p.realizedPnL == 20)
    }

    @Test("non-terminating entry prices do not leak P&L on a full close")
    func repeatingBasis() {
        var p = Position(coin: "BTC", venue: .binance)
        // Buy 1 @ 10 and 2 @ 11: basis 32 over 3, entry 10.666666666666666667 (half-even at 18 digits).
        p.apply(fill(.buy, "1", at: "10"))
        p.apply(fill(.buy, "2", at: "11"))
        #expect(p.averageEntryPrice == d("10.666666666666666667"))
        // Sell 1 @ 12: releases 32 / 3 = 10.666666666666666667; realised 1.333333333333333333.
        #expect(p.apply(fill(.sell, "1", at: "12")) == d("1.333333333333333333"))
        #expect(p.costBasis == d("21.333333333333333333"))
        // Sell 2 @ 12: releases the rest exactly; realised 24 - 21.333333333333333333 = 2.666666666666666667.
        #expect(p.apply(fill(.sell, "2", at: "12")) == d("2.666666666666666667"))
        // Total is exactly 36 - 32 = 4: nothing lost to rounding.
        #expect(p.realizedPnL == 4)
        #expect(p.costBasis == 0)
    }

    @Test("fees accumulate, rebates reduce them, and fees do not touch price P&L")
    func fees() {
        var p = Position(coin: "BTC", venue: .binance)
        // Taker 3.25, maker rebate -0.65, taker 1.3: 3.25 - 0.65 + 1.3 = 3.9.
        p.apply(fill(.buy, "0.1", at: "65000", fee: "3.25"))
        p.apply(fill(.buy, "0.1", at: "65000", fee: "-0.65"))
        #expect(p.feesPaid == d("2.6"))
        #expect(p.realizedPnL == 0)
        #expect(p.netRealizedPnL == d("-2.6"))
        p.apply(fill(.sell, "0.2", at: "65000", fee: "1.3"))
        #expect(p.feesPaid == d("3.9"))
        #expect(p.realizedPnL == 0)
        #expect(p.netRealizedPnL == d("-3.9"))
        // A position that only ever received rebates has positive net P&L without moving price.
        var maker = Position(coin: "BTC", venue: .okx)
        maker.apply(fill(.buy, "1", at: "100", fee: "-0.02"))
        maker.apply(fill(.sell, "1", at: "100", fee: "-0.02"))
        #expect(maker.feesPaid == d("-0.04"))
        #expect(maker.netRealizedPnL == d("0.04"))
    }

    @Test("funding: longs pay a positive rate, shorts receive it")
    func funding() {
        var long = Position(coin: "BTC", venue: .binance)
        long.apply(fill(.buy, "2", at: "49000"))
        // 2 x 50000 x 0.0001 = 10 paid.
        #expect(long.applyFunding(rate: d("0.0001"), markPrice: 50_000) == 10)
        #expect(long.fundingPaid == 10)
        // Next interval at mark 51000, rate 0.00005: 2 x 51000 x 0.00005 = 5.1; total 15.1.
        #expect(long.applyFunding(rate: d("0.00005"), markPrice: 51_000) == d("5.1"))
        #expect(long.fundingPaid == d("15.1"))
        // Funding leaves price P&L and basis alone but reduces net realised.
        #expect(long.realizedPnL == 0 && long.costBasis == 98_000)
        #expect(long.netRealizedPnL == d("-15.1"))

        var short = Position(coin: "BTC", venue: .okx)
        short.apply(fill(.sell, "2", at: "49000"))
        // -2 x 50000 x 0.0001 = -10: received.
        #expect(short.applyFunding(rate: d("0.0001"), markPrice: 50_000) == -10)
        #expect(short.fundingPaid == -10)
        #expect(short.netRealizedPnL == 10)

        // A negative rate reverses the flow: long 2 x 50000 x -0.0003 = -30 received; short pays 30.
        var longNeg = Position(coin: "BTC", venue: .bybit)
        longNeg.apply(fill(.buy, "2", at: "50000"))
        #expect(longNeg.applyFunding(rate: d("-0.0003"), markPrice: 50_000) == -30)
        var shortNeg = Position(coin: "BTC", venue: .bybit)
        shortNeg.apply(fill(.sell, "2", at: "50000"))
        #expect(shortNeg.applyFunding(rate: d("-0.0003"), markPrice: 50_000) == 30)

        // Small coins, all exact: 12345.678 x 0.00001234 = 0.15234566652; x 0.000125 = 0.000019043208315.
        var pepe = Position(coin: "PEPE", venue: .binance)
        pepe.apply(fill(.buy, "12345.678", at: "0.00001234"))
        #expect(pepe.applyFunding(rate: d("0.000125"), markPrice: d("0.00001234")) == d("0.000019043208315"))

        // Flat positions pay nothing.
        var flat = Position(coin: "BTC", venue: .binance)
        #expect(flat.applyFunding(rate: d("0.01"), markPrice: 50_000) == 0)
        #expect(flat.fundingPaid == 0)
    }

    @Test("net realised P&L combines price P&L, fees and funding")
    func netRealized() {
        var p = Position(coin: "BTC", venue: .binance)
        // Buy 0.5 @ 60000 fee 15; funding 0.5 x 60500 x 0.0001 = 3.025; sell 0.5 @ 61000 fee 15.25.
        p.apply(fill(.buy, "0.5", at: "60000", fee: "15"))
        p.applyFunding(rate: d("0.0001"), markPrice: 60_500)
        // Realised 0.5 x 61000 - 30000 = 500.
        #expect(p.apply(fill(.sell, "0.5", at: "61000", fee: "15.25")) == 500)
        // Net: 500 - 30.25 - 3.025 = 466.725.
        #expect(p.fundingPaid == d("3.025"))
        #expect(p.feesPaid == d("30.25"))
        #expect(p.netRealizedPnL == d("466.725"))
    }
}

@Suite("Portfolio")
struct PortfolioTests {
    @Test("equity with marks over several positions and venues")
    func equity() throws {
        var portfolio = Portfolio(startingEquity: 10_000)
        #expect(portfolio.equity { _ in nil } == 10_000)
        #expect(portfolio.positions.isEmpty)

        // BTC on Binance: buy 0.5 @ 60000, fee 15 -> basis 30000.
        #expect(portfolio.apply(fill(.buy, "0.5", at: "60000", fee: "15", coin: "BTC", venue: .binance)) == 0)
        // ETH on OKX: sell 10 @ 3000, fee 6 -> qty -10, basis -30000.
        portfolio.apply(fill(.sell, "10", at: "3000", fee: "6", coin: "ETH", venue: .okx))
        // BTC on Bybit: buy 0.1 @ 60100, fee 3 -> basis 6010; a separate position from Binance.
        portfolio.apply(fill(.buy, "0.1", at: "60100", fee: "3", coin: "BTC", venue: .bybit))
        // BTC on Binance: sell 0.2 @ 61000, fee 6.1 -> releases 30000 x 0.2 / 0.5 = 12000;
        // realised 12200 - 12000 = 200; left qty 0.3, basis 18000.
        #expect(portfolio.apply(fill(.sell, "0.2", at: "61000", fee: "6.1", coin: "BTC", venue: .binance)) == 200)

        #expect(portfolio.positions.count == 3)
        let btcBinance = try #require(portfolio.position(coin: "BTC", venue: .binance))
        let btcBybit = try #require(portfolio.position(coin: "BTC", venue: .bybit))
        #expect(btcBinance.quantity == d("0.3") && btcBinance.costBasis == 18_000)
        #expect(btcBybit.quantity == d("0.1") && btcBybit.costBasis == 6_010)
        #expect(portfolio.position(coin: "BTC", venue: .okx) == nil)
        #expect(portfolio.position(coin: "ETH", venue: .okx)?.quantity == -10)

        // Funding: BTC Binance 0.3 x 61000 x 0.0001 = 1.83 paid; ETH OKX -10 x 2900 x 0.0001 = -2.9 received.
        #expect(portfolio.applyFunding(coin: "BTC", venue: .binance, rate: d("0.0001"), markPrice: 61_000) == d("1.83"))
        #expect(portfolio.applyFunding(coin: "ETH", venue: .okx, rate: d("0.0001"), markPrice: 2_900) == d("-2.9"))
        // No position, no funding, and no position is created.
        #expect(portfolio.applyFunding(coin: "SOL", venue: .okx, rate: d("0.0001"), markPrice: 150) == 0)
        #expect(portfolio.positions.count == 3)

        // Fees 15 + 6 + 3 + 6.1 = 30.1; funding 1.83 - 2.9 = -1.07; realised 200.
        // Net realised = 200 - 30.1 + 1.07 = 170.97.
        #expect(portfolio.netRealizedPnL == d("170.97"))

        // Marks BTC 62000, ETH 2900. Unrealised:
        //   BTC Binance 0.3 x 62000 - 18000 = 600
        //   BTC Bybit   0.1 x 62000 - 6010  = 190
        //   ETH OKX    -10 x 2900 + 30000   = 1000
        // Equity = 10000 + 170.97 + 1790 = 11960.97.
        let marks: [String: Price] = ["BTC": 62_000, "ETH": 2_900]
        #expect(portfolio.equity { marks[$0] } == d("11960.97"))
        // Without an ETH mark, ETH is valued at entry: 10000 + 170.97 + 790 = 10960.97.
        #expect(portfolio.equity { $0 == "BTC" ? 62_000 : nil } == d("10960.97"))
        // Without any marks: 10000 + 170.97.
        #expect(portfolio.equity { _ in nil } == d("10170.97"))

        // Close BTC on Bybit at 61500: realised 6150 - 6010 = 140, fee 3.075.
        // Net realised 170.97 + 140 - 3.075 = 307.895. The flat position adds no unrealised P&L:
        // equity at the same marks = 10000 + 307.895 + 600 + 1000 = 11907.895.
        #expect(portfolio.apply(fill(.sell, "0.1", at: "61500", fee: "3.075", coin: "BTC", venue: .bybit)) == 140)
        #expect(portfolio.position(coin: "BTC", venue: .bybit)?.isFlat == true)
        #expect(portfolio.netRealizedPnL == d("307.895"))
        #expect(portfolio.equity { marks[$0] } == d("11907.895"))
        // Funding on a flat position is skipped.
        #expect(portfolio.applyFunding(coin: "BTC", venue: .bybit, rate: d("0.0001"), markPrice: 62_000) == 0)
        #expect(portfolio.position(coin: "BTC", venue: .bybit)?.fundingPaid == 0)
    }
}
