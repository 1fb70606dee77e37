import Foundation
import HuracanBus
import HuracanCore
import HuracanRedis
import HuracanTestSupport
import Testing

/// `huracan consume` as a separate process: it takes over what a dead consumer of its group
/// left pending, prints every message once, and acknowledges it.
@Suite(.serialized) struct ConsumeCommandTests {
    @Test func consumerTakesOverADeadConsumersEntries() async throws {
        guard let server = try RedisServer.start() else { return }
        defer { server.stop() }
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built")
        let folder = TestPaths.temporaryDirectory("consume")
        let config = folder.appendingPathComponent("engine.yaml")
        try """
        engine:
          message_bus:
            type: redis_streams
            host: 127.0.0.1
            port: \(server.port)
        """.write(to: config, atomically: true, encoding: .utf8)
        let client = RedisClient(RedisConfiguration(port: server.port))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client)
        let names = StreamName(prefix: "huracan")
        try await bus.createGroup(stream: names.ordersGlobal, group: "risk-monitor")
        let fills = (0..<120).map { n in
            BusMessage.order(OrderMessage(clientOrderID: "o-\(n)", coin: "BTC", venue: .binance, side: .buy, type: .market, timeInForce: .ioc,
                                          quantity: try! FixedDecimal(parsing: "0.01"), price: nil, reduceOnly: false, tradeID: UInt64(n),
                                          style: .scalp, reason: "entry", time: Timestamp(nanoseconds: Int64(n))))
        }
        _ = try await bus.publish(fills.map { (stream: names.ordersGlobal, message: $0) })
        // A consumer takes 50 entries and dies before acknowledging them.
        let taken = try await bus.read(streams: [names.ordersGlobal], group: "risk-monitor", consumer: "dead", count: 50)
        #expect(taken.count == 50)
        try await Task.sleep(for: .milliseconds(300))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = ["consume", "-c", config.path, "--stream", "orders", "--group", "risk-monitor", "--consumer", "alive",
                             "--claim-idle", "0.2s", "--count", "120"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.split(separator: "\n")
        let ids = lines.compactMap { line -> String? in
            guard let range = line.range(of: #""client_order_id":"o-\d+""#, options: .regularExpression) else { return nil }
            return String(line[range])
        }
        #expect(ids.count == 120, "every entry printed: \(lines.count) lines")
        #expect(Set(ids).count == 120, "each exactly once")
        #expect(lines.filter { $0.contains("\"claimed\":true") }.count == 50, "the dead consumer's 50 were claimed")
        let info = try await bus.info(stream: names.ordersGlobal)
        #expect(info.groups["risk-monitor"]?.pending == 0, "all acknowledged")
    }
}
