import ComputeSim
import CppBaseline

/// The hold model's event: a payload carried from pop to the rescheduled event.
struct HoldEvent: TraceableEvent {
    var payload: UInt32
    func writeTrace(to line: inout TraceLine) {
        line.append("hold payload=")
        line.append(UInt64(payload))
    }
}

/// Pops one event and schedules its successor at time + uniform[0, 1 ms).
struct HoldHandler: EventHandler {
    var random: DeterministicRandom
    var checksum: UInt64 = 0

    mutating func handle(_ event: HoldEvent, scheduler: inout Scheduler<HoldEvent>) {
        checksum &+= UInt64(scheduler.now.nanosecondsSinceStart) &+ UInt64(event.payload)
        let delay = SimDuration(nanoseconds: Int64(random.next(below: 1_000_000)))
        scheduler.schedule(HoldEvent(payload: event.payload &+ 1), after: delay)
    }
}

struct HoldResult {
    var seconds: Double
    var checksum: UInt64
    var finalTime: Int64
    var digest: String
}

/// The classic hold model on the ComputeSim scheduler; the timed region is the N steps only.
func runSwiftHold(pending: Int, events: Int, seed: UInt64, digest: Bool) -> HoldResult {
    var random = DeterministicRandom(seed: seed)
    var scheduler = Scheduler<HoldEvent>(trace: TraceRecorder(isEnabled: digest))
    for index in 0..<pending {
        scheduler.schedule(HoldEvent(payload: UInt32(truncatingIfNeeded: index)), at: SimTime(nanosecondsSinceStart: Int64(random.next(below: 1_000_000_000))))
    }
    var handler = HoldHandler(random: random)
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<events { scheduler.step(handler: &handler) }
    let elapsed = clock.now - start
    return HoldResult(
        seconds: elapsed.seconds,
        checksum: handler.checksum,
        finalTime: scheduler.now.nanosecondsSinceStart,
        digest: digest ? scheduler.traceDigest : ""
    )
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// `kernel-hold`: the Swift kernel, checked against the C++ baseline's checksum on a small run.
func kernelHold(_ options: Options, cpp: Bool) throws(UsageError) -> [String] {
    let pending = try options.integer("pending", default: 1_000_000)
    let events = try options.integer("events", default: 10_000_000)
    let seed = UInt64(try options.integer("seed", default: 1))
    let digest = try options.flag("digest", default: true)
    guard pending > 0 else { throw UsageError("--pending must be positive") }
    guard pending < Int(UInt32.max) else { throw UsageError("--pending must be below 2^32") }

    // Self-check: both implementations must pop the very same sequence of events.
    let checkPending = min(pending, 1000), checkEvents = min(events, 20_000)
    let swiftCheck = runSwiftHold(pending: checkPending, events: checkEvents, seed: seed, digest: false)
    let cppCheck = computesim_cpp_hold(UInt64(checkPending), UInt64(checkEvents), seed)
    guard swiftCheck.checksum == cppCheck.checksum, swiftCheck.finalTime == cppCheck.finalTime else {
        throw UsageError("self-check failed: Swift and C++ hold models disagree (checksums \(swiftCheck.checksum) vs \(cppCheck.checksum))")
    }

    var line = JSONLine()
    line.add("benchmark", cpp ? "kernel-hold-cpp" : "kernel-hold")
    line.add("pending", pending)
    line.add("events", events)
    if cpp {
        let result = computesim_cpp_hold(UInt64(pending), UInt64(events), seed)
        line.add("seconds", result.seconds)
        line.add("eventsPerSecond", Double(events) / result.seconds)
        line.add("checksum", result.checksum)
    } else {
        let result = runSwiftHold(pending: pending, events: events, seed: seed, digest: digest)
        line.add("seconds", result.seconds)
        line.add("eventsPerSecond", Double(events) / result.seconds)
        line.add("checksum", result.checksum)
        line.add("digest", digest)
        if digest { line.add("traceDigest", result.digest) }
    }
    return [line.text]
}

/// `kernel-compare`: Swift (digest off and on) and C++ in one process, with the ratios.
func kernelCompare(_ options: Options) throws(UsageError) -> [String] {
    let pending = try options.integer("pending", default: 1_000_000)
    let events = try options.integer("events", default: 10_000_000)
    let seed = UInt64(try options.integer("seed", default: 1))
    let cpp = computesim_cpp_hold(UInt64(pending), UInt64(events), seed)
    let off = runSwiftHold(pending: pending, events: events, seed: seed, digest: false)
    let on = runSwiftHold(pending: pending, events: events, seed: seed, digest: true)
    guard off.checksum == cpp.checksum, on.checksum == cpp.checksum else {
        throw UsageError("self-check failed: Swift and C++ hold models disagree")
    }
    var line = JSONLine()
    line.add("benchmark", "kernel-compare")
    line.add("pending", pending)
    line.add("events", events)
    line.add("cppEventsPerSecond", Double(events) / cpp.seconds)
    line.add("swiftEventsPerSecond", Double(events) / off.seconds)
    line.add("swiftWithDigestEventsPerSecond", Double(events) / on.seconds)
    line.add("speedupOverCpp", cpp.seconds / off.seconds)
    line.add("speedupOverCppWithDigest", cpp.seconds / on.seconds)
    line.add("digestCostFraction", (on.seconds - off.seconds) / on.seconds)
    return [line.text]
}
