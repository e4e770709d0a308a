/// Host failures drawn from MTBF and MTTR distributions: each host in scope fails after an
/// MTBF sample, is repaired (comes back up, empty) after an MTTR sample, and so on.
public struct RandomHostFailures: Hashable, Sendable {
    public var hosts: [HostName]
    public var timeBetweenFailures: Distribution
    public var timeToRepair: Distribution
}

/// A fault at an exact offset from the start of a run.
public struct TimedFault: Hashable, Sendable {
    public var at: SimDuration
    public var fault: ScriptedFault
}

/// A recovery an operator makes: at `at`, every server of `host` is evacuated (as an
/// administrator, to hosts placement picks) if the host's compute service is still down. From a
/// `hostDown` fault's `evacuateAfter`.
public struct PlannedEvacuation: Hashable, Sendable {
    public var at: SimDuration
    public var host: HostName
}
