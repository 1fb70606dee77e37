import Foundation
import HuracanBus
import HuracanCore
import HuracanTestSupport
import Testing

private func bytes(_ json: String) -> [UInt8] { Array(json.utf8) }

private func decodeError(_ json: String) -> BusDecodeError? {
    decodeError(bytes(json))
}

private func decodeError(_ input: [UInt8]) -> BusDecodeError? {
    do {
        _ = try BusCodec.decode(input)
        return nil
    } catch { return error }
}

private let validOrder = #"{"v":1,"type":"order","client_order_id":"o1","coin":"BTC","venue":"binance","side":"buy","order_type":"limit","time_in_force":"gtc","quantity":"0.5","price":"65000.1","reduce_only":false,"reason":"entry","time_ns":1}"#

@Suite("Bus codec")
struct BusCodecTests {
    static let all: [BusMessage] = [
        order(1), execution(2), market(3), signal(4), featuresMessage(5), riskDecision(6),
        .order(OrderMessage(OrderRequest(clientOrderID: "m", coin: "BTC", venue: .okx, side: .sell, type: .market, timeInForce: .gtc,
                                         quantity: d("1e-8"), reduceOnly: true),
                            tradeID: .max, time: Timestamp(nanoseconds: -1))),
        .market(MarketMessage(MarketEvent.trade(3, .okx, t0, price: 1.25, size: 1e-9, aggressor: .sell), coin: "XRP")),
        .market(MarketMessage(coin: "X", venue: .binance, kind: .fundingSettlement, time: t0, price: .infinity, size: -.infinity)),
    ]

    @Test(arguments: all)
    func roundTripsEveryType(_ message: BusMessage) throws {
        let encoded = BusCodec.encode(message)
        #expect(try BusCodec.decode(encoded) == message)
        #expect(BusCodec.encode(try BusCodec.decode(encoded)) == encoded, "encoding is deterministic")
        #expect(String(decoding: encoded, as: UTF8.self).hasPrefix("{"))
    }

    @Test func conveniencesRoundTripDomainValues() throws {
        let fill = Fill(clientOrderID: "c", tradeID: "9", coin: "BTC", venue: .bybit, side: .buy, price: d("65000.1"),
                        quantity: d("0.001"), fee: d("0.026"), liquidity: .taker, time: t0)
        guard case .execution(let m) = try BusCodec.decode(BusCodec.encode(.execution(ExecutionMessage(fill)))) else {
            Issue.record("not an execution"); return
        }
        #expect(m.fill == fill)
        let request = OrderRequest(clientOrderID: "c", coin: "BTC", venue: .binance, side: .sell, type: .limit,
                                   timeInForce: .ioc, quantity: d("2"), price: d("1.5"), reduceOnly: true)
        #expect(OrderMessage(request, time: t0).request == request)
        let event = MarketEvent.book(7, .okx, t0, BookTop(bidPrice: 1, bidSize: 2, askPrice: 3, askSize: 4))
        #expect(MarketMessage(event, coin: "ADA").event(coinIndex: 7) == event)
    }

    @Test func documentedOrderExampleDecodes() throws {
        let message = try BusCodec.decode(bytes(validOrder))
        guard case .order(let o) = message else { Issue.record("not an order"); return }
        #expect(o.request.quantity == d("0.5") && o.request.price == d("65000.1") && o.tradeID == nil && o.style == nil)
        // Decimals go out exactly as canonical strings.
        let text = String(decoding: BusCodec.encode(message), as: UTF8.self)
        #expect(text.contains(#""price":"65000.1""#) && text.contains(#""quantity":"0.5""#))
        #expect(text.contains(#""v":1"#) && text.contains(#""type":"order""#))
    }

    @Test func rejectsGarbageAndWrongShapes() {
        #expect(decodeError("")?.isMalformed == true)
        #expect(decodeError("{")?.description.hasPrefix("bus message: not valid JSON") == true)
        #expect(decodeError("not json")?.isMalformed == true)
        #expect(decodeError([0xFF, 0xFE, 0x00, 0x01])?.isMalformed == true)
        #expect(decodeError("[1,2]") == .notAnObject)
        #expect(decodeError("42") == .notAnObject || decodeError("42")?.isMalformed == true)
        #expect(decodeError(#"{"type":"order"}"#) == .missingField(type: "envelope", field: "v"))
        #expect(decodeError(#"{"v":"1","type":"order"}"#) == .wrongType(type: "envelope", field: "v", expected: "an integer"))
        #expect(decodeError(#"{"v":2,"type":"order"}"#) == .unsupportedVersion(2))
        #expect(decodeError(#"{"v":1}"#) == .missingField(type: "envelope", field: "type"))
        #expect(decodeError(#"{"v":1,"type":"quote"}"#) == .unknownType("quote"))
        #expect(decodeError(#"{"v":1,"type":7}"#) == .wrongType(type: "envelope", field: "type", expected: "a string"))
    }

    @Test func rejectsTruncatedMessagesAtEveryLength() {
        let full = BusCodec.encode(order(1))
        for length in 0..<full.count {
            let error = decodeError(Array(full.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes decoded")
        }
    }

    @Test func rejectsMissingAndInvalidFieldsByName() throws {
        func without(_ key: String) -> String {
            validOrder.replacingOccurrences(of: #""\#(key)":"#, with: #""x_\#(key)":"#)
        }
        #expect(decodeError(without("coin")) == .missingField(type: "order", field: "coin"))
        #expect(decodeError(without("time_ns")) == .missingField(type: "order", field: "time_ns"))
        #expect(decodeError(validOrder.replacingOccurrences(of: #""0.5""#, with: "0.5"))
            == .wrongType(type: "order", field: "quantity", expected: "a decimal string such as \"65000.1\""))
        #expect(decodeError(validOrder.replacingOccurrences(of: #""0.5""#, with: #""0.5.1""#))
            == .invalidValue(type: "order", field: "quantity", value: "0.5.1", reason: "more than one decimal point"))
        #expect(decodeError(validOrder.replacingOccurrences(of: #""65000.1""#, with: #""abc""#))?.description
            == #"bus message order: field "price" has invalid value "abc": unexpected character "a""#)
        #expect(decodeError(validOrder.replacingOccurrences(of: #""binance""#, with: #""kraken""#))
            == .invalidValue(type: "order", field: "venue", value: "kraken", reason: #"expected one of "binance", "okx", "bybit""#))
        #expect(decodeError(validOrder.replacingOccurrences(of: "false", with: "0"))
            == .wrongType(type: "order", field: "reduce_only", expected: "true or false"))
        #expect(decodeError(validOrder.replacingOccurrences(of: #""time_ns":1"#, with: #""time_ns":1.5"#))?.field == "time_ns")
        #expect(decodeError(validOrder.replacingOccurrences(of: #""time_ns":1"#, with: #""time_ns":1e30"#))?.field == "time_ns")
        // Null is missing; a null optional is absent.
        #expect(decodeError(validOrder.replacingOccurrences(of: #""BTC""#, with: "null")) == .missingField(type: "order", field: "coin"))
        guard case .order(let o) = try BusCodec.decode(bytes(validOrder.replacingOccurrences(of: #""65000.1""#, with: "null"))) else {
            Issue.record("not an order"); return
        }
        #expect(o.request.price == nil)
        // Nested feature values are named in full.
        let features = String(decoding: BusCodec.encode(featuresMessage(1)), as: UTF8.self)
        #expect(decodeError(features.replacingOccurrences(of: #""spread_bps":"#, with: #""spread":"#))
            == .missingField(type: "features", field: "values.spread_bps"))
        #expect(decodeError(features.replacingOccurrences(of: #""schema":1"#, with: #""schema":2"#))?.field == "schema")
    }

    @Test func wrongTypeOfEveryFieldOfEveryMessageIsRejected() throws {
        // Replace each top-level value in turn with an object: every field must be refused by name.
        for message in Self.all {
            let encoded = BusCodec.encode(message)
            let object = try #require(try JSONShape.topLevelKeys(encoded))
            #expect(object.count >= 6, "\(message.typeName): \(object)")
            for key in object where key != "v" && key != "type" {
                let text = String(decoding: encoded, as: UTF8.self)
                let broken = JSONShape.replaceValue(of: key, in: text, with: "[true]")
                let error = decodeError(broken)
                #expect(error?.field == key, "\(message.typeName).\(key): \(String(describing: error))")
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix(seed: 42)
        let seed = BusCodec.encode(execution(1))
        for round in 0..<3_000 {
            var input: [UInt8]
            if round % 2 == 0 {
                input = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                // Mutate a valid message: flips, deletions and duplications.
                input = seed
                for _ in 0..<(1 + rng.next() % 4) {
                    let i = Int(rng.next() % UInt64(input.count))
                    switch rng.next() % 3 {
                    case 0: input[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: input.remove(at: i)
                    default: input.insert(input[i], at: i)
                    }
                    if input.isEmpty { input = [0x7B] }
                }
            }
            _ = try? BusCodec.decode(input)
        }
        #expect(decodeError(String(repeating: "[", count: 100_000)) != nil)
        #expect(decodeError(String(repeating: "{\"a\":", count: 100_000)) != nil)
    }
}

extension BusDecodeError {
    var isMalformed: Bool { if case .malformedJSON = self { true } else { false } }
    /// The field an error names, if any.
    var field: String? {
        switch self {
        case .missingField(_, let f), .wrongType(_, let f, _), .invalidValue(_, let f, _, _): f
        default: nil
        }
    }
}

/// Small helpers over encoded messages (sorted keys, no nested objects except `values`).
enum JSONShape {
    static func topLevelKeys(_ bytes: [UInt8]) throws -> [String]? {
        let text = String(decoding: bytes, as: UTF8.self)
        var keys: [String] = []
        var depth = 0, i = text.startIndex, inString = false, start = i, expectKey = false
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if c == "\\" { i = text.index(after: i) } else if c == "\"" {
                    inString = false
                    if expectKey && depth == 1 { keys.append(String(text[text.index(after: start)..<i])) }
                }
            } else if c == "\"" { inString = true; start = i } else if c == "{" { depth += 1; expectKey = true } else if c == "}" {
                depth -= 1
            } else if c == ":" { expectKey = false } else if c == "," { expectKey = true }
            i = text.index(after: i)
        }
        return keys
    }

    /// Replaces the value of top-level `key` (a scalar, a string or the `values` object).
    static func replaceValue(of key: String, in text: String, with replacement: String) -> String {
        guard let keyRange = text.range(of: "\"\(key)\":") else { return text }
        var i = keyRange.upperBound
        var depth = 0, inString = false
        let start = i
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if c == "\\" { i = text.index(after: i) } else if c == "\"" { inString = false }
            } else if c == "\"" { inString = true } else if c == "{" { depth += 1 } else if c == "}" {
                if depth == 0 { break }
                depth -= 1
            } else if c == "," && depth == 0 { break }
            i = text.index(after: i)
        }
        return text.replacingCharacters(in: start..<i, with: replacement)
    }
}


