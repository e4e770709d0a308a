// Reading the workloads, declared groups and fault plans of a scenario file.
extension Scenario {
    static let workloadFields: Set<String> = [
        "name", "project", "projects", "script", "arrival", "start", "stop", "maxServers", "flavor", "flavors", "image", "lifetime", "group", "actions", "zone",
        "shutdownTerminate", "networks",
    ]

    static func parseWorkloads(_ reader: JSONReader, configuration: CloudConfiguration, baseDirectory: String?, groups: [DeclaredServerGroup] = [])
        throws(ScenarioError) -> [Workload]
    {
        var names = Set<String>()
        return try collectingEach(try reader.array()) { (entry: JSONReader) throws(ScenarioError) -> Workload in
            let fields = try entry.object(allowed: workloadFields)
            let name = try required(fields, "name", entry).string()
            guard names.insert(name).inserted else { throw (fields["name"] ?? entry).fail("workload name \(name) is used twice") }
            let arrivalReader = try required(fields, "arrival", entry)
            let arrival = try parseArrival(arrivalReader, configuration: configuration, baseDirectory: baseDirectory)
            var flavors: [Weighted<FlavorID>] = []
            if let flavor = fields["flavor"] { flavors = [Weighted(FlavorID(try flavor.string()), weight: 1)] }
            if let list = fields["flavors"] {
                for item in try list.array() {
                    let parts = try item.object(allowed: ["id", "weight"])
                    flavors.append(
                        Weighted(FlavorID(try required(parts, "id", item).string()), weight: try parts["weight"]?.number(0...1e9, "a non-negative weight") ?? 1)
                    )
                }
            }
            // Trace rows name their own flavors; the first one stands in for the mix.
            if case .trace(let rows) = arrival, flavors.isEmpty, let first = rows.first { flavors = [Weighted(first.flavor, weight: 1)] }
            guard !flavors.isEmpty else { throw entry.fail("needs a flavor or flavors") }
            for (index, flavor) in flavors.enumerated() where !configuration.flavors.contains(where: { $0.id == flavor.value }) {
                var location = fields["flavor"] ?? entry
                if let list = fields["flavors"] { location = JSONReader(value: list.value, path: "\(list.path)[\(index)].id") }
                throw location.fail("no flavor with id \(flavor.value)")
            }
            var image: ImageID? = nil
            if let value = fields["image"] {
                image = ImageID(try value.string())
                guard configuration.images.contains(where: { $0.id == image }) else { throw value.fail("no image with id \(image?.rawValue ?? "")") }
            }
            guard image != nil || !configuration.images.isEmpty else { throw entry.fail("needs an image: the catalog has none") }
            var group: WorkloadGroup? = nil
            var declaredGroup: DeclaredServerGroup? = nil
            if let value = fields["group"], let idField = try value.object(allowed: ["policy", "size", "id"])["id"] {
                _ = try value.object(allowed: ["id"])  // an id excludes policy and size
                let id = try idField.string()
                guard let declared = groups.first(where: { $0.id.rawValue == id }) else { throw idField.fail("no server group with id \(id) in serverGroups") }
                declaredGroup = declared
            } else if let value = fields["group"] {
                let parts = try value.object(allowed: ["policy", "size"])
                let policyText = try required(parts, "policy", value).string()
                guard let policy = ServerGroupPolicy(rawValue: policyText) else {
                    throw (parts["policy"] ?? value).fail("expected affinity, anti-affinity, soft-affinity or soft-anti-affinity, got \(policyText)")
                }
                group = WorkloadGroup(policy: policy, size: try required(parts, "size", value).integer(1...1_000, "a group size from 1 to 1000"))
            }
            var actions: [ActionRate] = []
            for item in try fields["actions"]?.array() ?? [] {
                let parts = try item.object(allowed: ["action", "perHour"])
                let actionReader = try required(parts, "action", item)
                let actionName = try actionReader.string()
                guard let action = actionName == "guestShutdown" ? .guestShutdown : workloadActions[actionName].map(WorkloadAction.api) else {
                    throw actionReader.fail("expected one of \((workloadActions.keys + ["guestShutdown"]).sorted().joined(separator: ", "))")
                }
                actions.append(ActionRate(action, perHour: try required(parts, "perHour", item).number(0...3_600, "a rate from 0 to 3600 per hour")))
            }
            var lifetime: Distribution? = nil
            if let value = fields["lifetime"] { lifetime = try parseDistribution(value) }
            var projects: ProjectSpread? = nil
            if let value = fields["projects"] {
                let parts = try value.object(allowed: ["count", "block"])
                projects = ProjectSpread(
                    count: try required(parts, "count", value).integer(1...1_000_000, "a project count from 1 to 1000000"),
                    block: try parts["block"]?.integer(1...1_000_000, "a block size from 1 to 1000000") ?? 1
                )
            }
            var workload = Workload(
                name: name, project: ProjectID(try fields["project"]?.string() ?? name), arrival: arrival,
                start: try fields["start"]?.duration() ?? .zero, stop: try fields["stop"]?.duration(),
                maxServers: try fields["maxServers"]?.integer(1...10_000_000, "a positive integer"),
                flavors: flavors, image: image, lifetime: lifetime,
                group: group, actions: actions)
            workload.projects = projects
            workload.shutdownTerminate = try fields["shutdownTerminate"]?.bool() ?? false
            for item in try fields["networks"]?.array() ?? [] {
                let id = try item.string()
                guard configuration.networks.contains(where: { $0.id == id }) else { throw item.fail("no network with id \(id)") }
                workload.networks.append(id)
            }
            if let zoneField = fields["zone"] {
                let zone = AvailabilityZone(try zoneField.string())
                guard configuration.hosts.contains(where: { $0.availabilityZone == zone }) else { throw zoneField.fail("no host is in zone \(zone)") }
                workload.availabilityZone = zone
            }
            if let declaredGroup {
                guard projects == nil, declaredGroup.project == workload.project else {
                    throw (fields["group"] ?? entry).fail(
                        "server group \(declaredGroup.id.rawValue) belongs to project \(declaredGroup.project.rawValue); the workload's servers are in \(projects == nil ? workload.project.rawValue : "several projects")"
                    )
                }
                workload.declaredGroup = declaredGroup.id
            }
            for item in try fields["script"]?.array() ?? [] {
                let parts = try item.object(allowed: ["after", "action"])
                let actionReader = try required(parts, "action", item)
                let name = try actionReader.string()
                let action: WorkloadAction?
                if name == "delete" {
                    action = nil
                } else if name == "guestShutdown" {
                    action = .guestShutdown
                } else if let request = workloadActions[name] {
                    action = .api(request)
                } else {
                    throw actionReader.fail("expected delete or one of \((workloadActions.keys + ["guestShutdown"]).sorted().joined(separator: ", "))")
                }
                workload.script.append(ScriptStep(after: try parseDistribution(try required(parts, "after", item)), action: action))
            }
            return workload
        }
    }

    /// The actions a workload may ask for by name.
    static let workloadActions: [String: ServerActionRequest] = [
        "reboot": .reboot(hard: false), "hardReboot": .reboot(hard: true), "stop": .stop, "start": .start, "pause": .pause, "unpause": .unpause,
        "suspend": .suspend, "resume": .resume, "rebuild": .rebuild(image: nil, adminPass: nil), "migrate": .migrate, "liveMigrate": .liveMigrate,
        "shelve": .shelve, "unshelve": .unshelve, "confirmResize": .confirmResize, "createImage": .createImage(name: "snapshot"),
        "createBackup": .createBackup(name: "backup", type: "daily", rotation: 7),
    ]

    static func parseServerGroups(_ reader: JSONReader) throws(ScenarioError) -> [DeclaredServerGroup] {
        var ids = Set<String>()
        return try collectingEach(try reader.array()) { (entry: JSONReader) throws(ScenarioError) -> DeclaredServerGroup in
            let fields = try entry.object(allowed: ["id", "project", "policy", "maxServerPerHost"])
            let idField = try required(fields, "id", entry)
            let id = try idField.string()
            guard !id.isEmpty, ids.insert(id).inserted else {
                throw idField.fail(id.isEmpty ? "expected a non-empty id" : "server group id \(id) is used twice")
            }
            let policyField = try required(fields, "policy", entry)
            let policyText = try policyField.string()
            guard let policy = ServerGroupPolicy(rawValue: policyText) else {
                throw policyField.fail("expected affinity, anti-affinity, soft-affinity or soft-anti-affinity, got \(policyText)")
            }
            let maximum = try fields["maxServerPerHost"]?.integer(1...1_000, "an integer from 1 to 1000")
            if maximum != nil, policy != .antiAffinity { throw (fields["maxServerPerHost"] ?? entry).fail("only anti-affinity groups take maxServerPerHost") }
            return DeclaredServerGroup(
                id: ServerGroupID(rawValue: id), project: ProjectID(try required(fields, "project", entry).string()), policy: policy, maxServerPerHost: maximum)
        }
    }

    static func parseArrival(_ reader: JSONReader, configuration: CloudConfiguration, baseDirectory: String?) throws(ScenarioError) -> ArrivalProcess {
        let fields = try reader.object(allowed: ["process", "meanInterval", "interval", "at", "count", "perHour", "growthPercent", "every", "file"])
        switch try required(fields, "process", reader).string() {
        case "poisson":
            let mean = try required(fields, "meanInterval", reader)
            let interval = try mean.duration()
            guard interval > .zero else { throw mean.fail("expected a positive duration") }
            return .poisson(meanInterval: interval)
        case "constant":
            let value = try required(fields, "interval", reader)
            let interval = try value.duration()
            guard interval > .zero else { throw value.fail("expected a positive duration") }
            return .constant(interval: interval)
        case "burst":
            let atReader = try required(fields, "at", reader)
            var offsets: [SimDuration]
            if case .array = atReader.value {
                offsets = try atReader.array().map { (item: JSONReader) throws(ScenarioError) -> SimDuration in try item.duration() }
                guard !offsets.isEmpty else { throw atReader.fail("needs at least one offset") }
                offsets.sort()
            } else {
                offsets = [try atReader.duration()]
            }
            return .burst(at: offsets, count: try required(fields, "count", reader).integer(1...1_000_000, "a count from 1 to 1000000"))
        case "diurnal":
            let curve = try required(fields, "perHour", reader)
            let rates = try curve.array().map { (item: JSONReader) throws(ScenarioError) -> Double in
                try item.number(0...1e7, "a rate from 0 to 10000000 per hour")
            }
            guard rates.count == 24 else { throw curve.fail("expected 24 hourly rates (UTC hours 0 to 23), got \(rates.count)") }
            guard rates.contains(where: { $0 > 0 }) else { throw curve.fail("needs at least one positive rate") }
            return .diurnal(perHour: rates)
        case "growing":
            let rate = try required(fields, "perHour", reader)
            let perHour = try rate.number(0...1e7, "a rate from 0 to 10000000 per hour")
            guard perHour > 0 else { throw rate.fail("expected a positive rate, got 0") }
            let growth = try required(fields, "growthPercent", reader).number(0...10_000, "a growth from 0 to 10000 percent")
            let period = try required(fields, "every", reader)
            let every = try period.duration()
            guard every > .zero else { throw period.fail("expected a positive duration") }
            return .growing(perHour: perHour, growthPercent: growth, every: every)
        case "trace":
            let file = try required(fields, "file", reader)
            let name = try file.string()
            var path = name
            if !name.hasPrefix("/"), let baseDirectory, !baseDirectory.isEmpty { path = baseDirectory + "/" + name }
            let text: String
            do { text = try readText(path, limit: maximumTraceFileBytes) } catch { throw file.fail(error.reason) }
            return .trace(try parseTrace(text, reader: file, configuration: configuration))
        case let other:
            throw (fields["process"] ?? reader).fail("expected poisson, constant, burst, diurnal, growing or trace, got \(other)")
        }
    }

    /// Reads `time,account,flavor,image,lifetime` rows (a header line is required; image and
    /// lifetime may be empty). Times must not decrease.
    static func parseTrace(_ text: String, reader: JSONReader, configuration: CloudConfiguration) throws(ScenarioError) -> [TraceArrival] {
        var lines = text.textLines
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.first == "time,account,flavor,image,lifetime" else { throw reader.fail("line 1: expected the header time,account,flavor,image,lifetime") }
        var rows: [TraceArrival] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            func fail(_ reason: String) -> ScenarioError { reader.fail("line \(offset + 1): \(reason)") }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 5 else { throw fail("expected 5 cells, got \(cells.count)") }
            let at: SimDuration
            do { at = try SimDuration(parsing: cells[0]) } catch { throw fail("time: \(error.message)") }
            guard at >= (rows.last?.at ?? .zero) else { throw fail("time \(cells[0]) is before the previous row's") }
            guard !cells[1].isEmpty else { throw fail("account is empty") }
            let flavor = FlavorID(cells[2])
            guard configuration.flavors.contains(where: { $0.id == flavor }) else { throw fail("no flavor with id \(cells[2])") }
            var image: ImageID? = nil
            if !cells[3].isEmpty {
                image = ImageID(cells[3])
                guard configuration.images.contains(where: { $0.id == image }) else { throw fail("no image with id \(cells[3])") }
            }
            var lifetime: SimDuration? = nil
            if !cells[4].isEmpty {
                do { lifetime = try SimDuration(parsing: cells[4]) } catch { throw fail("lifetime: \(error.message)") }
            }
            rows.append(TraceArrival(at: at, project: ProjectID(cells[1]), flavor: flavor, image: image, lifetime: lifetime))
        }
        guard !rows.isEmpty else { throw reader.fail("the trace has no rows") }
        return rows
    }

    /// A distribution of durations: `{"kind": "exponential", "mean": "15m"}`, `uniform` (min,
    /// max), `constant` (value), `normal` (mean, standardDeviation), `lognormal` (mu, sigma of
    /// the seconds' logarithm), `empirical` (values).
    static func parseDistribution(_ reader: JSONReader) throws(ScenarioError) -> Distribution {
        let fields = try reader.object(allowed: ["kind", "mean", "min", "max", "value", "standardDeviation", "mu", "sigma", "values"])
        func seconds(_ key: String) throws(ScenarioError) -> Double { try required(fields, key, reader).duration().secondsValue }
        let distribution: Distribution
        switch try required(fields, "kind", reader).string() {
        case "constant": distribution = .constant(try seconds("value"))
        case "uniform": distribution = .uniform(min: try seconds("min"), max: try seconds("max"))
        case "exponential": distribution = .exponential(mean: try seconds("mean"))
        case "normal": distribution = .normal(mean: try seconds("mean"), standardDeviation: try seconds("standardDeviation"))
        case "lognormal":
            distribution = .lognormal(
                mu: try required(fields, "mu", reader).number(-700...700, "a number"),
                sigma: try required(fields, "sigma", reader).number(0...100, "a number from 0 to 100"))
        case "empirical":
            distribution = .empirical(
                try required(fields, "values", reader).array().map { (value: JSONReader) throws(ScenarioError) in try value.duration().secondsValue })
        case let other:
            throw (fields["kind"] ?? reader).fail("expected constant, uniform, exponential, normal, lognormal or empirical, got \(other)")
        }
        do { return try distribution.validated() } catch { throw reader.fail(error.message) }
    }

    static func parseFaultPlan(_ reader: JSONReader, configuration: CloudConfiguration) throws(ScenarioError) -> (
        timed: [TimedFault], random: [RandomHostFailures], evacuations: [PlannedEvacuation]
    ) {
        var plan: [TimedFault] = []
        var random: [RandomHostFailures] = []
        var evacuations: [PlannedEvacuation] = []
        for entry in try reader.array() {
            let fields = try entry.object(allowed: ["at", "kind", "host", "zone", "mtbf", "mttr", "evacuateAfter"])
            let kind = try required(fields, "kind", entry).string()
            if let after = fields["evacuateAfter"], kind != "hostDown" {
                throw after.fail("evacuateAfter applies to hostDown faults only (a failed host's servers are lost; a down host's can be evacuated)")
            }
            if kind == "randomHostFailures" {
                var scope = configuration.hosts.map(\.name)
                if let zone = fields["zone"] {
                    let name = AvailabilityZone(try zone.string())
                    scope = configuration.hosts.filter { $0.availabilityZone == name }.map(\.name)
                    guard !scope.isEmpty else { throw zone.fail("no hosts in zone \(name)") }
                }
                random.append(
                    RandomHostFailures(
                        hosts: scope, timeBetweenFailures: try parseDistribution(try required(fields, "mtbf", entry)),
                        timeToRepair: try parseDistribution(try required(fields, "mttr", entry))))
                continue
            }
            let at = try required(fields, "at", entry).duration()
            func hosts() throws(ScenarioError) -> [HostName] {
                if let zone = fields["zone"] {
                    let name = AvailabilityZone(try zone.string())
                    let members = configuration.hosts.filter { $0.availabilityZone == name }.map(\.name)
                    guard !members.isEmpty else { throw zone.fail("no hosts in zone \(name)") }
                    return members
                }
                let host = try required(fields, "host", entry)
                let name = HostName(try host.string())
                guard configuration.hosts.contains(where: { $0.name == name }) else { throw host.fail("no host named \(name)") }
                return [name]
            }
            switch kind {
            case "hostDown":
                let down = try hosts()
                plan += down.map { TimedFault(at: at, fault: .hostDown($0)) }
                if let after = fields["evacuateAfter"] {
                    // Both are at most the limit (the parser refuses negative ones): the sum fits.
                    let when = at + (try after.duration())
                    guard when <= .limit else { throw after.fail("at plus evacuateAfter must be within \(SimDuration.limit), got \(when)") }
                    evacuations += down.map { PlannedEvacuation(at: when, host: $0) }
                }
            case "hostUp": plan += try hosts().map { TimedFault(at: at, fault: .hostUp($0)) }
            case "hostFailure": plan += try hosts().map { TimedFault(at: at, fault: .hostFailure($0)) }
            default:
                throw (fields["kind"] ?? entry).fail(
                    "expected hostDown, hostUp or hostFailure (with a host or a zone), or randomHostFailures (with mtbf and mttr), got \(kind)")
            }
        }
        return (plan, random, evacuations)
    }
}
