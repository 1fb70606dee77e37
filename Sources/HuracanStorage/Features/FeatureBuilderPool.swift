import Foundation
import HuracanBus
import HuracanCore
import Synchronization

/// The spec's feature builders ("async queue with workers"): raw market data on the bus ->
/// workers -> features stored and published. A pool of worker threads consumes
/// `market_data:{coin}` through one consumer group, updates each coin's `FeatureState` (the same
/// code the engine's pipelines use), publishes `features:{coin}` at most once per interval of
/// event time per coin, and hands the rows to a recorder for the `features` dataset.
///
/// Each coin belongs to one worker (coin i to worker i mod workers), because features depend on
/// the order of a coin's events; the workers share the group, so `stats(stream:)` shows their lag
/// and a dead worker's pending entries can be claimed. Entries are acknowledged after they are
/// processed. Nothing here blocks a publisher: a worker that falls behind only makes the lossy
/// market-data streams conflate.
public final class FeatureBuilderPool: Sendable {
    public struct Configuration: Sendable {
        /// Coins whose market data is turned into features.
        public var coins: [String]
        /// Stream names (`engine.message_bus.stream_prefix`).
        public var prefix: String
        public var workers = 2
        public var group = "huracan-features"
        /// One features row per coin per this much event time.
        public var intervalNanoseconds: Int64 = 1_000_000_000
        /// Publish `features:{coin}` (off when only storing).
        public var publish = true
        /// Entries read per stream per poll.
        public var batchSize = 1_024
        /// Pause when none of a worker's streams has anything.
        public var idleSleep: Duration = .milliseconds(5)

        public init(coins: [String], prefix: String = "huracan") {
            self.coins = coins
            self.prefix = prefix
        }
    }

    /// Counters of the pool, summed over workers.
    public struct Stats: Sendable, Hashable {
        public var consumed = 0
        public var published = 0
        /// Rows handed to the recorder.
        public var stored = 0
        /// Rows the recorder refused because its inbox was full (storage fell behind).
        public var storeRefused = 0
        /// Publishes that conflated an unread entry of `features:{coin}`.
        public var conflated = 0
        public var readErrors = 0
    }

    public let configuration: Configuration
    private let bus: any MessageBus
    private let recorder: BusRecorder?
    private let state = Locked(State())
    private let done = DispatchSemaphore(value: 0)

    private struct State {
        var stats = Stats()
        var stopping = false
        var running = 0
    }

    /// - Parameter recorder: where features rows are stored (nil: publish only).
    public init(bus: any MessageBus, configuration: Configuration, recorder: BusRecorder? = nil) {
        self.bus = bus
        self.configuration = configuration
        self.recorder = recorder
        let names = StreamName(prefix: configuration.prefix)
        for coin in configuration.coins { bus.createGroup(stream: names.marketData(coin), group: configuration.group, fromStart: true) }
    }

    public var stats: Stats { state.withLock { $0.stats } }

    /// Starts the worker threads.
    public func start() {
        let workers = max(1, min(configuration.workers, configuration.coins.count))
        let first = state.withLock { s -> Bool in
            guard s.running == 0, !s.stopping else { return false }
            s.running = workers
            return true
        }
        guard first else { return }
        for w in 0..<workers {
            let mine = stride(from: w, to: configuration.coins.count, by: workers).map { configuration.coins[$0] }
            let thread = Thread { [self] in
                work(worker: w, coins: mine)
                done.signal()
            }
            thread.name = "huracan-features-\(w)"
            thread.start()
        }
    }

    /// Processes what is readable, then stops every worker; returns when they have.
    public func stop() {
        let running = state.withLock { s -> Int in
            s.stopping = true
            return s.running
        }
        for _ in 0..<running { done.wait() }
        state.withLock { $0.running = 0 }
    }

    /// One coin's builder.
    private struct Builder {
        let coin: String
        let marketStream: String
        let featuresStream: String
        var features = FeatureState()
        var nextEmit = Int64.min
    }

    private func work(worker: Int, coins: [String]) {
        let names = StreamName(prefix: configuration.prefix)
        let consumer = "features-\(worker)"
        var builders = coins.map { Builder(coin: $0, marketStream: names.marketData($0), featuresStream: names.features($0)) }
        let interval = max(1, configuration.intervalNanoseconds)
        var rows: [FeaturesRecord] = []
        while true {
            let stopping = state.withLock { $0.stopping }
            var local = Stats()
            var readAny = false
            for b in builders.indices {
                let deliveries: [Delivery]
                do {
                    deliveries = try bus.read(stream: builders[b].marketStream, group: configuration.group, consumer: consumer, max: configuration.batchSize)
                } catch {
                    local.readErrors += 1
                    continue
                }
                guard !deliveries.isEmpty else { continue }
                readAny = true
                var messages: [BusMessage] = []
                for delivery in deliveries {
                    guard case .market(let market) = delivery.message else { continue }
                    local.consumed += 1
                    builders[b].features.update(market.event(coinIndex: CoinIndex(b)))
                    let time = market.time.nanoseconds
                    guard time >= builders[b].nextEmit, builders[b].features.bookUpdates > 0 else { continue }
                    builders[b].nextEmit = (time / interval + 1) * interval
                    let values = builders[b].features.features()
                    rows.append(FeaturesRecord(time: market.time, coin: builders[b].coin, features: values))
                    if configuration.publish { messages.append(.features(FeaturesMessage(coin: builders[b].coin, time: market.time, features: values))) }
                }
                for message in messages {
                    switch bus.publish(message, to: builders[b].featuresStream) {
                    case .published: local.published += 1
                    case .conflated:
                        local.published += 1
                        local.conflated += 1
                    case .backpressure: break
                    }
                }
                _ = try? bus.ack(stream: builders[b].marketStream, group: configuration.group, ids: deliveries.map(\.id))
            }
            if !rows.isEmpty {
                if let recorder {
                    if recorder.record(features: rows) { local.stored += rows.count } else { local.storeRefused += rows.count }
                }
                rows.removeAll(keepingCapacity: true)
            }
            state.withLock {
                $0.stats.consumed += local.consumed
                $0.stats.published += local.published
                $0.stats.stored += local.stored
                $0.stats.storeRefused += local.storeRefused
                $0.stats.conflated += local.conflated
                $0.stats.readErrors += local.readErrors
            }
            if stopping && !readAny { return }
            if !readAny { Thread.sleep(forTimeInterval: Double(configuration.idleSleep.nanosecondsTotal) / 1e9) }
        }
    }
}
