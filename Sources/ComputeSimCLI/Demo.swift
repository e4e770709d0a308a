import ComputeSim

/// Options of the built-in demo.
struct DemoOptions: Equatable {
    var seed: UInt64 = 1
    var duration: SimDuration = .hours(1)
    var printTrace = false
}

/// The demo's events: build requests arrive, wait for one of four build slots, and finish.
enum DemoEvent: TraceableEvent {
    case arrival(request: Int)
    case buildFinished(request: Int, slot: Int)

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .arrival(let request):
            line.append("arrival request=")
            line.append(request)
        case .buildFinished(let request, let slot):
            line.append("build-finished request=")
            line.append(request)
            line.append(" slot=")
            line.append(slot)
        }
    }
}

/// An M/M/c-style build queue: Poisson arrivals (mean 20 s apart), builds of uniform
/// 30–90 s, four slots, FIFO waiting. Small, but it exercises scheduling, seeded streams,
/// distributions and the trace.
struct DemoModel: EventHandler {
    static let slots = 4
    var arrivals: DeterministicRandom
    var builds: DeterministicRandom
    let interArrival = Distribution.exponential(mean: 20)
    let buildTime = Distribution.uniform(min: 30, max: 90)

    var freeSlots = Array((0..<DemoModel.slots).reversed())
    var waiting: [(request: Int, since: SimTime)] = []
    var waitingHead = 0
    var nextRequest = 0
    var completed = 0
    var totalWait = SimDuration.zero
    var longestWait = SimDuration.zero
    var longestQueue = 0

    init(seed: UInt64) {
        arrivals = DeterministicRandom(seed: seed, stream: "workload")
        builds = DeterministicRandom(seed: seed, stream: "timing")
    }

    mutating func handle(_ event: DemoEvent, scheduler: inout Scheduler<DemoEvent>) {
        switch event {
        case .arrival(let request):
            waiting.append((request, scheduler.now))
            longestQueue = max(longestQueue, waiting.count - waitingHead)
            nextRequest += 1
            scheduler.schedule(.arrival(request: nextRequest), after: interArrival.sampleDuration(using: &arrivals))
        case .buildFinished(_, let slot):
            completed += 1
            freeSlots.append(slot)
        }
        while waitingHead < waiting.count, let slot = freeSlots.popLast() {
            let (request, since) = waiting[waitingHead]
            waitingHead += 1
            let wait = scheduler.now - since
            totalWait += wait
            longestWait = max(longestWait, wait)
            scheduler.schedule(.buildFinished(request: request, slot: slot), after: buildTime.sampleDuration(using: &builds))
        }
    }
}

/// Runs the demo and returns everything it prints, so tests can compare it byte for byte.
func runDemo(_ options: DemoOptions) -> String {
    var scheduler = Scheduler<DemoEvent>(trace: TraceRecorder(capture: options.printTrace ? .all : .none))
    var model = DemoModel(seed: options.seed)
    scheduler.schedule(.arrival(request: 0), at: .zero)
    // The model never goes idle (arrivals continue), so the horizon bounds the run.
    do {
        try scheduler.run(until: SimTime(options.duration), handler: &model)
    } catch {
        return "compute-sim: \(error.message)\n"
    }
    var output = ""
    if options.printTrace {
        for line in scheduler.trace.capturedLines { output += line + "\n" }
    }
    let started = model.waitingHead
    let meanWait = started == 0 ? SimDuration.zero : SimDuration(nanoseconds: model.totalWait.nanoseconds / Int64(started))
    output += """
        ComputeSim kernel demo: build queue with \(DemoModel.slots) slots
        seed                \(options.seed)
        simulated time      \(options.duration)
        requests arrived    \(model.nextRequest)
        builds started      \(started)
        builds completed    \(model.completed)
        still waiting       \(model.waiting.count - model.waitingHead)
        mean wait           \(seconds(meanWait))
        longest wait        \(seconds(model.longestWait))
        longest queue       \(model.longestQueue)
        events processed    \(scheduler.processedEventCount)
        events pending      \(scheduler.pendingEventCount)
        trace digest        \(scheduler.traceDigest)

        """
    return output
}

/// `d` in seconds rounded to milliseconds, e.g. `7.989 s`, with integer arithmetic only.
func seconds(_ duration: SimDuration) -> String {
    let milliseconds = (duration.nanoseconds + 500_000) / 1_000_000
    let fraction = milliseconds % 1_000
    let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
    return "\(milliseconds / 1_000).\(padded) s"
}
