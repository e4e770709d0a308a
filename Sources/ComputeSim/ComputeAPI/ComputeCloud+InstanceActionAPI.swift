// GET /servers/{id}/os-instance-actions and /servers/{id}/os-instance-actions/{request_id}.
extension ComputeCloud {
    /// The instance action routes, as Nova's `InstanceActionsController` answers them per
    /// microversion: a deleted server's log from 2.21; paging (`limit`, `marker`), `changes-since`
    /// and `updated_at` from 2.58 (`changes-before` from 2.66); events for the owner from 2.51
    /// (administrators always, with `traceback`); `host` (administrators) and `hostId` from 2.62;
    /// `details` (administrators) from 2.84.
    func instanceActionRequest(
        _ route: Route, server id: ServerID, requestID: String?, method: String, caller: Caller, links: LinkBuilder, version: Microversion
    ) throws(CloudError) -> APIResponse {
        guard method == "GET" else { throw CloudError(.badMethod, "The method specified is not allowed for this resource.") }
        // Before 2.21 a deleted server is not found; from 2.21 Nova reads deleted rows.
        let index = version >= Microversion(2, 21) ? try actionLogIndex(of: id, for: caller) : try self.index(of: id, for: caller)
        let actions = Int(index) < world.actionLogs.count ? world.actionLogs[Int(index)].reversed().map { instanceAction($0, at: index) } : []
        if let requestID {
            if version >= Microversion(2, 102) { try Self.rejectUnexpectedQuery(route, allowed: []) }
            guard let action = actions.first(where: { $0.requestID == requestID }) else {
                throw CloudError(.itemNotFound, "Action \(requestID) not found")
            }
            return APIResponse(status: 200, body: ["instanceAction": instanceActionJSON(action, caller: caller, version: version, detailed: true)])
        }
        guard version >= Microversion(2, 58) else {
            // Before 2.58 the query is not read at all.
            return APIResponse(
                status: 200, body: ["instanceActions": .array(actions.map { instanceActionJSON($0, caller: caller, version: version, detailed: false) })])
        }
        let paging = try ActionPaging(route, version: version, clock: wallClock)
        var list = actions
        // Nova compares the database's microsecond times: so does this (an action without
        // events has no updated_at and matches neither filter).
        let clock = wallClock
        func microseconds(_ time: SimTime) -> Int64 { clock.unixNanoseconds(at: time).floorDivided(by: 1_000) }
        if let since = paging.since.map(microseconds) { list = list.filter { $0.updatedAt.map { microseconds($0) >= since } ?? false } }
        if let before = paging.before.map(microseconds) { list = list.filter { $0.updatedAt.map { microseconds($0) <= before } ?? false } }
        if let marker = paging.marker {
            // Nova finds the marker among all of the server's actions, then pages after it.
            guard let position = actions.firstIndex(where: { $0.requestID == marker }) else {
                throw CloudError(.badRequest, "Marker \(marker) could not be found.")
            }
            let after = Set(actions[(position + 1)...].map(\.requestID))
            list = list.filter { after.contains($0.requestID) }
        }
        list = Array(list.prefix(paging.limit))
        var body: [(String, JSONValue)] = [
            ("instanceActions", .array(list.map { instanceActionJSON($0, caller: caller, version: version, detailed: false) }))
        ]
        // Nova's collection links: a next link whenever the page is full.
        if paging.limit > 0, list.count == paging.limit, let last = list.last {
            var query = route.query.filter { $0.0 != "marker" }
            if let position = route.query.firstIndex(where: { $0.0 == "marker" }) {
                query.insert(("marker", last.requestID), at: min(position, query.count))
            } else {
                query.append(("marker", last.requestID))
            }
            let href =
                links.selfHref("servers", id.rawValue) + "/os-instance-actions?" + query.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
            body.append(("links", [["href": .string(href), "rel": "next"]]))
        }
        return APIResponse(status: 200, body: .object(body))
    }

    /// An action as Nova's view shows it: the listing's fields, and with `detailed` (show) the
    /// events the caller may see.
    func instanceActionJSON(_ action: InstanceAction, caller: Caller, version: Microversion, detailed: Bool) -> JSONValue {
        let clock = wallClock
        var fields: [(String, JSONValue)] = [
            ("action", .string(action.action)), ("instance_uuid", .string(action.serverID.rawValue)),
            ("message", action.message.map(JSONValue.string) ?? .null), ("project_id", .string(action.project.rawValue)),
            ("request_id", .string(action.requestID)), ("start_time", .string(clock.isoMicroseconds(at: action.startTime))),
            ("user_id", .string(action.user)),
        ]
        if version >= Microversion(2, 58) { fields.append(("updated_at", action.updatedAt.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null)) }
        // Events: administrators at every version; the owner from 2.51, without tracebacks.
        if detailed && (caller.isAdmin || version >= Microversion(2, 51)) {
            let events: [JSONValue] = action.events.map { event in
                var members: [(String, JSONValue)] = [
                    ("event", .string(event.name)), ("start_time", .string(clock.isoMicroseconds(at: event.startTime))),
                    ("finish_time", event.finishTime.map { .string(clock.isoMicroseconds(at: $0)) } ?? .null),
                    ("result", event.result.map(JSONValue.string) ?? .null),
                ]
                // The simulator has no Python traceback to show: a failed event's is its fault message.
                if caller.isAdmin { members.append(("traceback", event.details.map(JSONValue.string) ?? .null)) }
                if version >= Microversion(2, 62) {
                    if caller.isAdmin { members.append(("host", event.host.map { .string($0.rawValue) } ?? .null)) }
                    members.append(("hostId", .string(action.project.hostID(on: event.host))))
                }
                if version >= Microversion(2, 84), caller.isAdmin { members.append(("details", event.details.map(JSONValue.string) ?? .null)) }
                return .object(members)
            }
            fields.append(("events", .array(events)))
        }
        return .object(fields)
    }

    /// Refuses query parameters outside `allowed` as Nova's strict query schemas do.
    static func rejectUnexpectedQuery(_ route: Route, allowed: Set<String>) throws(CloudError) {
        var unexpected: [String] = []
        for (key, _) in route.query where !allowed.contains(key) && !unexpected.contains(key) { unexpected.append(key) }
        guard !unexpected.isEmpty else { return }
        let names = unexpected.map { "'\($0)'" }.joined(separator: ", ")
        throw CloudError(.badRequest, "Additional properties are not allowed (\(names) \(unexpected.count == 1 ? "was" : "were") unexpected)")
    }
}

/// The 2.58+ query of an action listing, checked as Nova's schema checks it.
struct ActionPaging {
    var limit = ComputeCloud.maximumLimit
    var marker: String?
    var since: SimTime?
    var before: SimTime?

    init(_ route: ComputeCloud.Route, version: Microversion, clock: WallClock) throws(CloudError) {
        var allowed: Set<String> = ["limit", "marker", "changes-since"]
        if version >= Microversion(2, 66) { allowed.insert("changes-before") }
        try ComputeCloud.rejectUnexpectedQuery(route, allowed: allowed)
        if let text = route.value("limit") {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw CloudError(.badRequest, "Invalid input for query parameters limit. Value: \(text). '\(text)' does not match '^[0-9]*$'")
            }
            // Digits only: a value past Int's range is past the maximum too.
            limit = min(Int(text) ?? ComputeCloud.maximumLimit, ComputeCloud.maximumLimit)
        }
        marker = route.value("marker")
        for key in ["changes-since", "changes-before"] {
            guard let text = route.value(key) else { continue }
            guard let time = clock.time(parsingISO8601: text) else {
                throw CloudError(.badRequest, "Invalid input for query parameters \(key). Value: \(text). '\(text)' is not a 'date-time'")
            }
            if key == "changes-since" { since = time } else { before = time }
        }
        if let since, let before, before < since {
            throw CloudError(.badRequest, "The value of changes-since must be less than or equal to changes-before.")
        }
    }
}
