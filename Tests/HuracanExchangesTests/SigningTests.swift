import Foundation
import HuracanCore
import HuracanExchanges
import Testing

/// The published signing vectors of /work/shared/exchanges (dummy DOCKEY / DOCSECRET / DOCPASS).
@Suite struct SigningTests {
    let credentials = VenueCredentials(apiKey: "DOCKEY", secret: "DOCSECRET", passphrase: "DOCPASS", origin: "test vector")

    @Test func binanceOrderVector() {
        let signer = BinanceSigner(credentials: credentials, recvWindow: 10000)
        let payload = "timestamp=1735689600000&symbol=BTCUSDT&side=BUY&newClientOrderId=hc-1&newOrderRespType=RESULT&type=LIMIT&quantity=0.01&price=90000&timeInForce=GTC&recvWindow=10000"
        #expect(signer.signature(payload: payload) == "2fc064f2ff7b0c049cdda04e69bc857f25e097e3e3a27430ebce627c008cbbeb")
        #expect(signer.headers.first?.0 == "X-MBX-APIKEY")
    }

    @Test func binanceSignedQueryPutsTimestampWindowAndSignatureLast() {
        let signer = BinanceSigner(credentials: credentials, recvWindow: 5000)
        let query = signer.signedQuery([("symbol", "BTCUSDT"), ("origClientOrderId", "a:b/c")], timestamp: 1_735_689_600_000)
        #expect(query.hasPrefix("symbol=BTCUSDT&origClientOrderId=a%3Ab%2Fc&timestamp=1735689600000&recvWindow=5000&signature="))
        let payload = String(query[..<query.range(of: "&signature=")!.lowerBound])
        #expect(query.hasSuffix(signer.signature(payload: payload)))
    }

    @Test func okxOrderVector() {
        let signer = OKXSigner(credentials: credentials)
        let time = Timestamp(milliseconds: 1_735_689_600_000)
        #expect(OKXSigner.isoTimestamp(time) == "2025-01-01T00:00:00.000Z")
        let body = #"{"instId":"BTC-USDT-SWAP","side":"buy","ordType":"limit","sz":"1","tdMode":"cross","px":"90000","clOrdId":"hc-1"}"#
        let headers = Dictionary(uniqueKeysWithValues: signer.headers(method: "POST", requestPath: "/api/v5/trade/order", body: body, time: time))
        #expect(headers["OK-ACCESS-SIGN"] == "cl1yUacJYJdchD6ta7/8vCAi7HPzo9Eiq0sycIeAOp8=")
        #expect(headers["OK-ACCESS-PASSPHRASE"] == "DOCPASS")
        #expect(headers["OK-ACCESS-TIMESTAMP"] == "2025-01-01T00:00:00.000Z")
        #expect(headers["x-simulated-trading"] == nil)
    }

    @Test func okxLoginVector() {
        let signer = OKXSigner(credentials: credentials)
        #expect(signer.signature(prehash: "1735689600GET/users/self/verify") == "y6Sb7iFdu1y5uJyE3akoccYyHRnaOMNbHKYx1gvrOVo=")
        #expect(signer.loginMessage(time: Timestamp(seconds: 1_735_689_600)).contains("\"sign\":\"y6Sb7iFdu1y5uJyE3akoccYyHRnaOMNbHKYx1gvrOVo=\""))
    }

    @Test func okxIsoTimestampMilliseconds() {
        #expect(OKXSigner.isoTimestamp(Timestamp(milliseconds: 1_709_891_679_123)) == "2024-03-08T09:54:39.123Z")
    }

    @Test func bybitOrderVector() {
        let signer = BybitSigner(credentials: credentials, recvWindow: 5000)
        let body = #"{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","timeInForce":"GTC","orderLinkId":"hc-1","price":"90000","category":"linear","qty":"0.01"}"#
        #expect(signer.signature(timestamp: 1_735_689_600_000, payload: body) == "77e55d523a2a9c9c5e7d008bac9f501a43d3b2877873f6d360014e5484de4c80")
    }

    @Test func bybitWebSocketAuthVector() {
        let signer = BybitSigner(credentials: credentials)
        #expect(signer.webSocketSignature(expires: 1_735_689_610_000) == "a808d897d2f06b56a4cc5f6b3289a64bc5ec9050e6012334948027d50487e359")
    }

    @Test func credentialsNeverPrint() {
        let text = "\(credentials) \(String(reflecting: credentials))"
        var dumped = ""
        dump(credentials, to: &dumped)
        for output in [text, dumped] {
            #expect(!output.contains("DOCSECRET"))
            #expect(!output.contains("DOCPASS"))
            #expect(!output.contains("DOCKEY"))
        }
    }

    @Test func serverTimeOffsetUsesMidpoint() {
        var offset = ServerTimeOffset()
        offset.record(sent: Timestamp(milliseconds: 1000), received: Timestamp(milliseconds: 1100), server: Timestamp(milliseconds: 2050))
        #expect(offset.offsetNanoseconds == 1000 * 1_000_000)
        #expect(offset.serverTime(atLocal: Timestamp(milliseconds: 5000)) == Timestamp(milliseconds: 6000))
    }

    /// A slow reply (400 ms round trip, its midpoint 150 ms off) does not replace a recent tight
    /// measurement; a tighter one does; after a minute a slower one is taken again; and one that
    /// cannot agree with the kept one (a clock jumped) is taken at once.
    @Test func serverTimeOffsetKeepsTheTightestRecentMeasurement() {
        var offset = ServerTimeOffset()
        offset.record(sent: Timestamp(milliseconds: 1000), received: Timestamp(milliseconds: 1020), server: Timestamp(milliseconds: 2010))
        #expect(offset.offsetNanoseconds == 1000 * 1_000_000)
        offset.record(sent: Timestamp(milliseconds: 2000), received: Timestamp(milliseconds: 2400), server: Timestamp(milliseconds: 3050))
        #expect(offset.offsetNanoseconds == 1000 * 1_000_000)
        #expect(offset.roundTripNanoseconds == 20_000_000)
        offset.record(sent: Timestamp(milliseconds: 3000), received: Timestamp(milliseconds: 3010), server: Timestamp(milliseconds: 4006))
        #expect(offset.offsetNanoseconds == 1001 * 1_000_000)
        offset.record(sent: Timestamp(milliseconds: 70_000), received: Timestamp(milliseconds: 70_100), server: Timestamp(milliseconds: 71_052))
        #expect(offset.offsetNanoseconds == 1002 * 1_000_000)
        offset.record(sent: Timestamp(milliseconds: 71_000), received: Timestamp(milliseconds: 71_300), server: Timestamp(milliseconds: 112_150))
        #expect(offset.offsetNanoseconds == 41_000 * 1_000_000)
    }
}
