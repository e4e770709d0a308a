import Foundation  // sqrt

extension RunReport {
    /// The names of ``metrics`` every run has, in their order; after them come one
    /// ``perFlavorMetricPrefix``-named metric per flavor of the catalog and, with a headroom
    /// check, one ``headroomMetricPrefix``-named metric per failure checked and, with an
    /// exhaustion check, the ``exhaustionMetricPrefix``-named hours to each threshold.
    public static let metricNames = [
        "createRequests", "created", "becameActive", "failedToBuild", "createRefusals", "errorServers", "noValidHost", "actionRefusals",
        "peakServers", "vcpuMeanPercent", "vcpuPeakPercent", "memoryMeanPercent", "memoryPeakPercent", "cloudEvents",
    ]

    /// The figures a sweep compares across runs, in a fixed order (``metricNames``).
    public var metrics: [(String, Double)] {
        let total = totals
        let vcpu = utilisation({ $0.vcpusUsed }, of: { $0.vcpus }), memory = utilisation({ $0.memoryMiBUsed }, of: { $0.memoryMiB })
        let values = [
            Double(total.createRequests), Double(total.created), Double(total.becameActive), Double(total.failedToBuild),
            Double(total.createRefusals.values.reduce(0, +)), Double(total.errorFaults.values.reduce(0, +)), Double(placementFailures.total),
            Double(total.actionRefusals.values.reduce(0, +)), Double(peaks.servers?.servers ?? 0), vcpu.mean.value, vcpu.peak.value,
            memory.mean.value, memory.peak.value, Double(cloudEvents),
        ]
        return Array(zip(Self.metricNames, values)) + placementFailures.byFlavor.map { (Self.perFlavorMetricPrefix + $0.flavor.rawValue, $0.percent.value) }
            + headroomSummaries.map { (Self.headroomMetricPrefix + $0.failure, $0.heldPercent.value) }
            + exhaustionMetrics
    }

    /// The prefix of the per-flavor NoValidHost rates among ``metrics``
    /// (`noValidHostPercent.m1.small`: that flavor's builds that found no valid host, in percent).
    public static let perFlavorMetricPrefix = "noValidHostPercent."
}

/// Sweep results merged into one table: a row per parameter combination, with each metric's
/// mean and 95% confidence half-width across the combination's seeds (Student's t).
package struct SweepTable: Sendable {
    public struct Row: Sendable {
        public var parameters: [(String, JSONValue)]
        public var seeds: [String]
        /// (metric, mean, 95% half-width; 0 with one seed).
        public var metrics: [(String, Double, Double)]
    }

    public var rows: [Row]
    /// How many runs the sweep has, and which are missing from the inputs.
    public var expectedRuns: Int
    public var missingRuns: [Int]

    /// Merges run records (any order, from any number of shards).
    /// - Throws: ``ScenarioError`` for a malformed record, a record without a sweep
    ///   fingerprint, records of different sweeps (their `sweep` fingerprints differ; the
    ///   error names a record of each), or one run recorded twice with different results.
    public static func merge(_ records: [(source: String, json: JSONValue)]) throws(ScenarioError) -> SweepTable {
        var byRun: [Int: (source: String, json: JSONValue)] = [:]
        var expected: Int? = nil
        var sweep: (fingerprint: String, source: String)? = nil
        for record in records {
            let reader = JSONReader(value: record.json, path: "")
            func fail(_ error: ScenarioError) -> ScenarioError { ScenarioError(path: "", reason: "\(record.source): \(error.description)") }
            let fields: [String: JSONReader]
            let index: Int, of: Int
            do throws(ScenarioError) {
                fields = try reader.object(allowed: Sweep.recordFields)
                guard let run = fields["run"], let total = fields["of"] else { throw reader.fail("needs run and of") }
                of = try total.integer(1...Sweep.maximumRuns, "a run count")
                index = try run.integer(0...(of - 1), "a run index below \(of)")
            } catch { throw fail(error) }
            guard let fingerprint = fields["sweep"]?.value.stringValue else {
                throw ScenarioError(path: "", reason: "\(record.source): has no sweep fingerprint (written by an older compute-sim); run the sweep again")
            }
            if let sweep, sweep.fingerprint != fingerprint {
                throw ScenarioError(
                    path: "",
                    reason:
                        "\(record.source) and \(sweep.source) are from different sweeps (fingerprints \(fingerprint.prefix(12)) and \(sweep.fingerprint.prefix(12)))"
                )
            }
            if sweep == nil { sweep = (fingerprint, record.source) }
            if let expected, expected != of {
                throw ScenarioError(path: "", reason: "\(record.source): from a sweep of \(of) runs, the others are from a sweep of \(expected)")
            }
            expected = of
            if let earlier = byRun[index] {
                guard earlier.json == record.json else {
                    throw ScenarioError(path: "", reason: "run \(index) differs between \(earlier.source) and \(record.source)")
                }
                continue
            }
            byRun[index] = record
        }
        var rows: [Row] = []
        var rowIndex: [String: Int] = [:]
        var values: [[[Double]]] = []
        for index in byRun.keys.sorted() {
            guard let record = byRun[index] else { continue }
            let reader = JSONReader(value: record.json, path: "")
            let fields: [String: JSONReader]
            let parameters: [(String, JSONValue)]
            var metrics: [(String, Double)] = []
            do throws(ScenarioError) {
                fields = try reader.object(allowed: Sweep.recordFields)
                parameters = try fields["parameters"]?.entries().map { ($0.0, $0.1.value) } ?? []
                for (name, value) in try fields["metrics"]?.entries() ?? [] {
                    metrics.append((name, try value.number(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, "a number")))
                }
            } catch { throw ScenarioError(path: "", reason: "\(record.source): \(error.description)") }
            let key = Sweep.label(parameters)
            let row: Int
            if let existing = rowIndex[key] {
                row = existing
                guard rows[row].metrics.map(\.0) == metrics.map(\.0) else {
                    throw ScenarioError(path: "", reason: "\(record.source): its metrics differ from the other runs'")
                }
            } else {
                row = rows.count
                rowIndex[key] = row
                rows.append(Row(parameters: parameters, seeds: [], metrics: metrics.map { ($0.0, 0, 0) }))
                values.append(metrics.map { _ in [] })
            }
            rows[row].seeds.append(fields["seed"]?.value.stringValue ?? "?")
            for (position, metric) in metrics.enumerated() { values[row][position].append(metric.1) }
        }
        for row in rows.indices {
            for position in rows[row].metrics.indices {
                let samples = values[row][position]
                let mean = samples.reduce(0, +) / Double(samples.count)
                var halfWidth = 0.0
                if samples.count > 1 {
                    let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)
                    halfWidth = studentT975(degreesOfFreedom: samples.count - 1) * sqrt(variance / Double(samples.count))
                }
                rows[row].metrics[position].1 = mean
                rows[row].metrics[position].2 = halfWidth
            }
        }
        let total = expected ?? 0
        return SweepTable(rows: rows, expectedRuns: total, missingRuns: (0..<total).filter { byRun[$0] == nil })
    }

    /// The 97.5th percentile of Student's t (two-sided 95%); 1.96 past 30 degrees of freedom.
    static func studentT975(degreesOfFreedom: Int) -> Double {
        let table = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        return degreesOfFreedom >= 1 && degreesOfFreedom <= table.count ? table[degreesOfFreedom - 1] : 1.96
    }

    static func text(_ value: Double) -> String { SVGChart.format(value, decimals: 4) }

    /// One line per combination: the parameters, `runs`, then `<metric>_mean,<metric>_ci95`.
    /// Rows whose metrics differ (a sweep over the flavor catalog gives each row its own
    /// per-flavor rates) share one header, every metric in order of first appearance, with
    /// empty cells where a row has no such metric.
    public var csv: String {
        guard let first = rows.first else { return "runs\n" }
        func cell(_ text: String) -> String { text.contains(",") || text.contains("\"") ? "\"" + text.replacing("\"", with: "\"\"") + "\"" : text }
        let names = metricNames
        var lines = [(first.parameters.map(\.0) + ["runs"] + names.flatMap { ["\($0)_mean", "\($0)_ci95"] }).map(cell).joined(separator: ",")]
        for row in rows {
            let parameters = row.parameters.map { $0.1.stringValue ?? $0.1.canonicalText }
            var byName: [String: (Double, Double)] = [:]
            for metric in row.metrics { byName[metric.0] = (metric.1, metric.2) }
            let cells = names.flatMap { name in byName[name].map { [Self.text($0.0), Self.text($0.1)] } ?? ["", ""] }
            lines.append((parameters + [String(row.seeds.count)] + cells).map(cell).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same table as canonical JSON, with the missing runs.
    public var json: JSONValue {
        .object([
            ("expectedRuns", .int(Int64(expectedRuns))),
            ("missingRuns", .array(missingRuns.map { .int(Int64($0)) })),
            (
                "rows",
                .array(
                    rows.map { row in
                        .object([
                            ("parameters", .object(row.parameters)), ("seeds", .array(row.seeds.map(JSONValue.string))),
                            (
                                "metrics",
                                .object(row.metrics.map { ($0.0, .object([("mean", .string(Self.text($0.1))), ("ci95", .string(Self.text($0.2)))])) })
                            ),
                        ])
                    })
            ),
        ])
    }
}
