// The invariant checker.
extension ComputeCloud {
    /// Every violated invariant, described; empty when the cloud is consistent:
    /// - host usage equals the sum of claims (a resize's source and destination both), no host
    ///   is over its effective capacity, the per-host account and group indexes agree with the
    ///   claims, and hard affinity and anti-affinity hold;
    /// - every server with a host holds a claim there and is in that host's resident index;
    ///   servers without one hold none; deleted servers hold nothing (claims, addresses);
    /// - quota usage equals the live servers' sum; no two servers share an address;
    /// - each server's last recorded status is the one its (vm_state, task_state) and host give;
    /// - personality files injected at build or rebuild are root:root 0440 (unless the guest
    ///   has since written them);
    /// - a server in an operation has its next phase pending, and every pending handle a
    ///   server holds is still in the event queue.
    ///
    /// Builds compiled with `-D COMPUTESIM_CHECK_INVARIANTS` call it after every event.
    /// - Complexity: O(servers + hosts + claims).
    public func checkInvariants() -> [InvariantViolation] {
        var problems = world.breaches + world.pool.checkInvariants()
        // Every port (inline on the first network, or a NIC of a list) by network and number.
        var ports: [[Int: ServerID]] = Array(repeating: [:], count: world.usedPorts.count)
        // (By id and flag: a record passed whole would be copied per call.)
        func hold(_ network: Int, _ port: Int, by id: ServerID, deleted: Bool) {
            guard network < ports.count else {
                problems.append(InvariantViolation(.server(id), "holds a port on network number \(network), which does not exist"))
                return
            }
            if let other = ports[network][port] {
                problems.append(
                    InvariantViolation(
                        .cloud, "servers \(other) and \(id) share address number \(port) on network \(world.configuration.networks[network].name)"
                    ))
            }
            ports[network][port] = id
            if deleted { problems.append(InvariantViolation(.server(id), "deleted but still holds an address")) }
        }
        for record in world.servers {
            if let port = record.port { hold(0, port, by: record.server.id, deleted: record.isDeleted) }
            // (A NIC on a project's port is counted with the port, below.)
            if record.networkKind == 3 {
                for nic in record.nics where nic.port == nil { hold(Int(nic.network), Int(nic.number), by: record.server.id, deleted: record.isDeleted) }
            }
        }
        let vacant = world.servers.indices.filter { world.servers[$0].isVacant }.map(Int32.init)
        if vacant != world.freeSlots.sorted() || world.serverIndex.count + vacant.count != world.servers.count {
            problems.append(
                InvariantViolation(
                    .cloud,
                    "\(vacant.count) archived record numbers, \(world.freeSlots.count) free for reuse, \(world.serverIndex.count) servers indexed of \(world.servers.count)"
                ))
        }
        for id in world.portOrder {
            guard let port = world.ports[id], Int(port.network) < ports.count else {
                problems.append(InvariantViolation(.cloud, "port \(id) is listed but not held, or on a network that does not exist"))
                continue
            }
            if let other = ports[Int(port.network)][Int(port.number)] {
                problems.append(InvariantViolation(.cloud, "port \(id) and server \(other) share address number \(port.number)"))
            }
            ports[Int(port.network)][Int(port.number)] = ServerID("port \(id)")
            if let device = port.device, world.serverIndex[device].map({ world.servers[Int($0)].isDeleted }) ?? true {
                problems.append(InvariantViolation(.cloud, "port \(id) is bound to \(device), which does not exist"))
            }
        }
        if world.ports.count != world.portOrder.count { problems.append(InvariantViolation(.cloud, "ports and their listing order disagree")) }
        for (network, held) in ports.enumerated() where held.count != world.usedPorts[network].count {
            problems.append(
                InvariantViolation(.cloud, "address pool of network \(world.configuration.networks[network].name) disagrees with the servers' ports"))
        }
        var recount: [ProjectID: QuotaUsage] = [:]
        for record in world.servers where !record.isDeleted {
            recount[record.server.project, default: QuotaUsage()].add(record.server.flavor, sign: 1, instance: true)
        }
        for project in Set(recount.keys).union(world.pool.accountProjects).sorted()
        where (recount[project] ?? QuotaUsage()) != world.usage(of: project) {
            problems.append(
                InvariantViolation(
                    .project(project),
                    "quota usage \(world.usage(of: project)) but its servers add up to \(recount[project] ?? QuotaUsage())"))
        }
        // Each host's resident index is compacted once, not once per server on it (which made
        // this check quadratic in servers per host).
        var residentSets: [HostName: Set<Int32>] = [:]
        func residents(of host: HostName) -> Set<Int32> {
            if let known = residentSets[host] { return known }
            let set = Set(world.residents(of: host))
            residentSets[host] = set
            return set
        }
        func hostName(_ slot: Int32?) -> HostName? { slot.map { world.pool.hosts[Int($0)].host.name } }
        for (number, record) in world.servers.enumerated() {
            let id = record.server.id
            // The engine's claims are keyed by record number.
            let claimHost = hostName(world.pool.claimedHost(number: Int32(number), purpose: .instance))
            let targetHost = hostName(world.pool.claimedHost(number: Int32(number), purpose: .migrationTarget))
            if record.hostSlot != (record.server.host.flatMap { world.pool.hostIndex[$0] } ?? -1) {
                problems.append(InvariantViolation(.server(id), "host number \(record.hostSlot) does not name its host \(record.server.host?.rawValue ?? "-")"))
            }
            if record.isDeleted {
                if claimHost != nil || targetHost != nil { problems.append(InvariantViolation(.server(id), "deleted but still holds resources")) }
                continue
            }
            if record.server.host != nil && record.resizeSource == nil && claimHost != record.server.host {
                problems.append(
                    InvariantViolation(.server(id), "on host \(record.server.host?.rawValue ?? "-") but its claim is on \(claimHost?.rawValue ?? "no host")"))
            }
            if let source = record.resizeSource {
                if claimHost != source.host || targetHost != record.server.host {
                    problems.append(InvariantViolation(.server(id), "resized but does not hold both source and destination"))
                }
            }
            if record.computeReleased {
                var diskOnly = record.server.flavor.claim
                diskOnly.vcpus = 0
                diskOnly.memoryMiB = 0
                if ![.suspended, .shelved, .softDeleted].contains(record.server.vmState) && record.operation == nil {
                    problems.append(InvariantViolation(.server(id), "holds only its disk while \(record.server.vmState.rawValue)"))
                }
                if world.pool.claimedResources(number: Int32(number)) != diskOnly {
                    problems.append(InvariantViolation(.server(id), "released its vCPUs and RAM but its claim is not its disk alone"))
                }
            }
            if record.server.host == nil && (claimHost != nil || (targetHost != nil && record.operation?.action != .liveMigrate)) {
                problems.append(InvariantViolation(.server(id), "has no host but holds resources"))
            }
            if let host = record.server.host, let index = world.serverIndex[id], !residents(of: host).contains(index) {
                problems.append(InvariantViolation(.server(id), "on host \(host) but missing from its resident index"))
            }
            if let recorded = record.history.last?.status, recorded != world.status(of: record) {
                problems.append(
                    InvariantViolation(.server(id), "last recorded status \(recorded.rawValue) but its states give \(world.status(of: record).rawValue)"))
            }
            if record.operation != nil && record.pending == nil && world.serverIndex[id].flatMap({ world.plantServers[$0]?.work }) == nil {
                problems.append(InvariantViolation(.server(id), "in an operation with no next phase pending"))
            }
            if let handle = record.pending, !scheduler.isPending(handle) {
                problems.append(InvariantViolation(.server(id), "holds a pending event that is no longer queued"))
            }
            for path in record.injectedPaths {
                guard let stat = try? record.fileSystem.stat(path), stat.kind == .file, stat.metadata.uid == 0, stat.metadata.gid == 0,
                    stat.metadata.mode == 0o440
                else {
                    problems.append(InvariantViolation(.server(id), "injected file \(path) is not root:root 0440"))
                    continue
                }
            }
        }
        return problems
    }
}
