/// Run records and the fingerprints that make a sweep resumable.
///
/// A record (`runs/run-000007.json`) carries two fingerprints, both SHA-256 in hex:
///
/// - `sweep`: the tool version, the scenario's JSON (as canonical text: whitespace and key
///   order do not count), the seeds, the duration override and the parameters with their
///   values in file order. Every record of one sweep has the same; `merge` refuses records
///   whose `sweep` differs.
/// - `fingerprint`: the run's own, over the sweep's fingerprint, the run index, its seed, its
///   parameter values, and the rows of any arrival trace its scenario replays (so an edited
///   trace file invalidates the runs that read it).
///
/// Rerunning `sweep` keeps a record only when it is valid for the run it is named after
/// (``checkRecord(_:for:)``), so an interrupted sweep resumes where it stopped, and a record
/// from another sweep is never taken for one of this sweep's.
extension Sweep {
    /// The version written into fingerprints (and printed by `compute-sim --version`): records
    /// of another version are rerun rather than merged with this one's.
    public static let toolVersion = "0.1.0"

    /// The sweep's fingerprint: what every one of its records shares.
    /// - Complexity: O(size of the scenario and parameters).
    public var fingerprint: String {
        let definition = JSONValue.object([
            ("tool", .string("compute-sim " + Self.toolVersion)),
            ("scenario", scenarioJSON),
            ("seeds", .array(seeds.map { .string(String($0)) })),
            ("duration", duration.map { .int($0.nanoseconds) } ?? .null),
            ("parameters", .array(parameters.map { .array([.string($0.0), .array($0.1)]) })),
        ])
        return SHA256.hex(SHA256.hash(definition.canonicalBytes))
    }

    /// Run `run`'s fingerprint, given the sweep's (``fingerprint``, computed once per sweep).
    /// - Complexity: O(parameters + trace rows of the run's scenario).
    public func fingerprint(of run: Run, sweepFingerprint: String) -> String {
        var hasher = SHA256()
        let head = JSONValue.object([
            ("sweep", .string(sweepFingerprint)), ("run", .int(Int64(run.index))), ("seed", .string(String(run.seed))),
            ("parameters", .array(run.parameters.map { .array([.string($0.0), $0.1]) })),
        ])
        hasher.update(head.canonicalBytes)
        for workload in run.scenario.workloads {
            guard case .trace(let rows) = workload.arrival else { continue }
            hasher.update(Array("\ntrace \(workload.name)\n".utf8))
            for row in rows {
                let line =
                    "\(row.at.nanoseconds),\(row.project),\(row.flavor),\(row.image.map(\.description) ?? "-"),\(row.lifetime.map { String($0.nanoseconds) } ?? "-")\n"
                hasher.update(Array(line.utf8))
            }
        }
        return SHA256.hex(hasher.finalize())
    }

    /// What a sweep writes for one run: enough to merge without the report, the report's
    /// digests so a rerun can be checked, and the two fingerprints.
    public func record(_ run: Run, report: RunReport, sweepFingerprint: String) -> JSONValue {
        .object([
            ("run", .int(Int64(run.index))), ("of", .int(Int64(runCount))), ("seed", .string(String(run.seed))),
            ("parameters", .object(run.parameters)),
            ("metrics", .object(report.metrics.map { ($0.0, .double($0.1)) })),
            ("cloudTraceDigest", .string(report.cloudDigest)), ("runTraceDigest", .string(report.runDigest)),
            ("sweep", .string(sweepFingerprint)), ("fingerprint", .string(fingerprint(of: run, sweepFingerprint: sweepFingerprint))),
        ])
    }

    /// The members of a run record.
    static let recordFields: Set<String> = ["run", "of", "seed", "parameters", "metrics", "cloudTraceDigest", "runTraceDigest", "sweep", "fingerprint"]

    /// Why the text of an existing record cannot stand for `run` of this sweep, or nil when it
    /// can (the sweep then keeps it instead of running again).
    ///
    /// The reasons name what differs: not JSON, not a run record, a record of another sweep
    /// (its `sweep` fingerprint), of another run, or of the same run with other inputs (its
    /// `fingerprint`, e.g. an edited trace file), or a record without numeric metrics.
    /// - Complexity: O(size of the record + the run's fingerprint).
    public func checkRecord(_ text: String, for run: Run, sweepFingerprint: String) -> String? {
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch { return "not valid JSON (\(error.description))" }
        let reader = JSONReader(value: json, path: "")
        do throws(ScenarioError) {
            let fields = try reader.object(allowed: Self.recordFields)
            guard let recorded = fields["sweep"]?.value.stringValue else {
                return "has no sweep fingerprint (written by an older compute-sim, or not by a sweep)"
            }
            guard recorded == sweepFingerprint else {
                return "belongs to a different sweep (fingerprint \(recorded.prefix(12)), this sweep's is \(sweepFingerprint.prefix(12)))"
            }
            guard let index = fields["run"]?.value, index == .int(Int64(run.index)) else {
                return "holds \(fields["run"].map { "run \($0.value.canonicalText)" } ?? "no run index"), not run \(run.index)"
            }
            guard fields["of"]?.value == .int(Int64(runCount)) else { return "is not from a sweep of \(runCount) runs" }
            guard fields["fingerprint"]?.value.stringValue == fingerprint(of: run, sweepFingerprint: sweepFingerprint) else {
                return "was recorded for other inputs of run \(run.index) (its fingerprint differs: a changed trace file?)"
            }
            guard fields["seed"]?.value == .string(String(run.seed)), fields["parameters"]?.value == .object(run.parameters) else {
                return "names another seed or other parameters than run \(run.index)"
            }
            guard let metrics = fields["metrics"] else { return "has no metrics" }
            let names = try metrics.entries().map { $0.0 }
            let fixed = Set(RunReport.metricNames)
            guard fixed.isSubset(of: names),
                names.allSatisfy({
                    fixed.contains($0) || $0.hasPrefix(RunReport.perFlavorMetricPrefix) || $0.hasPrefix(RunReport.headroomMetricPrefix)
                        || $0.hasPrefix(RunReport.exhaustionMetricPrefix)
                })
            else {
                return "does not have the metrics this version records"
            }
            for (_, value) in try metrics.entries() {
                _ = try value.number(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, "a number")
            }
            for digest in ["cloudTraceDigest", "runTraceDigest"] where fields[digest]?.value.stringValue == nil {
                return "has no \(digest)"
            }
        } catch {
            return "is not a run record (\(error.description))"
        }
        return nil
    }
}
