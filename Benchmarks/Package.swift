// swift-tools-version: 6.1
// ComputeSim benchmarks: a separate package so the product's build and tests never compile them.
// Always run in release: `swift run -c release --package-path Benchmarks compute-sim-benchmarks`.

import PackageDescription

let package = Package(
    name: "ComputeSimBenchmarks",
    dependencies: [.package(name: "ComputeSim", path: "..")],
    targets: [
        .executableTarget(
            name: "compute-sim-benchmarks",
            dependencies: [
                .product(name: "ComputeSim", package: "ComputeSim"),
                .product(name: "ComputeSimTesting", package: "ComputeSim"),
                .product(name: "ComputeSimServer", package: "ComputeSim"),
                "CppBaseline",
                "CLoadShims",
            ]
        ),
        // Same-run baselines in C++ (std::priority_queue), so ratios come from one process.
        .target(name: "CppBaseline", cxxSettings: [.unsafeFlags(["-O2"])]),
        // epoll for the load generator's threads.
        .target(name: "CLoadShims"),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
