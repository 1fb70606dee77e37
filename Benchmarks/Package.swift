// swift-tools-version:6.1
// Benchmarks for Huracan: a separate package, so the main build and CI never compile it.
// Run from this folder: `swift package --disable-sandbox benchmark` (see ../README.md, "Benchmarks").
import PackageDescription

let package = Package(
    name: "HuracanBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // The main package. `name:` pins the name the products below refer to, so it does not
        // depend on the folder the repository was cloned into (SwiftPM's identity of a path
        // dependency is the folder's name).
        .package(name: "huracan", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HuracanCore", package: "huracan"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "BusBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HuracanCore", package: "huracan"),
                .product(name: "HuracanBus", package: "huracan"),
            ],
            path: "Benchmarks/BusBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
