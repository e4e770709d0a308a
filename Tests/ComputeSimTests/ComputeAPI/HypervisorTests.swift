import Testing

@testable import ComputeSim

/// `os-hypervisors`: list, show, statistics, uptime, search and servers per microversion.
struct HypervisorTests {
    static func call(_ cloud: inout ComputeCloud, _ path: String, admin: Bool = true, version: String = "2.1") -> APIResponse {
        API.call(&cloud, "GET", path, admin: admin, version: version)
    }

    @Test("the list shows id, name, state and status; show has the detail; ids are numbers before 2.53 and UUIDs from it")
    func listAndShow() throws {
        var cloud = try ComputeCloud()
        _ = try cloud.updateService(host: "compute-02", disabled: true, reason: "maintenance", as: Lab.admin)
        try cloud.inject(.hostDown("compute-03"), at: cloud.now)
        cloud.runUntilIdle()
        #expect(
            Self.call(&cloud, "/os-hypervisors").body
                == [
                    "hypervisors": [
                        ["id": 1, "hypervisor_hostname": "compute-01", "state": "up", "status": "enabled"],
                        ["id": 2, "hypervisor_hostname": "compute-02", "state": "up", "status": "disabled"],
                        ["id": 3, "hypervisor_hostname": "compute-03", "state": "down", "status": "enabled"],
                        ["id": 4, "hypervisor_hostname": "compute-04", "state": "up", "status": "enabled"],
                    ]
                ])
        let detail = try #require(Self.call(&cloud, "/os-hypervisors/detail").body?["hypervisors"]?[1])
        #expect(Self.call(&cloud, "/os-hypervisors/2").body == ["hypervisor": detail])
        #expect(detail["service"]?["disabled_reason"] == "maintenance")
        #expect(
            Self.call(&cloud, "/os-hypervisors/9").body
                == ["itemNotFound": ["code": 404, "message": "Hypervisor with ID '9' could not be found."]])
        let uuid = ComputeCloud.nameUUID("hypervisor", "compute-02")
        #expect(Self.call(&cloud, "/os-hypervisors/\(uuid)", version: "2.53").body?["hypervisor"]?["id"] == .string(uuid))
        #expect(Self.call(&cloud, "/os-hypervisors/2", version: "2.53").body == ["badRequest": ["code": 400, "message": "Invalid uuid 2"]])
        #expect(
            Self.call(&cloud, "/os-hypervisors", admin: false).body
                == ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed."]])
    }

    @Test("search and servers match by substring before 2.53; from 2.53 the pattern and with_servers are query parameters")
    func searchAndServers() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud)
        let server = try cloud.server(id, as: Lab.me)
        let host = try #require(server.host)
        let number = try #require(cloud.hostPool.hostNames.firstIndex(of: host)) + 1
        #expect(
            Self.call(&cloud, "/os-hypervisors/\(host)/servers").body
                == [
                    "hypervisors": [
                        [
                            "id": .int(Int64(number)), "hypervisor_hostname": .string(host.rawValue), "state": "up", "status": "enabled",
                            "servers": [["name": "web", "uuid": .string(id.rawValue)]],
                        ]
                    ]
                ])
        #expect(Self.call(&cloud, "/os-hypervisors/compute/search").body?["hypervisors"]?.arrayValue?.count == 4)
        #expect(
            Self.call(&cloud, "/os-hypervisors/nowhere/search").body
                == ["itemNotFound": ["code": 404, "message": "No hypervisor matching 'nowhere' could be found."]])
        #expect(Self.call(&cloud, "/os-hypervisors/compute/search", version: "2.53").status == 404)
        let modern = Self.call(&cloud, "/os-hypervisors?hypervisor_hostname_pattern=\(host)&with_servers=true", version: "2.53").body
        #expect(modern?["hypervisors"]?[0]?["servers"] == [["name": "web", "uuid": .string(id.rawValue)]])
        #expect(
            Self.call(&cloud, "/os-hypervisors?hypervisor_hostname_pattern=compute&limit=1", version: "2.53").body
                == [
                    "badRequest": [
                        "code": 400, "message": "Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.",
                    ]
                ])
        // 2.33 paging with a next link.
        let page = Self.call(&cloud, "/os-hypervisors?limit=2", version: "2.33").body
        #expect(page?["hypervisors"]?.arrayValue?.map { $0["id"] } == [1, 2])
        #expect(page?["hypervisors_links"] == [["href": "http://compute.sim/v2.1/os-hypervisors?limit=2&marker=2", "rel": "next"]])
        #expect(Self.call(&cloud, "/os-hypervisors?limit=2&marker=2", version: "2.33").body?["hypervisors"]?.arrayValue?.map { $0["id"] } == [3, 4])
    }

    @Test("statistics sum the enabled hypervisors; uptime reads the host's uptime line and refuses a down host")
    func statisticsAndUptime() throws {
        var cloud = try ComputeCloud()
        _ = try Lab.active(&cloud)
        _ = try cloud.updateService(host: "compute-04", disabled: true, as: Lab.admin)
        let statistics = try #require(Self.call(&cloud, "/os-hypervisors/statistics").body?["hypervisor_statistics"])
        let details = try #require(Self.call(&cloud, "/os-hypervisors/detail").body?["hypervisors"]?.arrayValue).prefix(3)
        #expect(statistics["count"] == 3)
        for key in ["vcpus", "vcpus_used", "memory_mb", "memory_mb_used", "free_ram_mb", "local_gb", "running_vms", "free_disk_gb"] {
            #expect(statistics[key]?.intValue == details.reduce(0) { $0 + ($1[key]?.intValue ?? 0) }, "\(key)")
        }
        #expect(statistics["running_vms"] == 1)
        try cloud.advance(to: .zero + .hours(26) + .minutes(5))
        let host = try #require(cloud.servers(as: Lab.me).first?.host)
        let number = try #require(cloud.hostPool.hostNames.firstIndex(of: host)) + 1
        #expect(
            Self.call(&cloud, "/os-hypervisors/\(number)/uptime").body?["hypervisor"]?["uptime"]
                == " 02:05:00 up 1 day, 2:05,  0 users,  load average: 0.05, 0.05, 0.05")
        try cloud.inject(.hostDown(host), at: cloud.now)
        cloud.runUntilIdle()
        #expect(
            Self.call(&cloud, "/os-hypervisors/\(number)/uptime").body
                == ["badRequest": ["code": 400, "message": .string("Compute service of \(host) is unavailable at this time.")]])
    }
}
