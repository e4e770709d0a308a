// Host aggregates as the engine sees them: which zone each host is in and the metadata values
// placement matches flavor extra specs against, both pushed into the host pool.
extension CloudWorld {
    /// The aggregates a cloud starts with: one per availability zone the configured hosts name
    /// other than `nova` (in the order first named), then the configuration's definitions.
    /// - Throws: ``ModelError`` for a definition with an empty or duplicate name, an unknown or
    ///   repeated host, an `availability_zone` key or invalid metadata.
    mutating func buildAggregates() throws(ModelError) {
        var zones: [AvailabilityZone] = []
        var members: [AvailabilityZone: [HostName]] = [:]
        for host in configuration.hosts where host.availabilityZone != .nova {
            if members[host.availabilityZone] == nil { zones.append(host.availabilityZone) }
            members[host.availabilityZone, default: []].append(host.name)
        }
        for zone in zones {
            appendAggregate(name: zone.rawValue, hosts: members[zone] ?? [], metadata: [Aggregate.zoneKey: zone.rawValue], now: .zero)
        }
        for definition in configuration.aggregates {
            let name = definition.name
            guard !name.isEmpty, name.count <= 255 else { throw ModelError(.invalidValue, "aggregate names must be 1 to 255 characters, got \"\(name)\"") }
            guard !aggregates.contains(where: { $0.name == name }) else { throw ModelError(.duplicate, "duplicate aggregate name \(name)") }
            guard definition.metadata[Aggregate.zoneKey] == nil else {
                throw ModelError(.invalidValue, "aggregate \(name): availability_zone comes from the hosts' zone, not an aggregate definition")
            }
            for (key, value) in definition.metadata.sorted(by: { $0.key < $1.key }) {
                guard (1...255).contains(key.count), value.count <= 255 else {
                    throw ModelError(.invalidValue, "aggregate \(name): metadata keys must be 1 to 255 characters and values at most 255")
                }
            }
            var seen = Set<HostName>()
            for host in definition.hosts {
                guard pool.hostIndex[host] != nil else { throw ModelError(.notFound, "aggregate \(name): no host named \(host)") }
                guard seen.insert(host).inserted else { throw ModelError(.duplicate, "aggregate \(name): host \(host) is listed twice") }
            }
            appendAggregate(name: name, hosts: definition.hosts, metadata: definition.metadata, now: .zero)
        }
        refreshAggregateState(of: aggregates.flatMap(\.hosts))
    }

    /// Adds an aggregate with the next id; its UUID comes from its id and name (no random stream
    /// moves, so a cloud's other ids do not depend on its aggregates).
    @discardableResult
    mutating func appendAggregate(name: String, hosts: [HostName], metadata: [String: String], now: SimTime) -> Aggregate {
        let aggregate = Aggregate(
            id: nextAggregateID, uuid: ComputeCloud.nameUUID("aggregate", "\(nextAggregateID):\(name)"), name: name, hosts: hosts, metadata: metadata,
            created: now, updated: nil)
        nextAggregateID += 1
        aggregates.append(aggregate)
        return aggregate
    }

    /// The zone of `host`: its zone aggregate's, else the default zone.
    func zone(of host: HostName) -> AvailabilityZone {
        for aggregate in aggregates where aggregate.hosts.contains(host) {
            if let zone = aggregate.availabilityZone { return zone }
        }
        return .nova
    }

    /// Pushes each of `hosts`' zone and aggregate metadata values (Nova's per-key union of the
    /// comma-separated values of its aggregates) into the host pool.
    /// - Complexity: O(h · a · m) for h hosts, a aggregates of m metadata items each.
    mutating func refreshAggregateState(of hosts: [HostName]) {
        for host in hosts {
            guard let index = pool.hostIndex[host] else { continue }
            var values: [String: Set<String>] = [:]
            for aggregate in aggregates where aggregate.hosts.contains(host) {
                for (key, value) in aggregate.metadata {
                    for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                        values[key, default: []].insert(String(part).trimmingWhitespace)
                    }
                }
            }
            pool.setAggregateState(zone: zone(of: host), values: values, ofHost: index)
        }
    }
}
