import HuracanCore

/// In-process benchmarks of the venue adapters (run with `huracan venues bench`, release build).
public enum ExchangeBenchmarks {
    public struct DepthResult: Sendable {
        public var messages: Int
        public var levels: Int
        public var seconds: Double
        public var messagesPerSecond: Double { Double(messages) / seconds }
        public var levelsPerSecond: Double { Double(levels) / seconds }
        public init(messages: Int, levels: Int, seconds: Double) {
            self.messages = messages
            self.levels = levels
            self.seconds = seconds
        }
    }

    /// Parses and applies Bybit orderbook messages (`lines`: snapshot first, then deltas) in a loop
    /// for about `duration`; counts the deltas applied (the snapshot of each pass is not counted).
    public static func bybitDepth(lines: [[UInt8]], duration: Duration = .seconds(3)) throws -> DepthResult {
        let clock = ContinuousClock()
        var feed = BybitDepthFeed()
        let deltas = lines.count - 1
        let deltaLevels = try lines.dropFirst().reduce(0) { sum, line in
            let update = try BybitDepthParser.parse(line)
            return sum + update.bids.count + update.asks.count
        }
        var passes = 0
        let start = clock.now
        var elapsed = Duration.zero
        var deltaTime = Duration.zero
        while elapsed < duration {
            _ = try lines[0].withUnsafeBufferPointer { try feed.receive($0) }
            let t0 = clock.now
            for line in lines.dropFirst() {
                let result = try line.withUnsafeBufferPointer { try feed.receive($0) }
                precondition(result == .applied, "delta not applied: \(result)")
            }
            deltaTime += clock.now - t0
            passes += 1
            elapsed = clock.now - start
        }
        let seconds = Double(deltaTime.components.seconds) + Double(deltaTime.components.attoseconds) / 1e18
        return DepthResult(messages: passes * deltas, levels: passes * deltaLevels, seconds: seconds)
    }

    /// The parse half of `bybitDepth` alone (same messages, same parser, nothing applied), to
    /// show how the time splits between reading the JSON and updating the book.
    public static func bybitDepthParseOnly(lines: [[UInt8]], duration: Duration = .seconds(1)) throws -> DepthResult {
        let clock = ContinuousClock()
        var update = CompactDepthUpdate()
        let deltas = lines.dropFirst()
        var passes = 0, levels = 0
        let start = clock.now
        while clock.now - start < duration {
            for line in deltas {
                try line.withUnsafeBufferPointer { try BybitDepthParser.parse($0, into: &update) }
                levels &+= update.levelCount
            }
            passes += 1
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return DepthResult(messages: passes * deltas.count, levels: levels, seconds: seconds)
    }

    public struct LatencyResult: Sendable {
        /// Nanoseconds per round trip, sorted.
        public var samples: [Int64]
        public func percentile(_ p: Double) -> Int64 { samples[min(samples.count - 1, Int(Double(samples.count) * p / 100))] }
    }

    /// One order's in-process round trip, everything except the network: validate the request,
    /// encode and sign it, parse the venue's acknowledgement, parse the fill from the user
    /// stream, and apply both to the order state machine.
    public static func orderRoundTrip(venue: VenueID, iterations: Int = 20_000) throws -> LatencyResult {
        let credentials = VenueCredentials(apiKey: "benchkey0000000000000000", secret: "benchsecret000000000000000000000", passphrase: "pass", origin: "benchmark")
        let instrument = Instrument(coin: "BTC", rank: 1, sector: .l1, tier: 1, tickSize: FixedDecimal(units: 1, exponent: 1),
                                    lotSize: FixedDecimal(units: 1, exponent: 3), minNotional: 5,
                                    venueSymbols: [.binance: "BTCUSDT", .okx: "BTC-USDT-SWAP", .bybit: "BTCUSDT"],
                                    okxContractValue: FixedDecimal(units: 1, exponent: 2))
        var directory = SymbolDirectory(venue: venue)
        directory.add(symbol: instrument.venueSymbols[venue]!, coin: "BTC", contractValue: venue == .okx ? FixedDecimal(units: 1, exponent: 2) : 1)
        let clock = ContinuousClock()
        var samples: [Int64] = []
        samples.reserveCapacity(iterations)
        for i in 0..<iterations {
            let id = "hc\(i)x"
            let request = OrderRequest(clientOrderID: id, coin: "BTC", venue: venue, side: .buy, type: .limit, timeInForce: .gtc,
                                       quantity: FixedDecimal(units: 10, exponent: 3), price: 90000)
            // Replies the venue would send, prepared outside the timed section.
            let ack: String, fill: String
            switch venue {
            case .binance:
                ack = #"{"orderId":\#(1000 + i),"symbol":"BTCUSDT","status":"NEW","clientOrderId":"\#(id)","price":"90000","avgPrice":"0.00","origQty":"0.010","executedQty":"0","cumQuote":"0","timeInForce":"GTC","type":"LIMIT","reduceOnly":false,"side":"BUY","positionSide":"BOTH","updateTime":1735689600000}"#
                fill = #"{"e":"ORDER_TRADE_UPDATE","T":1735689600001,"E":1735689600001,"o":{"s":"BTCUSDT","c":"\#(id)","S":"BUY","o":"LIMIT","f":"GTC","q":"0.010","p":"90000","ap":"90000","sp":"0","x":"TRADE","X":"FILLED","i":\#(1000 + i),"l":"0.010","z":"0.010","L":"90000","N":"USDT","n":"0.18","T":1735689600001,"t":\#(5000 + i),"b":"0","a":"0","m":true,"R":false,"wt":"CONTRACT_PRICE","ot":"LIMIT","ps":"BOTH","cp":false,"rp":"0"}}"#
            case .okx:
                ack = #"{"code":"0","msg":"","data":[{"clOrdId":"\#(id)","ordId":"\#(1000 + i)","tag":"","sCode":"0","sMsg":""}]}"#
                fill = #"{"arg":{"channel":"orders","instType":"SWAP"},"data":[{"instId":"BTC-USDT-SWAP","ordId":"\#(1000 + i)","clOrdId":"\#(id)","ordType":"limit","side":"buy","sz":"1","px":"90000","state":"filled","accFillSz":"1","avgPx":"90000","fillPx":"90000","fillSz":"1","fillFee":"-0.18","fillFeeCcy":"USDT","execType":"M","tradeId":"\#(5000 + i)","fillTime":"1735689600001","uTime":"1735689600001","reduceOnly":"false"}]}"#
            case .bybit:
                ack = #"{"retCode":0,"retMsg":"OK","result":{"orderId":"\#(1000 + i)","orderLinkId":"\#(id)"},"retExtInfo":{},"time":1735689600000}"#
                fill = #"{"topic":"execution","id":"x","creationTime":1735689600001,"data":[{"category":"linear","symbol":"BTCUSDT","execFee":"0.18","execId":"\#(5000 + i)","execPrice":"90000","execQty":"0.010","execType":"Trade","orderId":"\#(1000 + i)","orderLinkId":"\#(id)","side":"Buy","execTime":"1735689600001","isMaker":true,"feeRate":"0.0002"}]}"#
            }
            let ackBytes = Array(ack.utf8), fillBytes = Array(fill.utf8)
            let now = Timestamp(milliseconds: 1_735_689_600_000)
            let t0 = clock.now
            try request.validate(for: instrument)
            var order = Order(request: request, createdAt: now)
            switch venue {
            case .binance:
                let encoded = try OrderEncoding.binanceNew(request, symbol: "BTCUSDT")
                let signed = BinanceSigner(credentials: credentials).signedQuery(encoded.parameters, timestamp: now.milliseconds)
                precondition(!signed.isEmpty)
                let reply = try BinanceParsers.order(try BinanceProtocol.check(ackBytes, httpStatus: 200, operation: "POST /fapi/v1/order"))
                try order.acknowledge(venueOrderID: reply.venueOrderID, at: reply.time)
                guard case .order(let update) = try BinanceParsers.userEvent(fillBytes, directory: directory), let f = update.fill else { fatalError("no fill") }
                try order.apply(f)
            case .okx:
                let encoded = try OrderEncoding.okxNew(request, symbol: "BTC-USDT-SWAP", contractValue: FixedDecimal(units: 1, exponent: 2))
                let headers = OKXSigner(credentials: credentials).headers(method: encoded.method, requestPath: encoded.path, body: encoded.body, time: now)
                precondition(headers.count == 5)
                let items = try OKXProtocol.data(ackBytes, operation: "POST /api/v5/trade/order")
                let reply = try OKXProtocol.orderResult(items[0], operation: "POST /api/v5/trade/order")
                try order.acknowledge(venueOrderID: reply.venueOrderID, at: now)
                guard case .orders(let updates) = try OKXParsers.message(fillBytes, directory: directory), let f = updates.first?.fill else { fatalError("no fill") }
                try order.apply(f)
            case .bybit:
                let encoded = try OrderEncoding.bybitNew(request, symbol: "BTCUSDT")
                let headers = BybitSigner(credentials: credentials).headers(timestamp: now.milliseconds, payload: encoded.body)
                precondition(headers.count == 5)
                let result = try BybitProtocol.result(ackBytes, operation: "POST /v5/order/create")
                try order.acknowledge(venueOrderID: try result.string("orderId"), at: now)
                guard case .executions(let executions) = try BybitParsers.privateMessage(fillBytes, directory: directory), let f = executions.first?.fill
                else { fatalError("no fill") }
                try order.apply(f)
            }
            precondition(order.status == .filled)
            let elapsed = clock.now - t0
            samples.append(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        return LatencyResult(samples: samples.sorted())
    }
}
