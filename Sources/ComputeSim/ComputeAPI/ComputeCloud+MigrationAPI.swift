// GET /os-migrations and /servers/{id}/migrations[/{id}]: the migration records.
extension ComputeCloud {
    /// The in-progress statuses of a live migration (Nova's list for server migrations).
    static let liveMigrationInProgress: Set<String> = ["queued", "preparing", "running", "post-migrating"]

    /// A migration id from a path: its number, or 0 (which no migration has) for anything else.
    static func migrationNumber(_ text: String) -> Int { Int(text) ?? 0 }

    /// A flavor's internal id as the migration records show it (`old_instance_type_id`): the
    /// row id it got when it joined the catalog (configuration order from 1, then each created
    /// flavor the next), kept after the flavor is deleted, as a database row id would be.
    func flavorRowID(_ id: FlavorID) -> JSONValue {
        world.flavorRowIDs[id].map { .int(Int64($0)) } ?? .null
    }

    /// `GET /os-migrations` (administrators): every migration, oldest first, filtered by
    /// `status`, `host` (source or destination), `source_compute`, `instance_uuid` and
    /// `migration_type`; `migration_type` and, for an in-progress live migration, links to it
    /// from 2.23.
    func migrationList(_ route: Route, method: String, caller: Caller, links: LinkBuilder, version: Microversion) throws(CloudError) -> APIResponse {
        guard route.segments.count == 1 else { throw CloudError(.itemNotFound, "The resource could not be found.") }
        guard method == "GET" else { throw CloudError(.badMethod, "The method specified is not allowed for this resource.") }
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-migrations:index to be performed.") }
        var list: [JSONValue] = []
        for position in world.migrations.indices {
            let record = world.migrations[position]
            let status = world.migrationStatus(position), destination = world.migrationDestination(position)
            if let wanted = route.value("status"), wanted != status { continue }
            if let host = route.value("host"), host != record.source?.rawValue && host != destination?.rawValue { continue }
            if let source = route.value("source_compute"), source != record.source?.rawValue { continue }
            if let server = route.value("instance_uuid"), server != record.server.rawValue { continue }
            if let kind = route.value("migration_type"), kind != record.kind.name { continue }
            var fields: [(String, JSONValue)] = [
                ("id", .int(Int64(record.id))), ("source_compute", record.source.map { .string($0.rawValue) } ?? .null),
                ("source_node", record.source.map { .string($0.rawValue) } ?? .null), ("dest_compute", destination.map { .string($0.rawValue) } ?? .null),
                ("dest_node", destination.map { .string($0.rawValue) } ?? .null), ("dest_host", .null),
                ("old_instance_type_id", flavorRowID(record.oldFlavor)), ("new_instance_type_id", flavorRowID(record.newFlavor)),
                ("instance_uuid", .string(record.server.rawValue)), ("status", .string(status)),
                ("created_at", .string(wallClock.isoMicroseconds(at: record.created))), ("updated_at", .string(wallClock.isoMicroseconds(at: record.updated))),
            ]
            if version >= Microversion(2, 23) {
                fields.append(("migration_type", .string(record.kind.name)))
                if record.kind == .liveMigration, Self.liveMigrationInProgress.contains(status) {
                    fields.append(("links", links.links("servers/\(record.server.rawValue)/migrations", "\(record.id)")))
                }
            }
            list.append(.object(fields))
        }
        return APIResponse(status: 200, body: ["migrations": .array(list)])
    }

    /// `GET /servers/{id}/migrations[/{migration_id}]` (2.23+, administrators): the server's
    /// live migrations in progress, with how much of its memory has been copied.
    func serverMigrations(_ id: ServerID, migration: String?, method: String, caller: Caller, version: Microversion) throws(CloudError) -> APIResponse {
        guard version >= Microversion(2, 23) else { throw CloudError(.itemNotFound, "The resource could not be found.") }
        guard method == "GET" else { throw CloudError(.badMethod, "The method specified is not allowed for this resource.") }
        let index = try self.index(of: id, for: caller)
        guard caller.isAdmin else {
            throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:servers:migrations:\(migration == nil ? "index" : "show") to be performed.")
        }
        var shown: [JSONValue] = []
        for position in world.migrations.indices where world.migrations[position].server == id && world.migrations[position].kind == .liveMigration {
            let status = world.migrationStatus(position)
            guard Self.liveMigrationInProgress.contains(status) else { continue }
            let record = world.migrations[position]
            if let migration, migration != "\(record.id)" { continue }
            // Memory copied in proportion to the migration's time so far (no disk: shared or
            // already copied storage).
            let total = Int64(world.servers[Int(index)].server.flavor.memoryMiB) * 1_048_576
            var processed: Int64 = 0
            if let operation = world.servers[Int(index)].operation, let duration = operation.durations.first, duration > .zero {
                let elapsed = Double((now - operation.startedAt).nanoseconds) / Double(duration.nanoseconds)
                processed = Int64(Double(total) * min(1, max(0, elapsed)))
            }
            let destination = world.migrationDestination(position)
            shown.append(
                [
                    "id": .int(Int64(record.id)), "server_uuid": .string(id.rawValue), "status": .string(status),
                    "source_compute": record.source.map { .string($0.rawValue) } ?? .null, "source_node": record.source.map { .string($0.rawValue) } ?? .null,
                    "dest_compute": destination.map { .string($0.rawValue) } ?? .null, "dest_node": destination.map { .string($0.rawValue) } ?? .null,
                    "dest_host": .null, "memory_total_bytes": .int(total), "memory_processed_bytes": .int(processed),
                    "memory_remaining_bytes": .int(total - processed), "disk_total_bytes": 0, "disk_processed_bytes": 0, "disk_remaining_bytes": 0,
                    "created_at": .string(wallClock.isoMicroseconds(at: record.created)), "updated_at": .string(wallClock.isoMicroseconds(at: record.updated)),
                ])
        }
        guard let migration else { return APIResponse(status: 200, body: ["migrations": .array(shown)]) }
        guard let found = shown.first else {
            throw CloudError(.itemNotFound, "In-progress live migration \(migration) is not found for server \(id).")
        }
        return APIResponse(status: 200, body: ["migration": found])
    }
}
