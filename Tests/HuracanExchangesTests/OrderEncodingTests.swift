import HuracanCore
import HuracanExchanges
import Testing

/// Orders leave in each venue's wire form with our client order id.
@Suite struct OrderEncodingTests {
    static func request(_ type: OrderType, _ tif: TimeInForce, reduceOnly: Bool = false, id: String = "hc1") -> OrderRequest {
        OrderRequest(clientOrderID: id, coin: "BTC", venue: .binance, side: .buy, type: type, timeInForce: tif,
                     quantity: FixedDecimal(units: 1, exponent: 2), price: type == .limit ? 90000 : nil, reduceOnly: reduceOnly)
    }

    @Test func binanceParameters() throws {
        let postOnly = try OrderEncoding.binanceNew(Self.request(.limit, .postOnly, reduceOnly: true), symbol: "BTCUSDT")
        let query = HMACSigning.queryString(postOnly.parameters)
        #expect(query == "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&price=90000&quantity=0.01&reduceOnly=true&newClientOrderId=hc1&newOrderRespType=ACK")
        let market = try OrderEncoding.binanceNew(Self.request(.market, .ioc), symbol: "BTCUSDT")
        #expect(!HMACSigning.queryString(market.parameters).contains("price"))
        #expect(OrderEncoding.binanceCancel(clientOrderID: "hc1", symbol: "BTCUSDT").parameters.map(\.0) == ["symbol", "origClientOrderId"])
    }

    @Test func okxSizesInContractsAndPortableIDs() throws {
        let ioc = try OrderEncoding.okxNew(Self.request(.limit, .ioc), symbol: "BTC-USDT-SWAP", contractValue: FixedDecimal(units: 1, exponent: 2))
        #expect(ioc.body == #"{"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"ioc","sz":"1","px":"90000","clOrdId":"hc1"}"#)
        let postOnly = try OrderEncoding.okxNew(Self.request(.limit, .postOnly, reduceOnly: true), symbol: "BTC-USDT-SWAP", contractValue: FixedDecimal(units: 1, exponent: 2))
        #expect(postOnly.body.contains(#""ordType":"post_only""#) && postOnly.body.contains(#""reduceOnly":true"#))
        #expect(throws: OrderEncodingError.self) { try OrderEncoding.okxNew(Self.request(.market, .ioc, id: "hc-1"), symbol: "BTC-USDT-SWAP", contractValue: 1) }
        // 0.01 BTC is not a whole number of 0.1-BTC contracts... it is 0.1 contracts: refused.
        #expect(throws: OrderEncodingError.self) {
            try OrderEncoding.okxNew(Self.request(.market, .ioc), symbol: "BTC-USDT-SWAP", contractValue: FixedDecimal(units: 3, exponent: 0))
        }
    }

    @Test func bybitBodies() throws {
        let order = try OrderEncoding.bybitNew(Self.request(.limit, .postOnly), symbol: "BTCUSDT")
        #expect(order.body == #"{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","price":"90000","timeInForce":"PostOnly","qty":"0.01","positionIdx":0,"orderLinkId":"hc1"}"#)
        let cancel = OrderEncoding.bybitCancel(clientOrderID: "hc1", symbol: "BTCUSDT")
        #expect(cancel.body.contains("orderLinkId") && !cancel.body.contains("orderId\""))
        // What we send parses as JSON.
        _ = try JSONValue.parse(order.body)
    }

    @Test func roundTripBenchmarkRunsOnEveryVenue() throws {
        for venue in VenueID.allCases {
            let result = try ExchangeBenchmarks.orderRoundTrip(venue: venue, iterations: 50)
            #expect(result.samples.count == 50)
        }
    }
}
