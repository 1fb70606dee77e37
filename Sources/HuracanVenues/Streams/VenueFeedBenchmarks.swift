import HuracanCore
import HuracanExchanges
import Logging
import NIOCore

/// In-process benchmark of the live market feed's depth path (run by `huracan venues bench`):
/// each message as the WebSocket layer hands over a text frame's bytes, through the feed's
/// parser, into the book kept in the feed's table, to the published top. No network.
public enum VenueFeedBenchmarks {
    /// Bybit orderbook messages (`lines`: snapshot first, then deltas of one symbol) through a
    /// `VenueMarketFeed` for about `duration`; counts the deltas (each pass starts with the snapshot).
    public static func bybitFeedDepth(lines: [[UInt8]], duration: Duration) throws -> ExchangeBenchmarks.DepthResult {
        guard let first = lines.first, lines.count > 1 else { throw VenueFeedBenchmarkError("the sample needs a snapshot and deltas") }
        var update = CompactDepthUpdate()
        try first.withUnsafeBufferPointer { try BybitDepthParser.parse($0, into: &update) }
        let symbol = update.symbol
        var directory = SymbolDirectory(venue: .bybit)
        directory.add(symbol: symbol, coin: symbol, contractValue: 1)
        let api = VenueAPI(client: VenueRESTClient(venue: .bybit, endpoints: .local(.bybit, port: 9), credentials: nil), directory: directory)
        let tops = Locked(0)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let feed = VenueMarketFeed(api: api, symbols: [symbol], health: BookHealth(), logger: logger) { update in
            if case .top = update { tops.withLock { $0 += 1 } }
        }
        let frames = lines.map { line -> ByteBuffer in
            var buffer = ByteBufferAllocator().buffer(capacity: line.count)
            buffer.writeBytes(line)
            return buffer
        }
        let levels = try lines.dropFirst().reduce(0) { sum, line in
            try line.withUnsafeBufferPointer { try BybitDepthParser.parse($0, into: &update) }
            return sum + update.levelCount
        }
        let clock = ContinuousClock()
        let start = clock.now
        var passes = 0
        var deltaTime = Duration.zero
        while clock.now - start < duration {
            VenueStreamConnection.deliver(frames[0]) { feed.receive($0, chunk: 0) }
            let t0 = clock.now
            for frame in frames.dropFirst() { VenueStreamConnection.deliver(frame) { feed.receive($0, chunk: 0) } }
            deltaTime += clock.now - t0
            passes += 1
        }
        guard tops.withLock({ $0 }) > 0, feed.isInSync(symbol) else { throw VenueFeedBenchmarkError("the sample's deltas did not keep \(symbol)'s book in sync") }
        let seconds = Double(deltaTime.components.seconds) + Double(deltaTime.components.attoseconds) / 1e18
        return ExchangeBenchmarks.DepthResult(messages: passes * (lines.count - 1), levels: passes * levels, seconds: seconds)
    }
}

/// Why the feed benchmark could not run on the sample given.
public struct VenueFeedBenchmarkError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
