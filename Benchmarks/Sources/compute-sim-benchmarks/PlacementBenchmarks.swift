import ComputeSim

/// `placement`: places S servers on H hosts (64 vCPU, 256 GiB, 4000 GiB each), flavors drawn
/// uniformly from the default catalog, `--accounts` A accounts (1,000 by default; with 1, one
/// project soon holds servers on every host and strict spreading must co-locate), one block of 5 consecutive servers in
/// every 5 forming a hard anti-affinity group; every decision is timed on its own.
func placementBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let hostCount = try options.integer("hosts", default: 100_000)
    let serverCount = try options.integer("servers", default: 100_000)
    let seed = UInt64(try options.integer("seed", default: 1))
    let candidateLimit = try options.integer("candidates", default: PlacementPolicy().candidateLimit)
    let accountCount = try options.integer("accounts", default: 1_000)
    guard hostCount > 0, serverCount > 0, accountCount > 0 else { throw UsageError("--hosts, --servers and --accounts must be positive") }
    let result: PlacementRun
    do {
        result = try runPlacement(hosts: hostCount, servers: serverCount, seed: seed, candidateLimit: candidateLimit, accounts: accountCount)
    } catch {
        throw UsageError("placement benchmark failed: \(error)")
    }
    var line = JSONLine()
    line.add("benchmark", "placement")
    line.add("hosts", hostCount)
    line.add("servers", serverCount)
    line.add("accounts", accountCount)
    line.add("seconds", result.seconds)
    line.add("decisionsPerSecond", Double(result.decisions) / result.seconds)
    line.add("p50Micros", result.percentile(0.50))
    line.add("p99Micros", result.percentile(0.99))
    line.add("placed", result.placed)
    line.add("noValidHost", result.decisions - result.placed)
    line.add("candidateLimit", candidateLimit)
    return [line.text]
}

struct PlacementRun {
    var seconds: Double
    var decisions: Int
    var placed: Int
    var micros: [Double]

    func percentile(_ fraction: Double) -> Double {
        let sorted = micros.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

func runPlacement(hosts hostCount: Int, servers serverCount: Int, seed: UInt64, candidateLimit: Int, accounts accountCount: Int = 1_000) throws -> PlacementRun
{
    var policy = PlacementPolicy()
    policy.candidateLimit = candidateLimit
    var pool = try HostPool(policy: policy)
    for index in 0..<hostCount {
        try pool.addHost(Host(name: HostName("compute-\(index)"), vcpus: 64, memoryMiB: 262_144, diskGiB: 4_000, cpuAllocationRatio: 1.0))
    }
    var workload = DeterministicRandom(seed: seed, stream: "workload")
    var placement = DeterministicRandom(seed: seed, stream: "placement")
    let flavors = Flavor.defaultCatalog
    let accounts = (0..<accountCount).map { ProjectID("project-\($0)") }
    var micros: [Double] = []
    micros.reserveCapacity(serverCount)
    var placed = 0
    var account = accounts[0]
    var group: ServerGroupID? = nil
    let clock = ContinuousClock()
    var total = Duration.zero
    for index in 0..<serverCount {
        let block = index / 5
        if index % 5 == 0 {
            account = accounts[workload.nextIndex(below: accounts.count)]
            if block % 5 == 0 {
                let id = ServerGroupID("group-\(block)")
                try pool.addGroup(ServerGroup(id: id, name: "g\(block)", project: account, policy: .antiAffinity))
                group = id
            } else {
                group = nil
            }
        }
        let flavor = flavors[workload.nextIndex(below: flavors.count)]
        let request = PlacementRequest(project: account, flavor: flavor, group: group)
        let start = clock.now
        let decision = try pool.select(request, random: &placement)
        if let host = decision.host {
            try pool.claim(HostPool.ClaimKey(server: ServerID("server-\(index)")), resources: request.resources, on: host, project: account, group: group)
            placed += 1
        }
        let elapsed = clock.now - start
        total += elapsed
        micros.append(elapsed.seconds * 1e6)
    }
    let problems = pool.checkInvariants()
    guard problems.isEmpty else { throw UsageError("invariants violated after the run: \(problems.prefix(3))") }
    return PlacementRun(seconds: total.seconds, decisions: serverCount, placed: placed, micros: micros)
}

/// `placement-scaling`: the same density (servers per host) at 1,000 and 100,000 hosts, and the
/// ratio of mean decision cost between them (a full scan would make it about 100).
func placementScalingBenchmark(_ options: Options) throws(UsageError) -> [String] {
    let density = try options.integer("servers-per-host", default: 3)
    let seed = UInt64(try options.integer("seed", default: 1))
    guard density > 0 else { throw UsageError("--servers-per-host must be positive") }
    var lines: [String] = []
    var meanMicros: [Double] = []
    for hosts in [1_000, 100_000] {
        let run: PlacementRun
        do {
            run = try runPlacement(hosts: hosts, servers: hosts * density, seed: seed, candidateLimit: PlacementPolicy().candidateLimit)
        } catch {
            throw UsageError("placement benchmark failed: \(error)")
        }
        let mean = run.micros.reduce(0, +) / Double(run.micros.count)
        meanMicros.append(mean)
        var line = JSONLine()
        line.add("benchmark", "placement")
        line.add("hosts", hosts)
        line.add("servers", hosts * density)
        line.add("seconds", run.seconds)
        line.add("decisionsPerSecond", Double(run.decisions) / run.seconds)
        line.add("p50Micros", run.percentile(0.50))
        line.add("p99Micros", run.percentile(0.99))
        line.add("meanMicros", mean)
        lines.append(line.text)
    }
    var summary = JSONLine()
    summary.add("benchmark", "placement-scaling")
    summary.add("serversPerHost", density)
    summary.add("costRatio100kTo1k", meanMicros[1] / meanMicros[0])
    lines.append(summary.text)
    return lines
}
