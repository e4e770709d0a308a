import Testing

@testable import ComputeSim

/// `GET /servers/{id}/diagnostics`: deterministic counters from the flavor and the uptime.
struct DiagnosticsTests {
    static func call(_ cloud: inout ComputeCloud, _ id: ServerID, admin: Bool = true, version: String = "2.1") -> APIResponse {
        API.call(&cloud, "GET", "/servers/\(id)/diagnostics", admin: admin, version: version)
    }

    @Test("a running server's counters grow with the time since it last booted; 2.48 answers Nova's standard form")
    func countersFollowUptime() throws {
        var cloud = try ComputeCloud()
        let id = try Lab.active(&cloud, flavor: "3")  // 2 vCPUs, 4096 MiB
        let booted = try #require(cloud.statusHistory(of: id).last { $0.status == .active }).time
        try cloud.advance(to: booted + .seconds(100))
        let server = try cloud.server(id, as: Lab.admin)
        let mac = try #require(server.macAddress)
        let tap = "tap" + id.rawValue.prefix(11)
        #expect(
            Self.call(&cloud, id).body
                == .object([
                    ("cpu0_time", 5_000_000_000), ("cpu1_time", 5_000_000_000), ("vda_read_req", 200), ("vda_read", 819_200), ("vda_write_req", 100),
                    ("vda_write", 409_600), ("vda_errors", -1), ("memory", 4_194_304), ("memory-actual", 4_194_304), ("memory-rss", 1_048_576),
                    ("\(tap)_rx", 102_400), ("\(tap)_rx_packets", 100), ("\(tap)_rx_errors", 0), ("\(tap)_rx_drop", 0), ("\(tap)_tx", 51_200),
                    ("\(tap)_tx_packets", 100), ("\(tap)_tx_errors", 0), ("\(tap)_tx_drop", 0),
                ]))
        let standard = Self.call(&cloud, id, version: "2.48").body
        #expect(standard?["uptime"] == 100 && standard?["num_cpus"] == 2 && standard?["hypervisor"] == "qemu")
        #expect(standard?["memory_details"] == ["maximum": 4096, "used": 1024])
        #expect(standard?["nic_details"]?[0]?["mac_address"] == .string(mac))
        #expect(standard?["cpu_details"] == [["id": 0, "time": 5_000_000_000, "utilisation": 5], ["id": 1, "time": 5_000_000_000, "utilisation": 5]])
        // A reboot starts the counters again; a pause does not.
        _ = try cloud.perform(.pause, on: id, as: Lab.me)
        cloud.runUntilIdle()
        _ = try cloud.perform(.unpause, on: id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(try cloud.diagnostics(of: id, as: Lab.admin).uptime == (cloud.now - booted).nanoseconds / 1_000_000_000)
        _ = try cloud.perform(.reboot(hard: true), on: id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(try cloud.diagnostics(of: id, as: Lab.admin).uptime == 0)
    }

    @Test("members, servers without a host and servers that do not run are refused with Nova's messages")
    func refusals() throws {
        var cloud = try ComputeCloud()
        let building = try cloud.createServers(Lab.request(), as: Lab.me).ids[0]
        #expect(Self.call(&cloud, building).body == ["conflictingRequest": ["code": 409, "message": .string("Instance \(building) is not ready")]])
        let id = try Lab.active(&cloud)
        #expect(
            Self.call(&cloud, id, admin: false).body
                == ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:os-server-diagnostics to be performed."]])
        _ = try cloud.perform(.stop, on: id, as: Lab.me)
        cloud.runUntilIdle()
        #expect(
            Self.call(&cloud, id).body
                == ["conflictingRequest": ["code": 409, "message": .string("Cannot 'get_diagnostics' instance \(id) while it is in power state shutdown")]])
    }
}
