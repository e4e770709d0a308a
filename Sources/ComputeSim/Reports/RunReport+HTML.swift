extension RunReport {
    /// The heat map's title.
    private var heatMapTitle: String {
        "\(scenario): how full each \(heatMap?.grouped == true ? "host group" : "host") was (seed \(seed))"
    }

    /// The heat map as SVG (nil for a report built without one).
    package var heatMapSVG: String? { heatMap.map { $0.svg(title: heatMapTitle) } }

    /// The run's self-contained `report.html`: the summary, tables of the workloads, placement,
    /// headroom, exhaustion and time in each status, and every chart inline (utilisation,
    /// servers by status, image bandwidth under the build model, the per-host heat map).
    /// Readable offline; no scripts.
    /// - Complexity: O(samples × series + heat map cells).
    package var html: String {
        var page = HTMLPage(title: "\(scenario): seed \(seed), \(duration)")
        page.paragraph(
            "From \(epoch.iso8601(at: .zero)), \(samples.count) samples, \(cloudEvents) cloud events; trace digests: cloud \(cloudDigest), run \(runDigest)."
        )
        page.heading("Summary")
        page.preformatted(summary)
        page.heading("Workloads")
        page.table(
            header: [
                "workload", "project", "create requests", "accepted", "became ACTIVE", "failed to build", "refused", "actions", "accepted actions", "deletes",
            ],
            rows: (workloads + (workloads.count > 1 ? [totals] : [])).map { stats in
                [
                    stats.name, stats.name == "total" && stats.project == "*" ? "" : stats.project.rawValue, "\(stats.createRequests)", "\(stats.created)",
                    "\(stats.becameActive)", "\(stats.failedToBuild)",
                    "\(stats.createRefusals.values.reduce(0, +))", "\(stats.actionRequests)", "\(stats.actionsAccepted)", "\(stats.deletes)",
                ]
            })
        page.heading("Charts")
        page.figure(svg: utilisationChart.svg, caption: "vCPU, RAM and disk in use, as a share of the allocatable capacity.")
        page.figure(svg: statusChart.svg, caption: "Servers by status.")
        if let chart = bandwidthChart { page.figure(svg: chart.svg, caption: "Image store and host link utilisation, and builds waiting for a slot.") }
        if let map = heatMap, let svg = heatMapSVG {
            page.figure(
                svg: svg,
                caption: map.grouped
                    ? "One row per host group (the run has more than \(HostHeatMap.maximumHostRows) hosts): the fullest of its summed vCPU, RAM and disk."
                    : "One row per host: the fullest of its vCPU, RAM and disk; grey while it was down.")
        }
        page.heading("Placement")
        page.paragraph("\(placementFailures.total) builds found no valid host.")
        page.table(
            header: ["flavor", "builds", "NoValidHost", "rate", "first NoValidHost"],
            rows: placementFailures.byFlavor.map {
                ["\($0.flavor)", "\($0.builds)", "\($0.noValidHost)", "\($0.percent)%", $0.firstNoValidHost.map { "\($0.sinceStart)" } ?? "never"]
            })
        if !placementFailures.byFilter.isEmpty {
            page.table(header: ["filter", "failures it eliminated hosts in"], rows: placementFailures.byFilter.map { [$0.filter.rawValue, "\($0.failures)"] })
        }
        let headroom = headroomSummaries
        if !headroom.isEmpty {
            page.heading("Headroom")
            page.table(
                header: ["failure", "held at", "of samples", "share", "first failed at"],
                rows: headroom.map {
                    ["\($0.failure)", "\($0.heldSamples)", "\($0.samples)", "\($0.heldPercent)%", $0.firstFailure.map { "\($0)" } ?? "never"]
                })
        }
        if let exhaustion = exhaustionSummary {
            page.heading("Time to exhaustion")
            let thresholds = exhaustion.resources.first?.reached.map(\.percent) ?? []
            page.table(
                header: ["resource"] + thresholds.map { "\($0)% reached at" },
                rows: exhaustion.resources.map { resource in [resource.name] + resource.reached.map { $0.at.map { "\($0)" } ?? "not reached" } })
        }
        page.heading("Time in each status")
        page.table(
            header: ["status", "visits", "mean", "p50", "p95", "p99"],
            rows: statusTimes.map { [$0.status.rawValue, "\($0.visits)", "\($0.mean)", "\($0.p50)", "\($0.p95)", "\($0.p99)"] })
        if !spread.isEmpty {
            page.heading("Spread at the end")
            page.table(
                header: ["project", "servers", "hosts", "servers sharing a host", "most on one host"],
                rows: spread.map { [$0.project.rawValue, "\($0.servers)", "\($0.hosts)", "\($0.sharing)", "\($0.mostOnOneHost)"] })
        }
        return page.html
    }
}

extension SweepTable {
    /// A file name for a chart: `NN-metric-by-parameter.svg`, with characters other than
    /// letters, digits, `.`, `+` and `-` as `_` (the number keeps names apart).
    package static func chartFileName(_ chart: Chart, number: Int) -> String {
        let raw = chart.metric + (chart.parameter.map { "-by-" + $0 } ?? "")
        let safe = String(
            raw.unicodeScalars.map { scalar in
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || ".+-".unicodeScalars.contains(scalar)
                    ? Character(scalar) : "_"
            })
        return (number < 10 ? "0" : "") + "\(number)-\(safe.prefix(100)).svg"
    }

    /// The merged sweep's self-contained HTML: the table (each metric's mean ± 95% half-width
    /// per parameter combination) and every sweep chart inline.
    /// - Complexity: O(rows × metrics × parameters).
    package var html: String {
        let merged = expectedRuns - missingRuns.count
        var page = HTMLPage(title: "Sweep: \(merged) of \(expectedRuns) runs, \(rows.count) parameter combination\(rows.count == 1 ? "" : "s")")
        if !missingRuns.isEmpty {
            page.paragraph("Missing runs: " + missingRuns.prefix(50).map(String.init).joined(separator: ", ") + (missingRuns.count > 50 ? ", …" : ""))
        }
        let names = metricNames
        let parameters = rows.first?.parameters.map(\.0) ?? []
        page.heading("Table")
        page.paragraph("Each metric's mean across seeds ± the half-width of its 95% confidence interval (Student's t).")
        page.table(
            header: parameters + ["runs"] + names,
            rows: rows.map { row in
                var byName: [String: (Double, Double)] = [:]
                for metric in row.metrics { byName[metric.0] = (metric.1, metric.2) }
                return row.parameters.map { $0.1.stringValue ?? $0.1.canonicalText } + ["\(row.seeds.count)"]
                    + names.map { name in byName[name].map { "\(Self.text($0.0)) ± \(Self.text($0.1))" } ?? "" }
            }, labels: parameters.count)
        page.heading("Charts")
        for chart in charts {
            page.figure(svg: chart.chart.svg, caption: chart.parameter.map { "\(chart.metric) against \($0)." } ?? "\(chart.metric) across seeds.")
        }
        return page.html
    }
}
