import Testing

@testable import ComputeSim

/// `os-aggregates`: zones and host pools, what they do to placement and the refusals that keep
/// a host with servers from changing zone.
struct AggregateTests {
    static func call(_ cloud: inout ComputeCloud, _ method: HTTPMethod, _ path: String, _ body: String? = nil, admin: Bool = true, version: String = "2.1")
        -> APIResponse
    {
        API.call(&cloud, method, path, body, admin: admin, version: version)
    }

    static func message(_ response: APIResponse) -> String? { response.body?.objectValue?.first?.1["message"]?.stringValue }

    /// compute-03 and compute-04 in zone az1 (so the cloud starts with aggregate 1, "az1").
    static func zonedCloud() throws -> ComputeCloud {
        try Lab.cloud { configuration in
            for index in 2...3 { configuration.hosts[index].availabilityZone = "az1" }
        }
    }

    @Test("a cloud starts with one aggregate per configured zone other than nova, in Nova's view; 2.41 adds the uuid")
    func zoneAggregatesAtStart() throws {
        var cloud = try Self.zonedCloud()
        let list = Self.call(&cloud, "GET", "/os-aggregates")
        #expect(
            list.bodyText
                == #"{"aggregates":[{"availability_zone":"az1","created_at":"2026-01-01T00:00:00.000000","deleted":false,"deleted_at":null,"hosts":["compute-03","compute-04"],"id":1,"metadata":{"availability_zone":"az1"},"name":"az1","updated_at":null}]}"#
        )
        let uuid = Self.call(&cloud, "GET", "/os-aggregates/1", version: "2.41").body?.value(at: "aggregate.uuid")?.stringValue
        let typed = try cloud.aggregate(1, as: Lab.admin)
        #expect(uuid?.count == 36 && uuid == typed.uuid)
        #expect(
            Self.message(Self.call(&cloud, "GET", "/os-aggregates", admin: false)) == "Policy doesn't allow os_compute_api:os-aggregates:index to be performed."
        )
        #expect(Self.message(Self.call(&cloud, "GET", "/os-aggregates/x")) == "Invalid input received: id must be an integer")
        #expect(Self.message(Self.call(&cloud, "GET", "/os-aggregates/9")) == "Aggregate 9 could not be found.")
        #expect(try Lab.cloud().aggregates(as: Lab.admin).isEmpty)
    }

    @Test("creating an aggregate answers without hosts or metadata; names are unique and checked as Nova's schema")
    func create() throws {
        var cloud = try ComputeCloud()
        try cloud.advance(by: .seconds(90))
        let created = Self.call(&cloud, "POST", "/os-aggregates", #"{"aggregate": {"name": "ssd-pool", "availability_zone": null}}"#)
        #expect(
            created.bodyText
                == #"{"aggregate":{"availability_zone":null,"created_at":"2026-01-01T00:01:30.000000","deleted":false,"deleted_at":null,"id":1,"name":"ssd-pool","updated_at":null}}"#
        )
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates", #"{"aggregate": {"name": "ssd-pool"}}"#)) == "Aggregate ssd-pool already exists.")
        #expect(Self.call(&cloud, "POST", "/os-aggregates", #"{"aggregate": {"name": "ssd-pool"}}"#).status == 409)
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates", #"{"aggregate": {"name": "x", "availability_zone": "a:b"}}"#))
                == "Invalid input for field/attribute availability_zone. Value: a:b. 'a:b' is not valid under any of the given schemas")
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates", #"{"aggregate": {"zone": "x"}}"#))
                == #"Invalid input for field/attribute aggregate. Value: {"zone":"x"}. Additional properties are not allowed ('zone' was unexpected)"#)
        #expect(Self.message(Self.call(&cloud, "POST", "/os-aggregates", #"{"name": "x"}"#)) == "'aggregate' is a required property")
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates", #"{"aggregate": {"name": "y"}}"#, admin: false))
                == "Policy doesn't allow os_compute_api:os-aggregates:create to be performed.")
        #expect(try cloud.aggregates(as: Lab.admin).map(\.name) == ["ssd-pool"])
    }

    @Test("adding a host to a zone aggregate moves it into the zone: services, zone listings and placement follow; removing it moves it back")
    func zoneMembership() throws {
        var cloud = try ComputeCloud()
        let zone = try cloud.createAggregate(name: "edge", availabilityZone: "edge-1", as: Lab.admin)
        let added = Self.call(&cloud, "POST", "/os-aggregates/\(zone.id)/action", #"{"add_host": {"host": "compute-02"}}"#)
        #expect(added.status == 200 && added.body?.value(at: "aggregate.hosts") == ["compute-02"])
        #expect(cloud.hostPool.host("compute-02")?.availabilityZone == "edge-1")
        #expect(try cloud.services(as: Lab.admin).first { $0.host == "compute-02" }?.zone == "edge-1")
        let zones = Self.call(&cloud, "GET", "/os-availability-zone").body?["availabilityZoneInfo"]?.arrayValue?.compactMap { $0["zoneName"]?.stringValue }
        #expect(zones == ["edge-1", "nova"])
        // A server asking for the zone lands on its one host.
        var request = Lab.request()
        request.availabilityZone = "edge-1"
        let id = try cloud.createServers(request, as: Lab.me).ids[0]
        cloud.runUntilIdle()
        let server = try cloud.server(id, as: Lab.me)
        #expect(server.host == "compute-02" && server.status == .active)
        #expect(Self.call(&cloud, "GET", "/servers/\(id)", admin: false).body?.value(at: "server.OS-EXT-AZ:availability_zone") == "edge-1")
        // With a server there, the host may not change zone either way.
        let other = try cloud.createAggregate(name: "other", availabilityZone: "edge-2", as: Lab.admin)
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/\(other.id)/action", #"{"add_host": {"host": "compute-02"}}"#))
                == "Cannot add host to aggregate 2. Reason: One or more hosts already in availability zone(s) ['edge-1']")
        let removing = Self.call(&cloud, "POST", "/os-aggregates/\(zone.id)/action", #"{"remove_host": {"host": "compute-02"}}"#)
        #expect(removing.status == 409)
        #expect(
            Self.message(removing)
                == "Cannot remove host from aggregate 1. Reason: The host cannot be removed from the aggregate as the availability zone of the host would change from 'edge-1' to 'None' but the host already has 1 instance(s). Changing the AZ of an existing instance is not supported by this action. Move the instances away from this host then try again. If you need to move the instances between AZs then you can use shelve_offload and unshelve to achieve this."
        )
        #expect(
            Self.message(Self.call(&cloud, "PUT", "/os-aggregates/\(zone.id)", #"{"aggregate": {"availability_zone": "edge-9"}}"#))
                == "Cannot update aggregate 1. Reason: One or more hosts contain instances in this zone")
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/\(other.id)/action", #"{"add_host": {"host": "compute-01"}}"#, admin: true)) == nil)
        // Once the server is gone, the host leaves the zone.
        try cloud.deleteServer(id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(
            Self.call(&cloud, "POST", "/os-aggregates/\(zone.id)/action", #"{"remove_host": {"host": "compute-02"}}"#).body?.value(at: "aggregate.hosts") == [])
        #expect(cloud.hostPool.host("compute-02")?.availabilityZone == "nova" && cloud.hostPool.host("compute-01")?.availabilityZone == "edge-2")
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/\(zone.id)/action", #"{"remove_host": {"host": "compute-02"}}"#))
                == "Cannot remove host compute-02 in aggregate 1")
        #expect(cloud.checkInvariants().isEmpty)
    }

    @Test("adding a host with servers into a zone, an unknown host or a member again is refused with Nova's texts")
    func addHostRefusals() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let host = try #require(try cloud.server(id, as: Lab.me).host)
        let zone = try cloud.createAggregate(name: "z", availabilityZone: "z1", as: Lab.admin)
        let refused = Self.call(&cloud, "POST", "/os-aggregates/1/action", #"{"add_host": {"host": "\#(host)"}}"#)
        #expect(refused.status == 409)
        #expect(
            Self.message(refused)?.hasPrefix(
                "Cannot add host to aggregate 1. Reason: The host cannot be added to the aggregate as the availability zone of the host would change from 'None' to 'z1' but the host already has 1 instance(s)."
            ) == true)
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/1/action", #"{"add_host": {"host": "nope"}}"#)) == "Compute host nope could not be found.")
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/1/action", #"{"add_host": {"host": "a b"}}"#))
                == "Invalid input for field/attribute host. Value: a b. 'a b' does not match '^[a-zA-Z0-9-._]*$'")
        let empty = try #require(["compute-01", "compute-02", "compute-03", "compute-04"].first { $0 != host.rawValue })
        _ = try cloud.addHostToAggregate(zone.id, host: HostName(empty), as: Lab.admin)
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/1/action", #"{"add_host": {"host": "\#(empty)"}}"#))
                == "Aggregate 1 already has host \(empty).")
        #expect(Self.message(Self.call(&cloud, "POST", "/os-aggregates/1/action", #"{"grow": {}}"#)) == "There is no such action: grow")
        // A non-zone aggregate takes any host.
        let pool = try cloud.createAggregate(name: "pool", as: Lab.admin)
        #expect(try cloud.addHostToAggregate(pool.id, host: host, as: Lab.admin).hosts == [host])
    }

    @Test("update renames and rezones, set_metadata sets and removes keys, delete needs an empty aggregate")
    func updateMetadataAndDelete() throws {
        var cloud = try ComputeCloud()
        _ = try cloud.createAggregate(name: "a", as: Lab.admin)
        _ = try cloud.createAggregate(name: "b", as: Lab.admin)
        try cloud.advance(by: .seconds(1))
        let renamed = Self.call(&cloud, "PUT", "/os-aggregates/1", #"{"aggregate": {"name": " gold ", "availability_zone": "gz"}}"#)
        #expect(renamed.body?.value(at: "aggregate.name") == "gold" && renamed.body?.value(at: "aggregate.availability_zone") == "gz")
        #expect(renamed.body?.value(at: "aggregate.updated_at") == "2026-01-01T00:00:01.000000")
        #expect(Self.message(Self.call(&cloud, "PUT", "/os-aggregates/2", #"{"aggregate": {"name": "gold"}}"#)) == "Aggregate gold already exists.")
        #expect(
            Self.message(Self.call(&cloud, "PUT", "/os-aggregates/2", #"{"aggregate": {"availability_zone": null}}"#))
                == "Cannot update aggregate 2. Reason: Aggregate b does not support empty named availability zone")
        #expect(
            Self.message(Self.call(&cloud, "PUT", "/os-aggregates/2", #"{"aggregate": {}}"#))
                == "Invalid input for field/attribute aggregate. Value: {}. {} is not valid under any of the given schemas")
        let set = Self.call(&cloud, "POST", "/os-aggregates/2/action", #"{"set_metadata": {"metadata": {"ssd": "true", "tier": "1"}}}"#)
        #expect(set.body?.value(at: "aggregate.metadata") == ["ssd": "true", "tier": "1"])
        let removed = Self.call(&cloud, "POST", "/os-aggregates/2/action", #"{"set_metadata": {"metadata": {"tier": null, "gone": null}}}"#)
        #expect(removed.body?.value(at: "aggregate.metadata") == ["ssd": "true"])
        #expect(
            Self.message(Self.call(&cloud, "POST", "/os-aggregates/2/action", #"{"set_metadata": {"metadata": {"ssd": 1}}}"#))
                == "Invalid input for field/attribute ssd. Value: 1. 1 is not of type 'string', 'null'")
        // Delete: a member keeps it; an empty one goes (200, no body).
        _ = try cloud.addHostToAggregate(2, host: "compute-01", as: Lab.admin)
        #expect(Self.message(Self.call(&cloud, "DELETE", "/os-aggregates/2")) == "Cannot remove host from aggregate 2. Reason: Host aggregate is not empty.")
        _ = try cloud.removeHostFromAggregate(2, host: "compute-01", as: Lab.admin)
        let deleted = Self.call(&cloud, "DELETE", "/os-aggregates/2")
        #expect(deleted.status == 200 && deleted.body == nil)
        #expect(Self.call(&cloud, "DELETE", "/os-aggregates/2").status == 404)
        // Ids are not reused.
        #expect(try cloud.createAggregate(name: "c", as: Lab.admin).id == 3)
    }

    @Test("with the AggregateInstanceExtraSpecsFilter on, a flavor's unscoped and aggregate-scoped specs pick the host pool; other scopes are ignored")
    func extraSpecsPickThePool() throws {
        var cloud = try Lab.cloud { configuration in
            configuration.placement.matchesAggregateExtraSpecs = true
            configuration.aggregates = [Aggregate.Definition(name: "fast", hosts: ["compute-03"], metadata: ["ssd": "true", "speed": "10, 25"])]
        }
        try cloud.createFlavor(
            Flavor(id: "fast", name: "fast", vcpus: 1, memoryMiB: 512, diskGiB: 1, extraSpecs: ["ssd": "true", "hw:cpu_policy": "dedicated"]), as: Lab.admin)
        try cloud.createFlavor(
            Flavor(id: "faster", name: "faster", vcpus: 1, memoryMiB: 512, diskGiB: 1, extraSpecs: ["aggregate_instance_extra_specs:speed": ">= 20"]),
            as: Lab.admin)
        try cloud.createFlavor(Flavor(id: "gpu", name: "gpu", vcpus: 1, memoryMiB: 512, diskGiB: 1, extraSpecs: ["gpu": "a100"]), as: Lab.admin)
        for flavor: FlavorID in ["fast", "faster", "fast"] {
            let id = try Lab.active(&cloud, flavor: flavor)
            #expect(try cloud.server(id, as: Lab.me).host == "compute-03", "\(flavor)")
        }
        // A plain flavor still goes anywhere (spreading puts it on a host without servers).
        let plainServer = try Lab.active(&cloud, flavor: "1")
        #expect(try cloud.server(plainServer, as: Lab.me).host != "compute-03")
        // No host has a gpu: NoValidHost, and the filter is named in the failure counts.
        let id = try Lab.active(&cloud, flavor: "gpu")
        #expect(try cloud.server(id, as: Lab.me).status == .error)
        #expect(cloud.placementFailures.byFilter.map(\.filter) == [.aggregateInstanceExtraSpecs])
        // Off (Nova's default), extra specs do not restrict placement.
        var plain = try Lab.cloud { $0.aggregates = [Aggregate.Definition(name: "fast", hosts: ["compute-03"], metadata: ["ssd": "true"])] }
        try plain.createFlavor(Flavor(id: "gpu", name: "gpu", vcpus: 1, memoryMiB: 512, diskGiB: 1, extraSpecs: ["gpu": "a100"]), as: Lab.admin)
        let unfiltered = try Lab.active(&plain, flavor: "gpu")
        #expect(try plain.server(unfiltered, as: Lab.me).status == .active)
    }

    @Test(
        "extra spec requirements match aggregate values with Nova's operators",
        arguments: [
            ("true", "true", true), ("true", "True", false), ("16", "= 8", true), ("4", "= 8", false), ("8", "== 8.0", true), ("8", "!= 8", false),
            ("8", ">= 9", false), ("8", "<= 9", true), ("abc", "s== abc", true), ("abc", "s!= abc", false), ("abc", "s< abd", true),
            ("abd", "s<= abd", true), ("b", "s> a", true), ("a", "s>= b", false), ("avx2,sse", "<in> avx2", true), ("avx sse", "<all-in> avx sse", true),
            ("avx", "<all-in> avx sse", false), ("b", "<or> a <or> b <or> c", true), ("d", "<or> a <or> b", false), ("x", "= 8", false),
            ("8", "=", false),
        ])
    func operators(value: String, requirement: String, matches: Bool) {
        #expect(HostPool.extraSpecMatches(value, requirement) == matches)
    }

    @Test("a scenario declares aggregates, adds host groups to them and turns the filter on; mistakes are named by path")
    func scenario() throws {
        let text = """
            {"hosts": [{"name": "ssd-{n}", "count": 2, "vcpus": 8, "memoryMiB": 16384, "diskGiB": 100, "aggregates": ["ssd"]},
                       {"name": "hdd-1", "vcpus": 8, "memoryMiB": 16384, "diskGiB": 100}],
             "aggregates": [{"name": "ssd", "metadata": {"ssd": "true"}}, {"name": "all", "hosts": ["hdd-1", "ssd-1"]}],
             "placement": {"aggregateInstanceExtraSpecs": true}}
            """
        let scenario = try Scenario.parse(text)
        #expect(scenario.configuration.placement.matchesAggregateExtraSpecs)
        #expect(
            scenario.configuration.aggregates == [
                Aggregate.Definition(name: "ssd", hosts: ["ssd-1", "ssd-2"], metadata: ["ssd": "true"]),
                Aggregate.Definition(name: "all", hosts: ["hdd-1", "ssd-1"]),
            ])
        let cloud = try ComputeCloud(configuration: scenario.configuration)
        #expect(try cloud.aggregates(as: Lab.admin).map(\.id) == [1, 2])
        func failure(_ text: String) -> String? {
            do {
                _ = try Scenario.parse(text)
                return nil
            } catch { return error.description }
        }
        #expect(
            failure(#"{"hosts": [{"name": "h", "vcpus": 1, "memoryMiB": 1024, "diskGiB": 1, "aggregates": ["x"]}]}"#)
                == "hosts[0].aggregates[0]: no aggregate named x in the aggregates section")
        #expect(
            failure(#"{"aggregates": [{"name": "a", "metadata": {"availability_zone": "z"}}]}"#)
                == "aggregates[0].metadata.availability_zone: availability zones come from the hosts' zone field, not an aggregate's metadata")
        #expect(failure(#"{"aggregates": [{"name": "a", "hosts": ["nope"]}]}"#) == "aggregates[0].hosts[0]: no host named nope")
    }
}
