// swift-tools-version:6.1
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "huracan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "huracan", targets: ["huracan"]),
        .library(name: "HuracanCore", targets: ["HuracanCore"]),
        .library(name: "HuracanBus", targets: ["HuracanBus"]),
        .library(name: "HuracanRedis", targets: ["HuracanRedis"]),
        .library(name: "HuracanRuntime", targets: ["HuracanRuntime"]),
        .library(name: "HuracanTestSupport", targets: ["HuracanTestSupport"]),
        .library(name: "HuracanSQL", targets: ["HuracanSQL"]),
        .library(name: "HuracanRegistry", targets: ["HuracanRegistry"]),
        .library(name: "HuracanJournal", targets: ["HuracanJournal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Pure domain and decision logic: no I/O, no wall clock.
        .target(name: "HuracanCore", swiftSettings: swiftSettings),
        // Adapter: YAML configuration, environment overrides, universe file.
        .target(
            name: "HuracanConfig",
            dependencies: ["HuracanCore", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // Adapter: the simulated venue (market generator and matching engine).
        .target(name: "HuracanSimVenue", dependencies: ["HuracanCore"], swiftSettings: swiftSettings),
        // Adapter: the real venues (Binance USD-M, OKX v5, Bybit v5): signing, payload parsers,
        // order-book sync, rate limits, status and error-code mapping.
        .target(
            name: "HuracanExchanges",
            dependencies: ["HuracanCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Adapter: network clients of the real venues (REST over async-http-client, WebSocket
        // streams over swift-websocket), the `ExchangeVenue` conformances and connectivity checks.
        .target(
            name: "HuracanVenues",
            dependencies: [
                "HuracanCore", "HuracanExchanges",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test support: fake Binance, OKX and Bybit servers on 127.0.0.1 (REST + WebSocket, signature
        // checks, a matching core, fault injection).
        .target(
            name: "HuracanFakeVenues",
            dependencies: [
                "HuracanCore", "HuracanExchanges", "HuracanVenues",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // Redis client: the RESP protocol on SwiftNIO (pipelining, pool, reconnect, AUTH, TLS).
        .target(
            name: "HuracanRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapter: the message bus (stream names, wire format, in-process and Redis Streams buses).
        .target(
            name: "HuracanBus",
            dependencies: [
                "HuracanCore", "HuracanRedis", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapter: the Parquet data lake (our Parquet codec, partitions, importers, recorder).
        .target(
            name: "HuracanStorage",
            dependencies: [
                "HuracanCore", "HuracanBus", "HuracanRedis", "HuracanExchanges",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapter: HTTP status and admin calls (later also metrics and health).
        .target(
            name: "HuracanHTTP",
            dependencies: ["HuracanCore", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        // Adapter: SQL databases (SQLite embedded, PostgreSQL) opened from a URL, one code path,
        // versioned migrations. Shared by the model registry and the order journal.
        .target(
            name: "HuracanSQL",
            dependencies: [
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapter: the model registry (SQL), model artifacts with checksums, XGBoost JSON loading.
        .target(
            name: "HuracanRegistry",
            dependencies: [
                "HuracanCore", "HuracanSQL",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapter: the order journal (SQL): order intents and their venue outcome, fills, positions
        // from fills, closed trades, reconciliation runs. The trade history of live trading.
        .target(
            name: "HuracanJournal",
            dependencies: [
                "HuracanCore", "HuracanExchanges", "HuracanSQL",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runtime: shards, event loops, services, terminal view.
        .target(
            name: "HuracanRuntime",
            dependencies: [
                "HuracanCore", "HuracanConfig", "HuracanSimVenue", "HuracanHTTP", "HuracanBus", "HuracanRedis", "HuracanStorage", "HuracanRegistry", "HuracanSQL",
                "HuracanExchanges", "HuracanVenues", "HuracanJournal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The parsers the fuzzers feed (tools/fuzz/fuzz.sh; FuzzCorpusTests replays the corpus).
        .target(
            name: "HuracanFuzzTargets",
            dependencies: ["HuracanBus", "HuracanConfig", "HuracanCore", "HuracanExchanges", "HuracanRedis", "HuracanStorage",
                           .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "huracan",
            dependencies: [
                "HuracanRuntime", "HuracanConfig", "HuracanCore", "HuracanExchanges", "HuracanStorage", "HuracanBus", "HuracanRedis", "HuracanRegistry", "HuracanSQL", "HuracanVenues",
                "HuracanFakeVenues",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test support: paths to shared fixtures, data generators, server launchers.
        .target(name: "HuracanTestSupport", dependencies: ["HuracanCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HuracanRegistryTests",
            dependencies: ["HuracanRegistry", "HuracanSQL", "HuracanCore", "HuracanTestSupport", "HuracanConfig", "HuracanRuntime",
                           .product(name: "SQLKit", package: "sql-kit")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HuracanJournalTests",
            dependencies: ["HuracanJournal", "HuracanCore", "HuracanExchanges", "HuracanSQL", "HuracanTestSupport",
                           .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HuracanReconciliationTests",
            dependencies: [
                "HuracanRuntime", "HuracanJournal", "HuracanVenues", "HuracanFakeVenues", "HuracanExchanges", "HuracanCore", "HuracanTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HuracanCoreTests", dependencies: ["HuracanCore", "HuracanTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HuracanConfigTests", dependencies: ["HuracanConfig", "HuracanTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HuracanSimVenueTests", dependencies: ["HuracanSimVenue", "HuracanTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HuracanExchangesTests", dependencies: ["HuracanExchanges", "HuracanTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "HuracanBusTests", dependencies: ["HuracanBus", "HuracanRedis", "HuracanTestSupport", "HuracanFuzzTargets"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HuracanRedisTests",
            dependencies: ["HuracanRedis", "HuracanBus", "HuracanCore", "HuracanTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HuracanRuntimeTests", dependencies: ["HuracanRuntime", "HuracanTestSupport", "HuracanBus", "HuracanConfig", "HuracanHTTP", "HuracanRedis", "HuracanStorage", "HuracanSimVenue"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HuracanStorageTests",
            dependencies: [
                "HuracanStorage", "HuracanTestSupport", "HuracanCore", "HuracanBus", "HuracanRedis", "HuracanRuntime", "HuracanConfig",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HuracanVenuesTests",
            dependencies: [
                "HuracanVenues", "HuracanFakeVenues", "HuracanExchanges", "HuracanCore", "HuracanTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HuracanLiveTests",
            dependencies: [
                "HuracanRuntime", "HuracanVenues", "HuracanFakeVenues", "HuracanExchanges", "HuracanCore", "HuracanConfig", "HuracanTestSupport",
                "HuracanJournal", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HuracanHTTPTests",
            dependencies: ["HuracanHTTP", "HuracanTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
    ]
)

// The libFuzzer executable exists only for the fuzz build (HURACAN_FUZZ=1, tools/fuzz/fuzz.sh):
// it links libFuzzer's driver, which normal builds do not have.
if ProcessInfo.processInfo.environment["HURACAN_FUZZ"] != nil {
    package.products.append(.executable(name: "huracan-fuzz", targets: ["HuracanFuzz"]))
    package.targets.append(.executableTarget(name: "HuracanFuzz", dependencies: ["HuracanFuzzTargets"], swiftSettings: swiftSettings))
}
