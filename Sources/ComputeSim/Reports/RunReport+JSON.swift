// The canonical JSON report.
extension RunReport {
    static func counts(_ counts: [String: Int]) -> JSONValue {
        .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })
    }

    /// Tallies by error code, rendered by the code's name.
    static func counts(_ counts: [CloudError.Code: Int]) -> JSONValue {
        Self.counts(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }

    static func json(_ stats: WorkloadStats, includeName: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if includeName { fields += [("name", .string(stats.name)), ("project", .string(stats.project.rawValue))] }
        fields += [
            ("createRequests", .int(Int64(stats.createRequests))), ("created", .int(Int64(stats.created))),
            ("createRefusals", counts(stats.createRefusals)), ("becameActive", .int(Int64(stats.becameActive))),
            ("failedToBuild", .int(Int64(stats.failedToBuild))), ("deletedWhileBuilding", .int(Int64(stats.deletedWhileBuilding))),
            ("actionRequests", .int(Int64(stats.actionRequests))),
            ("actionsAccepted", .int(Int64(stats.actionsAccepted))), ("actionRefusals", counts(stats.actionRefusals)),
            ("deletes", .int(Int64(stats.deletes))), ("deleteRefusals", counts(stats.deleteRefusals)),
            ("groupFailures", .int(Int64(stats.groupFailures))),
            ("errorFaults", counts(stats.errorFaults)),
            ("firstRefusals", .object(stats.firstRefusals.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .string($0.value)) })),
        ]
        if includeName { fields.append(("hostsHolding", .int(Int64(stats.hostsHolding)))) }
        return .object(fields)
    }

    static func json(_ sample: RunSample) -> JSONValue {
        .object([
            ("time", .string(sample.time.sinceStart.description)),
            ("servers", .int(Int64(sample.servers))),
            ("statuses", .object(sample.statusCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .int(Int64($0.value))) })),
            ("hostsUp", .int(Int64(sample.hostsUp))), ("hosts", .int(Int64(sample.hosts))),
            ("vcpusUsed", .int(Int64(sample.vcpusUsed))), ("vcpus", .int(Int64(sample.vcpus))),
            ("memoryMiBUsed", .int(Int64(sample.memoryMiBUsed))), ("memoryMiB", .int(Int64(sample.memoryMiB))),
        ])
    }

    /// The sample with the most servers, the highest vCPU and memory use (first of equals).
    public var peaks: (servers: RunSample?, vcpus: RunSample?, memory: RunSample?) {
        func first(by key: (RunSample) -> Int) -> RunSample? {
            samples.reduce(nil) { best, sample in best.map { key(sample) > key($0) ? sample : $0 } ?? sample }
        }
        return (first { $0.servers }, first { $0.vcpusUsed }, first { $0.memoryMiBUsed })
    }

    var utilisationJSON: JSONValue {
        let rows: [(String, (RunSample) -> Int, (RunSample) -> Int)] = [
            ("vcpu", { $0.vcpusUsed }, { $0.vcpus }), ("memory", { $0.memoryMiBUsed }, { $0.memoryMiB }), ("disk", { $0.diskGiBUsed }, { $0.diskGiB }),
        ]
        return .object(
            rows.map { name, used, capacity in
                let value = utilisation(used, of: capacity)
                return (name, .object([("meanPercent", .string(value.mean.description)), ("peakPercent", .string(value.peak.description))]))
            })
    }

    /// The canonical report.
    public var json: JSONValue {
        guard case .object(var fields) = baseJSON else { return baseJSON }
        if let builds { fields.append(("builds", builds.json)) }
        return .object(fields)
    }

    var baseJSON: JSONValue {
        let peaks = self.peaks
        var peakFields: [(String, JSONValue)] = []
        if let servers = peaks.servers {
            peakFields += [("servers", .int(Int64(servers.servers))), ("serversAt", .string(servers.time.sinceStart.description))]
        }
        if let vcpus = peaks.vcpus {
            peakFields += [("vcpuPercent", .string(Self.percent(vcpus.vcpusUsed, of: vcpus.vcpus))), ("vcpuAt", .string(vcpus.time.sinceStart.description))]
        }
        if let memory = peaks.memory {
            peakFields += [
                ("memoryPercent", .string(Self.percent(memory.memoryMiBUsed, of: memory.memoryMiB))), ("memoryAt", .string(memory.time.sinceStart.description)),
            ]
        }
        var fields: [(String, JSONValue)] = [
            ("scenario", .string(scenario)),
            ("seed", .string(String(seed))),
            ("duration", .string(duration.description)),
            ("epoch", .string(epoch.iso8601(at: .zero))),
            ("totals", Self.json(totals, includeName: false)),
            ("workloads", .array(workloads.map { Self.json($0, includeName: true) })),
            ("peaks", .object(peakFields)),
            ("final", samples.last.map(Self.json) ?? .null),
            ("samples", .int(Int64(samples.count))),
            ("cloudTraceDigest", .string(cloudDigest)),
            ("runTraceDigest", .string(runDigest)),
            ("invariantViolations", .array(invariantViolations.map { .string($0.description) })),
            ("utilisation", utilisationJSON),
            ("cloudEvents", .int(Int64(clamping: cloudEvents))),
            ("faults", .array(faults.map(JSONValue.string))),
            (
                "placementFailures",
                .object([
                    ("noValidHost", .int(Int64(placementFailures.total))),
                    ("byFilter", .object(placementFailures.byFilter.map { ($0.filter.rawValue, .int(Int64($0.failures))) })),
                    (
                        "byFlavor",
                        .object(
                            placementFailures.byFlavor.map {
                                (
                                    $0.flavor.rawValue,
                                    .object([
                                        ("builds", .int(Int64($0.builds))), ("noValidHost", .int(Int64($0.noValidHost))),
                                        ("percent", .string($0.percent.description)),
                                    ])
                                )
                            })
                    ),
                ])
            ),
            (
                "timeInStatus",
                .object(
                    statusTimes.map { time in
                        (
                            time.status.rawValue,
                            .object([
                                ("visits", .int(Int64(time.visits))), ("mean", .string(time.mean.description)), ("p50", .string(time.p50.description)),
                                ("p95", .string(time.p95.description)), ("p99", .string(time.p99.description)),
                            ])
                        )
                    })
            ),
            (
                "spread",
                .array(
                    spread.map { quality in
                        .object([
                            ("project", .string(quality.project.rawValue)), ("servers", .int(Int64(quality.servers))), ("hosts", .int(Int64(quality.hosts))),
                            ("sharingAHost", .int(Int64(quality.sharing))), ("mostOnOneHost", .int(Int64(quality.mostOnOneHost))),
                        ])
                    })
            ),
        ]
        // Only a scenario with a headroom (exhaustion) section has that member: other reports
        // keep their bytes.
        if headroom != nil {
            let summaries = headroomSummaries.map { summary -> JSONValue in
                .object([
                    ("failure", .string(summary.failure)), ("heldSamples", .int(Int64(summary.heldSamples))), ("samples", .int(Int64(summary.samples))),
                    ("heldPercent", .string(summary.heldPercent.description)), ("firstFailure", summary.firstFailure.map { .string($0.description) } ?? .null),
                ])
            }
            let position = fields.firstIndex { $0.0 == "placementFailures" } ?? fields.endIndex
            fields.insert(("headroom", .array(summaries)), at: position)
        }
        if let summary = exhaustionSummary {
            let time = { (at: SimDuration?) in at.map { JSONValue.string($0.description) } ?? .null }
            var members: [(String, JSONValue)] = summary.resources.map { resource in
                (resource.name, .array(resource.reached.map { .object([("percent", .int(Int64($0.percent))), ("reachedAt", time($0.at))]) }))
            }
            members.append(("firstNoValidHost", time(summary.firstNoValidHost)))
            members.append(("firstNoValidHostByFlavor", .object(summary.flavors.map { ($0.flavor.rawValue, time($0.firstNoValidHost?.sinceStart)) })))
            let position = fields.firstIndex { $0.0 == "placementFailures" } ?? fields.endIndex
            fields.insert(("exhaustion", .object(members)), at: position)
        }
        return .object(fields)
    }

    /// The statuses the time series has a column for; the rest are summed under `other`.
    static let csvStatuses: [ServerStatus] = [.build, .active, .shutoff, .error, .unknown]
}
