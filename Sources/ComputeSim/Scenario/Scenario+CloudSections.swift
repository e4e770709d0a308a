import Foundation  // FileManager for load(path:)

// Reading the cloud sections of a scenario file: timing, hosts, flavors, images, build model, quotas, placement.
extension Scenario {
    /// Timing overrides: `{"create": [4 distributions], "rebootSoft": [3 distributions], ...}`,
    /// one distribution (of seconds) per phase of the action; unnamed actions keep the defaults.
    static func parseTiming(_ reader: JSONReader) throws(ScenarioError) -> TimingModel {
        var timing = TimingModel()
        let names = ["create"] + ServerAction.allCases.map(\.rawValue)
        for (key, value) in try reader.entries() {
            let phases = try value.array().map { (item: JSONReader) throws(ScenarioError) -> Distribution in try parseDistribution(item) }
            if key == "create" {
                guard phases.count == 4 else {
                    throw value.fail("create needs 4 phase durations (scheduling, networking, block_device_mapping, spawning), got \(phases.count)")
                }
                timing.build = phases
            } else if let action = ServerAction(rawValue: key) {
                let expected = action == .confirmResize ? 1 : ServerLifecycle.rule(for: action).taskSequence.count
                guard phases.count == expected else { throw value.fail("\(key) needs \(expected) phase durations, got \(phases.count)") }
                timing.phases[action] = phases
            } else {
                throw value.fail("unknown action; expected one of \(names.sorted().joined(separator: ", "))")
            }
        }
        return timing
    }

    /// A host group's `aggregates` field: the aggregate it names and the group's hosts.
    struct AggregateMembership {
        var aggregate: String
        var hosts: [HostName]
        var reader: JSONReader
    }

    static func parseHosts(_ reader: JSONReader) throws(ScenarioError) -> [Host] {
        var memberships: [AggregateMembership] = []
        var groupSizes: [Int] = []
        return try parseHosts(reader, memberships: &memberships, groupSizes: &groupSizes)
    }

    /// The `hosts` section; each group's `aggregates` (names of the `aggregates` section's
    /// entries) are collected into `memberships`, and its host count into `groupSizes`.
    static func parseHosts(_ reader: JSONReader, memberships: inout [AggregateMembership], groupSizes: inout [Int]) throws(ScenarioError) -> [Host] {
        let groups = try reader.array()
        guard !groups.isEmpty else { throw reader.fail("expected at least one host group") }
        // Count first, so an absurd file fails before anything is built.
        var total = 0
        for group in groups {
            let count = try group.object(allowed: hostFields)["count"]?.integer(1...maximumHosts, "a count from 1 to \(maximumHosts)") ?? 1
            total += count
            guard total <= maximumHosts else { throw group.fail("more than \(maximumHosts) hosts in all") }
        }
        var hosts: [Host] = []
        hosts.reserveCapacity(total)
        var names = Set<String>()
        var groupMemberships: [[AggregateMembership]] = []
        let built = try collectingEach(groups) { (group: JSONReader) throws(ScenarioError) -> [Host] in
            var hosts: [Host] = []
            let fields = try group.object(allowed: hostFields)
            let count = try fields["count"]?.integer(1...maximumHosts, "a count from 1 to \(maximumHosts)") ?? 1
            guard let pattern = try fields["name"]?.string(), !pattern.isEmpty else {
                throw group.fail("expected a name (a pattern such as \"compute-{n}\" when count > 1)")
            }
            if count > 1 && !pattern.contains("{n}") { throw (fields["name"] ?? group).fail("a group of \(count) hosts needs {n} in its name") }
            let template = Host(
                name: "template",
                availabilityZone: AvailabilityZone(try fields["zone"]?.string() ?? "nova"),
                hypervisorType: HypervisorType(rawValue: try fields["hypervisor"]?.string() ?? "QEMU"),
                vcpus: try required(fields, "vcpus", group).integer(1...Host.maximumAmount, "a positive integer"),
                memoryMiB: try required(fields, "memoryMiB", group).integer(1...Host.maximumAmount, "a positive integer"),
                diskGiB: try required(fields, "diskGiB", group).integer(0...Host.maximumAmount, "a non-negative integer"),
                reserved: Resources(
                    vcpus: try fields["reservedVcpus"]?.integer(0...Host.maximumAmount, "a non-negative integer") ?? 0,
                    memoryMiB: try fields["reservedMemoryMiB"]?.integer(0...Host.maximumAmount, "a non-negative integer") ?? Host.defaultReservedMemoryMiB,
                    diskGiB: try fields["reservedDiskGiB"]?.integer(0...Host.maximumAmount, "a non-negative integer") ?? 0),
                cpuAllocationRatio: try fields["cpuAllocationRatio"]?.number(0.001...1_000, "a ratio above 0 and at most 1000") ?? 4.0,
                ramAllocationRatio: try fields["ramAllocationRatio"]?.number(0.001...1_000, "a ratio above 0 and at most 1000") ?? 1.0,
                diskAllocationRatio: try fields["diskAllocationRatio"]?.number(0.001...1_000, "a ratio above 0 and at most 1000") ?? 1.0)
            do throws(ModelError) { _ = try template.effectiveCapacity() } catch {
                throw group.fail(error.message.replacingOccurrences(of: "host template: ", with: ""))
            }
            let parts = Self.templateParts(pattern)
            for number in 1...count {
                var host = template
                let name = parts.joined(separator: String(number))
                guard names.insert(name).inserted else { throw (fields["name"] ?? group).fail("host name \(name) is used twice") }
                host.name = HostName(name)
                hosts.append(host)
            }
            if let names = fields["aggregates"] {
                groupMemberships.append(
                    try names.array().map { (item: JSONReader) throws(ScenarioError) -> AggregateMembership in
                        AggregateMembership(aggregate: try item.string(), hosts: hosts.map(\.name), reader: item)
                    })
            }
            return hosts
        }
        for group in built { hosts.append(contentsOf: group) }
        groupSizes = built.map(\.count)
        memberships += groupMemberships.flatMap { $0 }
        return hosts
    }

    /// The `aggregates` section: `[{"name", "hosts": [...], "metadata": {...}}]`, plus the host
    /// groups that name an aggregate in their `aggregates` field.
    static func parseAggregates(_ reader: JSONReader?, hosts: [Host], memberships: [AggregateMembership]) throws(ScenarioError) -> [Aggregate.Definition] {
        var definitions: [Aggregate.Definition] = []
        let known = Set(hosts.map(\.name))
        for entry in try reader?.array() ?? [] {
            let fields = try entry.object(allowed: ["name", "hosts", "metadata"])
            let name = try required(fields, "name", entry).string()
            guard !name.isEmpty, name.count <= 255 else { throw (fields["name"] ?? entry).fail("expected a name of 1 to 255 characters") }
            guard !definitions.contains(where: { $0.name == name }) else { throw (fields["name"] ?? entry).fail("aggregate name \(name) is used twice") }
            if hosts.contains(where: { $0.availabilityZone.rawValue == name && $0.availabilityZone != .nova }) {
                throw (fields["name"] ?? entry).fail("\(name) is the name of the aggregate of availability zone \(name)")
            }
            var metadata: [String: String] = [:]
            for (key, value) in try fields["metadata"]?.entries() ?? [] {
                guard key != Aggregate.zoneKey else { throw value.fail("availability zones come from the hosts' zone field, not an aggregate's metadata") }
                guard (1...255).contains(key.count) else { throw value.fail("metadata keys must be 1 to 255 characters") }
                let text = try value.string()
                guard text.count <= 255 else { throw value.fail("metadata values must be at most 255 characters") }
                metadata[key] = text
            }
            var members: [HostName] = []
            for item in try fields["hosts"]?.array() ?? [] {
                let host = HostName(try item.string())
                guard known.contains(host) else { throw item.fail("no host named \(host)") }
                guard !members.contains(host) else { throw item.fail("host \(host) is listed twice") }
                members.append(host)
            }
            definitions.append(Aggregate.Definition(name: name, hosts: members, metadata: metadata))
        }
        for membership in memberships {
            guard let position = definitions.firstIndex(where: { $0.name == membership.aggregate }) else {
                throw membership.reader.fail("no aggregate named \(membership.aggregate) in the aggregates section")
            }
            for host in membership.hosts where !definitions[position].hosts.contains(host) { definitions[position].hosts.append(host) }
        }
        return definitions
    }

    static let hostFields: Set<String> = [
        "name", "count", "zone", "hypervisor", "vcpus", "memoryMiB", "diskGiB", "reservedVcpus", "reservedMemoryMiB",
        "reservedDiskGiB", "cpuAllocationRatio", "ramAllocationRatio", "diskAllocationRatio", "aggregates",
    ]

    static func required(_ fields: [String: JSONReader], _ key: String, _ parent: JSONReader) throws(ScenarioError) -> JSONReader {
        guard let value = fields[key] else { throw ScenarioError(path: parent.path.isEmpty ? key : "\(parent.path).\(key)", reason: "is required") }
        return value
    }

    static func parseFlavors(_ reader: JSONReader) throws(ScenarioError) -> [Flavor] {
        var ids = Set<String>()
        return try reader.array().map { (entry: JSONReader) throws(ScenarioError) -> Flavor in
            let fields = try entry.object(allowed: ["id", "name", "vcpus", "memoryMiB", "diskGiB", "ephemeralGiB", "swapMiB", "extraSpecs"])
            let id = try required(fields, "id", entry).string()
            guard ids.insert(id).inserted else { throw (fields["id"] ?? entry).fail("flavor id \(id) is used twice") }
            var specs: [String: String] = [:]
            for (key, value) in try fields["extraSpecs"]?.entries() ?? [] { specs[key] = try value.string() }
            return Flavor(
                id: FlavorID(id), name: try fields["name"]?.string() ?? id,
                vcpus: try required(fields, "vcpus", entry).integer(1...(1 << 20), "a positive integer"),
                memoryMiB: try required(fields, "memoryMiB", entry).integer(1...(1 << 30), "a positive integer"),
                diskGiB: try fields["diskGiB"]?.integer(0...(1 << 30), "a non-negative integer") ?? 0,
                ephemeralGiB: try fields["ephemeralGiB"]?.integer(0...(1 << 30), "a non-negative integer") ?? 0,
                swapMiB: try fields["swapMiB"]?.integer(0...(1 << 30), "a non-negative integer") ?? 0,
                extraSpecs: specs)
        }
    }

    static func parseImages(_ reader: JSONReader) throws(ScenarioError) -> [Image] {
        var ids = Set<String>()
        return try reader.array().map { (entry: JSONReader) throws(ScenarioError) -> Image in
            let fields = try entry.object(allowed: ["id", "name", "minRamMiB", "minDiskGiB", "properties", "sizeGiB"])
            let id = try required(fields, "id", entry).string()
            guard ids.insert(id).inserted else { throw (fields["id"] ?? entry).fail("image id \(id) is used twice") }
            var properties: [String: String] = [:]
            for (key, value) in try fields["properties"]?.entries() ?? [] { properties[key] = try value.string() }
            return Image(
                id: ImageID(id), name: try fields["name"]?.string() ?? id,
                minRamMiB: try fields["minRamMiB"]?.integer(0...(1 << 30), "a non-negative integer") ?? 0,
                minDiskGiB: try fields["minDiskGiB"]?.integer(0...(1 << 30), "a non-negative integer") ?? 0,
                properties: properties, sizeGiB: try fields["sizeGiB"]?.number(0...1_048_576, "a size in GiB from 0 to 1048576") ?? 0)
        }
    }

    /// The `buildModel` section: rates in Gbit/s (links) and GB/s (disks), sizes in GiB,
    /// delays and boot times as distributions; every field optional (``BuildModel``'s defaults).
    static func parseBuildModel(_ reader: JSONReader, configuration: CloudConfiguration) throws(ScenarioError) -> BuildModel {
        let fields = try reader.object(allowed: [
            "hostNetworkGbps", "imageStoreGbps", "diskGBps", "imageCacheGiB", "prewarmedImages", "prewarmedZones",
            "maxConcurrentBuilds", "schedulingDelay", "portSetupDelay", "boot", "bootByImage",
        ])
        var model = BuildModel()
        if let value = fields["hostNetworkGbps"] { model.hostNetworkBytesPerSecond = try value.number(0.001...100_000, "a rate in Gbit/s") * 1.25e8 }
        if let value = fields["imageStoreGbps"] { model.imageStoreBytesPerSecond = try value.number(0.001...100_000, "a rate in Gbit/s") * 1.25e8 }
        if let value = fields["diskGBps"] { model.diskBytesPerSecond = try value.number(0.001...10_000, "a throughput in GB/s") * 1e9 }
        if let value = fields["imageCacheGiB"] { model.imageCacheBytes = try value.number(0...1_048_576, "a size in GiB") * 1_073_741_824 }
        if let value = fields["maxConcurrentBuilds"] { model.maxConcurrentBuilds = try value.integer(1...10_000, "a positive integer") }
        if let list = fields["prewarmedImages"] {
            model.prewarmedImages = try list.array().map { (item: JSONReader) throws(ScenarioError) -> ImageID in
                let id = ImageID(try item.string())
                guard configuration.images.contains(where: { $0.id == id }) else { throw item.fail("no image with id \(id)") }
                return id
            }
        }
        if let list = fields["prewarmedZones"] {
            var hosts = Set<HostName>()
            for item in try list.array() {
                let zone = AvailabilityZone(try item.string())
                let members = configuration.hosts.filter { $0.availabilityZone == zone }.map(\.name)
                guard !members.isEmpty else { throw item.fail("no host is in zone \(zone)") }
                hosts.formUnion(members)
            }
            model.prewarmedHosts = hosts
        }
        if let value = fields["schedulingDelay"] { model.schedulingDelay = try parseDistribution(value) }
        if let value = fields["portSetupDelay"] { model.portSetupDelay = try parseDistribution(value) }
        if let value = fields["boot"] { model.boot = try parseDistribution(value) }
        if let map = fields["bootByImage"] {
            for (key, value) in try map.entries() {
                guard configuration.images.contains(where: { $0.id.rawValue == key }) else { throw map.fail("no image with id \(key)") }
                model.bootByImage[ImageID(key)] = try parseDistribution(value)
            }
        }
        return model
    }

    static func parseQuota(_ reader: JSONReader, base: Quota) throws(ScenarioError) -> Quota {
        let fields = try reader.object(allowed: [
            "instances", "cores", "ramMiB", "metadataItems", "injectedFiles", "injectedFileContentBytes",
            "injectedFilePathLength", "keyPairs", "serverGroups", "serverGroupMembers",
        ])
        var quota = base
        func limit(_ key: String) throws(ScenarioError) -> Int? { try fields[key]?.integer(-1...Int(Int32.max), "-1 (unlimited) or a non-negative integer") }
        quota.instances = try limit("instances") ?? quota.instances
        quota.cores = try limit("cores") ?? quota.cores
        quota.ramMiB = try limit("ramMiB") ?? quota.ramMiB
        quota.metadataItems = try limit("metadataItems") ?? quota.metadataItems
        quota.injectedFiles = try limit("injectedFiles") ?? quota.injectedFiles
        quota.injectedFileContentBytes = try limit("injectedFileContentBytes") ?? quota.injectedFileContentBytes
        quota.injectedFilePathLength = try limit("injectedFilePathLength") ?? quota.injectedFilePathLength
        quota.keyPairs = try limit("keyPairs") ?? quota.keyPairs
        quota.serverGroups = try limit("serverGroups") ?? quota.serverGroups
        quota.serverGroupMembers = try limit("serverGroupMembers") ?? quota.serverGroupMembers
        return quota
    }

    static func parsePlacement(_ reader: JSONReader) throws(ScenarioError) -> PlacementPolicy {
        let fields = try reader.object(allowed: [
            "ramWeightMultiplier", "cpuWeightMultiplier", "diskWeightMultiplier", "softAffinityWeightMultiplier",
            "softAntiAffinityWeightMultiplier", "buildFailureWeightMultiplier", "numInstancesWeightMultiplier",
            "accountSpreading", "hostSubsetSize", "maxAttempts", "maxInstancesPerHost", "candidateLimit", "aggregateInstanceExtraSpecs",
        ])
        var policy = PlacementPolicy()
        let anyNumber = -1e9...1e9
        policy.ramWeightMultiplier = try fields["ramWeightMultiplier"]?.number(anyNumber, "a number") ?? policy.ramWeightMultiplier
        policy.cpuWeightMultiplier = try fields["cpuWeightMultiplier"]?.number(anyNumber, "a number") ?? policy.cpuWeightMultiplier
        policy.diskWeightMultiplier = try fields["diskWeightMultiplier"]?.number(anyNumber, "a number") ?? policy.diskWeightMultiplier
        policy.softAffinityWeightMultiplier =
            try fields["softAffinityWeightMultiplier"]?.number(0...1e9, "a non-negative number") ?? policy.softAffinityWeightMultiplier
        policy.softAntiAffinityWeightMultiplier =
            try fields["softAntiAffinityWeightMultiplier"]?.number(0...1e9, "a non-negative number") ?? policy.softAntiAffinityWeightMultiplier
        policy.buildFailureWeightMultiplier = try fields["buildFailureWeightMultiplier"]?.number(anyNumber, "a number") ?? policy.buildFailureWeightMultiplier
        policy.numInstancesWeightMultiplier = try fields["numInstancesWeightMultiplier"]?.number(anyNumber, "a number") ?? policy.numInstancesWeightMultiplier
        if let spreading = fields["accountSpreading"] {
            switch spreading.value {
            case .string("strict"): policy.accountSpreading = .strict
            case .string("off"): policy.accountSpreading = .off
            case .int, .double: policy.accountSpreading = .weighted(multiplier: try spreading.number(anyNumber, "a number"))
            default: throw spreading.fail("expected \"strict\", \"off\" or a weigher multiplier, got \(spreading.value.canonicalText)")
            }
        }
        policy.hostSubsetSize = try fields["hostSubsetSize"]?.integer(1...100_000, "a positive integer") ?? policy.hostSubsetSize
        policy.maxAttempts = try fields["maxAttempts"]?.integer(1...100, "an integer from 1 to 100") ?? policy.maxAttempts
        if let limit = fields["maxInstancesPerHost"] { policy.maxInstancesPerHost = try limit.integer(1...1_000_000, "a positive integer") }
        policy.candidateLimit = try fields["candidateLimit"]?.integer(1...100_000, "an integer from 1 to 100000") ?? policy.candidateLimit
        policy.matchesAggregateExtraSpecs = try fields["aggregateInstanceExtraSpecs"]?.bool() ?? false
        return policy
    }
}

extension Scenario {
    /// A host name pattern cut at each `{n}`, left to right (by Characters, as the check that a
    /// group's pattern holds `{n}` matches): joining the parts with a number gives that host's
    /// name. Cut once per group instead of searching the pattern per host (Foundation's
    /// `replacingOccurrences` cost about 20,000 instructions a host).
    /// - Complexity: O(n) for a pattern of n Characters.
    static func templateParts(_ pattern: String) -> [String] {
        let characters = Array(pattern)
        var parts: [String] = [], current = ""
        var index = 0
        while index < characters.count {
            if index + 2 < characters.count, characters[index] == "{", characters[index + 1] == "n", characters[index + 2] == "}" {
                parts.append(current)
                current = ""
                index += 3
            } else {
                current.append(characters[index])
                index += 1
            }
        }
        parts.append(current)
        return parts
    }
}
