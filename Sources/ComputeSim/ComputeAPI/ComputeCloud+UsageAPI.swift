// GET /os-simple-tenant-usage[/{tenant_id}]: Nova's usage views.
extension ComputeCloud {
    /// The usage routes: every project's (administrators; `detailed=1` adds each server) and
    /// one project's (its members too, always with its servers); `start` and `end` in Nova's
    /// three formats (default now; an `end` past now is now); from 2.40 `limit` and `marker`
    /// page over the servers, with a next link when the page is full.
    func usageRequest(_ route: Route, method: String, caller: Caller, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse {
        let rest = Array(route.segments.dropFirst())
        guard rest.count <= 1 else { throw CloudError(.itemNotFound, "The resource could not be found.") }
        guard method == "GET" else { throw CloudError(.badMethod, "The method specified is not allowed for this resource.") }
        let project = rest.first.map(ProjectID.init(rawValue:))
        // The policy comes before the query is read.
        if let project, !(caller.isAdmin || caller.project == project) {
            throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:show to be performed.")
        } else if project == nil, !caller.isAdmin {
            throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:list to be performed.")
        }
        let start = try usageTime(route.value("start")), end = try usageTime(route.value("end"))
        // (Nova reads its clock twice when both are missing; the simulated clock reads one now.)
        guard start < end || (start == end && route.value("start") == nil) else {
            throw CloudError(.badRequest, "Invalid start time. The start time cannot occur after the end time.")
        }
        let stop = min(end, now)
        var rows = serverUsages(from: start, to: stop, project: project)
        var limit = Self.maximumLimit
        if version >= Microversion(2, 40) {
            if let text = route.value("limit") {
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    throw CloudError(.badRequest, "Invalid input for query parameters limit. Value: \(text). '\(text)' does not match '^[0-9]*$'")
                }
                limit = min(Int(text) ?? Self.maximumLimit, Self.maximumLimit)
            }
            if let marker = route.value("marker") {
                guard let position = rows.firstIndex(where: { $0.id.rawValue == marker }) else {
                    throw CloudError(.badRequest, "Marker \(marker) could not be found.")
                }
                rows.removeSubrange(...position)
            }
        }
        rows = Array(rows.prefix(limit))
        let detailed = project != nil || route.value("detailed") == "1"
        let usages = Self.grouped(rows, start: start, stop: stop).map { usageJSON($0, detailed: detailed) }
        var body: [(String, JSONValue)]
        if project != nil {
            body = [("tenant_usage", usages.first ?? [:])]
        } else {
            body = [("tenant_usages", .array(usages))]
        }
        if version >= Microversion(2, 40), limit > 0, rows.count == limit, let last = rows.last {
            var query = route.query.filter { $0.0 != "marker" }
            query.append(("marker", last.id.rawValue))
            let path = links.selfHref("os-simple-tenant-usage", project?.rawValue ?? "")
            let href = (project == nil ? String(path.dropLast()) : path) + "?" + query.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
            body.append((project == nil ? "tenant_usages_links" : "tenant_usage_links", [["href": .string(href), "rel": "next"]]))
        }
        return APIResponse(status: 200, body: .object(body))
    }

    /// A period bound as Nova parses it: `YYYY-MM-DDTHH:MM:SS`, with a fraction, or with a
    /// space and a fraction; no zone (UTC). Absent: now.
    func usageTime(_ text: String?) throws(CloudError) -> SimTime {
        guard let text else { return now }
        let invalid = CloudError(.badRequest, "Invalid datetime string: Datetime is in invalid format")
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") } }
        guard bytes.count >= 19, digits(0..<4), bytes[4] == UInt8(ascii: "-"), digits(5..<7), bytes[7] == UInt8(ascii: "-"), digits(8..<10),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), digits(11..<13), bytes[13] == UInt8(ascii: ":"), digits(14..<16),
            bytes[16] == UInt8(ascii: ":"), digits(17..<19)
        else { throw invalid }
        let fraction = bytes.count > 19
        if fraction {
            guard bytes[19] == UInt8(ascii: "."), bytes.count >= 21, bytes.count <= 26, digits(20..<bytes.count) else { throw invalid }
        }
        // The space form takes a fraction only (Nova's third format).
        guard bytes[10] == UInt8(ascii: "T") || fraction, let time = wallClock.time(parsingISO8601: text + "Z") else { throw invalid }
        return time
    }

    /// A project's usage as Nova shows it: totals, the period, and with `detailed` each server.
    func usageJSON(_ usage: TenantUsage, detailed: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tenant_id", .string(usage.project.rawValue)), ("total_local_gb_usage", .double(usage.totalLocalGiBHours)),
            ("total_vcpus_usage", .double(usage.totalVCPUHours)), ("total_memory_mb_usage", .double(usage.totalMemoryMiBHours)),
            ("total_hours", .double(usage.totalHours)), ("start", .string(wallClock.isoMicroseconds(at: usage.start))),
            ("stop", .string(wallClock.isoMicroseconds(at: usage.stop))),
        ]
        if detailed {
            let servers: [JSONValue] = usage.servers.map { row in
                [
                    "instance_id": .string(row.id.rawValue), "name": .string(row.name), "hours": .double(row.hours), "memory_mb": .int(Int64(row.memoryMiB)),
                    "local_gb": .int(Int64(row.localGiB)), "vcpus": .int(Int64(row.vcpus)), "tenant_id": .string(row.project.rawValue),
                    "flavor": .string(row.flavor), "started_at": .string(wallClock.isoMicroseconds(at: row.startedAt)),
                    "ended_at": row.endedAt.map { .string(wallClock.isoMicroseconds(at: $0)) } ?? .null, "state": .string(row.state),
                    "uptime": .int(row.uptime),
                ]
            }
            fields.append(("server_usages", .array(servers)))
        }
        return .object(fields)
    }
}
