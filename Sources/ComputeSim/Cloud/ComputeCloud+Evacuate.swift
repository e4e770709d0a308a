// Evacuate: an administrator rebuilds the server of a down host on another host.
extension ComputeCloud {
    /// Whether a host's nova-compute service reports up: the host is up and not forced down
    /// (what Nova's servicegroup API answers, and what evacuate requires to be false).
    func isServiceUp(_ host: HostName) -> Bool {
        !world.pool.isDown(host) && !(world.serviceOverrides[host]?.forcedDown ?? false)
    }

    /// Nova's evacuate, in its order: the policy (administrators), `force` without a host, the
    /// named host (404 when unknown, 400 when it is the server's own), the server's state
    /// (active, stopped or error, no task, launched), then its host's service, which must be
    /// down (400 "Compute service of … is still in use." otherwise). Accepted, the server goes
    /// to REBUILD on its new host at once and is rebuilt there from its image; with no host
    /// for it (NoValidHost) it stays where it is, unchanged, and the action's event fails.
    mutating func evacuate(
        _ index: Int32, to target: HostName?, adminPass: String?, force: Bool, onSharedStorage: Bool, as caller: Caller
    ) throws(CloudError) -> ActionResult {
        let i = Int(index)
        guard caller.isAdmin else { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-evacuate to be performed.") }
        if force && target == nil { throw CloudError(.badRequest, "Can't force to a non-provided destination") }
        if onSharedStorage && adminPass != nil { throw CloudError(.badRequest, "admin password can't be changed on existing disk") }
        if let adminPass, let violation = world.configuration.passwordPolicy.violation(of: adminPass) { throw CloudError(.badRequest, violation) }
        if let target, world.pool.host(target) == nil { throw CloudError(.itemNotFound, "Compute host \(target) not found.") }
        let source = world.servers[i].server.host
        if let target, target == source { throw CloudError(.badRequest, "The target host can't be the same one.") }
        if let refusal = ServerLifecycle.check(.evacuate, on: guarded(index), isAdmin: true) { throw CloudError(refusal) }
        // (A launched server without a host lost it to a host failure: Nova finds no service.)
        guard let source else { throw CloudError(.itemNotFound, "Compute host None could not be found.") }
        guard !isServiceUp(source) else { throw CloudError(.badRequest, "Compute service of \(source) is still in use.") }
        let password = adminPass ?? (onSharedStorage ? nil : PasswordPolicy.generate(using: &world.passwords))
        let result = ActionResult(httpStatus: 200, adminPass: world.configuration.returnsAdminPassword ? password : nil, image: nil)
        world.cancelPending(index, scheduler: &scheduler)
        let flavor = world.servers[i].server.flavor
        let claimed: Bool
        if let target {
            claimed = world.claimNamed(target, for: index, flavor: flavor, force: force)
        } else if case .claimed = world.selectAndClaim(for: index, flavor: flavor, purpose: .migrationTarget, awayFromCurrentHost: true) {
            claimed = true
        } else {
            claimed = false
        }
        guard claimed, let destination = world.pool.claimedHost(number: index, purpose: .migrationTarget) else {
            return result  // NoValidHost: the conductor gives up; the server is left as it was
        }
        // The rebuild runs on the destination from its first task: the server moves there now
        // (so it shows REBUILD, not the down host's UNKNOWN) and the source's claim is freed.
        world.releaseIfHeld(index)
        world.rekeyMigrationClaim(index)
        world.setHost(index, slot: destination)
        world.startOperation(.evacuate, on: index, scheduler: &scheduler)
        world.servers[i].operation?.keepsDisk = onSharedStorage
        return result
    }
}

extension CloudWorld {
    /// Claims the named host as the server's migration target: with `force`, only room is
    /// checked (the pool refuses a claim that does not fit); otherwise every placement filter
    /// must pass on it, as Nova's scheduler checks a requested destination.
    mutating func claimNamed(_ host: HostName, for index: Int32, flavor: Flavor, force: Bool) -> Bool {
        guard let slot = pool.hostIndex[host] else { return false }
        if !force {
            let i = Int(index)
            let request = PlacementRequest(
                project: servers[i].server.project, flavor: flavor, image: servers[i].server.image, availabilityZone: servers[i].server.availabilityZone,
                group: servers[i].server.group)
            let numbers = SelectionContext.Numbers(account: servers[i].accountNumber, group: servers[i].groupNumber < 0 ? nil : servers[i].groupNumber)
            guard let context = try? SelectionContext(pool: pool, request: request, numbers: numbers), context.firstFailingFilter(slot, in: pool) == nil else {
                return false
            }
        }
        return claim(index, purpose: .migrationTarget, resources: flavor.claim, host: slot)
    }
}
