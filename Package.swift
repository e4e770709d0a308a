// swift-tools-version: 6.1
// ComputeSim: a deterministic discrete-event simulator of an OpenStack-style compute cloud.
// No package dependencies, by design: only the standard library, Foundation and Swift Testing.

import PackageDescription

let package = Package(
    name: "ComputeSim",
    products: [
        .library(name: "ComputeSim", targets: ["ComputeSim"]),
        .executable(name: "compute-sim", targets: ["ComputeSimCLI"]),
    ],
    targets: [
        .target(
            name: "ComputeSim",
            // Release builds export generic hot paths (scheduler, queue, random) to clients such as
            // the Benchmarks package so they are specialised there, instead of @inlinable sprinkled
            // through the sources.
            swiftSettings: [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
        ),
        .executableTarget(name: "ComputeSimCLI", dependencies: ["ComputeSim"]),
        .testTarget(name: "ComputeSimTests", dependencies: ["ComputeSim", "ComputeSimCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
