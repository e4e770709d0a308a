import Foundation  // FileManager for load(path:)

/// A scenario file: the cloud an experiment runs on (hosts, catalog, quotas, placement, faults,
/// timing settings), its seed and how long it runs.
///
/// Workloads and a timed fault plan drive a run (``ScenarioRunner``); sweeps and charts are not
/// part of the format yet, and a file naming them is refused rather than half-read. Every error names the JSON path of the problem
/// (`hosts[2].vcpus: expected a positive integer, got -4`); nothing is allocated before the whole
/// file is valid.
public struct Scenario: Hashable, Sendable {
    public var name: String
    public var configuration: CloudConfiguration
    public var duration: SimDuration
    /// The servers projects create during the run.
    public var workloads: [Workload] = []
    /// Faults at exact offsets from the start.
    public var faultPlan: [TimedFault] = []
    /// Server groups created before the run.
    public var serverGroups: [DeclaredServerGroup] = []
    /// Host failures drawn from MTBF/MTTR distributions (drawn per run, from the run's seed).
    public var randomHostFailures: [RandomHostFailures] = []
    /// Evacuations the fault plan asks for (`evacuateAfter` on a `hostDown`), in plan order.
    public var evacuations: [PlannedEvacuation] = []
    /// How often the run records a row of its time series.
    public var sampleInterval: SimDuration = .minutes(1)
    /// Who may sign in to `compute-sim serve` (``CloudUser/defaults`` when the file has no
    /// `users` section).
    public var users: [CloudUser] = CloudUser.defaults
    /// The headroom checked at every sample (none without a `headroom` section).
    public var headroom: HeadroomCheck? = nil
    /// The thresholds time to exhaustion is reported for (none without an `exhaustion` section).
    public var exhaustion: ExhaustionCheck? = nil
    /// How many hosts each group of the `hosts` section declared, in order (empty without the
    /// section): a report too tall to show per host shows per group.
    package var hostGroupSizes: [Int] = []

    /// The most hosts a scenario may declare (checked before any host is built).
    public static let maximumHosts = 1_000_000

    /// Parses and validates scenario JSON.
    /// - Throws: ``ScenarioError`` with the JSON path and the reason.
    /// Relative trace files are read from `baseDirectory` (nil: the current directory).
    public static func parse(_ text: String, baseDirectory: String? = nil) throws(ScenarioError) -> Scenario {
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch { throw ScenarioError(path: "", reason: error.description) }
        return try parse(json: json, baseDirectory: baseDirectory)
    }

    /// Reads a scenario from parsed JSON (what sweeps use after substituting parameters).
    public static func parse(json: JSONValue, baseDirectory: String? = nil) throws(ScenarioError) -> Scenario {
        let root = JSONReader(value: json, path: "")
        let fields = try root.object(allowed: [
            "name", "seed", "duration", "epoch", "hosts", "flavors", "images", "quotas", "placement", "faults",
            "reclaimInterval", "shelvedOffloadTime", "powerSyncInterval", "passwordPolicy", "apiBaseURL", "deletedServerRetention", "suspendKeepsResources",
            "migrationPolicy",
            "workloads", "faultPlan", "sampleInterval", "headroom", "exhaustion", "network", "networks", "timing", "serverGroups", "buildModel", "users",
            "aggregates",
        ])
        var configuration = CloudConfiguration()
        // Sections are read independently so one run reports every section's problem.
        var problems: [ScenarioError] = []
        func section(_ body: () throws(ScenarioError) -> Void) {
            do { try body() } catch { problems.append(error) }
        }
        var name = "scenario"
        var memberships: [AggregateMembership] = []
        var hostGroupSizes: [Int] = []
        section { () throws(ScenarioError) in name = try fields["name"]?.string() ?? "scenario" }
        section { () throws(ScenarioError) in
            if let seed = fields["seed"] {
                configuration.seed = try Self.parseSeed(seed)
            }
        }
        var duration = SimDuration.hours(1)
        section { () throws(ScenarioError) in duration = try fields["duration"]?.duration() ?? .hours(1) }
        section { () throws(ScenarioError) in
            if let epoch = fields["epoch"] {
                let text = try epoch.string()
                do throws(KernelError) { configuration.wallClock = try WallClock(epochISO8601: text) } catch { throw epoch.fail(error.message) }
            }
        }
        section { () throws(ScenarioError) in
            if let hosts = fields["hosts"] { configuration.hosts = try parseHosts(hosts, memberships: &memberships, groupSizes: &hostGroupSizes) }
        }
        section { () throws(ScenarioError) in
            configuration.aggregates = try parseAggregates(fields["aggregates"], hosts: configuration.hosts, memberships: memberships)
        }
        section { () throws(ScenarioError) in
            if let flavors = fields["flavors"] { configuration.flavors = try parseFlavors(flavors) }
        }
        section { () throws(ScenarioError) in
            if let images = fields["images"] {
                configuration.images = try parseImages(images)
                configuration.imageTrees = configuration.imageTrees.filter { tree in configuration.images.contains { $0.id == tree.key } }
            }
        }
        section { () throws(ScenarioError) in
            if let quotas = fields["quotas"] {
                let parts = try quotas.object(allowed: ["default", "projects"])
                if let base = parts["default"] { configuration.defaultQuota = try parseQuota(base, base: Quota()) }
                for (project, quota) in try parts["projects"]?.entries() ?? [] {
                    configuration.quotas[ProjectID(project)] = try parseQuota(quota, base: configuration.defaultQuota)
                }
            }
        }
        section { () throws(ScenarioError) in
            if let placement = fields["placement"] { configuration.placement = try parsePlacement(placement) }
        }
        section { () throws(ScenarioError) in
            if let faults = fields["faults"] {
                let values = try faults.object(allowed: ["reschedulableBuildFailure", "fatalBuildFailure", "controlPlaneError"])
                configuration.faults.reschedulableBuildFailure = try values["reschedulableBuildFailure"]?.number(0...1, "a probability from 0 to 1") ?? 0
                configuration.faults.fatalBuildFailure = try values["fatalBuildFailure"]?.number(0...1, "a probability from 0 to 1") ?? 0
                configuration.faults.controlPlaneError = try values["controlPlaneError"]?.number(0...1, "a probability from 0 to 1") ?? 0
            }
        }
        section { () throws(ScenarioError) in
            if let value = fields["reclaimInterval"] { configuration.reclaimInterval = try value.duration() }
        }
        section { () throws(ScenarioError) in
            if let value = fields["shelvedOffloadTime"] { configuration.shelvedOffloadTime = try value.duration() }
        }
        section { () throws(ScenarioError) in
            if let value = fields["migrationPolicy"] {
                let text = try value.string()
                guard let policy = MigrationPolicy(rawValue: text) else { throw value.fail("expected admin, projectManagerOrAdmin or member, got \(text)") }
                configuration.migrationPolicy = policy
            }
        }
        section { () throws(ScenarioError) in
            if let value = fields["suspendKeepsResources"] { configuration.suspendKeepsResources = try value.bool() }
        }
        section { () throws(ScenarioError) in
            if let value = fields["deletedServerRetention"] { configuration.deletedServerRetention = try value.duration() }
        }
        section { () throws(ScenarioError) in
            if let value = fields["powerSyncInterval"] {
                configuration.powerSyncInterval = try value.duration()
                guard configuration.powerSyncInterval > .zero else { throw value.fail("expected a positive duration") }
            }
        }
        section { () throws(ScenarioError) in
            if let timing = fields["timing"] { configuration.timing = try parseTiming(timing) }
        }
        section { () throws(ScenarioError) in
            if let policy = fields["passwordPolicy"] {
                let values = try policy.object(allowed: ["minimumLength", "requiresDigit", "requiresUppercase", "requiresLowercase"])
                var password = PasswordPolicy()
                password.minimumLength = try values["minimumLength"]?.integer(0...255, "an integer from 0 to 255") ?? password.minimumLength
                password.requiresDigit = try values["requiresDigit"]?.bool() ?? password.requiresDigit
                password.requiresUppercase = try values["requiresUppercase"]?.bool() ?? password.requiresUppercase
                password.requiresLowercase = try values["requiresLowercase"]?.bool() ?? password.requiresLowercase
                configuration.passwordPolicy = password
            }
        }
        section { () throws(ScenarioError) in
            if let url = fields["apiBaseURL"] { configuration.apiBaseURL = try url.string() }
        }
        section { () throws(ScenarioError) in
            if let network = fields["network"] {
                let parts = try network.object(allowed: ["prefixLength"])
                if let length = parts["prefixLength"] { configuration.network.ipv4PrefixLength = try length.integer(16...24, "a prefix length from 16 to 24") }
            }
        }
        section { () throws(ScenarioError) in
            if let list = fields["networks"] {
                guard fields["network"] == nil else { throw list.fail("give either network or networks, not both") }
                configuration.networks = try parseNetworks(list)
            }
        }
        section { () throws(ScenarioError) in
            if let model = fields["buildModel"] { configuration.buildModel = try parseBuildModel(model, configuration: configuration) }
        }
        if let combined = ScenarioError.combined(problems) { throw combined }
        // A last check of the whole: the cloud must build (duplicate names across groups, ...).
        do { _ = try ComputeCloud(configuration: configuration) } catch { throw ScenarioError(path: "", reason: error.message, underlying: error) }
        var scenario = Scenario(name: name, configuration: configuration, duration: duration)
        scenario.hostGroupSizes = hostGroupSizes
        if let groups = fields["serverGroups"] { scenario.serverGroups = try parseServerGroups(groups) }
        if let workloads = fields["workloads"] {
            scenario.workloads = try parseWorkloads(workloads, configuration: configuration, baseDirectory: baseDirectory, groups: scenario.serverGroups)
        }
        if let plan = fields["faultPlan"] {
            (scenario.faultPlan, scenario.randomHostFailures, scenario.evacuations) = try parseFaultPlan(plan, configuration: configuration)
        }
        if let users = fields["users"] { scenario.users = try parseUsers(users) }
        if let section = fields["headroom"] {
            let parts = try section.object(allowed: ["hosts", "zone"])
            var check = HeadroomCheck()
            if let hosts = parts["hosts"] {
                check.hosts = try hosts.integer(0...HeadroomCheck.maximumHosts, "an integer from 0 to \(HeadroomCheck.maximumHosts)")
            }
            if let zone = parts["zone"] { check.zone = try zone.bool() }
            scenario.headroom = check
        }
        if let section = fields["exhaustion"] {
            var check = ExhaustionCheck()
            if let field = try section.object(allowed: ["thresholds"])["thresholds"] {
                let list = try field.array()
                guard !list.isEmpty else { throw field.fail("needs at least one threshold") }
                guard list.count <= ExhaustionCheck.maximumThresholds else {
                    throw field.fail("expected at most \(ExhaustionCheck.maximumThresholds) thresholds, got \(list.count)")
                }
                check.thresholds = try list.map { (item: JSONReader) throws(ScenarioError) -> Int in try item.integer(1...100, "a percentage from 1 to 100") }
                guard zip(check.thresholds, check.thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw field.fail("expected ascending thresholds, got \(check.thresholds.map(String.init).joined(separator: ", "))")
                }
            }
            scenario.exhaustion = check
        }
        if let interval = fields["sampleInterval"] {
            scenario.sampleInterval = try interval.duration()
            guard scenario.sampleInterval > .zero else { throw interval.fail("expected a positive duration") }
        }
        return scenario
    }
}

extension Scenario {
    /// Reads and parses a scenario file.
    /// - Throws: ``ScenarioError`` naming the file when it cannot be read.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        try parse(try readText(path), baseDirectory: (path as NSString).deletingLastPathComponent)
    }

    /// A seed: an integer from 0 to 2^63 - 1, or any unsigned 64-bit value (as `--seed` takes)
    /// written as a decimal string, since a JSON number of 2^63 or more cannot be read exactly.
    static func parseSeed(_ seed: JSONReader) throws(ScenarioError) -> UInt64 {
        switch seed.value {
        case .int(let value) where value >= 0: return UInt64(value)
        case .string(let text):
            guard let value = UInt64(text) else {
                throw seed.fail("expected a decimal unsigned 64-bit integer string, got \(seed.value.canonicalText.prefix(40))")
            }
            return value
        case .double(let value) where value >= 9.223372036854775807e18 && value < 1.8446744073709552e19:
            throw seed.fail("a seed of 2^63 or more must be written as a string (\"seed\": \"18446744073709551615\"): as a JSON number it loses precision")
        default:
            throw seed.fail("expected an integer from 0 to 18446744073709551615, got \(seed.value.canonicalText.prefix(40))")
        }
    }
}
