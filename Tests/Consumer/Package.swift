// swift-tools-version: 6.1
// A package that depends on ComputeSim by version, as a user's package would. Run by
// Scripts/check-consumer.sh, which clones this repository into a temporary folder, tags the clone
// 1.0.0 and points COMPUTESIM_URL at it; SwiftPM refuses a versioned dependency whose product
// targets use unsafe build flags, so this build is what proves the package can be adopted.

import Foundation
import PackageDescription

let computeSimURL = ProcessInfo.processInfo.environment["COMPUTESIM_URL"] ?? "https://example.invalid/ComputeSim.git"

let package = Package(
    name: "ComputeSimConsumer",
    dependencies: [.package(url: computeSimURL, from: "1.0.0")],
    targets: [
        .testTarget(
            name: "ConsumerTests",
            dependencies: [
                .product(name: "SimulationKernel", package: "ComputeSim"),
                .product(name: "ComputeSim", package: "ComputeSim"),
                .product(name: "ComputeSimTesting", package: "ComputeSim"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
