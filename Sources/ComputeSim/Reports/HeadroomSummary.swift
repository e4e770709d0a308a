/// How often a run's samples found enough spare capacity for one kind of failure: the loss of
/// the busiest host (N+1), of the two busiest (N+2), …, or of the busiest availability zone.
public struct HeadroomSummary: Hashable, Sendable {
    /// `N+1`, `N+2`, … or `zone`.
    public var failure: String
    /// Samples at which every server could have been placed again.
    public var heldSamples: Int
    public var samples: Int
    /// The first sample that found too little headroom, from the start (nil: it always held).
    public var firstFailure: SimDuration?

    /// `heldSamples` as a percentage of `samples`.
    public var heldPercent: Percentage { Percentage(Double(heldSamples), of: Double(samples)) }
}

extension RunReport {
    /// The prefix of the headroom figures among ``metrics`` (`headroomHeldPercent.N+1`).
    public static let headroomMetricPrefix = "headroomHeldPercent."

    /// One summary per failure the scenario's ``HeadroomCheck`` asks about (N+1 … N+k, then
    /// the zone); empty without one.
    /// - Complexity: O(samples × checks).
    public var headroomSummaries: [HeadroomSummary] {
        guard let check = headroom else { return [] }
        func summary(_ failure: String, _ held: (RunSample) -> Bool) -> HeadroomSummary {
            var result = HeadroomSummary(failure: failure, heldSamples: 0, samples: samples.count, firstFailure: nil)
            for sample in samples {
                if held(sample) {
                    result.heldSamples += 1
                } else if result.firstFailure == nil {
                    result.firstFailure = sample.time.sinceStart
                }
            }
            return result
        }
        var summaries = (0..<check.hosts).map { index in
            summary("N+\(index + 1)") { index < $0.headroom.count ? $0.headroom[index] : false }
        }
        if check.zone { summaries.append(summary("zone") { $0.zoneHeadroom ?? false }) }
        return summaries
    }
}
