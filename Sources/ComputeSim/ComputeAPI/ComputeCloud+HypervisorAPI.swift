// /os-hypervisors: list, detail, show, statistics, uptime, and before 2.53 search and servers.
extension ComputeCloud {
    /// The hypervisor routes (administrators), per microversion: ids are numbers (the host's
    /// position, from 1) before 2.53 and UUIDs (derived from the host name) from it; paging by
    /// `limit` and `marker` from 2.33; `hypervisor_hostname_pattern` and `with_servers` on the
    /// list, detail and show from 2.53, where `/{pattern}/search` and `/{pattern}/servers` end.
    func hypervisorRequest(_ route: Route, caller: Caller, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse {
        let rest = Array(route.segments.dropFirst())
        let notFound = CloudError(.itemNotFound, "The resource could not be found.")
        let modern = version >= Microversion(2, 53)
        func policy(_ rule: String) throws(CloudError) {
            guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-hypervisors:\(rule) to be performed.") }
        }
        switch rest.count {
        case 0,
            1 where rest[0] == "detail":
            let detail = !rest.isEmpty
            try policy(detail ? "list-detail" : "list")
            return try hypervisorList(route, detail: detail, links: links, version: version)
        case 1 where rest[0] == "statistics":
            try policy("statistics")
            return APIResponse(status: 200, body: ["hypervisor_statistics": hypervisorStatistics()])
        case 1:
            try policy("show")
            let offset = try hypervisorOffset(rest[0], version: version)
            let servers = modern ? try Self.withServers(route) : false
            return APIResponse(status: 200, body: ["hypervisor": hypervisorJSON(offset, detail: true, servers: servers, version: version)])
        case 2 where rest[1] == "uptime":
            try policy("uptime")
            let offset = try hypervisorOffset(rest[0], version: version)
            let name = hostPool.hostNames[offset]
            guard isServiceUp(name) else { throw CloudError(.badRequest, "Compute service of \(name) is unavailable at this time.") }
            guard case .object(var fields) = hypervisorJSON(offset, detail: false, servers: false, version: version) else { throw notFound }
            fields.append(("uptime", .string(hostUptime(offset))))
            return APIResponse(status: 200, body: ["hypervisor": .object(fields)])
        case 2 where !modern && (rest[1] == "search" || rest[1] == "servers"):
            try policy(rest[1])
            let matches = hostPool.hostNames.indices.filter { hostPool.hostNames[$0].rawValue.contains(rest[0]) }
            guard !matches.isEmpty else { throw CloudError(.itemNotFound, "No hypervisor matching '\(rest[0])' could be found.") }
            return APIResponse(
                status: 200,
                body: ["hypervisors": .array(matches.map { hypervisorJSON($0, detail: false, servers: rest[1] == "servers", version: version) })])
        default:
            throw notFound
        }
    }

    /// `with_servers` as Nova's strict boolean reads it.
    static func withServers(_ route: Route) throws(CloudError) -> Bool {
        guard let text = route.value("with_servers") else { return false }
        switch text.lowercased() {
        case "1", "t", "true", "on", "y", "yes": return true
        case "0", "f", "false", "off", "n", "no": return false
        default:
            throw CloudError(
                .badRequest,
                "Invalid input for query parameters with_servers. Value: \(text). '\(text)' is not one of ['True', 'true', '1', 'yes', 'False', 'false', '0', 'no']"
            )
        }
    }

    /// The position of the host a hypervisor id names: a number from 1 before 2.53 (404 for
    /// anything else), a UUID from it (400 "Invalid uuid …" for anything else).
    func hypervisorOffset(_ id: String, version: Microversion) throws(CloudError) -> Int {
        let missing = CloudError(.itemNotFound, "Hypervisor with ID '\(id)' could not be found.")
        let names = hostPool.hostNames
        if version >= Microversion(2, 53) {
            guard Self.isUUIDLike(id) else { throw CloudError(.badRequest, "Invalid uuid \(id)") }
            guard let offset = names.firstIndex(where: { Self.nameUUID("hypervisor", $0.rawValue) == id.lowercased() }) else { throw missing }
            return offset
        }
        guard let number = Int(id), number >= 1, number <= names.count else { throw missing }
        return number - 1
    }

    /// GET /os-hypervisors and /detail.
    func hypervisorList(_ route: Route, detail: Bool, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse {
        var offsets = Array(hostPool.hostNames.indices)
        var servers = false
        var paged = version >= Microversion(2, 33)
        if version >= Microversion(2, 53) {
            servers = try Self.withServers(route)
            if let pattern = route.value("hypervisor_hostname_pattern") {
                guard route.value("limit") == nil, route.value("marker") == nil else {
                    throw CloudError(.badRequest, "Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.")
                }
                offsets = offsets.filter { hostPool.hostNames[$0].rawValue.contains(pattern) }
                guard !offsets.isEmpty else { throw CloudError(.itemNotFound, "No hypervisor matching '\(pattern)' could be found.") }
                paged = false
            }
        }
        var limit = offsets.count
        if paged {
            if let marker = route.value("marker") {
                let position = try hypervisorOffset(marker, version: version)
                offsets = offsets.filter { $0 > position }
            }
            if let text = route.value("limit") {
                guard let value = Int(text), value >= 0 else {
                    throw CloudError(.badRequest, "Invalid input for query parameters limit. Value: \(text). '\(text)' does not match '^[0-9]*$'")
                }
                limit = min(value, Self.maximumLimit)
            }
        }
        offsets = Array(offsets.prefix(limit))
        let list = offsets.map { hypervisorJSON($0, detail: detail, servers: servers, version: version) }
        var body: [(String, JSONValue)] = [("hypervisors", .array(list))]
        if paged, route.value("limit") != nil, limit > 0, offsets.count == limit, let last = list.last?["id"] {
            let marker = last.stringValue ?? last.intValue.map { "\($0)" } ?? ""
            var query = route.query.filter { $0.0 != "marker" }
            query.append(("marker", marker))
            let path = detail ? links.selfHref("os-hypervisors", "detail") : String(links.selfHref("os-hypervisors", "").dropLast())
            body.append(("hypervisors_links", [["href": .string(path + "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&")), "rel": "next"]]))
        }
        return APIResponse(status: 200, body: .object(body))
    }

    /// One hypervisor (the host at `offset`) as Nova's view shows it: id, name, state (its
    /// compute service up: the host up and not forced down) and status (the service disabled
    /// or not); with `detail` every field Nova's schema requires (`host_ip` 192.168.0.0/16 by
    /// host order, `cpu_info` a JSON string before 2.28 and an object from it,
    /// `current_workload` the servers with a task under way); with `servers` the servers on it
    /// (name and uuid; from 2.75 also an empty list).
    func hypervisorJSON(_ offset: Int, detail: Bool, servers: Bool, version: Microversion) -> JSONValue {
        let name = hostPool.hostNames[offset]
        guard let host = hostPool.host(name), let usage = hostPool.usage(of: name) else { return .null }
        let modern = version >= Microversion(2, 53)
        let service = world.serviceOverrides[name] ?? ServiceOverride()
        var fields: [(String, JSONValue)] = [
            ("id", modern ? .string(Self.nameUUID("hypervisor", name.rawValue)) : .int(Int64(offset + 1))),
            ("hypervisor_hostname", .string(name.rawValue)), ("state", .string(usage.isUp && !service.forcedDown ? "up" : "down")),
            ("status", .string(service.disabled ? "disabled" : "enabled")),
        ]
        let residents = world.residents(of: name).filter { !world.servers[Int($0)].isDeleted }
        if detail {
            let workload = residents.filter { world.servers[Int($0)].server.taskState != nil }.count
            let cpu: JSONValue = [
                "arch": "x86_64", "model": "Haswell-noTSX-IBRS", "vendor": "Intel", "features": [],
                "topology": ["sockets": 1, "cores": .int(Int64(host.total.vcpus)), "threads": 1],
            ]
            let freeDisk = Int64(host.total.diskGiB - usage.used.diskGiB)
            let libvirt = host.hypervisorType.rawValue.lowercased() == "qemu" || host.hypervisorType.rawValue.lowercased() == "kvm"
            fields += [
                ("hypervisor_type", .string(host.hypervisorType.rawValue)), ("hypervisor_version", .int(libvirt ? 8_002_000 : 1_000)),
                ("host_ip", .string("192.168.\(offset / 250 % 256).\(offset % 250 + 1)")),
                (
                    "service",
                    [
                        "host": .string(name.rawValue), "id": modern ? .string(Self.nameUUID("service", name.rawValue)) : .int(Int64(offset + 1)),
                        "disabled_reason": service.disabledReason.map(JSONValue.string) ?? .null,
                    ]
                ),
                ("vcpus", .int(Int64(host.total.vcpus))), ("vcpus_used", .int(Int64(usage.used.vcpus))), ("memory_mb", .int(Int64(host.total.memoryMiB))),
                ("memory_mb_used", .int(Int64(usage.used.memoryMiB))), ("free_ram_mb", .int(Int64(host.total.memoryMiB - usage.used.memoryMiB))),
                ("local_gb", .int(Int64(host.total.diskGiB))), ("local_gb_used", .int(Int64(usage.used.diskGiB))), ("free_disk_gb", .int(freeDisk)),
                ("disk_available_least", .int(freeDisk)), ("current_workload", .int(Int64(workload))), ("running_vms", .int(Int64(usage.servers))),
                ("cpu_info", version >= Microversion(2, 28) ? cpu : .string(cpu.canonicalText)),
            ]
        }
        if servers && (!residents.isEmpty || version >= Microversion(2, 75)) {
            let list: [JSONValue] = residents.map { index in
                ["name": .string(world.servers[Int(index)].server.name), "uuid": .string(world.servers[Int(index)].server.id.rawValue)]
            }
            fields.append(("servers", .array(list)))
        }
        return .object(fields)
    }

    /// The sums over the hypervisors whose compute service is enabled (Nova's statistics).
    func hypervisorStatistics() -> JSONValue {
        let keys = [
            "vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used", "free_ram_mb", "free_disk_gb", "current_workload",
            "running_vms", "disk_available_least",
        ]
        var totals = [Int64](repeating: 0, count: keys.count)
        var count: Int64 = 0
        for offset in hostPool.hostNames.indices where !(world.serviceOverrides[hostPool.hostNames[offset]]?.disabled ?? false) {
            let view = hypervisorJSON(offset, detail: true, servers: false, version: .minimum)
            count += 1
            for (position, key) in keys.enumerated() { totals[position] += view[key]?.intValue ?? 0 }
        }
        return .object([("count", .int(count))] + keys.enumerated().map { ($0.element, .int(totals[$0.offset])) })
    }

    /// The host's `uptime` line as libvirt's driver reports it: the wall-clock time of day, the
    /// time since the simulation began, no users, and a load of 0.05 per server on the host.
    func hostUptime(_ offset: Int) -> String {
        let clock = wallClock.iso8601(at: now)  // 2026-01-01T08:32:11Z
        let timeOfDay = clock.dropFirst(11).prefix(8)
        let minutes = now.nanosecondsSinceStart / 60_000_000_000
        let days = minutes / 1_440, hours = minutes % 1_440 / 60, rest = minutes % 60
        var up = days > 0 ? "\(days) day\(days == 1 ? "" : "s"), " : ""
        up += hours > 0 || days > 0 ? "\(hours):\(rest < 10 ? "0" : "")\(rest)" : "\(rest) min"
        let servers = hostPool.usage(of: hostPool.hostNames[offset])?.servers ?? 0
        let load = Double(servers) * 0.05
        let whole = Int(load), hundredths = Int((load * 100).rounded()) % 100
        let loadText = "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)"
        return " \(timeOfDay) up \(up),  0 users,  load average: \(loadText), \(loadText), \(loadText)"
    }
}
