// GET /servers and /servers/detail: filters, sorting, paging.
extension ComputeCloud {
    /// GET /servers and /servers/detail with Nova's filters, sorting and pagination
    /// (nova-facts 10): name (unanchored, case-sensitive regex), status (the reverse state map),
    /// image, flavor, ip and ip6 (prefix regex on fixed addresses), changes-since (includes
    /// deleted servers as DELETED), all_tenants (admin), sort_key/sort_dir, limit/marker.
    func listServers(
        _ route: Route, caller: Caller, detail: Bool, links: LinkBuilder, version: Microversion, rendering: Bool = false
    ) throws(CloudError) -> APIResponse {
        func invalid(_ name: String, _ value: String, _ format: String) -> CloudError {
            CloudError(.badRequest, "Invalid input for query parameters \(name). Value: \(value). '\(value)' is not a '\(format)'")
        }
        let allTenants = route.value("all_tenants") != nil
        if allTenants && !caller.isAdmin { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.") }
        var since: SimTime? = nil
        if let text = route.value("changes-since") {
            guard let time = wallClock.time(parsingISO8601: text) else { throw invalid("changes-since", text, "date-time") }
            since = time
        }
        let statuses = route.values("status")
        let wantsDeleted = statuses.contains { $0.uppercased() == "DELETED" }
        if wantsDeleted && !caller.isAdmin { throw CloudError(.forbidden, "Only administrators may list deleted instances") }
        // An admin's `deleted=true` lists only deleted servers (Nova's database filter); the
        // option is admin-only, and Nova drops it silently for anyone else.
        let deletedOnly = caller.isAdmin && route.value("deleted").map { ["1", "t", "true", "on", "y", "yes"].contains($0.lowercased()) } == true
        // Deleted servers appear only with changes-since, for an admin asking for DELETED, or
        // with deleted=true.
        let includeDeleted = since != nil || wantsDeleted || deletedOnly
        var list: [Server] = world.servers.indices.compactMap { index -> Server? in
            let record = world.servers[index]
            guard !record.isVacant else { return nil }
            guard allTenants || record.server.project == caller.project else { return nil }
            guard includeDeleted || (!record.isDeleted && record.server.vmState != .softDeleted) else { return nil }
            guard !deletedOnly || record.isDeleted else { return nil }
            return world.view(Int32(index), now: now)
        }
        if let since { list = list.filter { $0.updated >= since } }
        if !statuses.isEmpty {
            let filter = StatusFilter(statuses: statuses)
            if filter.matchesNothing && version >= Microversion(2, 38) { throw CloudError(.badRequest, "Invalid status value") }
            list = list.filter { server in
                (wantsDeleted && server.status == .deleted)
                    || (server.status != .deleted && filter.matches(vmState: server.vmState, taskState: server.taskState))
            }
        }
        if let pattern = route.value("name") {
            // Linear-time matching: any tenant's pattern is bounded work (LinearRegex).
            guard !pattern.isEmpty, let regex = LinearRegex(pattern) else { throw invalid("name", pattern, "regex") }
            list = list.filter { regex.matches($0.name) }
        }
        if let image = Self.reference(route.value("image").map(JSONValue.string)) { list = list.filter { $0.image.id.rawValue == image } }
        if let flavor = Self.reference(route.value("flavor").map(JSONValue.string)) { list = list.filter { $0.flavor.id.rawValue == flavor } }
        for (key, family) in [("ip", 4), ("ip6", 6)] where key == "ip" || version >= Microversion(2, 5) {
            guard let pattern = route.value(key) else { continue }
            guard let regex = LinearRegex(pattern) else { throw invalid(key, pattern, "regex") }
            list = list.filter { server in server.addresses.contains { $0.version == family && regex.matches($0.address, anchored: true) } }
        }
        if version >= Microversion(2, 26) {
            // Nova's tag filters: comma-separated lists; all of, any of, not all of, none of.
            func tagList(_ name: String) -> Set<String>? {
                route.value(name).map { Set($0.split(separator: ",", omittingEmptySubsequences: true).map(String.init)) }
            }
            if let all = tagList("tags") { list = list.filter { all.isSubset(of: $0.tags) } }
            if let any = tagList("tags-any") { list = list.filter { !any.isDisjoint(with: $0.tags) } }
            if let notAll = tagList("not-tags") { list = list.filter { notAll.isEmpty || !notAll.isSubset(of: $0.tags) } }
            if let notAny = tagList("not-tags-any") { list = list.filter { notAny.isDisjoint(with: $0.tags) } }
        }
        list = try Self.sorted(list, route: route, caller: caller)
        if let marker = route.value("marker") {
            guard let position = list.firstIndex(where: { $0.id.rawValue == marker }) else { throw CloudError(.badRequest, "marker [\(marker)] not found") }
            list = Array(list[(position + 1)...])
        }
        var limit = Self.maximumLimit
        if let text = route.value("limit") {
            guard let value = Int(text), value >= 0 else { throw invalid("limit", text, "positive integer") }
            limit = min(value, Self.maximumLimit)
        }
        list = Array(list.prefix(limit))
        // Nova adds a next link whenever the page is full, even when nothing follows.
        var next: JSONValue? = nil
        if limit > 0, list.count == limit, let last = list.last {
            let query = (route.query.filter { $0.0 != "marker" } + [("marker", last.id.rawValue)]).sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
            let base = links.selfHref("servers", detail ? "detail" : "").replacingOccurrences(of: "/servers/", with: detail ? "/servers/" : "/servers")
            next = [["href": .string(base + "?" + query.joined(separator: "&")), "rel": "next"]]
        }
        if rendering && detail {
            // The detailed views written straight to bytes (members in canonical order).
            var writer = JSONByteWriter(capacity: 64 + 1_536 * list.count)
            writer.beginObject()
            writer.key("servers")
            writer.beginArray()
            for server in list { writeServer(server, caller: caller, links: links, version: version, into: &writer) }
            writer.endArray()
            if let next {
                writer.key("servers_links")
                writer.value(next)
            }
            writer.endObject()
            var response = APIResponse(status: 200)
            response.rendered = writer.bytes
            return response
        }
        let items: [JSONValue] = list.map {
            detail
                ? serverJSON($0, caller: caller, links: links, version: version)
                : ["id": .string($0.id.rawValue), "links": links.links("servers", $0.id.rawValue), "name": .string($0.name)]
        }
        var body: [(String, JSONValue)] = [("servers", .array(items))]
        if let next { body.append(("servers_links", next)) }
        return APIResponse(status: 200, body: .object(body))
    }

    /// Sorts by the requested keys (default created_at desc), with `id` appended in the first
    /// direction; keys this facade does not know are ignored, as Nova does before 2.75.
    static func sorted(_ servers: [Server], route: Route, caller: Caller) throws(CloudError) -> [Server] {
        let keys = route.values("sort_key"), directions = route.values("sort_dir")
        guard directions.count <= max(keys.count, 1) else { throw CloudError(.badRequest, "The number of sort_keys and sort_dirs must be same") }
        for direction in directions where direction != "asc" && direction != "desc" {
            throw CloudError(.badRequest, "Unknown sort direction, must be 'desc' or 'asc'")
        }
        if (keys.contains("host") || keys.contains("node")) && !caller.isAdmin { throw CloudError(.forbidden, "Only administrators can sort servers by host") }
        var criteria: [(String, Bool)] = []
        for (index, key) in (keys.isEmpty ? ["created_at"] : keys).enumerated() {
            criteria.append((key, (index < directions.count ? directions[index] : (directions.first ?? "desc")) == "asc"))
        }
        criteria.append(("uuid", criteria.first?.1 ?? false))
        func compare(_ a: Server, _ b: Server, _ key: String) -> Int? {
            func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
            switch key {
            case "created_at": return order(a.created, b.created)
            case "updated_at": return order(a.updated, b.updated)
            case "display_name": return order(a.name, b.name)
            case "uuid", "id": return order(a.id, b.id)
            case "vm_state": return order(a.vmState.rawValue, b.vmState.rawValue)
            case "task_state": return order(a.taskState?.rawValue ?? "", b.taskState?.rawValue ?? "")
            case "power_state": return order(a.powerState.rawValue, b.powerState.rawValue)
            case "image_ref": return order(a.image.id, b.image.id)
            case "launched_at": return order(a.launchedAt ?? .zero, b.launchedAt ?? .zero)
            case "progress": return order(a.progress ?? 0, b.progress ?? 0)
            case "project_id": return order(a.project, b.project)
            case "user_id": return order(a.user, b.user)
            case "host": return order(a.host?.rawValue ?? "", b.host?.rawValue ?? "")
            case "availability_zone": return order(a.availabilityZone?.rawValue ?? "", b.availabilityZone?.rawValue ?? "")
            default: return nil
            }
        }
        return servers.sorted { a, b in
            for (key, ascending) in criteria {
                guard let result = compare(a, b, key), result != 0 else { continue }
                return ascending ? result < 0 : result > 0
            }
            return false
        }
    }
}
