import Foundation
import HuracanCore
import HuracanExchanges
import NIOHTTP1

/// The REST calls the engine makes on one venue, typed and normalised (the same shapes for
/// Binance USD-M, OKX v5 SWAP and Bybit v5 linear). Symbols are native; quantities are base units
/// (OKX contracts are converted with the contract values in `directory`).
public struct VenueAPI: Sendable {
    public let client: VenueRESTClient
    public var directory: SymbolDirectory

    public init(client: VenueRESTClient, directory: SymbolDirectory) {
        self.client = client
        self.directory = directory
    }

    public var venue: VenueID { client.venue }

    private func binance(_ op: String) -> (VenueRESTClient.Reply) throws -> JSONValue {
        { reply in try BinanceProtocol.check(reply.body, httpStatus: reply.status, operation: op) }
    }
    private func okx(_ op: String) -> (VenueRESTClient.Reply) throws -> [JSONFields] {
        { reply in try OKXProtocol.data(reply.body, operation: op, httpStatus: reply.status) }
    }
    private func bybit(_ op: String) -> (VenueRESTClient.Reply) throws -> JSONFields {
        { reply in try BybitProtocol.result(reply.body, operation: op, httpStatus: reply.status) }
    }

    // MARK: Public

    public func instruments() async throws -> [VenueInstrument] {
        let cost = VenueRateLimits.cost(.instruments, venue: venue)
        switch venue {
        case .binance:
            let info = try await client.call(.GET, "/fapi/v1/exchangeInfo", signed: false, cost: cost, idempotent: true, decode: binance("exchangeInfo"))
            client.adoptRateLimits(try BinanceParsers.rateLimits(info))
            return try BinanceParsers.exchangeInfo(info)
        case .okx:
            return try OKXParsers.instruments(try await client.call(.GET, "/api/v5/public/instruments", parameters: [("instType", "SWAP")], signed: false,
                                                                    cost: cost, idempotent: true, decode: okx("instruments")))
        case .bybit:
            var all: [VenueInstrument] = []
            var cursor = ""
            repeat {
                var parameters = [("category", "linear"), ("limit", "1000")]
                if !cursor.isEmpty { parameters.append(("cursor", cursor)) }
                let page = try BybitParsers.instruments(try await client.call(.GET, "/v5/market/instruments-info", parameters: parameters, signed: false,
                                                                              cost: cost, idempotent: true, decode: bybit("instruments-info")))
                all += page.instruments
                cursor = page.nextCursor
            } while !cursor.isEmpty
            return all
        }
    }

    /// A REST depth snapshot (Binance `lastUpdateId`, OKX `seqId`, Bybit `u`).
    public func depthSnapshot(symbol: String, limit: Int) async throws -> DepthUpdate {
        let cost = VenueRateLimits.cost(.depthSnapshot(limit: limit), venue: venue)
        switch venue {
        case .binance:
            return try BinanceParsers.depthSnapshot(try await client.call(.GET, "/fapi/v1/depth", parameters: [("symbol", symbol), ("limit", String(limit))],
                                                                          signed: false, cost: cost, idempotent: true, decode: binance("depth")), symbol: symbol)
        case .okx:
            return try OKXParsers.orderBook(try await client.call(.GET, "/api/v5/market/books", parameters: [("instId", symbol), ("sz", String(min(limit, 400)))],
                                                                  signed: false, cost: cost, idempotent: true, decode: okx("books")), symbol: symbol)
        case .bybit:
            return try BybitParsers.orderBook(try await client.call(.GET, "/v5/market/orderbook", parameters: [("category", "linear"), ("symbol", symbol), ("limit", String(min(limit, 500)))],
                                                                    signed: false, cost: cost, idempotent: true, decode: bybit("orderbook")))
        }
    }

    /// Every linear perpetual's last 24 hours and best bid/ask now, for ranking the active set.
    public func dayStatistics() async throws -> [VenueDayStatistics] {
        switch venue {
        case .binance:
            func all(_ path: String, _ call: VenueRateLimits.Call) async throws -> JSONValue {
                try await client.call(.GET, path, signed: false, cost: VenueRateLimits.cost(call, venue: .binance), idempotent: true, decode: binance(path))
            }
            return try BinanceParsers.dayStatistics(tickers: try await all("/fapi/v1/ticker/24hr", .dayStatistics), books: try await all("/fapi/v1/ticker/bookTicker", .bookTickers),
                                                    premium: try await all("/fapi/v1/premiumIndex", .premiumIndex))
        case .okx:
            return try OKXParsers.dayStatistics(try await client.call(.GET, "/api/v5/market/tickers", parameters: [("instType", "SWAP")], signed: false,
                                                                      cost: VenueRateLimits.cost(.dayStatistics, venue: .okx), idempotent: true, decode: okx("market/tickers")))
        case .bybit:
            return try BybitParsers.dayStatistics(try await client.call(.GET, "/v5/market/tickers", parameters: [("category", "linear")], signed: false,
                                                                        cost: VenueRateLimits.cost(.dayStatistics, venue: .bybit), idempotent: true, decode: bybit("market/tickers")))
        }
    }

    // MARK: Account

    /// Maker/taker fees of `symbol` (OKX: of its instrument family).
    public func fees(symbol: String) async throws -> FeeSchedule {
        let cost = VenueRateLimits.cost(.account, venue: venue)
        switch venue {
        case .binance:
            return try BinanceParsers.commissionRate(try await client.call(.GET, "/fapi/v1/commissionRate", parameters: [("symbol", symbol)], signed: true,
                                                                           cost: cost, idempotent: true, decode: binance("commissionRate"))).schedule
        case .okx:
            let family = symbol.hasSuffix("-SWAP") ? String(symbol.dropLast(5)) : symbol
            let rates = try OKXParsers.tradeFees(try await client.call(.GET, "/api/v5/account/trade-fee", parameters: [("instType", "SWAP"), ("instFamily", family)],
                                                                       signed: true, cost: cost, idempotent: true, decode: okx("trade-fee")))
            guard let first = rates.first else { throw VenueParseError(venue: .okx, message: "trade-fee", field: "data", reason: "empty") }
            return first.schedule
        case .bybit:
            let rates = try BybitParsers.feeRates(try await client.call(.GET, "/v5/account/fee-rate", parameters: [("category", "linear"), ("symbol", symbol)],
                                                                        signed: true, cost: cost, idempotent: true, decode: bybit("fee-rate")))
            guard let first = rates.first else { throw VenueParseError(venue: .bybit, message: "fee-rate", field: "list", reason: "empty") }
            return first.schedule
        }
    }

    /// Places an order with our client order id. Never retried: a timeout throws
    /// `VenueTransportError.timeout` and the caller resolves it by `queryOrder`.
    public func placeOrder(_ request: OrderRequest, symbol: String) async throws -> OrderAck {
        let cost = VenueRateLimits.cost(.placeOrder(symbol: symbol), venue: venue)
        // Exits (reduce-only) go first under rate-limit pressure; an entry that would wait too long is dropped.
        let priority: RequestPriority = request.reduceOnly ? .urgent : .normal
        let dropAfter = request.reduceOnly ? nil : client.configuration.maxEntryWait
        switch venue {
        case .binance:
            let encoded = try OrderEncoding.binanceNew(request, symbol: symbol)
            let value = try await client.call(.POST, encoded.path, parameters: encoded.parameters, signed: true, cost: cost, idempotent: false,
                                              priority: priority, dropAfter: dropAfter, decode: binance("POST /fapi/v1/order"))
            let fields = try JSONFields(value, venue: .binance, message: "order")
            return OrderAck(clientOrderID: try fields.string("clientOrderId"), venueOrderID: try fields.string("orderId"), status: .acknowledged)
        case .okx:
            guard let value = directory.contractValue(symbol) else { throw OrderEncodingError(venue: .okx, clientOrderID: request.clientOrderID, reason: "contract value of \(symbol) unknown") }
            let encoded = try OrderEncoding.okxNew(request, symbol: symbol, contractValue: value)
            let items = try await client.call(.POST, encoded.path, body: encoded.body, signed: true, cost: cost, idempotent: false,
                                              priority: priority, dropAfter: dropAfter, decode: okx("POST /api/v5/trade/order"))
            guard let first = items.first else { throw VenueParseError(venue: .okx, message: "order", field: "data", reason: "empty") }
            return try OKXProtocol.orderResult(first, operation: "POST /api/v5/trade/order")
        case .bybit:
            let encoded = try OrderEncoding.bybitNew(request, symbol: symbol)
            let result = try await client.call(.POST, encoded.path, body: encoded.body, signed: true, cost: cost, idempotent: false,
                                               priority: priority, dropAfter: dropAfter, decode: bybit("POST /v5/order/create"))
            return OrderAck(clientOrderID: try result.string("orderLinkId"), venueOrderID: try result.string("orderId"), status: .acknowledged)
        }
    }

    /// Cancels by client order id (idempotent: retried with backoff).
    public func cancelOrder(clientOrderID: String, symbol: String) async throws {
        let cost = VenueRateLimits.cost(.cancelOrder(symbol: symbol), venue: venue)
        switch venue {
        case .binance:
            let e = OrderEncoding.binanceCancel(clientOrderID: clientOrderID, symbol: symbol)
            _ = try await client.call(.DELETE, e.path, parameters: e.parameters, signed: true, cost: cost, idempotent: true, priority: .urgent, decode: binance("DELETE /fapi/v1/order"))
        case .okx:
            let e = OrderEncoding.okxCancel(clientOrderID: clientOrderID, symbol: symbol)
            let items = try await client.call(.POST, e.path, body: e.body, signed: true, cost: cost, idempotent: true, priority: .urgent, decode: okx("cancel-order"))
            if let first = items.first { _ = try OKXProtocol.orderResult(first, operation: "cancel-order") }
        case .bybit:
            let e = OrderEncoding.bybitCancel(clientOrderID: clientOrderID, symbol: symbol)
            _ = try await client.call(.POST, e.path, body: e.body, signed: true, cost: cost, idempotent: true, priority: .urgent, decode: bybit("cancel"))
        }
    }

    /// Changes the price and quantity (base units) of a resting limit order: Binance
    /// `PUT /fapi/v1/order`, OKX `POST /api/v5/trade/amend-order` (quantity in contracts), Bybit
    /// `POST /v5/order/amend`. Not retried: like a new order, an amend whose reply is lost is
    /// resolved with `queryOrder`.
    ///
    /// Why one `OrderAmendment` and not loose `FixedDecimal` arguments: with Swift 6.3.1 on x86_64,
    /// debug builds miscompile a call to an async function when an `Int128` argument has to go on
    /// the stack and the stack arguments do not fill a multiple of 16 bytes: caller and callee
    /// disagree by 8 bytes on the size of that area, so the stack is off when the task next returns
    /// to the executor, which then resumes a job at a garbage or null address.
    /// The former `amendOrder(clientOrderID:symbol:side:quantity:price:)` (nine argument words plus
    /// the four of `self`) hit exactly that; a struct this size is passed by address instead.
    public func amendOrder(_ amendment: OrderAmendment, symbol: String) async throws {
        let cost = VenueRateLimits.cost(.amendOrder(symbol: symbol), venue: venue)
        let e = amendRequest(amendment, symbol: symbol)
        switch venue {
        case .binance:
            _ = try await client.call(.PUT, e.path, parameters: e.parameters, signed: true, cost: cost, idempotent: false, decode: binance("PUT /fapi/v1/order"))
        case .okx:
            let items = try await client.call(.POST, e.path, body: e.body, signed: true, cost: cost, idempotent: false, decode: okx("amend-order"))
            if let first = items.first { _ = try OKXProtocol.orderResult(first, operation: "amend-order") }
        case .bybit:
            _ = try await client.call(.POST, e.path, body: e.body, signed: true, cost: cost, idempotent: false, decode: bybit("amend"))
        }
    }

    /// The venue's amend request (OKX quantities converted to contracts with `directory`).
    public func amendRequest(_ amendment: OrderAmendment, symbol: String) -> EncodedOrder {
        switch venue {
        case .binance:
            return OrderEncoding.binanceAmend(clientOrderID: amendment.clientOrderID, symbol: symbol, side: amendment.side,
                                              quantity: amendment.quantity, price: amendment.price)
        case .okx:
            let value = directory.contractValue(symbol) ?? 1
            return OrderEncoding.okxAmend(clientOrderID: amendment.clientOrderID, symbol: symbol, contracts: amendment.quantity / value, price: amendment.price)
        case .bybit:
            return OrderEncoding.bybitAmend(clientOrderID: amendment.clientOrderID, symbol: symbol, quantity: amendment.quantity, price: amendment.price)
        }
    }

    /// The order with our client order id, or nil when the venue has none.
    public func queryOrder(clientOrderID: String, symbol: String) async throws -> VenueOrderUpdate? {
        let cost = VenueRateLimits.cost(.queryOrder(symbol: symbol), venue: venue)
        do {
            switch venue {
            case .binance:
                let e = OrderEncoding.binanceQuery(clientOrderID: clientOrderID, symbol: symbol)
                return try BinanceParsers.order(try await client.call(.GET, e.path, parameters: e.parameters, signed: true, cost: cost, idempotent: true, priority: .urgent, decode: binance("GET /fapi/v1/order")))
            case .okx:
                let e = OrderEncoding.okxQuery(clientOrderID: clientOrderID, symbol: symbol)
                return try OKXParsers.orders(try await client.call(.GET, e.path, parameters: e.parameters, signed: true, cost: cost, idempotent: true, priority: .urgent, decode: okx("GET /api/v5/trade/order")),
                                             directory: directory).first
            case .bybit:
                let e = OrderEncoding.bybitQuery(clientOrderID: clientOrderID, symbol: symbol)
                let result = try await client.call(.GET, e.path, parameters: e.parameters, signed: true, cost: cost, idempotent: true, priority: .urgent, decode: bybit("GET /v5/order/realtime"))
                return try BybitParsers.orders(try result.objects("list"), directory: directory).first
            }
        } catch let error as VenueAPIError where error.action == .orderNotFoundOrFinal {
            return nil
        }
    }

    public func openOrders() async throws -> [VenueOrderUpdate] {
        let cost = VenueRateLimits.cost(.account, venue: venue)
        switch venue {
        case .binance:
            return try BinanceParsers.orders(try await client.call(.GET, "/fapi/v1/openOrders", signed: true, cost: cost, idempotent: true, decode: binance("openOrders")))
        case .okx:
            return try OKXParsers.orders(try await client.call(.GET, "/api/v5/trade/orders-pending", parameters: [("instType", "SWAP")], signed: true, cost: cost,
                                                               idempotent: true, decode: okx("orders-pending")), directory: directory)
        case .bybit:
            let result = try await client.call(.GET, "/v5/order/realtime", parameters: [("category", "linear"), ("settleCoin", "USDT"), ("openOnly", "0")], signed: true,
                                               cost: cost, idempotent: true, decode: bybit("order/realtime"))
            return try BybitParsers.orders(try result.objects("list"), directory: directory)
        }
    }

    /// Non-zero positions, signed base units.
    public func positions() async throws -> [VenuePosition] {
        let cost = VenueRateLimits.cost(.account, venue: venue)
        let all: [VenuePosition]
        switch venue {
        case .binance:
            all = try BinanceParsers.positionRisk(try await client.call(.GET, "/fapi/v3/positionRisk", signed: true, cost: cost, idempotent: true, decode: binance("positionRisk")))
        case .okx:
            all = try OKXParsers.positions(try await client.call(.GET, "/api/v5/account/positions", parameters: [("instType", "SWAP")], signed: true, cost: cost,
                                                                 idempotent: true, decode: okx("positions")), directory: directory)
        case .bybit:
            let result = try await client.call(.GET, "/v5/position/list", parameters: [("category", "linear"), ("settleCoin", "USDT")], signed: true,
                                               cost: cost, idempotent: true, decode: bybit("position/list"))
            all = try BybitParsers.positions(try result.objects("list"))
        }
        return all.filter { !$0.quantity.isZero }
    }

    public func balances() async throws -> [VenueBalance] {
        let cost = VenueRateLimits.cost(.account, venue: venue)
        switch venue {
        case .binance:
            return try BinanceParsers.balances(try await client.call(.GET, "/fapi/v3/balance", signed: true, cost: cost, idempotent: true, decode: binance("balance")))
        case .okx:
            return try OKXParsers.balances(try await client.call(.GET, "/api/v5/account/balance", signed: true, cost: cost, idempotent: true, decode: okx("balance")))
        case .bybit:
            let result = try await client.call(.GET, "/v5/account/wallet-balance", parameters: [("accountType", "UNIFIED")], signed: true, cost: cost,
                                               idempotent: true, decode: bybit("wallet-balance"))
            return try BybitParsers.balances(try result.objects("list"), time: WallClock.now())
        }
    }

    /// This account's fills since `since` (Binance per symbol: pass the symbols to look at).
    public func recentFills(since: Timestamp, symbols: [String]) async throws -> [VenueExecution] {
        let cost = VenueRateLimits.cost(.account, venue: venue)
        switch venue {
        case .binance:
            var out: [VenueExecution] = []
            for symbol in symbols {
                out += try BinanceParsers.userTrades(try await client.call(.GET, "/fapi/v1/userTrades", parameters: [("symbol", symbol), ("startTime", String(since.milliseconds))],
                                                                           signed: true, cost: cost, idempotent: true, decode: binance("userTrades")), directory: directory)
            }
            return out
        case .okx:
            return try OKXParsers.fills(try await client.call(.GET, "/api/v5/trade/fills", parameters: [("instType", "SWAP"), ("begin", String(since.milliseconds))],
                                                              signed: true, cost: cost, idempotent: true, decode: okx("fills")), directory: directory)
        case .bybit:
            let result = try await client.call(.GET, "/v5/execution/list", parameters: [("category", "linear"), ("startTime", String(since.milliseconds))],
                                               signed: true, cost: cost, idempotent: true, decode: bybit("execution/list"))
            return try BybitParsers.executions(try result.objects("list"), directory: directory)
        }
    }

    /// What the key may do, for `venues check` (read-only calls only).
    public func keyPermissions() async throws -> String {
        let cost = VenueRateLimits.cost(.account, venue: venue)
        switch venue {
        case .binance:
            let account = try BinanceParsers.account(try await client.call(.GET, "/fapi/v3/account", signed: true, cost: cost, idempotent: true, decode: binance("account")))
            return account.canTrade ? "read, trade" : "read only (canTrade false)"
        case .okx:
            let items = try await client.call(.GET, "/api/v5/account/config", signed: true, cost: cost, idempotent: true, decode: okx("account/config"))
            let perm = try items.first?.optionalString("perm") ?? ""
            let mode = try items.first?.optionalString("posMode") ?? ""
            return "\(perm.replacingOccurrences(of: "_", with: " ")); position mode \(mode)"
        case .bybit:
            let result = try await client.call(.GET, "/v5/user/query-api", signed: true, cost: cost, idempotent: true, decode: bybit("query-api"))
            let readOnly = try result.optionalInt64("readOnly") ?? 1
            return readOnly == 0 ? "read, trade" : "read only"
        }
    }

    // MARK: Binance listen key

    public func createListenKey() async throws -> String {
        let cost = VenueRateLimits.cost(.serverTime, venue: .binance)
        return try BinanceParsers.listenKey(try await client.call(.POST, "/fapi/v1/listenKey", signed: false, cost: cost, idempotent: true, decode: binance("listenKey")))
    }

    public func keepAliveListenKey() async throws {
        let cost = VenueRateLimits.cost(.serverTime, venue: .binance)
        _ = try await client.call(.PUT, "/fapi/v1/listenKey", signed: false, cost: cost, idempotent: true, decode: binance("listenKey"))
    }
}
