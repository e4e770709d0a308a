// `import ComputeSim` brings the kernel's vocabulary (SimTime, SimDuration, Scheduler, ...) with
// it, since the cloud's API speaks in those types (as swift-collections' umbrella module does).
@_exported import SimulationKernel
