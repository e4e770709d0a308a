/// When a run's resources ran out (see ``ExhaustionCheck``): per resource the first sample at
/// which each threshold of its capacity was in use, and per flavor the first NoValidHost.
public struct ExhaustionSummary: Hashable, Sendable {
    /// One resource's threshold crossings.
    public struct Resource: Hashable, Sendable {
        /// `vcpu`, `memory` or `disk` (as in the metrics and the JSON report).
        public var name: String
        /// Per threshold (ascending): the first sample, from the start, with at least that
        /// percentage of the capacity in use; nil when none reached it.
        public var reached: [(percent: Int, at: SimDuration?)]

        public static func == (lhs: Resource, rhs: Resource) -> Bool {
            lhs.name == rhs.name && lhs.reached.elementsEqual(rhs.reached) { $0.percent == $1.percent && $0.at == $1.at }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            for item in reached {
                hasher.combine(item.percent)
                hasher.combine(item.at)
            }
        }
    }

    /// vCPU, memory and disk, in that order.
    public var resources: [Resource]
    /// Per flavor of the catalog, in id order: when its first build found no valid host.
    public var flavors: [PlacementFailures.FlavorCount]
    /// The earliest of those (nil: no build found no valid host).
    public var firstNoValidHost: SimDuration?
}

extension RunReport {
    /// The prefix of the time-to-exhaustion figures among ``metrics``
    /// (`exhaustionHours.vcpu.90`, `exhaustionHours.noValidHost`).
    public static let exhaustionMetricPrefix = "exhaustionHours."

    /// With a scenario's ``ExhaustionCheck``, when each resource reached each threshold and
    /// each flavor first found no valid host; nil without one. Times are those of samples, so
    /// they are as fine as the scenario's `sampleInterval`; the NoValidHost times are exact.
    /// - Complexity: O(samples × thresholds + flavors).
    public var exhaustionSummary: ExhaustionSummary? {
        guard let check = exhaustion else { return nil }
        func resource(_ name: String, _ figures: (RunSample) -> (used: Int, capacity: Int)) -> ExhaustionSummary.Resource {
            var reached: [(percent: Int, at: SimDuration?)] = check.thresholds.map { ($0, nil) }
            var pending = 0  // thresholds are ascending: the first not yet reached
            for sample in samples where pending < reached.count {
                let (used, capacity) = figures(sample)
                guard capacity > 0 else { continue }
                // used / capacity >= percent / 100, without a division (exact below 2^53 / 100).
                while pending < reached.count, Double(used) * 100 >= Double(reached[pending].percent) * Double(capacity) {
                    reached[pending].at = sample.time.sinceStart
                    pending += 1
                }
            }
            return .init(name: name, reached: reached)
        }
        return ExhaustionSummary(
            resources: [
                resource("vcpu") { ($0.vcpusUsed, $0.vcpus) }, resource("memory") { ($0.memoryMiBUsed, $0.memoryMiB) },
                resource("disk") { ($0.diskGiBUsed, $0.diskGiB) },
            ],
            flavors: placementFailures.byFlavor, firstNoValidHost: placementFailures.firstNoValidHost?.sinceStart)
    }

    /// The time-to-exhaustion metrics, in hours: per resource and threshold, then the first
    /// NoValidHost. A threshold never reached counts as the run's duration, a lower bound.
    var exhaustionMetrics: [(String, Double)] {
        guard let summary = exhaustionSummary else { return [] }
        let hours = { (time: SimDuration?) in (time ?? duration).secondsValue / 3_600 }
        return summary.resources.flatMap { resource in
            resource.reached.map { (Self.exhaustionMetricPrefix + "\(resource.name).\($0.percent)", hours($0.at)) }
        } + [(Self.exhaustionMetricPrefix + "noValidHost", hours(summary.firstNoValidHost))]
    }
}
