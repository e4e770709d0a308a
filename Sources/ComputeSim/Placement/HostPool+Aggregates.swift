// Aggregates in the pool: a host's availability zone (which zone index holds it) and the
// metadata values the AggregateInstanceExtraSpecsFilter matches flavor extra specs against.
extension HostPool {
    /// Sets host `index`'s zone and aggregate metadata values. A host changing zone leaves its
    /// old zone index (its slot there stays, marked unavailable) and joins the new one.
    /// - Complexity: O(log H).
    mutating func setAggregateState(zone: AvailabilityZone, values: [String: Set<String>], ofHost index: Int32) {
        aggregateValues[index] = values.isEmpty ? nil : values
        guard hosts[Int(index)].host.availabilityZone != zone else { return }
        zoneTrees[hosts[Int(index)].zoneTree].setLeaf(hosts[Int(index)].zoneSlot, nil)
        zoneMemberCounts[hosts[Int(index)].zoneTree] -= 1
        let tree: Int
        if let existing = zoneIndex[zone] {
            tree = existing
        } else {
            tree = zoneTrees.count
            zoneIndex[zone] = tree
            zoneTrees.append(CapacityTree())
            zoneMemberCounts.append(0)
        }
        zoneMemberCounts[tree] += 1
        hosts[Int(index)].host.availabilityZone = zone
        hosts[Int(index)].zoneTree = tree
        hosts[Int(index)].zoneSlot = zoneTrees[tree].appendSlot(host: index, free: nil)
        refreshIndexes(index)
    }

    /// Whether any host (removed ones included) is in `zone`.
    /// - Complexity: O(1).
    public func hasHosts(in zone: AvailabilityZone) -> Bool { zoneIndex[zone].map { zoneMemberCounts[$0] > 0 } ?? false }

    /// The AggregateInstanceExtraSpecsFilter's requirements of a flavor's extra specs: each key
    /// without a scope, or in the `aggregate_instance_extra_specs` scope (without it), with its
    /// requirement, sorted by key; nil when there are none.
    static func aggregateRequirements(_ specs: [String: String]) -> [(key: String, requirement: String)]? {
        var requirements: [(key: String, requirement: String)] = []
        for (key, requirement) in specs.sorted(by: { $0.key < $1.key }) {
            guard let colon = key.firstIndex(of: ":") else {
                requirements.append((key, requirement))
                continue
            }
            if key[..<colon] == "aggregate_instance_extra_specs" { requirements.append((String(key[key.index(after: colon)...]), requirement)) }
        }
        return requirements.isEmpty ? nil : requirements
    }

    /// Whether host `index`'s aggregate metadata satisfies every requirement: for each key, one
    /// of the host's values for it matches (see ``extraSpecMatches(_:_:)``).
    func matchesAggregates(_ index: Int32, _ requirements: [(key: String, requirement: String)]) -> Bool {
        guard let values = aggregateValues[index] else { return false }
        for (key, requirement) in requirements {
            guard let candidates = values[key], !candidates.isEmpty else { return false }
            guard candidates.contains(where: { Self.extraSpecMatches($0, requirement) }) else { return false }
        }
        return true
    }

    /// Nova's `extra_specs_ops.match(value, requirement)`: a requirement whose first word is an
    /// operator compares with it (`=` is "at least", numerically; `==`, `!=`, `>=`, `<=`
    /// numerically; `s==`, `s!=`, `s<`, `s<=`, `s>`, `s>=` as strings; `<in>` substring;
    /// `<all-in>` every word a substring; `<or>` any of the alternatives); any other
    /// requirement must equal the value. A number that does not parse matches nothing (Nova's
    /// filter fails on it).
    static func extraSpecMatches(_ value: String, _ requirement: String) -> Bool {
        var words = requirement.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        guard let op = words.first, operators.contains(op) || op == "<or>" else { return value == requirement }
        words.removeFirst()
        if op == "<or>" {
            // "<or> v1 <or> v2 <or> v3": the words at even places are the alternatives.
            var position = 0
            while position < words.count {
                if words[position] == value { return true }
                position += 2
            }
            return false
        }
        guard let operand = words.first else { return false }
        func numbers() -> (Double, Double)? {
            guard let x = Double(value.trimmingWhitespace), let y = Double(operand.trimmingWhitespace) else { return nil }
            return (x, y)
        }
        switch op {
        case "=", ">=": return numbers().map { $0.0 >= $0.1 } ?? false
        case "==": return numbers().map { $0.0 == $0.1 } ?? false
        case "!=": return numbers().map { $0.0 != $0.1 } ?? false
        case "<=": return numbers().map { $0.0 <= $0.1 } ?? false
        case "<in>": return value.contains(operand)
        case "<all-in>": return words.allSatisfy { value.contains($0) }
        case "s==": return value == operand
        case "s!=": return value != operand
        case "s<": return value.unicodeScalars.lexicographicallyPrecedes(operand.unicodeScalars)
        case "s<=": return !operand.unicodeScalars.lexicographicallyPrecedes(value.unicodeScalars)
        case "s>": return operand.unicodeScalars.lexicographicallyPrecedes(value.unicodeScalars)
        case "s>=": return !value.unicodeScalars.lexicographicallyPrecedes(operand.unicodeScalars)
        default: return false
        }
    }

    private static let operators: Set<String> = ["=", "<in>", "<all-in>", "==", "!=", ">=", "<=", "s==", "s!=", "s<", "s<=", "s>", "s>="]
}
