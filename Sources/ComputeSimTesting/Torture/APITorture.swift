import ComputeSim

/// A seeded torture run of the JSON facade: random request sequences from several projects
/// (valid and invalid bodies, every action in whatever state the server is in, other projects'
/// and made-up ids, hostile bodies), interleaved with time advances and host faults.
///
/// After every request it checks that the response is well formed (a status Nova uses for that
/// endpoint; a body that is JSON; an error body `{"<fault>": {"code": status, "message": ...}}`)
/// and that `ComputeCloud/checkInvariants()` holds. Every response folds into a digest, so two
/// runs of a seed (debug or release) can be compared byte for byte.
///
/// ```swift
/// var torture = try APITorture(seed: 7)
/// let report = torture.run(requests: 2_000)
/// assert(report.problems.isEmpty)
/// ```
/// Every ``segmentLength`` requests the run continues on a fresh cloud (seeded from the run's
/// seed and the segment number), so the per-request invariant check, which walks every server
/// the cloud ever had, stays O(segment) and a run of millions of requests stays linear.
///
/// Cost: O(requests × (servers + hosts)) for the invariant checks, with at most a few thousand
/// servers per segment on 6 hosts.
public struct APITorture {
    /// What a run found.
    public struct Report: Hashable, Sendable {
        public var requests = 0
        /// How many responses had each status, by status.
        public var statusCounts: [Int: Int] = [:]
        /// Malformed responses and invariant violations, each with the request that caused it
        /// (the first 100).
        public var problems: [String] = []
        /// FNV-1a 64 over every request and response, as 16 hex digits.
        public var digest: String {
            let hex = String(digestValue, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
        var digestValue: UInt64 = 0xcbf2_9ce4_8422_2325
    }

    public private(set) var cloud: ComputeCloud
    private let configuration: CloudConfiguration
    /// Requests per cloud before the run moves to a fresh one.
    public static let segmentLength = 10_000
    private var random: Choices
    private let projects: [ProjectID]
    /// Ids seen in responses (servers and groups), so later requests use real ids of any project.
    private var serverIDs: [String] = []
    private var groupIDs: [String] = []
    public private(set) var report = Report()

    /// A fresh cloud of 6 hosts in 2 zones with the default catalog and tight quotas (odd seeds
    /// archive deleted servers after ten minutes).
    public init(seed: UInt64) throws(CloudError) {
        var configuration = CloudConfiguration()
        configuration.seed = seed
        configuration.hosts = (0..<6).map { index in
            Host(name: HostName("host-\(index)"), availabilityZone: AvailabilityZone(index < 3 ? "az1" : "az2"), vcpus: 4, memoryMiB: 16_384, diskGiB: 200)
        }
        configuration.defaultQuota.instances = 12
        // Odd seeds archive deleted servers ten minutes after deletion, so random sequences also
        // meet archived servers and reused record numbers (seed 0, whose digest is pinned, keeps
        // them all).
        if seed % 2 == 1 { configuration.deletedServerRetention = .minutes(10) }
        self.configuration = configuration
        cloud = try ComputeCloud(configuration: configuration)
        random = .seeded(DeterministicRandom(seed: seed, stream: "torture"))
        projects = [ProjectID("tenant-a"), ProjectID("tenant-b"), ProjectID("tenant-c")]
    }

    /// Sends `requests` more requests and returns the report so far.
    public mutating func run(requests: Int) -> Report {
        for _ in 0..<requests { step() }
        return report
    }

    /// A torture whose every choice (request, ids, bodies, advances, faults) is read from
    /// `choices`, for coverage-guided fuzzing: the fuzzer's bytes become a typed sequence of
    /// API calls, time advances (up to and past the 100-year limit) and host faults.
    package init(choices: [UInt8]) throws(CloudError) {
        try self.init(seed: 0)
        random = .bytes(choices[...])
    }

    /// This torture (cloud, ids and report as they are) reading its further choices from
    /// `choices`: a fuzzer builds the seed-0 torture once and copies it per input, instead of
    /// building a cloud per input.
    package func readingChoices(_ choices: [UInt8]) -> APITorture {
        var copy = self
        copy.random = .bytes(choices[...])
        return copy
    }

    /// Runs steps until the choice bytes are used up (at most `maximumSteps`); the report's
    /// problems are the findings.
    package mutating func runUntilChoicesAreUsed(maximumSteps: Int = 1_000) -> Report {
        var steps = 0
        while steps < maximumSteps, !random.isExhausted {
            step()
            steps += 1
        }
        return report
    }

    /// Where choices come from: a seeded generator, or fuzzer bytes (each choice takes one
    /// byte, or two for more than 256 options; exhausted bytes choose 0).
    private enum Choices {
        case seeded(DeterministicRandom)
        case bytes(ArraySlice<UInt8>)

        var isExhausted: Bool {
            if case .bytes(let rest) = self { return rest.isEmpty }
            return false
        }

        var isFuzzing: Bool {
            if case .bytes = self { return true }
            return false
        }

        mutating func nextIndex(below bound: Int) -> Int {
            switch self {
            case .seeded(var random):
                let value = random.nextIndex(below: bound)
                self = .seeded(random)
                return value
            case .bytes(var rest):
                var value = 0
                for _ in 0..<(bound > 256 ? 2 : 1) { value = value << 8 | Int(rest.popFirst() ?? 0) }
                self = .bytes(rest)
                return value % max(bound, 1)
            }
        }
    }

    /// One request, preceded now and then by a time advance or a host fault.
    mutating func step() {
        if report.requests > 0, report.requests % Self.segmentLength == 0 {
            var next = configuration
            next.seed = StableHash.mix64(configuration.seed &+ UInt64(report.requests / Self.segmentLength))
            if let fresh = try? ComputeCloud(configuration: next) {  // the first segment's configuration built, so this one does
                cloud = fresh
                serverIDs = []
                groupIDs = []
            }
        }
        switch random.nextIndex(below: 20) {
        case 0:
            // Fuzzing also tries the long advances users can ask for, to the limit and past it.
            if random.isFuzzing, random.nextIndex(below: 4) == 0 {
                let long: [SimDuration] = [.days(1), .days(365), .days(36_499), .limit, .limit + .nanoseconds(1), .nanoseconds(.max)]
                try? cloud.advance(by: pick(long))
            } else {
                try? cloud.advance(by: .seconds(Int64(random.nextIndex(below: 120))))
            }
        case 1:
            let host = HostName("host-\(random.nextIndex(below: 6))")
            let faults: [ScriptedFault] = [.hostDown(host), .hostUp(host), .hostFailure(host), .hostUp(host), .failNextBuild(nil)]
            try? cloud.inject(faults[random.nextIndex(below: faults.count)], at: cloud.now)
        default: break
        }
        if report.requests % 50 == 49 {
            // Forget deleted servers, so most requests reach live ones in whatever state they are.
            serverIDs.removeAll { cloud.statusHistory(of: ServerID($0)).last?.status == .deleted }
        }
        let (request, endpoint) = makeRequest()
        let response = cloud.handle(request)
        check(request, endpoint: endpoint, response: response)
    }

    // MARK: Requests

    /// The endpoints the torture distinguishes, each with the statuses Nova uses for it.
    enum Endpoint: String {
        case create, list, show, update, delete, action, metadata, ips, catalog, limits, groups, hypervisors, unknown

        var statuses: Set<Int> {
            switch self {
            case .create: return [202, 400, 403, 404, 409]
            case .list: return [200, 400, 403]
            case .show: return [200, 404]
            case .update: return [200, 400, 404, 409]
            case .delete: return [204, 404, 409]
            case .action: return [200, 202, 204, 400, 403, 404, 409]  // confirmResize answers 204
            case .metadata: return [200, 204, 400, 403, 404, 409]
            case .ips: return [200, 404]
            case .catalog: return [200, 404]
            case .limits: return [200]
            case .groups: return [200, 204, 400, 403, 404, 409]
            case .hypervisors: return [200, 403]
            case .unknown: return [404, 405]
            }
        }
    }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[random.nextIndex(below: choices.count)] }

    /// A server id: usually a real one (any project's), sometimes made up or malformed.
    private mutating func serverID() -> String {
        switch random.nextIndex(below: 10) {
        case 0: return "00000000-0000-4000-8000-000000000000"
        case 1: return pick(["", "..", "%2e%2e", "x\u{0}y", String(repeating: "9", count: 300)])
        default: return serverIDs.isEmpty ? "none" : serverIDs[serverIDs.count - 1 - random.nextIndex(below: min(serverIDs.count, 24))]
        }
    }

    private mutating func caller() -> (ProjectID, [String]) {
        random.nextIndex(below: 12) == 0 ? (ProjectID("operator"), ["admin"]) : (pick(projects), [])
    }

    private mutating func createBody() -> JSONValue {
        var server: [(String, JSONValue)] = [
            ("name", .string(pick(["web", "db", " bad", "", "x"]))),
            ("imageRef", .string(pick(["70a599e0-31e7-49b7-b260-868f441e862b", "missing-image"]))),
            ("flavorRef", .string(pick(["1", "2", "3", "4", "42"]))),
        ]
        if random.nextIndex(below: 4) == 0 { server.append(("adminPass", .string(pick(["Secr3t-pass!", "short"])))) }
        if random.nextIndex(below: 4) == 0 { server.append(("min_count", .int(Int64(random.nextIndex(below: 4))))) }
        if random.nextIndex(below: 4) == 0 { server.append(("max_count", pick([.int(3), .int(-1), .string("two"), .null]))) }
        if random.nextIndex(below: 5) == 0 { server.append(("availability_zone", .string(pick(["az1", "az2", "nowhere"])))) }
        if random.nextIndex(below: 5) == 0 { server.append(("metadata", pick([.object([("k", .string("v"))]), .string("x"), .null]))) }
        if random.nextIndex(below: 6) == 0 {
            server.append(
                (
                    "personality",
                    .array([
                        .object([
                            ("path", .string(pick(["/etc/motd", "relative", "/etc/../x"]))),
                            ("contents", .string(pick(["aGVsbG8=", "not base64!"]))),
                        ])
                    ])
                ))
        }
        // Scheduler hints sit beside `server`, as Nova reads them; now and then inside it, where
        // Nova's schema refuses them.
        var hints: JSONValue? = nil
        if random.nextIndex(below: 6) == 0, !groupIDs.isEmpty { hints = .object([("group", .string(pick(groupIDs)))]) }
        if random.nextIndex(below: 10) == 0 { server.append(("networks", pick([.string("none"), .string("auto"), .int(3)]))) }
        if random.nextIndex(below: 15) == 0 { return pick([.object([("server", .null)]), .array([]), .object([])]) }
        if let hints, random.nextIndex(below: 8) == 0 { server.append(("os:scheduler_hints", hints)) }
        return .object([("server", .object(server))] + (hints.map { [("os:scheduler_hints", $0)] } ?? []))
    }

    private mutating func actionBody() -> JSONValue {
        let actions: [(String, JSONValue)] = [
            ("reboot", .object([("type", .string(pick(["SOFT", "HARD", "WARM"])))])),
            ("rebuild", .object([("imageRef", .string("70a599e0-31e7-49b7-b260-868f441e862b")), ("adminPass", .string("Rebuild-Pass9"))])),
            ("resize", .object([("flavorRef", .string(pick(["1", "2", "3", "99"])))])),
            ("confirmResize", .null), ("revertResize", .null), ("migrate", .null),
            ("os-migrateLive", .object([("host", .null), ("block_migration", .bool(false)), ("disk_over_commit", .bool(false))])),
            ("rescue", .object([])), ("unrescue", .null), ("suspend", .null), ("resume", .null), ("pause", .null), ("unpause", .null),
            ("os-start", .null), ("os-stop", .null), ("shelve", .null), ("shelveOffload", .null), ("unshelve", .null),
            ("changePassword", .object([("adminPass", .string(pick(["Changed-Pass7", ""])))])),
            ("lock", .null), ("unlock", .null), ("createImage", .object([("name", .string("snap"))])), ("restore", .null), ("forceDelete", .null),
            ("noSuchAction", .null),
        ]
        let (name, value) = pick(actions)
        return .object([(name, value)])
    }

    private mutating func makeRequest() -> (APIRequest, Endpoint) {
        let (project, roles) = caller()
        func request(_ method: HTTPMethod, _ path: String, _ json: JSONValue? = nil) -> APIRequest {
            APIRequest(method: method, path: path, body: json.map { Array($0.canonicalText.utf8) }, project: project, roles: roles.map(Role.init(rawValue:)))
        }
        var made: (APIRequest, Endpoint)
        switch random.nextIndex(below: 22) {
        case 0, 1, 2: made = (request("POST", "/servers", createBody()), .create)
        case 3:
            made = (
                request(
                    "GET",
                    pick([
                        "/servers", "/servers/detail", "/servers/detail?status=ACTIVE", "/servers?limit=2", "/servers?all_tenants=1",
                        "/servers?limit=-1", "/servers?sort_key=nope", "/servers/detail?changes-since=garbage",
                    ])), .list
            )
        case 4, 5: made = (request("GET", "/servers/\(serverID())"), .show)
        case 6: made = (request("PUT", "/servers/\(serverID())", .object([("server", .object([("name", .string(pick(["renamed", " x"])))]))])), .update)
        case 7: made = (request("DELETE", "/servers/\(serverID())"), .delete)
        case 8, 9, 10, 11: made = (request("POST", "/servers/\(serverID())/action", actionBody()), .action)
        case 12:
            let id = serverID()
            made = pick([
                (request("GET", "/servers/\(id)/metadata"), .metadata),
                (request("POST", "/servers/\(id)/metadata", .object([("metadata", .object([("a", .string("1"))]))])), .metadata),
                (request("PUT", "/servers/\(id)/metadata/a", .object([("meta", .object([("a", .string("2"))]))])), .metadata),
                (request("DELETE", "/servers/\(id)/metadata/a"), .metadata),
                (request("PUT", "/servers/\(id)/metadata", .object([("metadata", .string("oops"))])), .metadata),
            ])
        case 13: made = (request("GET", "/servers/\(serverID())/ips"), .ips)
        case 14: made = (request("GET", pick(["/flavors", "/flavors/detail", "/flavors/1", "/flavors/999", "/images", "/images/detail"])), .catalog)
        case 15: made = (request("GET", "/limits"), .limits)
        case 16:
            let policy = pick(["anti-affinity", "affinity", "soft-anti-affinity", "bogus"])
            made = (
                request("POST", "/os-server-groups", .object([("server_group", .object([("name", .string("g")), ("policies", .array([.string(policy)]))]))])),
                .groups
            )
        case 17:
            let group = groupIDs.isEmpty ? "none" : pick(groupIDs)
            made = pick([
                (request("GET", "/os-server-groups"), .groups), (request("GET", "/os-server-groups/\(group)"), .groups),
                (request("DELETE", "/os-server-groups/\(group)"), .groups),
            ])
        case 18: made = (request("GET", "/os-hypervisors/detail"), .hypervisors)
        case 19: made = (request(pick(["PATCH", "GET", "POST"]), pick(["/nothing", "/servers/a/b/c/d", "/limits/x"])), .unknown)
        case 20:
            // Hostile bodies: not JSON, too deep, too large, duplicate keys, invalid UTF-8.
            var hostile = request("POST", pick(["/servers", "/servers/\(serverID())/action", "/os-server-groups"]))
            let bodies: [[UInt8]] = [
                Array("{\"server\": ".utf8), Array(repeating: UInt8(ascii: "["), count: 5_000),
                Array("{\"server\": {\"name\": \"a\", \"name\": \"b\"}}".utf8), [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d],
                Array(repeating: UInt8(ascii: " "), count: 114_689), Array("{\"reboot\": {\"type\": 1e999}}".utf8),
            ]
            hostile.body = pick(bodies)
            made = (hostile, hostile.path == "/servers" ? .create : hostile.path == "/os-server-groups" ? .groups : .action)
        default:
            var versioned = request("GET", "/servers/\(serverID())")
            versioned.headers = ["OpenStack-API-Version": pick(["compute 2.1", "compute 2.56", "compute 2.999", "compute latest", "nova 2.3", "compute x"])]
            made = (versioned, .show)
        }
        return made
    }

    // MARK: Checks

    private mutating func check(_ request: APIRequest, endpoint: Endpoint, response: APIResponse) {
        report.requests += 1
        report.statusCounts[response.status, default: 0] += 1
        let text = response.bodyText
        fold("\(request.method) \(request.path) \(request.project) \(response.status) ")
        fold(text)
        func problem(_ what: String) {
            guard report.problems.count < 100 else { return }
            let body = request.body.map { " " + String(decoding: $0.prefix(80), as: UTF8.self) } ?? ""
            report.problems.append("request \(report.requests) \(request.method) \(request.path)\(body): \(what)")
        }
        var allowed = endpoint.statuses
        // Any endpoint: an unsupported microversion is 406; a body too large 413; bad JSON 400.
        if request.headers["OpenStack-API-Version"] != nil { allowed.formUnion([400, 406]) }
        // An empty id segment (`/servers//action`) routes to the collection's other verbs: 405.
        if request.path.contains("//") || request.path.hasSuffix("/") { allowed.insert(405) }
        if let body = request.body {
            allowed.insert(400)
            if body.count > 114_688 { allowed.insert(413) }
        }
        if !allowed.contains(response.status) { problem("status \(response.status) is not one Nova uses for \(endpoint.rawValue)") }
        if response.status == 413, (request.body?.count ?? 0) <= 114_688 { problem("413 for a body within the limit") }
        if !text.isEmpty, (try? JSONParser.parse(Array(text.utf8))) == nil { problem("body is not JSON") }
        if response.status >= 400 {
            guard case .object(let fields)? = response.body, fields.count == 1, case .object(let fault) = fields[0].1,
                fault.first(where: { $0.0 == "code" })?.1 == .int(Int64(response.status)),
                case .string(let message)? = fault.first(where: { $0.0 == "message" })?.1, !message.isEmpty
            else { return problem("error body is not {fault: {code, message}}: \(text.prefix(200))") }
        }
        collectIDs(from: response.body)
        for violation in cloud.checkInvariants() { problem("invariant: \(violation)") }
    }

    private mutating func fold(_ text: String) {
        for byte in text.utf8 { report.digestValue = (report.digestValue ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }

    /// Remembers server and group ids from a response (create, list, group create).
    private mutating func collectIDs(from body: JSONValue?) {
        guard case .object(let fields)? = body else { return }
        for (key, value) in fields {
            switch (key, value) {
            case ("server", .object(let server)):
                if case .string(let id)? = server.first(where: { $0.0 == "id" })?.1, !serverIDs.contains(id) { serverIDs.append(id) }
            case ("server_group", .object(let group)):
                if case .string(let id)? = group.first(where: { $0.0 == "id" })?.1, !groupIDs.contains(id) { groupIDs.append(id) }
            default: break
            }
        }
    }
}
