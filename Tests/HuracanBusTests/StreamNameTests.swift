import HuracanBus
import Testing

@Suite("Stream names")
struct StreamNameTests {
    @Test func namesFollowTheSpecUnderThePrefix() {
        let n = StreamName(prefix: "hx")
        #expect(n.marketData("BTC") == "hx:market_data:BTC")
        #expect(n.features("ETH") == "hx:features:ETH")
        #expect(n.signals("SOL") == "hx:signals:SOL")
        #expect(n.ordersGlobal == "hx:orders:global")
        #expect(n.executionsGlobal == "hx:executions:global")
        #expect(StreamName().ordersGlobal == "huracan:orders:global")
    }

    @Test func onlyOrdersAndExecutionsAreLossless() {
        let n = StreamName(prefix: "huracan")
        #expect(n.isLossless(n.ordersGlobal))
        #expect(n.isLossless(n.executionsGlobal))
        #expect(!n.isLossless(n.marketData("BTC")))
        #expect(!n.isLossless(n.features("BTC")))
        #expect(!n.isLossless(n.signals("BTC")))
        // Prefixes with colons, and unknown streams (kept safe: never dropped).
        #expect(!StreamName.isLossless("a:b:market_data:BTC"))
        #expect(StreamName.isLossless("a:b:orders:global"))
        #expect(StreamName.isLossless("huracan:audit:global"))
        #expect(StreamName.isLossless("plain"))
    }
}
