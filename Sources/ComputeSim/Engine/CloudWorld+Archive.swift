import SimulationKernel

/// What an archived server leaves for a driver that reports on every server it created (the
/// scenario runner), handed over before the record is freed.
struct ArchivedServer: Sendable {
    var index: Int32
    var id: ServerID
    var history: StatusHistory
    /// Under the physical build model, where its build time went.
    var buildTimes: BuildTimes?
}

/// A deleted server due for archiving at `deadline`.
struct ArchiveEntry: Hashable, Sendable {
    var deadline: SimTime
    var index: Int32
}

// Archiving deleted servers (``CloudConfiguration/deletedServerRetention``): memory follows the
// live servers (and those deleted within the retention), not every server ever created.
extension CloudWorld {
    /// Archives every deleted server whose retention has passed by `now`.
    /// - Complexity: O(1) when none is due; O(k) for k due.
    mutating func archiveDue(now: SimTime, scheduler: inout Scheduler<CloudEvent>) {
        while archiveHead < archiveQueue.count, archiveQueue[archiveHead].deadline <= now {
            archive(archiveQueue[archiveHead].index, scheduler: &scheduler)
            archiveHead += 1
        }
        // Drop the consumed front once it is most of the storage (amortised O(1) per entry).
        if archiveHead > 1_024 && archiveHead * 2 > archiveQueue.count {
            archiveQueue.removeFirst(archiveHead)
            archiveHead = 0
        }
    }

    /// Frees a deleted server's record, history, index entry and build-model state, and makes
    /// its record number the next one a create takes. Its claims and port went at the delete.
    mutating func archive(_ index: Int32, scheduler: inout Scheduler<CloudEvent>) {
        let i = Int(index)
        let id = servers[i].server.id
        guard servers[i].isDeleted, !servers[i].isVacant, serverIndex[id] == index else { return }
        if let handle = servers[i].pending { _ = scheduler.cancel(handle) }
        if logsArchived {
            archivedLog.append(
                ArchivedServer(
                    index: index, id: id, history: servers[i].history, buildTimes: usesBuildModel ? (plantServers[index]?.buildTimes ?? BuildTimes()) : nil))
        }
        serverIndex[id] = nil
        plantServers[index] = nil
        if i < actionLogs.count { actionLogs[i] = [] }
        servers[i] = ServerRecord.vacant
        freeSlots.append(index)
        archivedCount += 1
    }

    /// Stores a new server's record in a freed record number, or at the end; returns its number.
    /// `account` and `group` are the pool's numbers for its project and group (-1: no group).
    /// - Complexity: amortised O(1).
    mutating func insert(_ record: consuming ServerRecord, account: Int32, group: Int32) -> Int32 {
        record.serial = nextSerial
        nextSerial &+= 1
        record.accountNumber = account
        record.groupNumber = group
        if let slot = freeSlots.popLast() {
            servers[Int(slot)] = consume record
            return slot
        }
        servers.append(consume record)
        return Int32(servers.count - 1)
    }

    /// Record numbers of live servers in creation order (record order until a number was reused).
    /// - Complexity: O(n), or O(n log n) once servers have been archived.
    func creationOrdered(_ indices: [Int]) -> [Int] {
        guard archivedCount > 0 else { return indices }
        return indices.sorted { a, b in
            let (first, second) = (servers[a].server.created, servers[b].server.created)
            return first != second ? first < second : servers[a].serial &- servers[b].serial > UInt32.max / 2
        }
    }
}

extension ServerRecord {
    /// What an archived server's record number holds until a create reuses it: deleted, with
    /// an empty id (no server has one), no host, no port and no history.
    static let vacant: ServerRecord = {
        let flavor = Shared(Flavor(id: "", name: "", vcpus: 1, memoryMiB: 1, diskGiB: 0))
        let image = Shared(Image(id: "", name: ""))
        let server = Server(
            id: ServerID(""), name: "", project: ProjectID(""), user: "", status: .deleted, vmState: .deleted, taskState: nil, powerState: .noState,
            progress: nil, host: nil, hostID: "", group: nil, launchedAt: nil, created: .zero, updated: .zero, isLocked: false, isLockedByAdmin: false,
            metadata: [:], shutdownTerminate: false, addresses: [], diskConfig: .manual, macAddress: nil, flavorStorage: flavor, imageStorage: image,
            details: ServerDetails.empty)
        var record = ServerRecord(
            server: server, passwordViolation: nil, fileSystem: VirtualFileSystem(), pendingFiles: [], networkRequest: .none, reservationCode: 0,
            launchIndex: 0, userData: nil)
        record.isDeleted = true
        return record
    }()

    /// Whether this record number holds no server (its server was archived).
    var isVacant: Bool { server.id.rawValue.isEmpty }
}
