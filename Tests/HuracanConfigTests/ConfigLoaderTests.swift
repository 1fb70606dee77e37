import Foundation
import HuracanConfig
import HuracanTestSupport
import Testing

@Suite struct ConfigLoaderTests {
    let loader = ConfigLoader(environment: [:])

    func issues(_ yaml: String, environment: [String: String] = [:]) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader(environment: environment).load(yaml: yaml, source: "test.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func emptyFileGivesTheSpecDefaults() throws {
        let config = try loader.load(yaml: "", source: "empty")
        #expect(config == EngineConfig())
        #expect(config.maxCoins == 400 && config.maxConcurrentTrades == 500)
        #expect(config.activeCoins == 20 && config.maxActiveTrades == 100)
        #expect(config.coinsPerEventLoop == 50 && config.eventLoopTimeoutSeconds == 300)
        #expect(config.messageBus.type == "redis_streams" && config.messageBus.port == 6379 && config.messageBus.maxConsumersPerGroup == 10)
        #expect(config.modelRegistry.metadataDB == "postgresql://localhost/huracan_models")
        #expect(config.modelRegistry.retraining.gpuPerWorker == 1 && config.modelRegistry.retraining.useRay)
        #expect(config.risk.globalMaxExposurePct == 200 && config.risk.perCoinMaxExposurePct == 40)
        #expect(config.risk.perSectorMaxExposurePct == 60 && config.risk.perExchangeMaxExposurePct == 150)
        #expect(config.risk.softThrottleThresholdPct == 80)
        #expect(config.costModel.updateIntervalSeconds == 60 && config.costModel.minEdgeAfterCostBps == 5)
        #expect(config.observability.prometheusPort == 9090 && config.observability.latencyPercentiles == [50, 95, 99])
        #expect(config.observability.healthCheckIntervalSeconds == 30 && config.observability.tradeRateWindowSeconds == 60)
    }

    @Test func embeddedDefaultsRunOnOneMachine() throws {
        let config = try loader.load(path: nil)
        #expect(config.mode == .paper)
        #expect(config.activeCoins == 20 && config.maxCoins == 400)
        #expect(config.messageBus.type == "in_process")
        #expect(config.modelRegistry.metadataDB.hasPrefix("sqlite:./data/"))
        #expect(config.costModel.spreadSource == "simulated")
    }

    @Test func repositoryDefaultFileIsTheEmbeddedOne() throws {
        let path = TestPaths.repository.appendingPathComponent("config/default.yaml").path
        #expect(try String(contentsOfFile: path, encoding: .utf8) == EmbeddedResources.defaultConfig)
    }

    @Test(arguments: ["build-400", "calibration-20", "scaling-100", "scaling-200", "scaling-400", "profit-20-live"])
    func phaseExamplesAreValid(_ name: String) throws {
        let path = TestPaths.repository.appendingPathComponent("config/phases/\(name).yaml").path
        let config = try loader.load(path: path)
        #expect(config.maxCoins == 400)
        let expected = ["build-400": 400, "calibration-20": 20, "scaling-100": 100, "scaling-200": 200, "scaling-400": 400, "profit-20-live": 20]
        #expect(config.activeCoins == expected[name])
        if name == "profit-20-live" { #expect(config.mode == .live) }
    }

    @Test func unknownKeyWithSuggestion() {
        let found = issues("engine:\n  activ_coins: 10\n")
        #expect(found.count == 1)
        #expect(found[0].path == "engine.activ_coins")
        #expect(found[0].description == "engine.activ_coins = 10 (test.yaml:2): unknown key (did you mean engine.active_coins?)")
    }

    @Test func unknownNestedKeySuggestsFullPath() {
        let found = issues("engine:\n  risk:\n    per_coin_max_exposure: 10\n")
        #expect(found.map(\.message) == ["unknown key (did you mean engine.risk.per_coin_max_exposure_pct?)"])
    }

    @Test func unknownTopLevelKey() {
        let found = issues("engin:\n  active_coins: 10\n")
        #expect(found.first?.path == "engin")
        #expect(found.first?.message.contains("unknown key") == true)
    }

    @Test func wrongTypes() {
        let found = issues("engine:\n  active_coins: many\n  message_bus:\n    tls: maybe\n  risk:\n    global_max_exposure_pct: high\n")
        #expect(found.map(\.path) == ["engine.active_coins", "engine.message_bus.tls", "engine.risk.global_max_exposure_pct"])
        #expect(found[0].description == "engine.active_coins = \"many\" (test.yaml:2): expected an integer (allowed: an integer between 1 and 400)")
        #expect(found[1].message.hasPrefix("expected true or false"))
        #expect(found[2].message.hasPrefix("expected a number"))
    }

    @Test func mappingWhereValueExpected() {
        let found = issues("engine:\n  active_coins:\n    value: 3\n")
        #expect(found.first?.message.hasPrefix("expected an integer") == true)
    }

    @Test func outOfRangeNumbers() {
        let found = issues("engine:\n  risk:\n    per_coin_max_exposure_pct: -1\n    soft_throttle_threshold_pct: 140\n  message_bus:\n    port: 70000\n")
        #expect(found.count == 3)
        #expect(found.contains { $0.description == "engine.risk.per_coin_max_exposure_pct = -1 (test.yaml:3): must be between 0 and 10000 (allowed: a number between 0 and 10000)" })
        #expect(found.contains { $0.path == "engine.risk.soft_throttle_threshold_pct" && $0.message.hasPrefix("must be between 1 and 100") })
        #expect(found.contains { $0.path == "engine.message_bus.port" && $0.message.hasPrefix("must be between 1 and 65535") })
    }

    @Test func activeCoinsAboveMaxCoins() {
        let found = issues("engine:\n  max_coins: 100\n  active_coins: 200\n")
        #expect(found.map(\.description) == ["engine.active_coins = 200: must not exceed engine.max_coins (100)"])
    }

    @Test func maxActiveTradesAboveHardLimit() {
        let found = issues("engine:\n  max_concurrent_trades: 50\n  max_active_trades: 100\n")
        #expect(found.map(\.description) == ["engine.max_active_trades = 100: must not exceed engine.max_concurrent_trades (50)"])
    }

    @Test func perScopeLimitAboveGlobal() {
        let found = issues("engine:\n  risk:\n    global_max_exposure_pct: 100\n    per_exchange_max_exposure_pct: 150\n")
        #expect(found.map(\.description) == ["engine.risk.per_exchange_max_exposure_pct = 150.0: must not exceed engine.risk.global_max_exposure_pct (100.0)"])
        let coin = issues("engine:\n  risk:\n    per_coin_max_exposure_pct: 70\n")
        #expect(coin.map(\.path) == ["engine.risk.per_coin_max_exposure_pct"])
        #expect(coin.first?.message.contains("per_sector_max_exposure_pct") == true)
    }

    @Test(arguments: ["kafka", "nats"])
    func unsupportedBusTypes(_ type: String) {
        let found = issues("engine:\n  message_bus:\n    type: \(type)\n")
        #expect(found.map(\.message) == ["\(type) is not supported yet; use redis_streams or in_process (allowed: one of in_process, redis_streams)"])
    }

    @Test func unknownBusTypeSuggests() {
        let found = issues("engine:\n  message_bus:\n    type: redis_stream\n")
        #expect(found.first?.message.contains("did you mean \"redis_streams\"") == true)
    }

    @Test func malformedURLs() {
        let found = issues("""
        engine:
          model_registry:
            metadata_db: "mysql://localhost/x"
          venues:
            binance:
              rest_url: "fapi.binance.com"
              ws_url: "https://fstream.binance.com"
            okx:
              rest_url: "https://www.okx.com:99999"
        """)
        #expect(found.map(\.path) == ["engine.model_registry.metadata_db", "engine.venues.binance.rest_url", "engine.venues.binance.ws_url", "engine.venues.okx.rest_url"])
        #expect(found[0].message.hasPrefix("is not a valid database URL"))
        #expect(found[1].message.hasPrefix("is not a valid URL"))
        #expect(found[2].message.hasPrefix("must use wss or ws, not https"))
    }

    @Test func databaseTLSSettingsAreChecked() {
        #expect(issues("engine:\n  model_registry:\n    metadata_db: \"postgresql://db/x?sslmode=verify-full&sslrootcert=/etc/ca.pem\"\n").isEmpty)
        let mode = issues("engine:\n  model_registry:\n    metadata_db: \"postgresql://db/x?sslmode=on\"\n")
        #expect(mode.count == 1 && mode[0].message.hasPrefix("sslmode must be one of disable, prefer, require, verify-ca, verify-full"))
        let unknown = issues("engine:\n  model_registry:\n    metadata_db: \"postgresql://db/x?ssl=1\"\n")
        #expect(unknown.count == 1 && unknown[0].message.hasPrefix("has an unknown parameter \"ssl\" (known: sslmode, sslrootcert)"))
    }

    @Test func everyProblemReportedAtOnce() {
        let found = issues("""
        engine:
          max_coins: 0
          active_coins: 500
          bogus: 1
          message_bus:
            type: kafka
          risk:
            global_max_exposure_pct: "lots"
        """)
        #expect(found.map(\.path) == ["engine.max_coins", "engine.active_coins", "engine.bogus", "engine.message_bus.type", "engine.risk.global_max_exposure_pct"])
        #expect(found[2].message == "unknown key")
        let error = ConfigError(issues: found)
        #expect(error.description.hasPrefix("configuration has 5 problems:"))
    }

    @Test func invalidYAMLIsReported() {
        let found = issues("engine: [unclosed\n")
        #expect(found.first?.message.hasPrefix("is not valid YAML") == true)
    }

    @Test func environmentOverridesFileAndDefaults() throws {
        let environment = [
            "HURACAN_ENGINE__ACTIVE_COINS": "100",
            "HURACAN_ENGINE__RISK__PER_COIN_MAX_EXPOSURE_PCT": "25.5",
            "HURACAN_ENGINE__MESSAGE_BUS__TYPE": "in_process",
            "HURACAN_ENGINE__OBSERVABILITY__METRICS__LATENCY_PERCENTILES": "[50, 90, 99.9]",
            "HURACAN_ENGINE__MODEL_REGISTRY__RETRAINING__USE_RAY": "false",
            "HURACAN_ENGINE__SIMULATOR__VENUES": "binance,bybit",
            "UNRELATED": "x",
        ]
        let config = try ConfigLoader(environment: environment).load(yaml: "engine:\n  active_coins: 50\n", source: "t")
        #expect(config.activeCoins == 100)
        #expect(config.risk.perCoinMaxExposurePct == 25.5)
        #expect(config.messageBus.type == "in_process")
        #expect(config.observability.latencyPercentiles == [50, 90, 99.9])
        #expect(config.modelRegistry.retraining.useRay == false)
        #expect(config.simulator.venues == ["binance", "bybit"])
    }

    @Test func everyKeyHasAnEnvironmentOverride() throws {
        for field in ConfigSchema.fields {
            let value = field.value(in: EngineConfig())
            let text: String
            switch value {
            case .string(let string): text = string
            case .list(let items): text = "[" + items.map { item in
                if case .string(let s) = item { return s }
                return item.description
            }.joined(separator: ",") + "]"
            default: text = value.description
            }
            if text.isEmpty { continue }
            #expect(throws: Never.self, "\(field.environmentName)") {
                _ = try ConfigLoader(environment: [field.environmentName: text]).load(yaml: "", source: "t")
            }
        }
        #expect(ConfigSchema.fields.first { $0.path == "engine.active_coins" }?.environmentName == "HURACAN_ENGINE__ACTIVE_COINS")
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        let found = issues("", environment: ["HURACAN_ENGINE__ACTIVE_COINS": "lots", "HURACAN_ENGINE__ACTIVE_COIN": "3"])
        #expect(found.count == 2)
        #expect(found.contains { $0.description == "engine.active_coins = \"lots\" (environment HURACAN_ENGINE__ACTIVE_COINS): expected an integer (allowed: an integer between 1 and 400)" })
        #expect(found.contains { $0.source == "environment HURACAN_ENGINE__ACTIVE_COIN" && $0.message.contains("did you mean engine.active_coins") })
    }

    @Test func renderedConfigLoadsBackIdentically() throws {
        var original = try loader.load(path: nil)
        original.activeCoins = 77
        original.observability.latencyPercentiles = [50, 99.9]
        let reloaded = try loader.load(yaml: ConfigRenderer.yaml(original), source: "rendered")
        #expect(reloaded == original)
    }

    @Test func referenceDocIsUpToDate() throws {
        let doc = try String(contentsOfFile: TestPaths.repository.appendingPathComponent("docs/configuration.md").path, encoding: .utf8)
        #expect(doc.contains(ConfigRenderer.reference()), "docs/configuration.md is stale: regenerate with `huracan config reference`")
    }
}
