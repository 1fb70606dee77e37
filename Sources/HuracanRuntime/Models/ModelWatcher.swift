import Foundation
import HuracanCore
import HuracanRegistry
import HuracanSQL
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps a running engine on the registry's active models without a restart. With PostgreSQL it
/// LISTENs on `huracan_models` and reloads a coin as soon as it is notified (and still polls,
/// slowly, in case a notification was missed); with SQLite it polls. A new selection is loaded
/// and checked off the trading threads, then handed to the engine, which swaps it in between
/// rounds. A model that fails to load (checksum, schema, format) is refused with the reason
/// logged and recorded; the coin keeps the model it has.
public final class ModelWatcher: Service, Sendable {
    let registry: ModelRegistry
    let engine: EngineHandle
    let fallback: any Model
    let pollInterval: Duration
    let logger: Logger
    /// What each coin runs now, and selections already refused (not retried until they change).
    private let state = SelectionState()
    private let listens = Locked(0)

    /// How many times LISTEN was set up (PostgreSQL): 1 once listening, one more after every
    /// reconnect. Activations notified before that are only found by the next poll.
    public var listenSessions: Int { listens.withLock { $0 } }

    public init(registry: ModelRegistry, engine: EngineHandle, fallback: any Model, pollInterval: Duration = .seconds(2), logger: Logger) {
        self.registry = registry
        self.engine = engine
        self.fallback = fallback
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        // Stops at graceful shutdown: the loops below end when cancelled.
        try? await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                if self.registry.database.dialect == .postgresql {
                    group.addTask { try await self.listen() }
                }
                group.addTask {
                    let interval = self.registry.database.dialect == .postgresql ? self.pollInterval * 5 : self.pollInterval
                    var failing = false
                    while !Task.isCancelled {
                        do {
                            try await self.refresh(coin: nil)
                            if failing { self.logger.notice("model registry reachable again") }
                            failing = false
                        } catch {
                            // Once per outage: the engine trades on with the models it has.
                            if !failing { self.logger.error("model registry poll failed (engine keeps its models): \(SQLDatabaseError.describe(error))") }
                            failing = true
                        }
                        try await Task.sleep(for: interval)
                    }
                }
            }
        }
    }

    /// LISTEN on the registry's channel: each notification names a coin to reload.
    func listen() async throws {
        logger.info("listening for model activations on \(ModelRegistry.channel)")
        try await registry.database.listen(channel: ModelRegistry.channel, listening: { self.listens.withLock { $0 += 1 } }, resumed: {
            // Activations made while the connection was down sent notifications nobody heard.
            try? await self.refresh(coin: nil)
        }) { coin in
            do {
                try await self.refresh(coin: coin)
            } catch {
                self.logger.error("reloading \(coin) after a notification failed: \(String(reflecting: error))")
            }
        }
    }

    /// Compares the registry's selection with what runs and installs what changed.
    public func refresh(coin: String?) async throws {
        let active = try await registry.activeModels(coin: coin)
        var selections: [String: [String: ModelRecord]] = [:]
        for record in active where selections[record.coin]?[record.regime] == nil {
            selections[record.coin, default: [:]][record.regime] = record
        }
        let coins = coin.map { [$0] } ?? Array(Set(selections.keys).union(state.coins()))
        let loader = ModelLoader(store: registry.store)
        for name in coins.sorted() {
            let selection = selections[name] ?? [:]
            let key = SelectionState.key(selection)
            guard state.needsLoad(coin: name, key: key) else { continue }
            let (set, loaded, refused) = loader.modelSet(selection: selection, fallback: fallback)
            if !refused.isEmpty {
                for (record, error) in refused {
                    logger.error("\(error.message); \(name) keeps \(engine.models.modelNames[name] ?? "its current model")")
                    try? await registry.logEvent(coin: name, version: record.version, action: "refused", detail: error.message)
                }
                state.refuse(coin: name, key: key)
                continue
            }
            guard engine.models.install(selection.isEmpty ? fallback : set, coinNamed: name) else {
                logger.warning("registry has models for \(name), which is not in the universe")
                state.refuse(coin: name, key: key)
                continue
            }
            state.installed(coin: name, key: key)
            logger.notice("\(name): installing \(loaded.isEmpty ? fallback.name : loaded.map { "v\($0.version) (\($0.regime))" }.joined(separator: ", "))")
        }
    }
}

/// The watcher's memory, behind a lock (touched by the poll and listen tasks).
final class SelectionState: Sendable {
    struct State {
        var installed: [String: String] = [:]
        var refused: [String: String] = [:]
    }
    private let mutex = Locked(State())

    static func key(_ selection: [String: ModelRecord]) -> String {
        selection.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.version):\($0.value.checksum)" }.joined(separator: ",")
    }

    func coins() -> [String] { mutex.withLock { Array($0.installed.keys) } }

    /// True when the selection differs from what runs and was not refused already. A coin that
    /// never had registry models and still has none needs nothing.
    func needsLoad(coin: String, key: String) -> Bool {
        mutex.withLock { state in
            state.installed[coin] != key && state.refused[coin] != key && !(state.installed[coin] == nil && key.isEmpty)
        }
    }

    func installed(coin: String, key: String) {
        mutex.withLock {
            $0.installed[coin] = key
            $0.refused[coin] = nil
        }
    }

    func refuse(coin: String, key: String) { mutex.withLock { $0.refused[coin] = key } }
}
