// Server actions: the lifecycle rules applied to a request.
extension ComputeCloud {
    /// What the lifecycle rules read of the server at `index`, field by field (copying the whole
    /// record would retain every string and array in it).
    @inline(__always)
    func guarded(_ index: Int32) -> GuardedServer {
        let i = Int(index)
        let host = world.servers[i].server.host
        return GuardedServer(
            id: world.servers[i].server.id, vmState: world.servers[i].server.vmState, taskState: world.servers[i].server.taskState,
            isLaunched: world.servers[i].server.launchedAt != nil, isLocked: world.servers[i].server.isLocked, host: host,
            isHostUp: !world.isOnDownHost(index))
    }

    /// Performs an action (POST /servers/{id}/action).
    ///
    /// - Throws: ``CloudError``: `conflictingRequest` with Nova's message when the state, a lock
    ///   or a down host refuses it (nothing changes); `badRequest` for invalid arguments (e.g.
    ///   "When resizing, instances must change flavor!"); `itemNotFound` for unknown servers.
    public mutating func perform(_ request: ServerActionRequest, on id: ServerID, as caller: Caller) throws(CloudError) -> ActionResult {
        try perform(request, at: index(of: id, for: caller), as: caller)
    }

    /// ``perform(_:on:as:)-(_,ServerID,_)`` for a checked record number; an accepted action is
    /// recorded in the server's action log.
    mutating func perform(_ request: ServerActionRequest, at index: Int32, as caller: Caller) throws(CloudError) -> ActionResult {
        let action = request.action
        let moves = action == .resize || action == .migrate || action == .liveMigrate || action == .evacuate
        // What a migration record keeps of where it started (read only for those actions).
        let source = moves ? world.servers[Int(index)].server.host : nil
        let flavor = moves ? world.servers[Int(index)].server.flavor.id : ""
        let result = try performUnrecorded(request, at: index, as: caller)
        switch action {
        case .resize: world.recordMigration(.resize, of: index, from: source, oldFlavor: flavor, caller: caller, now: now)
        case .migrate: world.recordMigration(.migration, of: index, from: source, oldFlavor: flavor, caller: caller, now: now)
        case .liveMigrate: world.recordMigration(.liveMigration, of: index, from: source, oldFlavor: flavor, caller: caller, now: now)
        case .evacuate: world.recordMigration(.evacuation, of: index, from: source, oldFlavor: flavor, caller: caller, now: now)
        case .confirmResize, .revertResize: world.reopenMigration(of: index)
        default: break
        }
        // A migration that found no destination did not start: the conductor's scheduling
        // failed and the server stays where it was.
        let unplaced = (action == .liveMigrate || action == .evacuate) && world.servers[Int(index)].operation == nil
        let failure = unplaced ? "No valid host was found. " : nil
        recordAction(InstanceActionKind(request.action), on: index, as: caller, failure: failure)
        return result
    }

    private mutating func performUnrecorded(_ request: ServerActionRequest, at index: Int32, as caller: Caller) throws(CloudError) -> ActionResult {
        // Fields are read in place: the record is never copied (that retained every string and
        // array in it, twice per action).
        let i = Int(index)
        let id = world.servers[i].server.id
        try injectControlPlaneFault()
        if case .evacuate(let target, let password, let force, let shared) = request {
            return try evacuate(index, to: target, adminPass: password, force: force, onSharedStorage: shared, as: caller)
        }
        let action = request.action
        let rule = ServerLifecycle.rule(for: action)
        // Nova's policy check comes before any state check.
        if action == .migrate || action == .liveMigrate, !world.configuration.migrationPolicy.allows(caller, project: world.servers[i].server.project) {
            throw CloudError(
                .forbidden, "Policy doesn't allow os_compute_api:os-migrate-server:\(action == .migrate ? "migrate" : "migrate_live") to be performed.")
        }
        let host = world.servers[i].server.host
        // ComputeSim's rule: a server on a down host refuses everything but locks.
        if world.isHostDown(host), action != .lock, action != .unlock, action != .forceDelete {
            throw CloudError(
                .conflictingRequest, "Cannot '\(action.messageName)' instance \(id) while it is in status UNKNOWN: host \(host?.rawValue ?? "") is down")
        }
        // Password recovery: changePassword is accepted from the ERROR a policy failure caused.
        let recovering =
            action == .changePassword && world.servers[i].server.vmState == .error && world.servers[i].server.fault?.kind == .passwordRejected
            && world.servers[i].server.launchedAt != nil
        if !recovering, let refusal = ServerLifecycle.check(action, on: guarded(index), isAdmin: caller.isAdmin) { throw CloudError(refusal) }
        var result = ActionResult(httpStatus: rule.successCode, adminPass: nil, image: nil)
        var targetFlavor: Shared<Flavor>? = nil
        switch request {
        case .resize(let flavorID):
            guard let flavor = usableFlavor(flavorID, by: caller) else { throw CloudError(.badRequest, "Flavor \(flavorID) could not be found.") }
            guard flavor.value.id != world.servers[i].server.flavor.id else { throw CloudError(.badRequest, "When resizing, instances must change flavor!") }
            targetFlavor = flavor
        case .rebuild(let imageID, let password, let personality, let changes):
            var newImage: Shared<Image>? = nil
            if let imageID {
                guard let image = world.images[imageID] else { throw CloudError(.badRequest, "Can not find requested image") }
                try Self.checkMinDisk(flavor: world.servers[i].server.flavor, image: image.value)
                newImage = image
            }
            let quota = world.configuration.quotas[world.servers[i].server.project] ?? world.configuration.defaultQuota
            let files = try Self.validatePersonality(personality, quota: quota, image: newImage?.value ?? world.servers[i].server.image)
            let treeImage = newImage?.value.id ?? world.servers[i].server.image.id
            try Self.checkInjectable(files, into: world.configuration.imageTrees[treeImage] ?? VirtualFileSystem())
            if let password, let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
            if let name = changes.name { try Self.validateName(name) }
            if let description = changes.description { try Self.validateDescription(description) }
            if let metadata = changes.metadata { try Self.validateMetadata(metadata, quota: quota) }
            let accessIPs = try Self.validateAccessIPs(v4: changes.accessIPv4, v6: changes.accessIPv6)
            if case .some(.some(let key)) = changes.keyName, world.keyPairs[KeyPairKey(user: caller.user, name: key)] == nil {
                throw CloudError(.badRequest, "Invalid key_name provided.")
            }
            // Only now, with every check passed: a refused rebuild changes nothing.
            if let newImage { world.servers[i].server.imageStorage = newImage }
            world.servers[i].pendingFiles = files
            if let name = changes.name { world.servers[i].server.name = name }
            if let description = changes.description { world.servers[i].server.description = description }
            if let metadata = changes.metadata { world.servers[i].server.metadata = metadata }
            if changes.accessIPv4 != nil { world.servers[i].server.accessIPv4 = accessIPs.v4 }
            if changes.accessIPv6 != nil { world.servers[i].server.accessIPv6 = accessIPs.v6 }
            if let diskConfig = changes.diskConfig { world.servers[i].server.diskConfig = diskConfig }
            if let keyName = changes.keyName { world.servers[i].server.keyName = keyName }
            result.adminPass = world.configuration.returnsAdminPassword ? (password ?? PasswordPolicy.generate(using: &world.passwords)) : nil
        case .rescue(let password):
            if let password, let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
            result.adminPass = world.configuration.returnsAdminPassword ? (password ?? PasswordPolicy.generate(using: &world.passwords)) : nil
        case .changePassword(let password):
            if let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
        case .suspend:
            if let host, let hypervisor = world.pool.host(host)?.hypervisorType, !hypervisor.supportsSuspend {
                throw CloudError(.conflictingRequest, "Cannot 'suspend' instance \(id): hypervisor \(hypervisor) on host \(host) does not support suspend")
            }
        case .restore, .forceDelete:
            break
        case .confirmResize, .revertResize:
            guard world.servers[i].resizeSource != nil else { throw CloudError(.badRequest, "Instance has not been resized.") }
        case .lock:
            world.servers[i].server.isLocked = true
            world.servers[i].server.isLockedByAdmin = caller.isAdmin
            world.servers[i].server.updated = now
            return result
        case .unlock:
            // Nova's unlock_override policy: an owner cannot lift an administrator's lock.
            if world.servers[i].server.isLocked && world.servers[i].server.isLockedByAdmin && !caller.isAdmin {
                throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.")
            }
            world.servers[i].server.isLocked = false
            world.servers[i].server.isLockedByAdmin = false
            world.servers[i].server.updated = now
            return result
        case .createImage(let name, let metadata):
            result.image = try snapshot(i, id: id, name: name, metadata: metadata, extra: [:])
        case .createBackup(let name, let type, let rotation, let metadata):
            let properties = ["image_type": "backup", "backup_type": type, "instance_uuid": id.rawValue]
            let image = try snapshot(i, id: id, name: name, metadata: metadata, extra: properties)
            result.image = image
            rotateBackups(of: id, type: type, keeping: rotation)
        default:
            break
        }
        // A suspended server that gave back its vCPUs and RAM takes them again on its own host
        // before anything runs it; with no room there the call is refused and nothing changes.
        if world.servers[i].computeReleased && Self.runsTheGuest.contains(action) && !world.reclaimCompute(index) {
            let claim = world.servers[i].server.flavor.claim
            throw CloudError(
                .conflictingRequest,
                "Cannot '\(action.messageName)' instance \(id): its host no longer has \(claim.vcpus) vCPUs and \(claim.memoryMiB) MiB of RAM free for it")
        }
        if recovering {
            // Back to active so the PASSWORD status shows while the password is set.
            world.servers[i].server.vmState = .active
        }
        world.cancelPending(index, scheduler: &scheduler)
        if action == .liveMigrate {
            guard let destination = liveMigrationDestination(index) else {
                return result  // NoValidHost: task None, state unchanged
            }
            world.startOperation(action, on: index, scheduler: &scheduler)
            world.servers[i].operation?.targetHost = destination
            return result
        }
        world.startOperation(
            action, on: index, scheduler: &scheduler, targetFlavor: targetFlavor ?? (action == .migrate ? world.servers[i].server.flavorStorage : nil))
        return result
    }

    /// The actions that start a guest which may have given its vCPUs and RAM back while
    /// suspended (from SUSPENDED, and from the SHELVED or SOFT_DELETED states a suspended
    /// server can reach while still on its host).
    static let runsTheGuest: Set<ServerAction> = [.resume, .rebootHard, .restore, .unshelve]

    /// Refuses personality files that cannot be written into the image's tree (a directory in
    /// the way, or a file where a directory is needed), before anything is created.
    static func checkInjectable(_ files: [InjectedFile], into tree: VirtualFileSystem) throws(CloudError) {
        guard !files.isEmpty else { return }
        var probe = tree
        do {
            try probe.inject(files, at: .zero, wallClock: .defaultEpoch)
        } catch {
            throw CloudError(.badRequest, "Personality file cannot be injected: \(error.message)", underlying: error)
        }
    }

    /// A snapshot image of the server at record `i`: Nova's createImage schema (a name of at
    /// most 255 characters, metadata as servers'), the server's image's properties with
    /// `metadata` and then `extra` over them.
    private mutating func snapshot(_ i: Int, id: ServerID, name: String, metadata: [String: String], extra: [String: String]) throws(CloudError)
        -> ImageID
    {
        guard name.count <= 255 else { throw CloudError(.badRequest, "Invalid input for field/attribute name. Value: \(name). '\(name)' is too long") }
        try Self.validateName(name)
        let quota = world.configuration.quotas[world.servers[i].server.project] ?? world.configuration.defaultQuota
        try Self.validateMetadata(metadata, quota: quota)
        let source = world.servers[i].server.image
        let image = ImageID(Self.uuid(&world.ids))
        let properties = source.properties.merging(metadata) { _, given in given }.merging(extra) { _, given in given }
        world.images[image] = Shared(Image(id: image, name: name, minRamMiB: source.minRamMiB, minDiskGiB: source.minDiskGiB, properties: properties))
        world.imageOrder.append(image)
        world.snapshots[image] = Snapshot(server: id, created: now, project: world.servers[i].server.project)
        return image
    }

    /// Nova's backup rotation: this server's backups of `type`, newest first, beyond the first
    /// `rotation` are deleted from the catalog.
    /// - Complexity: O(images).
    mutating func rotateBackups(of id: ServerID, type: String, keeping rotation: Int) {
        let backups = world.imageOrder.filter { image in
            guard let properties = world.images[image]?.value.properties else { return false }
            return properties["image_type"] == "backup" && properties["backup_type"] == type && properties["instance_uuid"] == id.rawValue
        }
        // imageOrder is oldest first: the newest `rotation` are the last ones.
        let excess = Set(backups.dropLast(max(0, rotation)))
        guard !excess.isEmpty else { return }
        world.imageOrder.removeAll { excess.contains($0) }
        for image in excess {
            world.images[image] = nil
            world.snapshots[image] = nil
        }
    }
}
