// Migration records (Nova's migrations table): one per resize, cold or live migration and
// evacuation, with the status its operation has reached.

/// Nova's migration types.
enum MigrationKind: UInt8, Hashable, Sendable {
    case migration, resize, liveMigration, evacuation

    var name: String {
        switch self {
        case .migration: "migration"
        case .resize: "resize"
        case .liveMigration: "live-migration"
        case .evacuation: "evacuation"
        }
    }
}

/// One migration.
struct MigrationRecord: Hashable, Sendable {
    /// 1, 2, … in the order migrations began (Nova's row id).
    var id: Int
    var server: ServerID
    var kind: MigrationKind
    /// The status once it stopped changing with the operation's tasks (see
    /// ``CloudWorld/migrationStatus(_:)``).
    var status: String
    var source: HostName?
    var destination: HostName?
    var oldFlavor: FlavorID
    var newFlavor: FlavorID
    var project: ProjectID
    var user: String
    var created: SimTime
    var updated: SimTime
}

extension CloudWorld {
    /// Starts a migration record for the operation just started on the server at `index` (or,
    /// when it found no host, a record already in `error`).
    mutating func recordMigration(_ kind: MigrationKind, of index: Int32, from source: HostName?, oldFlavor: FlavorID, caller: Caller, now: SimTime) {
        guard configuration.recordsMigrations else { return }
        let i = Int(index)
        let operation = servers[i].operation
        let record = MigrationRecord(
            id: migrations.count + 1, server: servers[i].server.id, kind: kind, status: operation == nil ? "error" : "accepted", source: source,
            destination: kind == .evacuation ? servers[i].server.host : operation?.targetHost.map { pool.hosts[Int($0)].host.name }, oldFlavor: oldFlavor,
            newFlavor: (operation == nil ? nil : servers[i].operationFlavor)?.value.id ?? oldFlavor, project: caller.project, user: caller.user, created: now,
            updated: now)
        migrations.append(record)
        if operation != nil { openMigrations[index] = migrations.count - 1 }
    }

    /// Reopens the server's finished resize or migration for its confirm or revert.
    mutating func reopenMigration(of index: Int32) {
        guard configuration.recordsMigrations, servers[Int(index)].operation != nil else { return }
        let id = servers[Int(index)].server.id
        guard let position = migrations.lastIndex(where: { $0.server == id && $0.status == "finished" }) else { return }
        openMigrations[index] = position
    }

    /// Ends the server's open migration: with the status its operation ends in, or `error`.
    /// - Complexity: O(1).
    mutating func closeMigration(of index: Int32, action: ServerAction?, failed: Bool, now: SimTime, status ending: String? = nil) {
        guard !openMigrations.isEmpty, let position = openMigrations.removeValue(forKey: index) else { return }
        let status: String
        switch action {
        case _ where ending != nil: status = ending ?? "error"
        case _ where failed: status = "error"
        case .resize?, .migrate?: status = "finished"
        case .confirmResize?: status = "confirmed"
        case .revertResize?: status = "reverted"
        case .liveMigrate?: status = "completed"
        case .evacuate?: status = "done"
        default: status = "error"
        }
        migrations[position].status = status
        migrations[position].updated = now
        if !failed, action == .resize || action == .migrate || action == .liveMigrate || action == .evacuate {
            migrations[position].destination = servers[Int(index)].server.host
        }
    }

    /// A migration's status now: while its operation runs, the one Nova's compute manager has
    /// set by the task under way (`pre-migrating`, `migrating`, `post-migrating`, `running`,
    /// `confirming`, `reverting`); after, the one it ended in.
    func migrationStatus(_ position: Int) -> String {
        let record = migrations[position]
        guard let index = serverIndex[record.server], openMigrations[index] == position, let operation = servers[Int(index)].operation else {
            return record.status
        }
        switch (operation.action, servers[Int(index)].server.taskState) {
        case (.confirmResize?, _): return "confirming"
        case (.revertResize?, _): return "reverting"
        case (.liveMigrate?, _): return "running"
        case (_, .resizeMigrating?): return "migrating"
        case (_, .resizeMigrated?), (_, .resizeFinish?): return "post-migrating"
        default: return "pre-migrating"
        }
    }

    /// A migration's destination now (a resize's is chosen in its first task).
    func migrationDestination(_ position: Int) -> HostName? {
        let record = migrations[position]
        if record.destination == nil, let index = serverIndex[record.server], openMigrations[index] == position {
            return servers[Int(index)].operation?.targetHost.map { pool.hosts[Int($0)].host.name }
        }
        return record.destination
    }
}
