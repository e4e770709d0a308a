import ComputeSim
import Foundation

/// The churn benchmark (issue 16, item 2): a steady population of L live servers on H hosts,
/// created during the first hour; each lives an exponential lifetime (mean `--lifetime-hours`),
/// is deleted and at once replaced, for D simulated days. Deleted servers are archived after
/// `--retention-minutes` (``CloudConfiguration/deletedServerRetention``; a negative value keeps
/// them all, as without archiving). Memory should follow the live population: a 30-day run should
/// peak within 10% of a 1-day one (`churn-compare` runs both in separate processes).
func churnBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let hosts = try options.integer("hosts", default: 1_000)
    let live = try options.integer("live", default: 10_000)
    let days = try options.integer("days", default: 30)
    let lifetimeHours = try options.integer("lifetime-hours", default: 4)
    let retentionMinutes = try options.signedInteger("retention-minutes", default: 60)
    let seed = try options.integer("seed", default: 1)
    guard hosts > 0, live > 0, days > 0, lifetimeHours > 0 else { throw UsageError("--hosts, --live, --days and --lifetime-hours must be positive") }
    let baseline = peakRSSBytes()
    var driver = try ChurnDriver(
        hosts: hosts, live: live, days: days, lifetime: .hours(Int64(lifetimeHours)),
        retention: retentionMinutes < 0 ? nil : .minutes(Int64(retentionMinutes)), seed: UInt64(seed))
    let start = DispatchTime.now().uptimeNanoseconds
    driver.run()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let peak = peakRSSBytes()
    var line = JSONLine()
    line.add("benchmark", "churn")
    line.add("hosts", hosts)
    line.add("live", live)
    line.add("days", days)
    line.add("seed", seed)
    line.add("seconds", (seconds * 1000).rounded() / 1000)
    line.add("events", driver.eventCount)
    line.add("serversCreated", driver.state.created)
    line.add("serversArchived", driver.state.cloud.archivedServerCount)
    line.add("createsRefused", driver.state.refused)
    if let refusal = driver.state.firstRefusal { line.add("firstRefusal", refusal) }
    line.add("peakRSSBytes", peak)
    line.add("bytesPerLiveServer", (peak - baseline) / live)
    line.add("traceDigest", driver.state.cloud.traceDigest)
    let violations = driver.state.cloud.checkInvariants()
    line.add("invariantsHold", violations.isEmpty)
    for violation in violations.prefix(20) { printError("invariant: \(violation)\n") }
    return [line.text]
}

/// Runs `churn` for 1 day and for `--days` (default 30) in two child processes (peak RSS is per
/// process) and prints both lines and whether the long run peaked within 10% of the short one.
func churnCompareBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let days = try options.integer("days", default: 30)
    var passed: [String] = []
    for name in ["hosts", "live", "lifetime-hours", "retention-minutes", "seed"] {
        if let value = options.value(name) { passed += ["--\(name)", value] }
    }
    func child(days: Int) throws(UsageError) -> (line: String, peak: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["churn", "--days", "\(days)"] + passed
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw UsageError("churn-compare: cannot start \(CommandLine.arguments[0]): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let range = line.range(of: "\"peakRSSBytes\":"),
            let peak = Int(line[range.upperBound...].prefix { $0.isNumber })
        else { throw UsageError("churn-compare: the \(days)-day run failed: \(line)") }
        return (line, peak)
    }
    let short = try child(days: 1)
    let long = try child(days: days)
    var line = JSONLine()
    line.add("benchmark", "churn-compare")
    line.add("days", days)
    line.add("peakRatio", (Double(long.peak) / Double(short.peak) * 1000).rounded() / 1000)
    line.add("withinTenPercent", Double(long.peak) <= Double(short.peak) * 1.1)
    return [short.line, long.line, line.text]
}

enum ChurnEvent: TraceableEvent {
    case create(slot: Int32)
    case delete(slot: Int32)

    func writeTrace(to line: inout TraceLine) {
        switch self {
        case .create(let slot):
            line.append("create slot=")
            line.append(Int(slot))
        case .delete(let slot):
            line.append("delete slot=")
            line.append(Int(slot))
        }
    }
}

struct ChurnDriver {
    var driver: CloudDriver<ChurnState>

    init(hosts: Int, live: Int, days: Int, lifetime: SimDuration, retention: SimDuration?, seed: UInt64) throws(UsageError) {
        let state = try ChurnState(hosts: hosts, live: live, days: days, lifetime: lifetime, retention: retention, seed: seed)
        var random = state.random
        driver = CloudDriver(state: state)
        driver.schedulePoissonHour(live, random: &random) { .create(slot: $0) }
        driver.state.random = random
    }

    var state: ChurnState { driver.state }
    var eventCount: UInt64 { driver.eventCount }

    mutating func run() { driver.run(until: driver.state.end) }
}

struct ChurnState: CloudDriving {
    var cloud: ComputeCloud
    let end: SimTime
    let lifetime: Distribution
    var slots: [ServerID?]
    let projects: [Caller]
    let flavors: [FlavorID]
    let image: ImageID
    var random: DeterministicRandom
    var created = 0
    var refused = 0
    var firstRefusal: String?

    init(hosts: Int, live: Int, days: Int, lifetime: SimDuration, retention: SimDuration?, seed: UInt64) throws(UsageError) {
        var configuration = CloudConfiguration()
        configuration.seed = seed
        configuration.hosts = (0..<hosts).map { Host(name: HostName("compute-\($0)"), vcpus: 64, memoryMiB: 262_144, diskGiB: 4_000, cpuAllocationRatio: 2) }
        configuration.defaultQuota = .unlimited
        configuration.deletedServerRetention = retention
        configuration.recordsInstanceActions = false  // a capacity-planning run, as the scenario runner
        configuration.recordsMigrations = false
        do { cloud = try ComputeCloud(configuration: configuration) } catch { throw UsageError("churn cloud: \(error.message)") }
        guard let image = cloud.images.first?.id else { throw UsageError("churn: the default catalog has no image") }
        self.image = image
        flavors = ["2", "3", "4"]
        end = .zero + .hours(Int64(days) * 24)
        self.lifetime = .exponential(mean: Double(lifetime.nanoseconds) / 1e9)
        slots = Array(repeating: nil, count: live)
        projects = (0..<100).map { Caller(project: ProjectID("project-\($0)"), user: "user-\($0)") }
        random = DeterministicRandom(seed: seed, stream: "churn/driver")
    }

    mutating func handle(_ event: ChurnEvent, scheduler: inout Scheduler<ChurnEvent>) {
        switch event {
        case .create(let slot):
            create(slot, scheduler: &scheduler)
        case .delete(let slot):
            if let id = slots[Int(slot)] { try? cloud.deleteServer(id, as: projects[Int(slot) % projects.count]) }
            slots[Int(slot)] = nil
            create(slot, scheduler: &scheduler)
        }
    }

    private mutating func create(_ slot: Int32, scheduler: inout Scheduler<ChurnEvent>) {
        var request = CreateServerRequest(name: "server-\(slot)", image: image, flavor: flavors[random.nextIndex(below: flavors.count)])
        request.network = .none
        do {
            slots[Int(slot)] = try cloud.createServers(request, as: projects[Int(slot) % projects.count]).ids.first
            created += 1
        } catch {
            refused += 1
            if firstRefusal == nil { firstRefusal = error.message }
        }
        scheduler.schedule(.delete(slot: slot), at: scheduler.now + lifetime.sampleDuration(using: &random))
    }
}
