import ComputeSim

/// A benchmark driver's state: its cloud, beside which a second scheduler runs its own events.
protocol CloudDriving: EventHandler {
    var cloud: ComputeCloud { get set }
}

/// A driver's scheduler and state (full-cloud, churn): `run(until:)` advances the cloud to each
/// driver event's time before handling it, then the cloud to the end.
struct CloudDriver<State: CloudDriving> {
    var scheduler = Scheduler<State.Event>()
    var state: State

    var eventCount: UInt64 { state.cloud.processedEventCount + scheduler.processedEventCount }

    /// Schedules `count` events made by `event` at the arrivals of a Poisson process with that
    /// many events an hour, starting at time zero.
    mutating func schedulePoissonHour(_ count: Int, random: inout DeterministicRandom, _ event: (Int32) -> State.Event) {
        let arrivals = Distribution.exponential(mean: 3_600 / Double(count))
        var time = SimTime.zero
        for slot in 0..<count {
            time = time + arrivals.sampleDuration(using: &random)
            scheduler.schedule(event(Int32(slot)), at: time)
        }
    }

    mutating func run(until end: SimTime) {
        while let next = scheduler.nextEventTime(), next <= end {
            try? state.cloud.advance(to: next)
            _ = scheduler.step(handler: &state)
        }
        try? state.cloud.advance(to: end)
    }
}
