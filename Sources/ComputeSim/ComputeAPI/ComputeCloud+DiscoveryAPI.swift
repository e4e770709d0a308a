// Discovery: the version documents and the availability zones, from the simulated hosts.
extension ComputeCloud {
    /// Nova's `GET /` (the versions list: v2.0 SUPPORTED, v2.1 CURRENT) or, with `current`,
    /// `GET /v2.1` (the v2.1 document with its media type), links on `apiBaseURL`.
    public func versionDocument(current: Bool) -> JSONValue {
        let base = world.configuration.apiBaseURL
        var links: [JSONValue] = [["rel": "self", "href": .string(base + "/v2.1/")]]
        if current { links.append(["rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"]) }
        let v21: [(String, JSONValue)] = [
            ("id", "v2.1"), ("status", "CURRENT"), ("version", .string(Microversion.maximum.description)),
            ("min_version", .string(Microversion.minimum.description)), ("updated", "2013-07-23T11:33:21Z"),
            ("links", .array(links)),
        ]
        if current {
            return ["version": .object(v21 + [("media-types", [["base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"]])])]
        }
        let v20: JSONValue = [
            "id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", "updated": "2011-01-21T11:33:21Z",
            "links": [["rel": "self", "href": .string(base + "/v2/")]],
        ]
        return ["versions": [v20, .object(v21)]]
    }

    /// `GET /os-availability-zone` (each zone with an enabled host is available; `hosts` null)
    /// and, for administrators, `/detail` (each available zone's hosts with their nova-compute
    /// service: `available` when the host is up, `active` when enabled; and the `internal` zone
    /// of the controller's services). Zones are sorted by name.
    func availabilityZones(detail: Bool, caller: Caller) throws(CloudError) -> APIResponse {
        if detail, !caller.isAdmin { throw CloudError(.forbidden, "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.") }
        var zones: [String: [(name: HostName, up: Bool, enabled: Bool)]] = [:]
        for name in hostPool.hostNames {
            guard let host = hostPool.host(name), let usage = hostPool.usage(of: name) else { continue }
            zones[host.availabilityZone.rawValue, default: []].append((name, usage.isUp, usage.isEnabled))
        }
        let updated = JSONValue.string(wallClock.isoMicroseconds(at: now))
        func service(up: Bool, enabled: Bool) -> JSONValue { ["available": .bool(up), "active": .bool(enabled), "updated_at": updated] }
        var available: [JSONValue] = [], unavailable: [JSONValue] = []
        if detail {
            available.append([
                "zoneName": "internal", "zoneState": ["available": true],
                "hosts": ["controller": ["nova-conductor": service(up: true, enabled: true), "nova-scheduler": service(up: true, enabled: true)]],
            ])
        }
        for (zone, hosts) in zones.sorted(by: { $0.key < $1.key }) {
            let enabled = hosts.filter(\.enabled)
            guard !enabled.isEmpty else {
                unavailable.append(["zoneName": .string(zone), "zoneState": ["available": false], "hosts": .null])
                continue
            }
            let detailHosts: JSONValue =
                detail ? .object(enabled.map { ($0.name.rawValue, ["nova-compute": service(up: $0.up, enabled: true)]) }) : .null
            available.append(["zoneName": .string(zone), "zoneState": ["available": true], "hosts": detailHosts])
        }
        return APIResponse(status: 200, body: ["availabilityZoneInfo": .array(available + unavailable)])
    }
}
