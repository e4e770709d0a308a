// Server actions: the lifecycle rules applied to a request.
extension ComputeCloud {
    func guarded(_ record: ServerRecord) -> GuardedServer {
        GuardedServer(
            id: record.server.id, vmState: record.server.vmState, taskState: record.server.taskState, isLaunched: record.server.launchedAt != nil,
            isLocked: record.server.isLocked, host: record.server.host, isHostUp: !world.isHostDown(record.server.host))
    }

    /// Performs an action (POST /servers/{id}/action).
    ///
    /// - Throws: ``CloudError``: `conflictingRequest` with Nova's message when the state, a lock
    ///   or a down host refuses it (nothing changes); `badRequest` for invalid arguments (e.g.
    ///   "When resizing, instances must change flavor!"); `itemNotFound` for unknown servers.
    public mutating func perform(_ request: ServerActionRequest, on id: ServerID, as caller: Caller) throws(CloudError) -> ActionResult {
        try perform(request, at: index(of: id, for: caller), as: caller)
    }

    /// ``perform(_:on:as:)`` for a checked record number.
    mutating func perform(_ request: ServerActionRequest, at index: Int32, as caller: Caller) throws(CloudError) -> ActionResult {
        let id = world.servers[Int(index)].server.id
        try injectControlPlaneFault()
        let action = request.action
        var record = world.servers[Int(index)]
        let rule = ServerLifecycle.rule(for: action)
        // ComputeSim's rule: a server on a down host refuses everything but locks.
        if world.isHostDown(record.server.host), action != .lock, action != .unlock, action != .forceDelete {
            throw CloudError(
                .conflictingRequest,
                "Cannot '\(action.messageName)' instance \(id) while it is in status UNKNOWN: host \(record.server.host?.rawValue ?? "") is down")
        }
        // Password recovery: changePassword is accepted from the ERROR a policy failure caused.
        let recovering =
            action == .changePassword && record.server.vmState == .error && record.server.fault?.kind == .passwordRejected && record.server.launchedAt != nil
        if !recovering, let refusal = ServerLifecycle.check(action, on: guarded(record), isAdmin: caller.isAdmin) { throw CloudError(refusal) }
        var result = ActionResult(httpStatus: rule.successCode, adminPass: nil, image: nil)
        var targetFlavor: Flavor? = nil
        switch request {
        case .resize(let flavorID):
            guard let flavor = world.flavors[flavorID] else { throw CloudError(.badRequest, "Flavor \(flavorID) could not be found.") }
            guard flavor.id != record.server.flavor.id else { throw CloudError(.badRequest, "When resizing, instances must change flavor!") }
            targetFlavor = flavor
        case .rebuild(let imageID, let password, let personality):
            if let imageID {
                guard let image = world.images[imageID] else { throw CloudError(.badRequest, "Can not find requested image") }
                record.server.image = image
            }
            let quota = world.configuration.quotas[record.server.project] ?? world.configuration.defaultQuota
            let files = try Self.validatePersonality(personality, quota: quota)
            try Self.checkInjectable(files, into: world.configuration.imageTrees[record.server.image.id] ?? VirtualFileSystem())
            if let password, let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
            // Only now, with every check passed: a refused rebuild changes nothing.
            world.servers[Int(index)].pendingFiles = files
            result.adminPass = world.configuration.returnsAdminPassword ? (password ?? PasswordPolicy.generate(using: &world.passwords)) : nil
        case .rescue(let password):
            if let password, let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
            result.adminPass = world.configuration.returnsAdminPassword ? (password ?? PasswordPolicy.generate(using: &world.passwords)) : nil
        case .changePassword(let password):
            if let violation = world.configuration.passwordPolicy.violation(of: password) { throw CloudError(.badRequest, violation) }
        case .suspend:
            if let host = record.server.host, let hypervisor = world.pool.host(host)?.hypervisorType, !hypervisor.supportsSuspend {
                throw CloudError(.conflictingRequest, "Cannot 'suspend' instance \(id): hypervisor \(hypervisor) on host \(host) does not support suspend")
            }
        case .restore, .forceDelete:
            break
        case .confirmResize, .revertResize:
            guard record.resizeSource != nil else { throw CloudError(.badRequest, "Instance has not been resized.") }
        case .lock:
            world.servers[Int(index)].server.isLocked = true
            world.servers[Int(index)].server.isLockedByAdmin = caller.isAdmin
            world.servers[Int(index)].server.updated = now
            return result
        case .unlock:
            // Nova's unlock_override policy: an owner cannot lift an administrator's lock.
            if record.server.isLocked && record.server.isLockedByAdmin && !caller.isAdmin {
                throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.")
            }
            world.servers[Int(index)].server.isLocked = false
            world.servers[Int(index)].server.isLockedByAdmin = false
            world.servers[Int(index)].server.updated = now
            return result
        case .createImage(let name):
            let image = ImageID(Self.uuid(&world.ids))
            world.images[image] = Image(
                id: image, name: name, minRamMiB: record.server.image.minRamMiB, minDiskGiB: record.server.image.minDiskGiB,
                properties: record.server.image.properties)
            world.imageOrder.append(image)
            result.image = image
        default:
            break
        }
        world.servers[Int(index)].server.image = record.server.image
        if recovering {
            // Back to active so the PASSWORD status shows while the password is set.
            world.servers[Int(index)].server.vmState = .active
        }
        world.cancelPending(index, scheduler: &scheduler)
        if action == .liveMigrate {
            guard let destination = liveMigrationDestination(index) else {
                return result  // NoValidHost: task None, state unchanged
            }
            world.startOperation(action, on: index, scheduler: &scheduler)
            world.servers[Int(index)].operation?.targetHost = destination
            return result
        }
        world.startOperation(action, on: index, scheduler: &scheduler, targetFlavor: targetFlavor ?? (action == .migrate ? record.server.flavor : nil))
        return result
    }

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

}
