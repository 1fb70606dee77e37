import Foundation
import HuracanBus
import HuracanConfig
import HuracanCore
import HuracanRedis
import HuracanStorage
import Logging
import ServiceLifecycle

extension EngineRunner {
    /// The data-lake services `engine.data` asks for (none when `record` is off): the bus
    /// recorder, and feature builders when `feature_builders` > 0. They go first in the service
    /// group so they stop last, after the engine's final round has been published.
    static func recordingServices(config: EngineConfig, engine: Engine, logger: Logger) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let made: RecordingService?
        do { made = try RecordingService(config: config, engine: engine, logger: logger) } catch {
            logger.error("engine.data.record: the recorder cannot start, trading goes on without it: \(error)")
            return []
        }
        guard let service = made else { return [] }
        return [.init(service: service, failureTerminationBehavior: .ignore)]
    }
}

/// Records the engine's bus streams into the data lake while the engine runs (`engine.data.record`),
/// on its own threads: the engine publishes without waiting, the recorder reads through its own
/// consumer group. On graceful shutdown (SIGINT, SIGTERM, end of `--duration`) it reads what is
/// left, writes every buffered row and acknowledges it.
///
/// With `message_bus.type: redis_streams` the engine publishes to Redis, so the recorder reads
/// the same streams from Redis (`RedisBusRecorder`, on a client of its own, placed so that it
/// stops after the Redis link has sent the engine's last messages).
public struct RecordingService: Service {
    /// The recorder on the engine's in-process bus (idle when the bus is Redis).
    public let recorder: BusRecorder
    /// The recorder on Redis Streams, when the engine's bus is Redis.
    public let redisRecorder: RedisBusRecorder?
    private let redisClient: RedisClient?
    public let builders: FeatureBuilderPool?
    let logger: Logger

    /// nil when `engine.data.record` is off.
    public init?(config: EngineConfig, engine: Engine, logger: Logger) throws {
        let data = config.data
        guard data.record else { return nil }
        let names = StreamName(prefix: config.messageBus.streamPrefix)
        let coins = engine.universe.instruments.map(\.coin)
        let kinds = Set(data.recordStreams)
        var streams: [String] = []
        if kinds.contains("orders") { streams.append(names.ordersGlobal) }
        if kinds.contains("executions") { streams.append(names.executionsGlobal) }
        for coin in coins {
            if kinds.contains("market_data") { streams.append(names.marketData(coin)) }
            // With feature builders the stored features are theirs (handed over directly), so the
            // engine's own features stream is not recorded a second time.
            if kinds.contains("features"), data.featureBuilders == 0 { streams.append(names.features(coin)) }
            if kinds.contains("signals") { streams.append(names.signals(coin)) }
        }
        var configuration = BusRecorder.Configuration(streams: streams)
        configuration.flushRows = data.flushRows
        configuration.flushInterval = .nanoseconds(Int64(data.flushIntervalSeconds * 1e9))
        let bus: any MessageBus = engine.engineBus.bus
        let lake = DataLake(path: config.dataDir)
        recorder = BusRecorder(bus: bus, lake: lake, configuration: configuration)
        if config.messageBus.type == "redis_streams" {
            let settings = config.messageBus
            let password = try Secret.resolve(environmentVariable: settings.passwordEnv, file: settings.passwordFile)
            let client = RedisClient(RedisConfiguration(host: settings.host, port: settings.port, password: password?.value, tls: settings.tls,
                                                        tlsCAFile: settings.tlsCAFile.isEmpty ? nil : settings.tlsCAFile, poolSize: 1))
            redisClient = client
            redisRecorder = RedisBusRecorder(bus: RedisStreamsBus(client: client, maxConsumersPerGroup: settings.maxConsumersPerGroup),
                                             lake: lake, configuration: configuration)
        } else {
            redisClient = nil
            redisRecorder = nil
        }
        if data.featureBuilders > 0, redisRecorder != nil {
            logger.warning("engine.data.feature_builders: feature builders read the in-process bus; with redis_streams they are not started")
            builders = nil
        } else if data.featureBuilders > 0 {
            var options = FeatureBuilderPool.Configuration(coins: coins, prefix: config.messageBus.streamPrefix)
            options.workers = data.featureBuilders
            // The engine publishes features:{coin} itself; the builders store theirs.
            options.publish = false
            builders = FeatureBuilderPool(bus: bus, configuration: options, recorder: kinds.contains("features") ? recorder : nil)
        } else {
            builders = nil
        }
        self.logger = logger
        logger.info("recording \(streams.count) streams into \(lake.root.path) (\(data.recordStreams.joined(separator: ", ")))\(builders.map { ", \($0.configuration.workers) feature builders" } ?? "")")
    }

    public func run() async throws {
        if let redisRecorder, let redisClient {
            defer { redisClient.shutdown() }
            let logger = logger
            await withGracefulShutdownHandler {
                do { try await redisRecorder.run() } catch {
                    logger.error("recorder: Redis stopped the recording: \(error)")
                }
            } onGracefulShutdown: {
                redisRecorder.stop()
            }
            report(redisRecorder.stats)
            return
        }
        recorder.start()
        builders?.start()
        try? await gracefulShutdown()
        // Blocking joins run on their own thread, never on the concurrency pool.
        let recorder = recorder, builders = builders
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                builders?.stop()
                recorder.stop()
                continuation.resume()
            }.start()
        }
        report(recorder.stats)
    }

    private func report(_ stats: BusRecorder.Stats) {
        if stats.writeErrors > 0 {
            logger.error("recorder: \(stats.writeErrors) writes failed, last: \(stats.lastError ?? "")")
        }
        logger.info("recorder stopped: \(stats.rowsWritten) rows in \(stats.flushes) writes")
    }
}
