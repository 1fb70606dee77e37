import HuracanCore

/// How the engine runs the shared decision code.
public enum RunMode: String, Sendable, CaseIterable {
    /// Replay data as fast as possible on a simulated clock.
    case backtest
    /// Live or simulated market data, simulated fills, real time.
    case paper
    /// Real orders on real venues.
    case live
}

/// The whole `engine:` configuration. Key names mirror the YAML one to one (see `ConfigSchema`);
/// defaults are the spec's values. `config/default.yaml` overrides a few of them so that the
/// engine runs on one machine with nothing to install.
public struct EngineConfig: Sendable, Equatable {
    public var mode: RunMode = .paper
    public var maxCoins = 400
    public var maxConcurrentTrades = 500
    public var activeCoins = 20
    public var maxActiveTrades = 100
    public var coinsPerEventLoop = 50
    public var eventLoopTimeoutSeconds = 300.0
    /// OS threads for shards; 0 means one per core.
    public var eventLoopThreads = 0
    public var startingEquity = 100_000.0
    public var dataDir = "./data"
    /// Universe CSV; empty means the built-in 400-coin universe.
    public var universeFile = ""
    /// Several engine processes side by side: this one is `processIndex` of `processCount` and
    /// trades the coins consistent hashing gives it (see `CoinAssignment`).
    public var processIndex = 0
    public var processCount = 1
    public var messageBus = MessageBus()
    public var modelRegistry = ModelRegistry()
    public var risk = Risk()
    public var costModel = CostModel()
    public var observability = Observability()
    public var strategy = Strategy()
    public var simulator = Simulator()
    public var venues = Venues()
    /// Recording into the data lake and feature builders (`engine.data.*`).
    public var data = DataRecording()
    public var live = LiveTrading()

    public init() {}

    /// Paper trading on a real venue's public feed and live trading with real orders.
    public struct LiveTrading: Sendable, Equatable {
        /// The venue `huracan run --mode paper|live` trades when `--venue` is not given.
        public var venue = "binance"
        /// Order journal and trade history: empty means `sqlite:{data_dir}/journal.sqlite`.
        public var journalDB = ""
        /// Environment variable and file holding the journal database password (PostgreSQL).
        public var journalDBPasswordEnv = "HURACAN_JOURNAL_DB_PASSWORD"
        public var journalDBPasswordFile = ""
        /// What reconciliation at start does with open venue orders the journal does not know.
        public var unknownOrders = "cancel"
        /// What start-up does with venue positions left by an earlier run (whose trades the
        /// engine no longer manages): close them with reduce-only market orders, or keep them.
        public var leftoverPositions = "close"
        /// How far back reconciliation looks for fills that happened while the engine was down.
        public var fillLookbackHours = 24.0
        /// Symbols per public WebSocket connection.
        public var symbolsPerConnection = 50
        /// Seconds between reconciliations while trading (open orders, recent fills, positions
        /// against the venue); 0 turns the periodic reconciliation off (start-up still runs).
        public var reconcileIntervalSeconds = 60.0
        /// Final orders finished within this many minutes are checked against the venue again
        /// at start (a reject that was really a fill, a cancel followed by a fill).
        public var recheckFinishedMinutes = 60.0
        /// At shutdown, how long to wait for every order in flight to reach a final state.
        public var shutdownWaitSeconds = 20.0
    }

    /// What `huracan run` records from its message bus into the data lake under `data_dir`.
    public struct DataRecording: Sendable, Equatable {
        /// Start the bus recorder with the engine.
        public var record = false
        /// Stream kinds recorded: market_data, features, signals, orders, executions.
        public var recordStreams = ["market_data", "features", "signals", "orders", "executions"]
        /// Rows buffered before a write (the recorder's memory bound).
        public var flushRows = 50_000
        /// Longest time rows wait in memory before they are written.
        public var flushIntervalSeconds = 60.0
        /// Feature-builder workers turning market_data into stored features (0: none).
        public var featureBuilders = 0
    }

    public struct MessageBus: Sendable, Equatable {
        public var type = "redis_streams"
        public var host = "localhost"
        public var port = 6379
        public var streamPrefix = "huracan"
        public var maxConsumersPerGroup = 10
        public var passwordEnv = "HURACAN_REDIS_PASSWORD"
        public var passwordFile = ""
        public var tls = false
        /// PEM file of the CAs to trust for Redis TLS; empty: the system's.
        public var tlsCAFile = ""
        public var queueCapacity = 65_536
        /// Most messages packed into one Redis stream entry (messages published together to one stream).
        public var messagesPerEntry = 16
    }

    public struct ModelRegistry: Sendable, Equatable {
        public var storagePath = "/models/trained"
        public var metadataDB = "postgresql://localhost/huracan_models"
        public var metadataDBPasswordEnv = "HURACAN_DB_PASSWORD"
        public var metadataDBPasswordFile = ""
        public var modelsPerRegime = 1
        public var minSharpe = 0.0
        public var pollSeconds = 2.0
        public var retraining = Retraining()

        public struct Retraining: Sendable, Equatable {
            public var enabled = true
            public var useRay = true
            /// One model over all trained coins' rows (in volatility units) instead of one per coin.
            public var poolCoins = true
            public var workersPerCoin = 1
            public var gpuPerWorker = 1
            public var rayAddress = ""
            public var intervalHours = 24.0
            public var trainerPath = "./trainer"
            public var python = "python3"
            public var driftTolerancePct = 10.0
            public var driftMinTrades = 30
        }
    }

    public struct Risk: Sendable, Equatable {
        public var globalMaxExposurePct = RiskLimits().globalMaxExposurePct
        public var perCoinMaxExposurePct = RiskLimits().perCoinMaxExposurePct
        public var perSectorMaxExposurePct = RiskLimits().perSectorMaxExposurePct
        public var perExchangeMaxExposurePct = RiskLimits().perExchangeMaxExposurePct
        public var softThrottleThresholdPct = RiskLimits().softThrottleThresholdPct
        public var riskPerTradePct = StrategyParameters().riskPerTrade * 100
        public var maxDrawdownPct = BreakerSettings().maxDrawdownPct
        public var dailyLossLimitPct = BreakerSettings().dailyLossLimitPct
        public var maxConsecutiveLosses = BreakerSettings().maxConsecutiveLosses
        public var lossCooldownSeconds = BreakerSettings().lossCooldownSeconds
        public var staleDataSeconds = BreakerSettings().staleDataSeconds
        public var staleDataGraceSeconds = BreakerSettings().staleDataGraceSeconds
        public var venueErrorRatePct = BreakerSettings().venueErrorRatePct
        public var venueErrorWindowSeconds = BreakerSettings().venueErrorWindowSeconds
        public var venueErrorMinRequests = BreakerSettings().venueMinimumRequests
    }

    public struct CostModel: Sendable, Equatable {
        public var realTimeUpdates = true
        public var updateIntervalSeconds = 60.0
        public var spreadSource = "exchange_websocket"
        public var feeSource = "exchange_api"
        public var fundingSource = "exchange_api"
        public var minEdgeAfterCostBps = 5.0
        public var rankActiveSet = true
        public var rankingIntervalSeconds = 900.0
        public var rankingHysteresisPct = 25.0
    }

    public struct Observability: Sendable, Equatable {
        public var prometheusEnabled = true
        public var prometheusPort = 9090
        public var prometheusBindAddress = "127.0.0.1"
        public var grafanaEnabled = true
        public var grafanaDashboardPath = "/dashboards"
        public var latencyPercentiles: [Double] = [50, 95, 99]
        public var tradeRateWindowSeconds = 60.0
        public var healthCheckIntervalSeconds = 30.0
        public var adminTokenEnv = "HURACAN_ADMIN_TOKEN"
    }

    /// Strategy keys; the style parameters and their defaults are Core's `StrategyParameters`.
    public struct Strategy: Sendable, Equatable {
        /// Baseline model coefficients (JSON); empty means the built-in file.
        public var modelFile = ""
        public var maxTradesPerCoin = StrategyParameters().maxTradesPerCoin
        public var entryCooldownSeconds = StrategyParameters().entryCooldownSeconds
        public var warmupSeconds = StrategyParameters().warmupSeconds
        public var scalp = StrategyParameters.Scalp()
        public var runner = StrategyParameters.Runner()
        /// The strategy every coin runs, and per-coin overrides ("BTC=ema_cross").
        public var name = "ml"
        public var perCoin: [String] = []
        public var emaCrossFast = 10
        public var emaCrossSlow = 30
        public var emaCrossNotionalUsdt = 1_000.0
        public var bookImbalanceThreshold = 0.6

        /// The selection these settings describe.
        public var selection: StrategySelection {
            var s = StrategySelection()
            s.name = name
            for entry in perCoin {
                if let (coin, strategy) = StrategySelection.parseOverride(entry) { s.perCoin[coin] = strategy }
            }
            s.emaFast = emaCrossFast
            s.emaSlow = emaCrossSlow
            s.emaNotional = emaCrossNotionalUsdt
            s.imbalanceThreshold = bookImbalanceThreshold
            return s
        }
    }

    public struct Simulator: Sendable, Equatable {
        public var seed = 42
        /// Mean time between book updates per coin.
        public var updateIntervalMs = 250.0
        /// Order round trip latency of the simulated venue.
        public var latencyMs = 5.0
        /// The venues whose fee schedules and listings the simulator imitates.
        public var venues = ["binance", "okx", "bybit"]
        /// First simulated day for `backtest` when `--from` is not given (YYYY-MM-DD).
        public var startDate = "2026-01-01"
        /// Equity is sampled (marked to market) every this many seconds for a run's metrics.
        public var equityIntervalSeconds = 60.0
    }

    public struct Venues: Sendable, Equatable {
        public var binance = Venue(
            restURL: "https://fapi.binance.com", wsURL: "wss://fstream.binance.com",
            testnetRestURL: "https://demo-fapi.binance.com", testnetWsURL: "wss://demo-fstream.binance.com", prefix: "BINANCE"
        )
        public var okx = Venue(
            restURL: "https://www.okx.com", wsURL: "wss://ws.okx.com:8443",
            testnetRestURL: "https://www.okx.com", testnetWsURL: "wss://wspap.okx.com:8443", prefix: "OKX"
        )
        public var bybit = Venue(
            restURL: "https://api.bybit.com", wsURL: "wss://stream.bybit.com",
            testnetRestURL: "https://api-testnet.bybit.com", testnetWsURL: "wss://stream-testnet.bybit.com", prefix: "BYBIT"
        )

        public subscript(venue: VenueID) -> Venue {
            get {
                switch venue {
                case .binance: binance
                case .okx: okx
                case .bybit: bybit
                }
            }
            set {
                switch venue {
                case .binance: binance = newValue
                case .okx: okx = newValue
                case .bybit: bybit = newValue
                }
            }
        }
    }

    /// Connection settings of one real venue. Keys come only from the environment or files.
    public struct Venue: Sendable, Equatable {
        public var enabled = false
        public var testnet = true
        public var restURL: String
        public var wsURL: String
        public var testnetRestURL: String
        public var testnetWsURL: String
        public var apiKeyEnv: String
        public var apiSecretEnv: String
        public var passphraseEnv: String
        public var apiKeyFile = ""
        public var apiSecretFile = ""
        public var passphraseFile = ""

        /// REST and WebSocket base URLs in use: the testnet ones when `testnet` is on.
        public var activeURLs: (rest: String, webSocket: String) { testnet ? (testnetRestURL, testnetWsURL) : (restURL, wsURL) }

        init(restURL: String, wsURL: String, testnetRestURL: String, testnetWsURL: String, prefix: String) {
            self.restURL = restURL
            self.wsURL = wsURL
            self.testnetRestURL = testnetRestURL
            self.testnetWsURL = testnetWsURL
            self.apiKeyEnv = "HURACAN_\(prefix)_API_KEY"
            self.apiSecretEnv = "HURACAN_\(prefix)_API_SECRET"
            self.passphraseEnv = "HURACAN_\(prefix)_PASSPHRASE"
        }
    }
}
