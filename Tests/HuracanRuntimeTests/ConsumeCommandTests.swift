import Foundation
import HuracanBus
import HuracanCore
import HuracanRedis
import HuracanStorage
import HuracanTestSupport
import Testing

/// `huracan consume` as a separate process: it takes over what a dead consumer of its group
/// left pending, prints every message once, and acknowledges it.
@Suite(.serialized) struct ConsumeCommandTests {
    @Test func consumerTakesOverADeadConsumersEntries() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built")
        let (_, config) = try redisConfigFile(server, label: "consume")
        let client = RedisClient(RedisConfiguration(port: server.port))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client)
        let names = StreamName(prefix: "huracan")
        try await bus.createGroup(stream: names.ordersGlobal, group: "risk-monitor")
        let fills = (0..<120).map { n in
            BusMessage.order(OrderMessage(OrderRequest(clientOrderID: "o-\(n)", coin: "BTC", venue: .binance, side: .buy, type: .market, timeInForce: .ioc,
                                                       quantity: try! FixedDecimal(parsing: "0.01"), price: nil, reduceOnly: false),
                                          tradeID: UInt64(n), style: .scalp, reason: "entry", time: Timestamp(nanoseconds: Int64(n))))
        }
        _ = try await bus.publish(fills.map { (stream: names.ordersGlobal, message: $0) })
        // A consumer takes 50 entries and dies before acknowledging them.
        let taken = try await bus.read(streams: [names.ordersGlobal], group: "risk-monitor", consumer: "dead", count: 50)
        #expect(taken.count == 50)
        try await Task.sleep(for: .milliseconds(300))   // they are now idle for longer than --claim-idle 0.2s

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

    /// `huracan consume --record`: a recorder in a process of its own writes Redis streams into
    /// the data lake and acknowledges only what it wrote.
    @Test func recordsRedisStreamsIntoTheLake() async throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let huracan = try #require(TestPaths.huracanBinary, "huracan binary not built")
        let (folder, config) = try redisConfigFile(server, label: "record")
        let client = RedisClient(RedisConfiguration(port: server.port))
        defer { client.shutdown() }
        let bus = RedisStreamsBus(client: client)
        let names = StreamName(prefix: "huracan")
        let t0 = Timestamp(nanoseconds: 1_767_225_600_000_000_000)
        let fills = (0..<20).map { n in
            BusMessage.execution(ExecutionMessage(Fill(clientOrderID: "o-\(n)", tradeID: "t-\(n)", coin: "ETH", venue: .okx, side: .sell,
                                                       price: try! FixedDecimal(parsing: "3200.5"), quantity: try! FixedDecimal(parsing: "0.1"),
                                                       fee: try! FixedDecimal(parsing: "0.0016"), liquidity: .maker, time: t0 + .seconds(Int64(n)))))
        }
        let books = (0..<30).map { n in
            BusMessage.market(MarketMessage(coin: "BTC", venue: .binance, kind: .book, time: t0 + .seconds(Int64(n)),
                                            bid: 65_000 + Double(n), bidSize: 1, ask: 65_000.5 + Double(n), askSize: 2))
        }
        _ = try await bus.publish(fills.map { (stream: names.executionsGlobal, message: $0) } + books.map { (stream: names.marketData("BTC"), message: $0) })

        let lakePath = folder.appendingPathComponent("lake").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: huracan)
        process.arguments = ["consume", "-c", config.path, "--record", "--data", lakePath, "--from-start", "--count", "50",
                             "--stream", "executions", "--stream", "market_data:BTC", "--group", "recorder"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let lake = DataLake(path: lakePath)
        let storedFills = try lake.read(FillRecord.self)
        let storedBooks = try lake.read(BookRecord.self)
        #expect(storedFills.count == 20 && storedBooks.count == 30)
        #expect(storedBooks.map(\.top.bidPrice).sorted() == (0..<30).map { 65_000 + Double($0) })
        for stream in [names.executionsGlobal, names.marketData("BTC")] {
            #expect(try await bus.info(stream: stream).groups["recorder"]?.pending == 0, "acknowledged after the write")
        }
    }
}

/// A temporary folder with an `engine.yaml` that points the bus at `server`.
func redisConfigFile(_ server: RedisServer, label: String) throws -> (folder: URL, config: URL) {
    let folder = TestPaths.temporaryDirectory(label)
    let config = folder.appendingPathComponent("engine.yaml")
    try """
    engine:
      message_bus:
        type: redis_streams
        host: 127.0.0.1
        port: \(server.port)
    """.write(to: config, atomically: true, encoding: .utf8)
    return (folder, config)
}
