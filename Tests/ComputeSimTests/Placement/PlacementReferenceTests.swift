import ComputeSim
import TestSupport
import Testing

/// An independent, obviously-correct placement: filter every host, apply strict account
/// spreading, weigh every survivor with Nova's normalisation, sort. Written from the spec, not
/// from HostPool, and read only through HostPool's public queries.
struct ReferencePlacement {
    struct HostState {
        var name: HostName
        var zone: AvailabilityZone
        var hypervisor: String
        var usage: HostPool.Usage
        var failures: Int
        var accountServers: Int
        var groupMembers: Int
    }

    static func decide(_ hosts: [HostState], _ request: PlacementRequest, _ policy: PlacementPolicy, group: ServerGroup?, groupHosts: Set<HostName>)
        -> PlacementDecision
    {
        let need = request.resources.componentMax(request.imageMinimum)
        func passes(_ host: HostState) -> Bool {
            guard host.usage.isUp, host.usage.isEnabled else { return false }
            guard !request.excludedHosts.contains(host.name) else { return false }
            if let zone = request.availabilityZone, host.zone != zone { return false }
            guard need.fits(in: host.usage.free) else { return false }
            if let hypervisor = request.imageProperties["hypervisor_type"]?.lowercased() {
                let libvirt: Set<String> = ["kvm", "qemu"]
                let hostType = host.hypervisor.lowercased()
                if hypervisor != hostType && !(libvirt.contains(hypervisor) && libvirt.contains(hostType)) { return false }
            }
            if let limit = policy.maxInstancesPerHost, host.usage.servers >= limit { return false }
            if let group, host.name != request.currentHost {
                if group.policy == .antiAffinity && host.groupMembers >= (group.maxServerPerHost ?? 1) { return false }
                if group.policy == .affinity && !groupHosts.isEmpty && !groupHosts.contains(host.name) { return false }
            }
            return true
        }
        func accountCount(_ host: HostState) -> Int { host.name == request.currentHost ? max(0, host.accountServers - 1) : host.accountServers }
        var candidates = hosts.filter(passes)
        if case .strict = policy.accountSpreading {
            let free = candidates.filter { accountCount($0) == 0 }
            if free.isEmpty, let fewest = candidates.map(accountCount).min() {
                candidates = candidates.filter { accountCount($0) == fewest }
            } else {
                candidates = free
            }
        }
        guard !candidates.isEmpty else { return .noValidHost(NoValidHost(eliminated: [], hostCount: 0)) }
        var totals = [Double](repeating: 0, count: candidates.count)
        func weigh(_ raw: [Double], _ multiplier: Double, fromZero: Bool) {
            guard multiplier != 0 else { return }
            let high = raw.max()!, low = fromZero ? 0 : raw.min()!
            guard high != low else { return }
            for index in raw.indices { totals[index] += multiplier * ((raw[index] - low) / (high - low)) }
        }
        weigh(candidates.map { Double($0.usage.free.memoryMiB) }, policy.ramWeightMultiplier, fromZero: true)
        weigh(candidates.map { Double($0.usage.free.vcpus) }, policy.cpuWeightMultiplier, fromZero: true)
        weigh(candidates.map { Double($0.usage.free.diskGiB) }, policy.diskWeightMultiplier, fromZero: true)
        if group?.policy == .softAffinity { weigh(candidates.map { Double($0.groupMembers) }, policy.softAffinityWeightMultiplier, fromZero: false) }
        if group?.policy == .softAntiAffinity { weigh(candidates.map { -Double($0.groupMembers) }, policy.softAntiAffinityWeightMultiplier, fromZero: false) }
        weigh(candidates.map { Double($0.failures) }, policy.buildFailureWeightMultiplier, fromZero: false)
        weigh(candidates.map { Double($0.usage.servers) }, policy.numInstancesWeightMultiplier, fromZero: false)
        if case .weighted(let multiplier) = policy.accountSpreading { weigh(candidates.map { -Double(accountCount($0)) }, multiplier, fromZero: false) }
        let order = candidates.indices.sorted { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }
        let ranked = order.map { candidates[$0].name }
        return .placed(host: ranked[0], alternates: Array(ranked.dropFirst().prefix(policy.maxAttempts - 1)))
    }
}

struct PlacementReferenceTests {
    /// Builds a random cloud with random existing claims, then compares many random requests.
    private func compare(seed: UInt64, hostCount: Int, candidateLimit: Int, randomPolicy: Bool = true) throws -> (agreed: Int, total: Int, mismatches: [String])
    {
        var random = DeterministicRandom(seed: seed, stream: "reference-test")
        var policy = PlacementPolicy()
        policy.candidateLimit = candidateLimit
        var policyRandom = random
        if !randomPolicy { policyRandom = DeterministicRandom(seed: 0) }
        let multipliers: [Double] = [0, 1, 1, 2, -1, 0.5]
        let ramWeightMultiplier = multipliers[random.nextIndex(below: multipliers.count)]
        if randomPolicy { policy.ramWeightMultiplier = ramWeightMultiplier }
        let cpuWeightMultiplier = multipliers[random.nextIndex(below: multipliers.count)]
        if randomPolicy { policy.cpuWeightMultiplier = cpuWeightMultiplier }
        let diskWeightMultiplier = multipliers[random.nextIndex(below: multipliers.count)]
        if randomPolicy { policy.diskWeightMultiplier = diskWeightMultiplier }
        let numInstances = [0.0, 0, 1, -1][random.nextIndex(below: 4)]
        let spreading: [AccountSpreading] = [.strict, .strict, .off, .weighted(multiplier: 2)]
        let spreadingChoice = spreading[random.nextIndex(below: 4)]
        let maxInstances = [nil, nil, 6][random.nextIndex(below: 3)]
        if randomPolicy {
            policy.numInstancesWeightMultiplier = numInstances
            policy.accountSpreading = spreadingChoice
            policy.maxInstancesPerHost = maxInstances
        }
        _ = policyRandom
        let zones = ["az1", "az2"], hypervisors = ["QEMU", "VMware"]
        var pool = try HostPool(policy: policy)
        var failures: [HostName: Int] = [:]
        var zoneOf: [HostName: String] = [:], hypervisorOf: [HostName: String] = [:]
        for index in 0..<hostCount {
            let name = "h\(index)", zone = zones[random.nextIndex(below: 2)], hypervisor = hypervisors[random.nextIndex(below: 4) == 0 ? 1 : 0]
            try pool.addHost(
                Cloud.host(
                    name, vcpus: [4, 8, 16][random.nextIndex(below: 3)], memoryMiB: [8_192, 16_384, 32_768][random.nextIndex(below: 3)],
                    diskGiB: [100, 200][random.nextIndex(below: 2)], zone: zone, hypervisor: hypervisor, cpuRatio: [1.0, 2.0][random.nextIndex(below: 2)]))
            zoneOf[HostName(name)] = zone
            hypervisorOf[HostName(name)] = hypervisor
            if random.next(below: 8) == 0 { try pool.setUp(false, host: HostName(name)) }
            if random.next(below: 8) == 0 { try pool.setEnabled(false, host: HostName(name)) }
            if random.next(below: 6) == 0 { try pool.recordBuildFailure(on: HostName(name)); failures[HostName(name)] = 1 }
        }
        let policies: [ServerGroupPolicy] = [.affinity, .antiAffinity, .softAffinity, .softAntiAffinity]
        for (index, kind) in policies.enumerated() {
            try pool.addGroup(
                ServerGroup(id: ServerGroupID("g\(index)"), name: "g", project: "p0", policy: kind, maxServerPerHost: kind == .antiAffinity ? 2 : nil))
        }
        let projects: [ProjectID] = ["p0", "p1", "p2"]
        let sizes = [
            Resources(vcpus: 1, memoryMiB: 1_024, diskGiB: 10), Resources(vcpus: 2, memoryMiB: 4_096, diskGiB: 20),
            Resources(vcpus: 4, memoryMiB: 8_192, diskGiB: 40),
        ]
        var serial = 0
        var agreed = 0, total = 0
        var mismatches: [String] = []
        for _ in 0..<60 {
            var request = PlacementRequest(project: projects[random.nextIndex(below: 3)], resources: sizes[random.nextIndex(below: 3)])
            if random.next(below: 4) == 0 { request.availabilityZone = AvailabilityZone(zones[random.nextIndex(below: 2)]) }
            if random.next(below: 3) == 0 { request.group = ServerGroupID("g\(random.nextIndex(below: 4))") }
            if random.next(below: 6) == 0 { request.imageProperties = ["hypervisor_type": "vmware"] }
            if random.next(below: 6) == 0 { request.excludedHosts = [HostName("h\(random.nextIndex(below: hostCount))")] }
            if random.next(below: 8) == 0 { request.imageMinimum = Resources(vcpus: 0, memoryMiB: 6_000, diskGiB: 0) }
            if random.next(below: 6) == 0 { request.currentHost = HostName("h\(random.nextIndex(below: hostCount))") }
            let group = request.group.flatMap { pool.group($0) }
            let groupHosts = Set(request.group.map { pool.hostsHolding(group: $0).map(\.host) } ?? [])
            let groupCounts = Dictionary(uniqueKeysWithValues: request.group.map { pool.hostsHolding(group: $0) } ?? [])
            let states = pool.hostNames.map { name in
                ReferencePlacement.HostState(
                    name: name, zone: AvailabilityZone(zoneOf[name]!), hypervisor: hypervisorOf[name]!,
                    usage: pool.usage(of: name)!, failures: failures[name] ?? 0,
                    accountServers: pool.serverCount(of: request.project, on: name), groupMembers: groupCounts[name] ?? 0)
            }
            var placementRandom = DeterministicRandom(seed: seed)
            let actual = try pool.select(request, random: &placementRandom)
            let expected = ReferencePlacement.decide(states, request, policy, group: group, groupHosts: groupHosts)
            total += 1
            switch (actual, expected) {
            case (.noValidHost, .noValidHost):
                agreed += 1
            case (.placed(let host, _), .placed(let expectedHost, _)) where actual == expected || (candidateLimit < hostCount && host == expectedHost):
                agreed += 1
            default:
                mismatches.append("seed \(seed): \(request) -> \(actual), reference \(expected)")
            }
            // The chosen host must pass every filter whatever K is.
            if let host = actual.host {
                #expect(
                    ReferencePlacement.decide(
                        states.filter { $0.name == host },
                        {
                            var r = request; r.currentHost = request.currentHost; return r
                        }(),
                        {
                            var p = policy; p.accountSpreading = .off; return p
                        }(), group: group, groupHosts: groupHosts
                    ).host == host, "seed \(seed): chose a host that fails a filter")
                // A request with a current host is a resize: the server already exists, so it is not claimed again.
                if random.next(below: 3) != 0 && request.currentHost == nil {
                    try pool.claim(
                        HostPool.ClaimKey(server: ServerID("s\(serial)")), resources: request.resources, on: host, project: request.project,
                        group: request.group)
                    serial += 1
                }
            }
            #expect(pool.checkInvariants().isEmpty, "seed \(seed)")
        }
        return (agreed, total, mismatches)
    }

    @Test("with at most K hosts, indexed placement equals a brute-force full scan", .tags(.seedSweep), arguments: SeedSweep.seeds(40))
    func indexedPlacementEqualsAFullScanWhenHostsFitInK(seed: UInt64) throws {
        let hostCount = 1 + Int(seed % 16)
        let result = try compare(seed: seed, hostCount: hostCount, candidateLimit: 16)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(3))")
        #expect(result.agreed == result.total)
    }

    @Test("with more hosts than K and any policy, every chosen host passes every filter", .tags(.seedSweep), arguments: SeedSweep.seeds(8))
    func decisionsStayValidBeyondK(seed: UInt64) throws {
        // Validity is asserted inside `compare`; agreement beyond K is approximate by design.
        let result = try compare(seed: 1_000 + seed, hostCount: 48, candidateLimit: 16)
        #expect(result.total == 60)
    }

    @Test("with more hosts than K and the default policy, nearly every decision matches a full scan", .tags(.seedSweep), arguments: SeedSweep.seeds(8))
    func defaultPolicyDecisionsMatchAFullScanBeyondK(seed: UInt64) throws {
        let result = try compare(seed: 2_000 + seed, hostCount: 48, candidateLimit: 16, randomPolicy: false)
        #expect(result.agreed * 100 >= result.total * 90, "only \(result.agreed) of \(result.total) agreed: \(result.mismatches.prefix(2))")
    }
}

/// One account filling a pool under strict spreading: level 0 by the tree, then listed once the
/// account is on half the hosts, the fewest-held counts from lists long enough that the walk is
/// tried first and abandoned. With K at least the number of hosts every decision must equal the
/// full scan, whichever way the candidates were found.
struct AccountLevelPlacementTests {
    @Test("one account's strict spreading equals a full scan while it fills 300 hosts, with departures", .tags(.seedSweep), arguments: SeedSweep.seeds(3))
    func oneAccountFillingThePoolMatchesAFullScan(seed: UInt64) throws {
        var random = DeterministicRandom(seed: seed, stream: "account-levels")
        var policy = PlacementPolicy()
        policy.accountSpreading = .strict
        policy.candidateLimit = 400
        var pool = try HostPool(policy: policy)
        let hostCount = 300
        for index in 0..<hostCount {
            try pool.addHost(
                Cloud.host("h\(index)", vcpus: [16, 32][random.nextIndex(below: 2)], memoryMiB: [32_768, 65_536][random.nextIndex(below: 2)], diskGiB: 1_000))
        }
        let sizes = [Resources(vcpus: 1, memoryMiB: 2_048, diskGiB: 10), Resources(vcpus: 2, memoryMiB: 4_096, diskGiB: 20)]
        var live: [(ServerID, Resources)] = []
        var serial = 0
        for step in 0..<1_100 {
            // Mostly arrivals; a departure now and then, and a burst of them late on so the
            // account drops below a quarter of the hosts again.
            let departing = (step > 900 && step < 1_000) || (!live.isEmpty && random.nextIndex(below: 6) == 0)
            if departing, !live.isEmpty {
                let (id, _) = live.remove(at: random.nextIndex(below: live.count))
                try pool.release(HostPool.ClaimKey(server: id))
                continue
            }
            let request = PlacementRequest(project: "fleet", resources: sizes[random.nextIndex(below: sizes.count)])
            let states = pool.hostNames.map { name in
                ReferencePlacement.HostState(
                    name: name, zone: "nova", hypervisor: "QEMU", usage: pool.usage(of: name)!, failures: 0,
                    accountServers: pool.serverCount(of: "fleet", on: name), groupMembers: 0)
            }
            var placementRandom = DeterministicRandom(seed: seed)
            let actual = try pool.select(request, random: &placementRandom)
            let expected = ReferencePlacement.decide(states, request, policy, group: nil, groupHosts: [])
            #expect(actual == expected, "seed \(seed), step \(step)")
            guard actual == expected, let host = actual.host else { return }
            let id = ServerID("s\(serial)")
            serial += 1
            try pool.claim(HostPool.ClaimKey(server: id), resources: request.resources, on: host, project: "fleet")
            live.append((id, request.resources))
            if step % 50 == 0 { #expect(pool.checkInvariants().isEmpty, "seed \(seed), step \(step)") }
        }
        #expect(pool.checkInvariants().isEmpty)
    }
}
