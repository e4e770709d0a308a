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

    /// Pushes each of `hosts`' zone (its zone aggregate's, else the default zone) and, when
    /// the placement policy matches them, its aggregate metadata values (Nova's per-key union of
    /// the comma-separated values of its aggregates) into the host pool.
    /// - Complexity: O(m + h · k) for m memberships of all aggregates and h hosts in k
    ///   aggregates each (a million zoned hosts take one pass, not one per host).
    mutating func refreshAggregateState(of hosts: [HostName]) {
        var wanted = Set<HostName>()
        let ordered = hosts.filter { wanted.insert($0).inserted }
        var memberOf: [HostName: [Int]] = [:]
        for (position, aggregate) in aggregates.enumerated() {
            for host in aggregate.hosts where wanted.contains(host) { memberOf[host, default: []].append(position) }
        }
        let matches = pool.policy.matchesAggregateExtraSpecs
        for host in ordered {
            guard let index = pool.hostIndex[host] else { continue }
            let positions = memberOf[host] ?? []
            var zone = AvailabilityZone.nova
            for position in positions {
                if let own = aggregates[position].availabilityZone {
                    zone = own
                    break
                }
            }
            var values: [String: Set<String>] = [:]
            if matches {
                for position in positions {
                    for (key, value) in aggregates[position].metadata {
                        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                            values[key, default: []].insert(String(part).trimmingWhitespace)
                        }
                    }
                }
            }
            pool.setAggregateState(zone: zone, values: values, ofHost: index)
        }
    }
}
