// Creating servers: request validation, quota, placement of the batch.
extension ComputeCloud {
    /// Creates one or more servers (`min_count` to `max_count`; as many as quotas allow, at
    /// least `min_count`). They start in BUILD and are placed when their scheduling phase ends.
    ///
    /// - Throws: ``CloudError``: `badRequest` for an invalid name, count, unknown image, flavor,
    ///   zone or group, or a flavor too small for the image; `forbidden` over quota (Nova's
    ///   message); `computeFault` when a control-plane fault is injected.
    public mutating func createServers(_ request: CreateServerRequest, as caller: Caller) throws(CloudError) -> CreatedServers {
        try injectControlPlaneFault()
        try Self.validateName(request.name)
        if let description = request.description { try Self.validateDescription(description) }
        guard request.minCount >= 1, request.maxCount >= 1 else { throw CloudError(.badRequest, "min_count and max_count must be at least 1") }
        guard request.minCount <= request.maxCount else { throw CloudError(.badRequest, "min_count must be <= max_count") }
        guard let imageBox = world.images[request.image] else { throw CloudError(.badRequest, "Can not find requested image") }
        guard let flavorBox = usableFlavor(request.flavor, by: caller) else { throw CloudError(.badRequest, "Flavor \(request.flavor) could not be found.") }
        let image = imageBox.value, flavor = flavorBox.value
        if flavor.memoryMiB < image.minRamMiB { throw CloudError(.badRequest, "Flavor's memory is too small for requested image.") }
        try Self.checkMinDisk(flavor: flavor, image: image)
        if let zone = request.availabilityZone, !world.pool.hasHosts(in: zone) {
            throw CloudError(.badRequest, "The requested availability zone is not available")
        }
        // The group by its pool number, read in place (a copy of the group retains its strings).
        var groupNumber: Int32 = -1
        if let group = request.group {
            guard let found = world.pool.groupIndex[group], world.pool.groups[Int(found)].group.project == caller.project || caller.isAdmin else {
                throw CloudError(.badRequest, "Invalid server group \(group)")
            }
            groupNumber = found
        }
        if let key = request.keyName, world.keyPairs[KeyPairKey(user: caller.user, name: key)] == nil {
            throw CloudError(.badRequest, "Invalid key_name provided.")
        }
        let tags = try Self.validatedTags(request.tags)
        let quota = world.configuration.quotas[caller.project] ?? world.configuration.defaultQuota
        try Self.validateMetadata(request.metadata, quota: quota)
        let accessIPs = try Self.validateAccessIPs(v4: request.accessIPv4, v6: request.accessIPv6)
        let diskConfig = request.diskConfig ?? (image.properties["auto_disk_config"]?.lowercased() == "true" ? .auto : .manual)
        let networkRequest = try resolvedNetworks(request.network, caller: caller, maxCount: request.maxCount)
        let files = try Self.validatePersonality(request.personality, quota: quota, image: image)
        let tree = world.configuration.imageTrees[image.id] ?? VirtualFileSystem()
        try Self.checkInjectable(files, into: tree)
        // The project's pool number: looked up once, and given one only once the create is accepted
        // (a refused call changes nothing).
        let knownAccount = world.pool.accountIndex[caller.project]
        let count = try allowedCount(request, flavor: flavor, usage: knownAccount.map { world.usage(ofAccount: $0) } ?? QuotaUsage(), quota: quota)
        var password = request.adminPass
        if password == nil { password = PasswordPolicy.generate(using: &world.passwords) }
        let violation = request.adminPass.flatMap { world.configuration.passwordPolicy.violation(of: $0) }
        // Nova's reservation id: "r-" and 8 characters from its generate_uid alphabet, kept as
        // the eight draws (``ServerRecord/reservationID`` spells it out).
        var reservation: UInt64 = 0
        for position in 0..<8 { reservation |= UInt64(world.ids.nextIndex(below: ServerRecord.reservationAlphabet.count)) << UInt64(6 * position) }
        let detailValues = ServerDetails(
            availabilityZone: request.availabilityZone, description: request.description, accessIPv4: accessIPs.v4, accessIPv6: accessIPs.v6,
            keyName: request.keyName, tags: tags)
        let details = detailValues == ServerDetails() ? ServerDetails.empty : Shared(detailValues)
        let account = knownAccount ?? world.pool.internAccount(caller.project)
        var ids: [ServerID] = [], records: [Int32] = []
        // One request id for every server of the call (Nova's multi-create shares it).
        let actionRequest = world.configuration.recordsInstanceActions ? requestID() : nil
        for number in 0..<count {
            let id = ServerID(Self.uuid(&world.ids))
            let name = count > 1 ? "\(request.name)-\(number + 1)" : request.name
            let server = Server(
                id: id, name: name, project: caller.project, user: caller.user, status: .build, vmState: .building, taskState: .scheduling,
                powerState: .noState, progress: 0, host: nil, hostID: "", group: request.group, launchedAt: nil, created: now, updated: now, isLocked: false,
                isLockedByAdmin: false, metadata: request.metadata, shutdownTerminate: request.shutdownTerminate, addresses: [], diskConfig: diskConfig,
                macAddress: nil, flavorStorage: flavorBox, imageStorage: imageBox, details: details)
            let index = world.insert(
                ServerRecord(
                    server: consume server, passwordViolation: violation, fileSystem: tree, pendingFiles: files, networkRequest: networkRequest,
                    reservationCode: reservation, launchIndex: number, userData: request.userData),
                account: account, group: groupNumber)
            world.countUsage(of: index, sign: 1, instance: true)
            world.serverIndex[id] = index
            // The project's ports are bound now, so no other create can take them meanwhile.
            if case .networks(let nics) = networkRequest {
                for nic in nics { if let port = nic.port { world.ports[port]?.device = id } }
            }
            world.startOperation(nil, on: index, scheduler: &scheduler)
            if let actionRequest { world.recordAction(.create, on: index, request: actionRequest, caller: caller, now: now) }
            ids.append(id)
            records.append(index)
        }
        return CreatedServers(ids: ids, adminPass: world.configuration.returnsAdminPassword ? password : nil, records: records)
    }

    /// How many servers of `request` the project's quota admits (Nova's message when fewer
    /// than `minCount`).
    func allowedCount(_ request: CreateServerRequest, flavor: Flavor, usage: QuotaUsage, quota: Quota) throws(CloudError) -> Int {
        let used = (instances: usage.instances, cores: usage.cores, ram: usage.ramMiB)
        func fits(_ count: Int) -> [(String, Int, Int, Int)] {
            var overs: [(String, Int, Int, Int)] = []
            if quota.cores >= 0 && used.cores + count * flavor.vcpus > quota.cores { overs.append(("cores", count * flavor.vcpus, used.cores, quota.cores)) }
            if quota.instances >= 0 && used.instances + count > quota.instances { overs.append(("instances", count, used.instances, quota.instances)) }
            if quota.ramMiB >= 0 && used.ram + count * flavor.memoryMiB > quota.ramMiB {
                overs.append(("ram", count * flavor.memoryMiB, used.ram, quota.ramMiB))
            }
            return overs
        }
        for count in stride(from: request.maxCount, through: request.minCount, by: -1) where fits(count).isEmpty { return count }
        let overs = fits(request.maxCount).sorted { $0.0 < $1.0 }
        let requested = overs.map { $0.0 == "instances" && request.minCount != request.maxCount ? "\(request.minCount)-\(request.maxCount)" : "\($0.1)" }
        throw CloudError(
            .forbidden,
            "Quota exceeded for \(overs.map(\.0).joined(separator: ", ")): Requested \(requested.joined(separator: ", ")), but already used \(overs.map { "\($0.2)" }.joined(separator: ", ")) of \(overs.map { "\($0.3)" }.joined(separator: ", ")) \(overs.map(\.0).joined(separator: ", "))"
        )
    }

    /// Checks a create's NICs as Nova and Neutron do and puts them in the engine's form: every
    /// network must exist and be the caller's to use (400 "Network … could not be found."), a
    /// fixed IP must belong to its network's subnets and be free, and only one server may be
    /// asked for then; with no network named, the project's only usable network is taken, none
    /// gives no NIC, and several are 409 (Nova's NetworkAmbiguous). One NIC on the first network
    /// is kept in the compact `.automatic`/`.fixedIP` form.
    /// - Complexity: O(NICs × networks); O(servers) only to name the holder of a taken address.
    func resolvedNetworks(_ request: NetworkRequest, caller: Caller, maxCount: Int) throws(CloudError) -> NetworkRequest {
        let networks = world.configuration.networks
        switch request {
        case .none:
            return .none
        case .automatic:
            if networks.count == 1 && networks[0].isVisible(to: caller.project, isAdmin: false) { return .automatic }
            let usable = networks.indices.filter { networks[$0].isVisible(to: caller.project, isAdmin: false) }
            guard usable.count <= 1 else { throw CloudError(.conflictingRequest, "Multiple possible networks found, use a Network ID to be more specific.") }
            guard let only = usable.first else { return .none }
            return only == 0 ? .automatic : .networks([NICRequest(network: networks[only].id)])
        case .fixedIP(let address):
            guard let first = networks.first else { throw CloudError(.badRequest, "Fixed IP \(address) is not a valid ip address for any network.") }
            return try resolvedNetworks(.networks([NICRequest(network: first.id, fixedIP: address)]), caller: caller, maxCount: maxCount)
        case .networks(let nics):
            for nic in nics {
                if let id = nic.port {
                    if let address = nic.fixedIP {
                        throw CloudError(.badRequest, "Specified Fixed IP '\(address)' cannot be used with port '\(id)': the two cannot be specified together.")
                    }
                    guard let port = world.ports[id], caller.isAdmin || port.project == caller.project else {
                        // A port Nova made for another server's NIC is in use.
                        if (try? self.port(id, as: caller)) != nil { throw CloudError(.conflictingRequest, "Port \(id) is still in use.") }
                        throw CloudError(.badRequest, "Port \(id) could not be found.")
                    }
                    guard port.device == nil, nics.filter({ $0.port == id }).count == 1 else {
                        throw CloudError(.conflictingRequest, "Port \(id) is still in use.")
                    }
                    guard maxCount == 1 else {
                        throw CloudError(
                            .badRequest,
                            "Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports."
                        )
                    }
                    continue
                }
                guard let slot = networks.firstIndex(where: { $0.id == nic.network }), networks[slot].isVisible(to: caller.project, isAdmin: caller.isAdmin)
                else { throw CloudError(.badRequest, "Network \(nic.network) could not be found.") }
                guard let address = nic.fixedIP else { continue }
                guard maxCount == 1 else {
                    throw CloudError(.badRequest, "Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.")
                }
                guard let number = networks[slot].hostNumber(of: address) else {
                    throw CloudError(.badRequest, "Fixed IP \(address) is not a valid ip address for network \(nic.network).")
                }
                if world.usedPorts[slot].contains(number) {
                    let holder = world.servers.first { record in
                        !record.isDeleted
                            && ((slot == 0 && record.port == number) || record.nics.contains { Int($0.network) == slot && Int($0.number) == number })
                    }
                    throw CloudError(
                        .badRequest, "Fixed IP address \(address) is already in use on instance \(holder?.server.id.rawValue ?? "another instance").")
                }
            }
            if nics.count == 1, nics[0].network == networks.first?.id {
                return nics[0].fixedIP.map { .fixedIP($0) } ?? .automatic
            }
            return .networks(nics)
        }
    }

    /// Nova's check of the flavor's root disk against the image's `min_disk` (on create and on
    /// a rebuild to a new image); a flavor with a 0 GB root disk boots from volume and passes.
    static func checkMinDisk(flavor: Flavor, image: Image) throws(CloudError) {
        if flavor.diskGiB > 0 && flavor.diskGiB < image.minDiskGiB {
            throw CloudError(
                .badRequest,
                "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is \(flavor.diskGiB * 1_073_741_824) bytes, minimum size is \(image.minDiskGiB * 1_073_741_824) bytes."
            )
        }
    }

    /// Nova's description rule (2.19): at most 255 printable characters.
    static func validateDescription(_ description: String) throws(CloudError) {
        guard description.count <= 255, !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw CloudError(
                .badRequest,
                "Invalid input for field/attribute description. Value: \(description.prefix(64)). The description must be at most 255 printable characters.")
        }
    }

    static func validateName(_ name: String) throws(CloudError) {
        // Printable ASCII (what most names are): one pass over the bytes decides, since no
        // character there is a control and only the space is whitespace.
        let utf8 = name.utf8
        if utf8.count <= 255, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), let first = utf8.first, let last = utf8.last, first != 0x20, last != 0x20 {
            return
        }
        let invalid = CloudError(
            .badRequest, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.")
        guard !name.isEmpty, name.count <= 255, name.trimmingWhitespace == name else { throw invalid }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw invalid }
    }

    /// A version-4-formatted UUID from the ids stream.
    static func uuid(_ random: inout DeterministicRandom) -> String {
        let high = random.next(), low = (random.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
        return uuidText(high: (high & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000, low: low)
    }

    /// The UUID text of 128 bits (version and variant bits already set), lowercase hex.
    static func uuidText(high versioned: UInt64, low: UInt64) -> String {
        // Written straight into the string's own storage: one allocation per id.
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for nibble in 0..<32 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? versioned : low
                let digit = UInt8(truncatingIfNeeded: (word >> UInt64(60 - 4 * (nibble % 16))) & 0xf)
                text[position] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                position += 1
            }
            return 36
        }
    }
}
