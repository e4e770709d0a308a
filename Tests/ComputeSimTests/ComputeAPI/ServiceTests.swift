import Testing

@testable import ComputeSim

struct ServiceTests {
    static let admin: [Role] = [.admin]

    static func cloud() throws -> ComputeCloud {
        var configuration = CloudConfiguration()
        configuration.hosts = [
            Host(name: "c1", vcpus: 8, memoryMiB: 16_384, diskGiB: 100), Host(name: "c2", vcpus: 8, memoryMiB: 16_384, diskGiB: 100),
        ]
        return try ComputeCloud(configuration: configuration)
    }

    @Test("os-services lists a nova-compute per host and the controller's services, for administrators only")
    func list() throws {
        var cloud = try Self.cloud()
        let listed = API.call(&cloud, "GET", "/os-services", roles: Self.admin)
        let services = listed.body?.value(at: "services")?.arrayValue ?? []
        #expect(services.compactMap { $0["binary"]?.stringValue } == ["nova-compute", "nova-compute", "nova-conductor", "nova-scheduler"])
        #expect(services.first?["id"] == 1)
        #expect(services.first?["state"] == "up" && services.first?["status"] == "enabled" && services.first?["zone"] == "nova")
        #expect(services.first?["forced_down"] == nil)
        #expect(API.call(&cloud, "GET", "/os-services?binary=nova-scheduler", roles: Self.admin).body?.value(at: "services.0.host") == "controller")
        let member = API.call(&cloud, "GET", "/os-services")
        #expect(member.status == 403)
        #expect(member.body?.value(at: "forbidden.message") == "Policy doesn't allow os_compute_api:os-services:list to be performed.")
    }

    @Test("a disabled compute service takes no new servers; enabling it again does")
    func disableKeepsServersOff() throws {
        var cloud = try Self.cloud()
        let disabled = API.call(
            &cloud, "PUT", "/os-services/disable-log-reason", #"{"host": "c1", "binary": "nova-compute", "disabled_reason": "maintenance"}"#, roles: Self.admin)
        #expect(disabled.bodyText == #"{"service":{"binary":"nova-compute","disabled_reason":"maintenance","host":"c1","status":"disabled"}}"#)
        let create = #"{"server": {"name": "s", "imageRef": "70a599e0-31e7-49b7-b260-868f441e862b", "flavorRef": "1", "min_count": 3}}"#
        _ = API.call(&cloud, "POST", "/servers", create)
        try cloud.advance(by: .minutes(5))
        let hosts = try cloud.servers(as: Caller(project: "demo")).compactMap(\.host)
        #expect(hosts == ["c2", "c2", "c2"])
        _ = API.call(&cloud, "PUT", "/os-services/enable", #"{"host": "c1", "binary": "nova-compute"}"#, roles: Self.admin)
        let listed = API.call(&cloud, "GET", "/os-services?host=c1", roles: Self.admin)
        #expect(listed.body?.value(at: "services.0.status") == "enabled")
        #expect(listed.body?.value(at: "services.0.disabled_reason") == .null)
    }

    @Test("from 2.53 a service is updated by its UUID: status, reason and forced_down, with Nova's refusals")
    func updateByID() throws {
        var cloud = try Self.cloud()
        let v253 = ["OpenStack-API-Version": "compute 2.53"]
        let listed = API.call(&cloud, "GET", "/os-services?host=c2", roles: Self.admin, headers: v253)
        let id = try #require(listed.body?.value(at: "services.0.id")?.stringValue)
        let forced = API.call(&cloud, "PUT", "/os-services/\(id)", #"{"forced_down": true}"#, roles: Self.admin, headers: v253)
        #expect(forced.body?.value(at: "service.forced_down") == true)
        #expect(forced.body?.value(at: "service.state") == "down")
        let hypervisors = API.call(&cloud, "GET", "/os-hypervisors/detail", roles: Self.admin)
        #expect(hypervisors.body?.value(at: "hypervisors.1.state") == "down")
        #expect(hypervisors.body?.value(at: "hypervisors.1.status") == "enabled")
        let invalid = API.call(&cloud, "PUT", "/os-services/\(id)", #"{"status": "enabled", "disabled_reason": "x"}"#, roles: Self.admin, headers: v253)
        #expect(invalid.body?.value(at: "badRequest.message") == "Specifying 'disabled_reason' with status 'enabled' is invalid.")
        let empty = API.call(&cloud, "PUT", "/os-services/\(id)", "{}", roles: Self.admin, headers: v253)
        #expect(empty.body?.value(at: "badRequest.message") == "No updates were requested. Fields 'status' or 'forced_down' should be specified.")
        #expect(API.call(&cloud, "PUT", "/os-services/not-a-uuid", #"{"status": "disabled"}"#, roles: Self.admin, headers: v253).status == 400)
        let scheduler = try #require(
            API.call(&cloud, "GET", "/os-services?binary=nova-scheduler", roles: Self.admin, headers: v253).body?.value(at: "services.0.id")?.stringValue)
        let refused = API.call(&cloud, "PUT", "/os-services/\(scheduler)", #"{"status": "disabled"}"#, roles: Self.admin, headers: v253)
        #expect(
            refused.body?.value(at: "badRequest.message") == "Updating a nova-scheduler service is not supported. Only nova-compute services can be updated.")
        // A forced-down host takes no new servers either.
        _ = API.call(&cloud, "PUT", "/os-services/\(id)", #"{"status": "disabled"}"#, roles: Self.admin, headers: v253)
        #expect(API.call(&cloud, "GET", "/os-services?host=c2", roles: Self.admin, headers: v253).body?.value(at: "services.0.status") == "disabled")
        #expect(API.call(&cloud, "PUT", "/os-services/enable", #"{"host": "nowhere", "binary": "nova-compute"}"#, roles: Self.admin).status == 404)
    }
}
