import ArgumentParser
import Foundation
import HuracanConfig
import HuracanCore
import HuracanRegistry
import HuracanRuntime
import Logging

struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "The model registry: list, show, train, register, activate and roll back per-coin models.",
        discussion: "The registry is engine.model_registry.metadata_db (SQLite by default, or PostgreSQL); model files live under storage_path/{coin}/{version}.json.",
        subcommands: [List.self, Show.self, Train.self, Register.self, Activate.self, Rollback.self, Dataset.self, Schema.self]
    )

    struct Options: ParsableArguments {
        @Option(name: .shortAndLong, help: "Configuration file (YAML).")
        var config: String?
    }

    static func withRegistry<T>(_ options: Options, _ body: (ModelRegistry, EngineConfig) async throws -> T) async throws -> T {
        let config = try loadOrExit(options.config)
        let registry: ModelRegistry
        do {
            registry = try await RegistryConnection.open(config, logger: quietLogger())
        } catch {
            printError("model registry \(config.modelRegistry.metadataDB): \(ReadableError.describe(error))")
            throw ExitCode(1)
        }
        do {
            let result = try await body(registry, config)
            try? await registry.close()
            return result
        } catch let error as RegistryError {
            try? await registry.close()
            printError("error: \(error.message)")
            throw ExitCode(1)
        } catch {
            try? await registry.close()
            throw error
        }
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "huracan.models")
        logger.logLevel = .warning
        return logger
    }

    static func table(_ records: [ModelRecord]) -> String {
        let table = TextTable(columns: ["coin", "version", "regime", "style", "active", "sharpe", "win", "hit", "edge bps", "retrained", "checksum"])
        for r in records {
            table.add([r.coin, "\(r.version)", r.regime, r.style, r.isActive ? "yes" : "", String(format: "%.2f", r.sharpeRatio),
                       r.performanceMetrics["win_rate"].map { String(format: "%.3f", $0) } ?? "",
                       r.performanceMetrics["hit_rate"].map { String(format: "%.3f", $0) } ?? "",
                       r.performanceMetrics["edge_after_cost_bps"].map { String(format: "%.2f", $0) } ?? "",
                       ISO8601DateFormatter().string(from: r.lastRetrainDate), String(r.checksum.prefix(12))])
        }
        return table.render()
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered models (all coins, or one).")
        @OptionGroup var options: Options
        @Option(help: "Only this coin.") var coin: String?

        func run() async throws {
            let records = try await ModelsCommand.withRegistry(options) { registry, _ in try await registry.list(coin: coin) }
            if records.isEmpty {
                print("no models registered\(coin.map { " for \($0)" } ?? "")")
            } else {
                print(ModelsCommand.table(records), terminator: "")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a coin's active models, or one version in full.")
        @OptionGroup var options: Options
        @Argument(help: "Coin, e.g. BTC.") var coin: String
        @Argument(help: "Version (default: the active models).") var version: Int?

        func run() async throws {
            try await ModelsCommand.withRegistry(options) { registry, config in
                let records: [ModelRecord]
                if let version {
                    guard let record = try await registry.record(coin: coin, version: version) else {
                        throw RegistryError(.notFound, "\(coin) v\(version) is not in the registry (see huracan models list --coin \(coin))")
                    }
                    records = [record]
                } else {
                    records = try await registry.activeModels(coin: coin)
                    if records.isEmpty { print("\(coin): no active model (the engine uses the baseline)") }
                }
                for r in records {
                    print("""
                        \(r.coin) v\(r.version)  \(r.isActive ? "ACTIVE" : "inactive")
                          regime               \(r.regime)
                          style / horizon      \(r.style), \(Int(r.horizonSeconds)) s
                          sharpe (walk-fwd)    \(String(format: "%.3f", r.sharpeRatio))
                          metrics              \(r.performanceMetrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%g", $0.value))" }.joined(separator: " "))
                          training window      \(ISO8601DateFormatter().string(from: r.trainingStart)) to \(ISO8601DateFormatter().string(from: r.trainingEnd))
                          last retrain         \(ISO8601DateFormatter().string(from: r.lastRetrainDate))
                          feature schema       v\(r.featureSchemaVersion)
                          trainer              \(r.trainerVersion)
                          artifact             \(registry.store.url(relativePath: r.artifactPath).path)
                          sha256               \(r.checksum)
                          created / activated  \(ISO8601DateFormatter().string(from: r.createdAt)) / \(r.activatedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never")
                        """)
                }
                _ = config
            }
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a version the active model of its regime (running engines swap it in).")
        @OptionGroup var options: Options
        @Argument var coin: String
        @Argument var version: Int

        func run() async throws {
            try await ModelsCommand.withRegistry(options) { registry, _ in
                guard let record = try await registry.record(coin: coin, version: version) else {
                    throw RegistryError(.notFound, "\(coin) v\(version) is not in the registry (see huracan models list --coin \(coin))")
                }
                // Check the file before telling engines to load it.
                do {
                    _ = try ModelLoader(store: registry.store).load(record)
                } catch let error as RegistryError {
                    throw RegistryError(error.cause, "not activated: \(error.message)")
                }
                try await registry.activate(coin: coin, version: version)
                print("\(coin) v\(version) is active for \(record.regime)")
            }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undo a coin's latest activation (the previous model of that regime comes back).")
        @OptionGroup var options: Options
        @Argument var coin: String

        func run() async throws {
            try await ModelsCommand.withRegistry(options) { registry, _ in
                let result = try await registry.rollback(coin: coin)
                let back = result.reactivated.isEmpty ? "no earlier model: the engine falls back" : "active again: " + result.reactivated.map { "v\($0)" }.joined(separator: ", ")
                print("\(coin) v\(result.deactivated) deactivated; \(back)")
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register the models a trainer run wrote ({out}/{coin}/manifest.json).")
        @OptionGroup var options: Options
        @Argument(help: "The trainer's output folder.") var out: String
        @Option(help: "Only these coins (comma-separated).") var coins: String?

        func run() async throws {
            try await ModelsCommand.withRegistry(options) { registry, config in
                let records = try await ModelTraining.register(outDir: out, coins: coins.map { $0.split(separator: ",").map(String.init) }, registry: registry,
                                                               modelsPerRegime: config.modelRegistry.modelsPerRegime, minimumSharpe: config.modelRegistry.minSharpe, logger: ModelsCommand.quietLogger())
                print(ModelsCommand.table(try await registry.list().filter { r in records.contains { $0.coin == r.coin && $0.version == r.version } }), terminator: "")
            }
        }
    }

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train per-coin models (Ray or local workers), register them and activate the best per regime.",
            discussion: "Reads feature data from --data ({data}/{coin}/{YYYYMMDD}.parquet or .csv). Without --data, a data set is generated from the simulated market first.")
        @OptionGroup var options: Options
        @Option(help: "Coins, comma-separated (default: the first --count of the universe).") var coins: String?
        @Option(help: "Number of coins when --coins is not given.") var count = 20
        @Option(help: "Ray cluster address (implies Ray); 'local' starts a local Ray instance.") var ray: String?
        @Flag(help: "Use local worker processes even if retraining.use_ray is true.") var local = false
        @Flag(name: .customLong("per-coin"), help: "Train each coin on its own rows (one task per coin) instead of one model pooled over the coins (retraining.pool_coins).")
        var perCoin = false
        @Option(help: "Feature data folder (default: generate from the simulator into {data_dir}/training).") var data: String?
        @Option(help: "Simulated hours per coin when generating data.") var hours = 6.0
        @Option(help: "Seed of the simulated market for generated data (use another than for trading).") var seed = 2_000
        @Option(help: "Where the trainer writes models and manifests (default: {data_dir}/trainer-out).") var out: String?
        @Option(help: "Trees per model.") var trees = 200
        @Option(name: .customLong("ray-cpus"), help: "CPUs of a local Ray instance (default: all).") var rayCPUs: Int?

        func run() async throws {
            let config = try loadOrExit(options.config)
            let universe = try UniverseLoader.load(for: config)
            let names = coins.map { $0.split(separator: ",").map(String.init) } ?? universe.instruments.prefix(count).map(\.coin)
            let indices = try names.map { name -> CoinIndex in
                guard let i = universe.instruments.firstIndex(where: { $0.coin == name }) else { throw ValidationError("unknown coin \(name)") }
                return CoinIndex(i)
            }
            let dataDir: String
            if let data {
                dataDir = data
            } else {
                dataDir = URL(fileURLWithPath: config.dataDir).appendingPathComponent("training").path
                let venues = config.simulator.venues.compactMap(VenueID.init(rawValue:))
                let start = UTCDate(parsing: config.simulator.startDate)!.start
                let began = Date()
                try TrainingDataExporter.export(universe: universe, coins: indices, seed: UInt64(seed), start: start, hours: hours, venues: venues,
                                                updateIntervalMs: config.simulator.updateIntervalMs, to: URL(fileURLWithPath: dataDir)) { coin, rows in
                    printError("data: \(coin) \(rows) rows")
                }
                printError("data set written to \(dataDir) in \(String(format: "%.1f", Date().timeIntervalSince(began)))s")
            }
            let outDir = out ?? URL(fileURLWithPath: config.dataDir).appendingPathComponent("trainer-out").path
            var plan = ModelTraining.Plan(config: config, dataDir: dataDir, outDir: outDir, coins: names)
            if let ray {
                plan.useRay = true
                plan.rayAddress = ray == "local" ? "" : ray
            }
            if local { plan.useRay = false }
            if perCoin || ray != nil { plan.pool = false }
            plan.trees = trees
            plan.rayCPUs = rayCPUs
            let began = Date()
            let status = try await ModelTraining.runTrainerUntilCancelled(plan, python: config.modelRegistry.retraining.python,
                                                                          trainerPath: config.modelRegistry.retraining.trainerPath) { print("trainer: \($0)") }
            try Task.checkCancellation()
            let seconds = Date().timeIntervalSince(began)
            // Exit 1 with manifests written: some coins failed, the others are registered, and
            // the command still exits 1. Any other failure registers nothing.
            let finished = names.filter { FileManager.default.fileExists(atPath: URL(fileURLWithPath: outDir).appendingPathComponent("\($0)/manifest.json").path) }
            guard status == 0 || (status == 1 && !finished.isEmpty) else {
                printError("the trainer failed (exit \(status)); nothing registered")
                throw ExitCode(status == 0 ? 1 : status)
            }
            if status != 0 { printError("the trainer failed for \(names.count - finished.count) of \(names.count) coins; registering the \(finished.count) it finished") }
            print("training took \(String(format: "%.1f", seconds))s (\(plan.pool ? "pooled" : plan.useRay ? "ray" : "local processes"))")
            try await ModelsCommand.withRegistry(options) { registry, config in
                let records = try await ModelTraining.register(outDir: outDir, coins: names, registry: registry,
                                                               modelsPerRegime: config.modelRegistry.modelsPerRegime, minimumSharpe: config.modelRegistry.minSharpe, logger: ModelsCommand.quietLogger())
                print("registered \(records.count) models for \(Set(records.map(\.coin)).count) coins")
                print(ModelsCommand.table(try await registry.activeModels().filter { names.contains($0.coin) }), terminator: "")
            }
            if status != 0 { throw ExitCode(1) }
        }
    }

    struct Dataset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a training data set from the simulated market ({out}/{coin}/{YYYYMMDD}.csv).")
        @OptionGroup var options: Options
        @Option(help: "Number of coins (most liquid first).") var coins = 20
        @Option(help: "Simulated hours per coin.") var hours = 6.0
        @Option(help: "Seed of the simulated market.") var seed = 2_000
        @Option(help: "Output folder.") var out: String

        func run() throws {
            let config = try loadOrExit(options.config)
            let universe = try UniverseLoader.load(for: config)
            let venues = config.simulator.venues.compactMap(VenueID.init(rawValue:))
            let start = UTCDate(parsing: config.simulator.startDate)!.start
            let counts = try TrainingDataExporter.export(universe: universe, coins: (0..<min(coins, universe.count)).map { CoinIndex($0) }, seed: UInt64(seed),
                                                         start: start, hours: hours, venues: venues, updateIntervalMs: config.simulator.updateIntervalMs,
                                                         to: URL(fileURLWithPath: out)) { coin, rows in printError("\(coin): \(rows) rows") }
            print("wrote \(counts.values.reduce(0, +)) rows for \(counts.count) coins to \(out)")
        }
    }

    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the feature schema shared with the trainer (trainer/huracan_trainer/feature_schema.json).")
        func run() { print(FeatureSchema.json, terminator: "") }
    }
}
