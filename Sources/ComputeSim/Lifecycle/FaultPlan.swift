/// Faults ComputeSim can inject. Named sites fire by seeded probability from the faults stream
/// (all off by default); scripted faults happen at exact virtual times.
public struct FaultPlan: Hashable, Sendable {
    /// Probability that a build fails on its host with a reschedulable error (the server tries
    /// its next alternate host; with none left it goes to ERROR).
    public var reschedulableBuildFailure = 0.0
    /// Probability that a build fails with a non-reschedulable error (straight to ERROR).
    public var fatalBuildFailure = 0.0
    /// Probability that a mutating API call fails with a 500 before changing anything.
    public var controlPlaneError = 0.0

    public init() {}

    func validated() throws(ModelError) -> FaultPlan {
        for (label, value) in [
            ("reschedulableBuildFailure", reschedulableBuildFailure), ("fatalBuildFailure", fatalBuildFailure), ("controlPlaneError", controlPlaneError),
        ] {
            guard value.isFinite, value >= 0, value <= 1 else {
                throw ModelError(.invalidValue, "fault probability \(label) must be in [0, 1], got \(value)")
            }
        }
        return self
    }
}

/// A fault scheduled at an exact virtual time.
public enum ScriptedFault: Hashable, Sendable {
    /// `hostFailure az1-compute-7`, `guestShutdown <id>`, `failNextBuild any`.
    public var summary: String {
        switch self {
        case .hostDown(let host): return "hostDown \(host)"
        case .hostUp(let host): return "hostUp \(host)"
        case .hostFailure(let host): return "hostFailure \(host)"
        case .guestShutdown(let id): return "guestShutdown \(id)"
        case .guestCrash(let id): return "guestCrash \(id)"
        case .failNextBuild(let host): return "failNextBuild \(host?.rawValue ?? "any")"
        }
    }

    /// The host stops reporting: its servers show UNKNOWN and refuse actions until it returns.
    case hostDown(HostName)
    /// The host reports again.
    case hostUp(HostName)
    /// The host fails and loses its servers: they go to ERROR with a fault, their resources are
    /// freed and the host is down until brought up again.
    case hostFailure(HostName)
    /// The guest powers itself off; the next power-state sync stops the server (or deletes it
    /// when it was created with `shutdownTerminate`).
    case guestShutdown(ServerID)
    /// The guest crashes (power state CRASHED); the next power-state sync stops the server.
    case guestCrash(ServerID)
    /// The next build to finish (on this host, or anywhere when nil) fails with a
    /// reschedulable error, as if its host had hit a transient fault.
    case failNextBuild(HostName?)
}
