import Foundation
import HuracanCore
import HuracanExchanges
import HuracanTestSupport
import Testing

/// Every payload in /work/shared/fixtures parses into our types; each file needs a parser here.
@Suite struct FixtureTests {
    static let root = TestPaths.shared.appendingPathComponent("fixtures")

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
    }

    static let okxDirectory: SymbolDirectory = {
        var directory = SymbolDirectory(venue: .okx)
        directory.add(symbol: "BTC-USDT-SWAP", coin: "BTC", contractValue: FixedDecimal(units: 1, exponent: 2))
        directory.add(symbol: "ETH-USDT-SWAP", coin: "ETH", contractValue: FixedDecimal(units: 1, exponent: 1))
        return directory
    }()
    static let binanceDirectory = SymbolDirectory(venue: .binance, entries: ["BTCUSDT": .init(coin: "BTC", contractValue: 1)])
    static let bybitDirectory = SymbolDirectory(venue: .bybit, entries: ["BTCUSDT": .init(coin: "BTC", contractValue: 1)])

    /// Parses one fixture with the parser for its file; returns a short summary.
    static func parse(_ path: String) throws -> String {
        let data = try bytes(path)
        let name = (path as NSString).lastPathComponent
        switch path.split(separator: "/").first! {
        case "binance":
            if path.contains("market_data_json") { return "\(try BinanceParsers.marketEvent(data))" }
            if path.contains("user_data_json") { return "\(try BinanceParsers.userEvent(data, directory: binanceDirectory))" }
            let value = try JSONValue.parse(data)
            switch name {
            case "account_info_v2.json": return "\(try BinanceParsers.account(value))"
            case "balance.json": return "\(try BinanceParsers.balances(value))"
            case "open_algo_orders.json": return "\(try BinanceParsers.algoOrders(value))"
            case "order_response.json": return "\(try BinanceParsers.order(value))"
            case "position_risk.json": return "\(try BinanceParsers.positionRisk(value))"
            default: throw FixtureMissing(path: path)
            }
        case "bybit":
            if name.hasPrefix("ws_") {
                if ["ws_account_execution.json", "ws_account_order.json", "ws_account_order_filled.json", "ws_account_position.json",
                    "ws_auth_failure.json", "ws_auth_success.json"].contains(name) {
                    return "\(try BybitParsers.privateMessage(data, directory: bybitDirectory))"
                }
                return "\(try BybitParsers.publicMessage(data))"
            }
            let result = try BybitProtocol.result(data, operation: name)
            switch name {
            case "http_get_fee_rate.json": return "\(try BybitParsers.feeRates(result))"
            case "http_get_funding_history.json": return "\(try BybitParsers.fundingHistory(result))"
            case "http_get_instruments_linear.json": return "\(try BybitParsers.instruments(result))"
            case "http_get_orderbook.json": return "\(try BybitParsers.orderBook(result))"
            case "http_get_orders_realtime.json": return "\(try BybitParsers.orders(try result.objects("list"), directory: bybitDirectory))"
            case "http_get_positions.json": return "\(try BybitParsers.positions(try result.objects("list")))"
            case "http_get_wallet_balance.json": return "\(try BybitParsers.balances(try result.objects("list"), time: .epoch))"
            default: throw FixtureMissing(path: path)
            }
        case "okx":
            if name.hasPrefix("ws_") { return "\(try OKXParsers.message(data, directory: okxDirectory))" }
            if name == "http_place_order_response.json" {
                return "\(try OKXProtocol.orderResult(try JSONFields.parse(data, venue: .okx, message: name), operation: name))"
            }
            let items = try OKXProtocol.data(data, operation: name)
            switch name {
            case "http_get_account_balance.json": return "\(try OKXParsers.balances(items))"
            case "http_get_funding_rate_history.json": return "\(try OKXParsers.fundingHistory(items))"
            case "http_get_instruments_swap.json": return "\(try OKXParsers.instruments(items))"
            case "http_get_order_book.json": return "\(try OKXParsers.orderBook(items, symbol: "BTC-USDT"))"
            case "http_get_orders_pending.json", "http_get_orders_pending_with_attached_tp_sl.json":
                return "\(try OKXParsers.orders(items, directory: okxDirectory))"
            case "http_get_positions.json": return "\(try OKXParsers.positions(items, directory: okxDirectory))"
            case "http_get_trade_fee_response.json": return "\(try OKXParsers.tradeFees(items))"
            default: throw FixtureMissing(path: path)
            }
        default: throw FixtureMissing(path: path)
        }
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "no parser for fixture \(path)" }
    }

    static var allFixtures: [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)!
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func everyFixtureParses() throws {
        let files = Self.allFixtures
        #expect(files.count >= 60)
        for file in files {
            do { _ = try Self.parse(file) } catch { Issue.record("\(file): \(error)") }
        }
    }

    @Test func binanceOrderTradeUpdateFill() throws {
        guard case .order(let update) = try BinanceParsers.userEvent(try Self.bytes("binance/user_data_json/order_update_trade.json"),
                                                                     directory: Self.binanceDirectory) else { Issue.record("not an order"); return }
        #expect(update.status == .partiallyFilled)  // the documented example says PARTIALLY_FILLED even with z == q
        #expect(update.clientOrderID == "TEST")
        let fill = try #require(update.fill)
        #expect(fill.price == (try FixedDecimal(parsing: "7100.50")))
        #expect(fill.quantity == (try FixedDecimal(parsing: "0.001")))
        #expect(fill.fee == (try FixedDecimal(parsing: "0.01")))
        #expect(fill.liquidity == .maker)
        #expect(fill.coin == "BTC")
        #expect(update.reports.count == 1)  // a fill moves the order; no separate ack
    }

    @Test func binancePartialFillStaysPartial() throws {
        guard case .order(let update) = try BinanceParsers.userEvent(try Self.bytes("binance/user_data_json/order_update_trade_partial.json"),
                                                                     directory: Self.binanceDirectory) else { Issue.record("not an order"); return }
        #expect(update.status == .partiallyFilled)
        #expect(update.filledQuantity < update.quantity)
    }

    @Test func binanceForcedOrdersAreMarked() throws {
        for (file, origin) in [("order_update_adl.json", OrderUpdateOrigin.autoDeleverage), ("order_update_insurance.json", .liquidation),
                               ("order_update_calculated.json", .liquidation), ("order_update_settlement.json", .settlement)] {
            guard case .order(let update) = try BinanceParsers.userEvent(try Self.bytes("binance/user_data_json/\(file)"), directory: Self.binanceDirectory)
            else { Issue.record("\(file) not an order"); continue }
            #expect(update.origin == origin, "\(file)")
            #expect(update.status == .filled, "\(file)")
            #expect(update.fill != nil, "\(file)")
        }
    }

    @Test func binanceMarketStreams() throws {
        guard case .bookTicker(let ticker) = try BinanceParsers.marketEvent(try Self.bytes("binance/market_data_json/book_ticker_stream.json")) else {
            Issue.record("not a book ticker"); return
        }
        #expect(ticker.bidPrice == (try FixedDecimal(parsing: "25.3519")))
        #expect(ticker.askSize == (try FixedDecimal(parsing: "40.66")))
        guard case .depth(let depth) = try BinanceParsers.marketEvent(try Self.bytes("binance/market_data_json/depth_update_stream.json")) else {
            Issue.record("not depth"); return
        }
        #expect((depth.firstID, depth.finalID, depth.previousID) == (157, 160, 149))
        guard case .trade(let trade) = try BinanceParsers.marketEvent(try Self.bytes("binance/market_data_json/agg_trade_stream.json")) else {
            Issue.record("not a trade"); return
        }
        #expect(trade.aggressor == .sell)  // m = true: buyer is maker
        guard case .markPrice(let mark) = try BinanceParsers.marketEvent(try Self.bytes("binance/market_data_json/mark_price_stream.json")) else {
            Issue.record("not mark price"); return
        }
        #expect(mark.fundingRate == (try FixedDecimal(parsing: "0.00038167")))
        #expect(mark.nextFundingTime == Timestamp(milliseconds: 1_562_306_400_000))
        // Combined-stream wrapper.
        let wrapped = "{\"stream\":\"bnbusdt@bookTicker\",\"data\":" + String(decoding: try Self.bytes("binance/market_data_json/book_ticker_stream.json"), as: UTF8.self) + "}"
        guard case .bookTicker = try BinanceParsers.marketEvent(Array(wrapped.utf8)) else { Issue.record("combined stream"); return }
    }

    @Test func okxOrderInContractsBecomesBase() throws {
        guard case .orders(let orders) = try OKXParsers.message(try Self.bytes("okx/ws_orders.json"), directory: Self.okxDirectory) else {
            Issue.record("not orders"); return
        }
        let order = try #require(orders.first)
        #expect(order.status == .filled)
        #expect(order.quantity == (try FixedDecimal(parsing: "0.0003")))  // 0.03 contracts x 0.01 BTC
        let fill = try #require(order.fill)
        #expect(fill.liquidity == .maker)
        #expect(fill.fee == (try FixedDecimal(parsing: "0.021776769")))  // OKX negative = charged; ours positive = paid
        #expect(fill.quantity == (try FixedDecimal(parsing: "0.0003")))
    }

    @Test func okxFeesAreFlippedToPaidPositive() throws {
        let fees = try OKXParsers.tradeFees(try OKXProtocol.data(try Self.bytes("okx/http_get_trade_fee_response.json"), operation: "fee"))
        #expect(fees.first?.schedule.taker == (try FixedDecimal(parsing: "0.001")))
    }

    @Test func okxInstrumentsKeepContractValue() throws {
        let instruments = try OKXParsers.instruments(try OKXProtocol.data(try Self.bytes("okx/http_get_instruments_swap.json"), operation: "instruments"))
        let eth = try #require(instruments.first { $0.symbol == "ETH-USDT-SWAP" })
        #expect(eth.isLinearPerpetual)
        #expect(eth.contractValue == (try FixedDecimal(parsing: "0.1")))
        #expect(instruments.first { $0.symbol == "BTC-USD-SWAP" }?.isLinearPerpetual == false)
    }

    @Test func bybitPrivateStreams() throws {
        guard case .executions(let executions) = try BybitParsers.privateMessage(try Self.bytes("bybit/ws_account_execution.json"), directory: Self.bybitDirectory)
        else { Issue.record("not executions"); return }
        let fill = try #require(executions.first?.fill)
        #expect(fill.liquidity == .taker)
        #expect(fill.fee == (try FixedDecimal(parsing: "26.3725275")))
        #expect(fill.clientOrderID == "test-order-link-001")
        guard case .auth(let ok, let code, _) = try BybitParsers.privateMessage(try Self.bytes("bybit/ws_auth_failure.json"), directory: Self.bybitDirectory)
        else { Issue.record("not auth"); return }
        #expect(!ok && code == "10003")
        guard case .positions(let positions) = try BybitParsers.privateMessage(try Self.bytes("bybit/ws_account_position.json"), directory: Self.bybitDirectory)
        else { Issue.record("not positions"); return }
        #expect(positions.first?.quantity == (try FixedDecimal(parsing: "-0.01")))
    }

    @Test func bybitTickerDeltaKeepsMissingFieldsNil() throws {
        let delta = #"{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","markPrice":"17218.1"},"cs":1,"ts":1673272861686}"#
        guard case .ticker(let book, let mark) = try BybitParsers.publicMessage(Array(delta.utf8)) else { Issue.record("not a ticker"); return }
        #expect(book == nil)
        #expect(mark.fundingRate == nil)
        #expect(mark.markPrice == (try FixedDecimal(parsing: "17218.1")))
    }

    // MARK: unknown fields, malformed payloads, unknown codes

    @Test func unknownFieldsAreIgnored() throws {
        let text = #"{"e":"bookTicker","u":1,"E":2,"T":3,"s":"BTCUSDT","b":"1.5","B":"2","a":"1.6","A":"3","brandNew":{"x":[1,2,{"y":null}]},"zz":"?"}"#
        guard case .bookTicker(let ticker) = try BinanceParsers.marketEvent(Array(text.utf8)) else { Issue.record("not a ticker"); return }
        #expect(ticker.symbol == "BTCUSDT")
        let depth = #"{"topic":"orderbook.50.BTCUSDT","novel":[1,{"a":"b"}],"type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[["1.5","2","extra"]],"a":[],"u":5,"seq":9,"new":true},"cts":1}"#
        let update = try BybitDepthParser.parse(Array(depth.utf8))
        #expect(update.finalID == 5 && update.bids.count == 1)
    }

    @Test func malformedPayloadsNameVenueMessageAndField() {
        func failure(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        let badStatus = #"{"e":"ORDER_TRADE_UPDATE","E":1,"T":1,"o":{"s":"BTCUSDT","c":"x","S":"BUY","o":"LIMIT","f":"GTC","q":"1","p":"1","ap":"0","x":"NEW","X":"SLEEPING","i":1,"l":"0","z":"0","L":"0","T":1,"t":0,"m":false,"R":false}}"#
        #expect(failure { _ = try BinanceParsers.userEvent(Array(badStatus.utf8), directory: Self.binanceDirectory) }
            == #"binance ORDER_TRADE_UPDATE: field o.X: unknown order status "SLEEPING""#)
        let badPrice = #"{"e":"bookTicker","u":1,"E":2,"T":3,"s":"BTCUSDT","b":"1.5x","B":"2","a":"1.6","A":"3"}"#
        #expect(failure { _ = try BinanceParsers.marketEvent(Array(badPrice.utf8)) }.hasPrefix("binance bookTicker: field b: invalid decimal"))
        let missing = #"{"e":"bookTicker","u":1,"E":2,"s":"BTCUSDT","B":"2","a":"1.6","A":"3"}"#
        #expect(failure { _ = try BinanceParsers.marketEvent(Array(missing.utf8)) } == "binance bookTicker: field b: missing")
        let notJSON = #"{"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["1.5",]]}}"#
        #expect(failure { _ = try BybitDepthParser.parse(Array(notJSON.utf8)) }.hasPrefix("bybit orderbook: field data.b: invalid JSON"))
        let noU = #"{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT","b":[],"a":[]}}"#
        #expect(failure { _ = try BybitDepthParser.parse(Array(noU.utf8)) } == "bybit orderbook: field data.u: missing")
        let okxBadState = #"{"arg":{"channel":"orders","instType":"SWAP"},"data":[{"instId":"BTC-USDT-SWAP","ordType":"limit","state":"zombie","side":"buy","clOrdId":"a","ordId":"1","sz":"1","px":"1","uTime":"1"}]}"#
        #expect(failure { _ = try OKXParsers.message(Array(okxBadState.utf8), directory: Self.okxDirectory) }
            == #"okx orders: field data[0].state: unknown order state "zombie""#)
        let truncated = #"{"retCode":0,"retMsg":"OK","result":{"list":[{"symbol":"BTCUSDT""#
        #expect(failure { _ = try BybitProtocol.result(Array(truncated.utf8), operation: "fee-rate") }.hasPrefix("bybit fee-rate: invalid JSON"))
    }

    @Test func errorCodesAreClassifiedAndUnknownCodesAreClear() throws {
        let reply = #"{"code":-2019,"msg":"Margin is insufficient."}"#
        do { _ = try BinanceProtocol.check(Array(reply.utf8), httpStatus: 400, operation: "POST /fapi/v1/order"); Issue.record("no error") }
        catch let error as VenueAPIError { #expect(error.action == .rejected && error.code == "-2019") }
        let unknown = #"{"code":-9999,"msg":"Something new."}"#
        do { _ = try BinanceProtocol.check(Array(unknown.utf8), httpStatus: 400, operation: "POST /fapi/v1/order"); Issue.record("no error") }
        catch let error as UnknownVenueCode { #expect(error.description.contains("unknown error code -9999")) }
        let limited = #"{"code":-1003,"msg":"Too many requests."}"#
        do { _ = try BinanceProtocol.check(Array(limited.utf8), httpStatus: 429, operation: "GET /fapi/v1/depth"); Issue.record("no error") }
        catch let error as VenueAPIError { #expect(error.action == .rateLimited) }
        let okxReject = #"{"code":"1","msg":"All operations failed","data":[{"clOrdId":"a1","ordId":"","sCode":"51008","sMsg":"Insufficient balance"}]}"#
        do { _ = try OKXProtocol.data(Array(okxReject.utf8), operation: "order"); Issue.record("no error") }
        catch let error as VenueAPIError { #expect(error.code == "51008" && error.action == .rejected) }
        let bybitDuplicate = #"{"retCode":110072,"retMsg":"OrderLinkedID is duplicate","result":{},"time":1}"#
        do { _ = try BybitProtocol.result(Array(bybitDuplicate.utf8), operation: "order/create"); Issue.record("no error") }
        catch let error as VenueAPIError { #expect(error.action == .duplicateClientOrderID) }
    }

    @Test func statusTablesCoverEveryDocumentedStatus() {
        let plain = StatusContext(timeInForce: .gtc, type: .limit)
        let ioc = StatusContext(timeInForce: .ioc, type: .limit)
        for s in ["NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH", "NEW_INSURANCE", "NEW_ADL"] {
            #expect(BinanceProtocol.status(s, plain) != nil, "binance \(s)")
        }
        for s in ["live", "partially_filled", "filled", "canceled", "mmp_canceled"] { #expect(OKXProtocol.status(s, plain) != nil, "okx \(s)") }
        for s in ["Created", "New", "PartiallyFilled", "Filled", "Cancelled", "PartiallyFilledCanceled", "Rejected", "Untriggered", "Triggered", "Deactivated"] {
            #expect(BybitProtocol.status(s, plain) != nil, "bybit \(s)")
        }
        #expect(BybitProtocol.status("PartiallyFilledCanceled", ioc) == .expired)
        #expect(BybitProtocol.status("Cancelled", plain) == .cancelled)
        #expect(OKXProtocol.status("canceled", StatusContext(timeInForce: .postOnly, type: .limit, postOnlyWouldTake: true)) == .expired)
        #expect(BinanceProtocol.status("SLEEPING", plain) == nil)
    }
}

@Suite struct InstrumentMappingTests {
    @Test func universeSymbolsAreCheckedAgainstVenueInstruments() throws {
        let result = try BybitProtocol.result(try FixtureTests.bytes("bybit/http_get_instruments_linear.json"), operation: "instruments")
        let instruments = try BybitParsers.instruments(result).instruments
        func coin(_ name: String, _ symbol: String, tick: String, lot: String) throws -> Instrument {
            Instrument(coin: name, rank: 1, sector: .l1, tier: 1, tickSize: try FixedDecimal(parsing: tick), lotSize: try FixedDecimal(parsing: lot),
                       minNotional: 5, venueSymbols: [.bybit: symbol])
        }
        let universe = Universe(instruments: [
            try coin("BTC", "BTCUSDT", tick: "0.5", lot: "0.001"),
            try coin("ETH", "ETHUSDT", tick: "0.01", lot: "0.01"),  // finer than the venue's 0.05 tick
            try coin("NOPE", "NOPEUSDT", tick: "1", lot: "1"),
        ])
        let problems = InstrumentMapping.check(universe: universe, venue: .bybit, instruments: instruments)
        #expect(problems.map(\.coin).sorted() == ["ETH", "NOPE"])
        #expect(problems.first { $0.coin == "NOPE" }?.reason == "not listed by the venue")
        #expect(problems.first { $0.coin == "ETH" }?.reason.contains("tick") == true)
    }
}
