// swift-tools-version: 6.1
// ComputeSim: a deterministic discrete-event simulator of an OpenStack-style compute cloud.
// No package dependencies, by design: only the standard library, Foundation and Swift Testing.
// No unsafe build flags either, so that other packages can depend on this one by version.
//
// Layers point one way:
//   SimulationKernel  <-  ComputeSim  <-  ComputeSimTesting  <-  compute-sim (ComputeSimCLI)
//                         ComputeSim  <-  ComputeSimServer (the network front end)  <-  compute-sim

import PackageDescription

let package = Package(
    name: "ComputeSim",
    products: [
        /// A discrete-event kernel for any model: virtual time, event queue, scheduler, seeded
        /// randomness and distributions, trace and digest. Knows nothing about clouds.
        .library(name: "SimulationKernel", targets: ["SimulationKernel"]),
        /// The simulated compute cloud: model, lifecycle, placement, filesystem, build model,
        /// engine, typed and JSON facades, scenarios and reports.
        .library(name: "ComputeSim", targets: ["ComputeSim"]),
        /// Test doubles for orchestration code: SimulatedCloud, SimulationClock, ComputeClient,
        /// scripted sessions and the API torture.
        .library(name: "ComputeSimTesting", targets: ["ComputeSimTesting"]),
        /// The network front end of `compute-sim serve`: HTTP/1.1 on POSIX sockets, Keystone v3,
        /// Compute v2.1, Glance v2 and Neutron v2.0 subsets, and the /sim controls.
        .library(name: "ComputeSimServer", targets: ["ComputeSimServer"]),
        .executable(name: "compute-sim", targets: ["ComputeSimCLI"]),
    ],
    targets: [
        .target(name: "SimulationKernel"),
        .target(name: "ComputeSim", dependencies: ["SimulationKernel"]),
        .target(name: "ComputeSimTesting", dependencies: ["ComputeSim"]),
        .target(name: "ComputeSimServer", dependencies: ["ComputeSim", "SimulationKernel", "CLinuxShims"]),
        // <sys/epoll.h> for the server's event loops (the Glibc module does not export it).
        .target(name: "CLinuxShims"),
        .executableTarget(name: "ComputeSimCLI", dependencies: ["ComputeSim", "ComputeSimTesting", "ComputeSimServer"]),

        // Helpers shared by the test targets (golden files, the package root).
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "SimulationKernelTests", dependencies: ["SimulationKernel", "TestSupport"]),
        .testTarget(name: "ComputeSimTests", dependencies: ["ComputeSim", "TestSupport"]),
        .testTarget(name: "ComputeSimTestingTests", dependencies: ["ComputeSimTesting", "TestSupport"]),
        .testTarget(name: "ComputeSimCLITests", dependencies: ["ComputeSimCLI", "TestSupport"]),
        .testTarget(name: "ComputeSimServerTests", dependencies: ["ComputeSimServer", "ComputeSim"]),
    ],
    swiftLanguageModes: [.v6]
)
