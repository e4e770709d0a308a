extension SweepTable {
    /// One sweep chart: a metric's mean (with its 95% interval as error bars) against one
    /// swept parameter.
    package struct Chart: Sendable {
        public var metric: String
        /// The parameter on the x axis (nil for a sweep over seeds only).
        public var parameter: String?
        public var chart: SVGChart
    }

    /// The metrics of every row, in order of first appearance (as the CSV's columns).
    package var metricNames: [String] {
        var names: [String] = []
        var known = Set<String>()
        for row in rows { for metric in row.metrics where known.insert(metric.0).inserted { names.append(metric.0) } }
        return names
    }

    /// A chart per metric and swept parameter: the parameter's values along x (a number axis when
    /// every value is a number, else one position per value in sweep order), the metric's mean
    /// across seeds as dots with 95% confidence bars (Student's t, as the table), one series per
    /// combination of the other parameters. A sweep over seeds alone gets one chart per metric
    /// with a single position.
    /// - Complexity: O(metrics × parameters × rows).
    package var charts: [Chart] {
        let parameters = rows.first?.parameters.map(\.0) ?? []
        var charts: [Chart] = []
        for metric in metricNames {
            guard !parameters.isEmpty else {
                let points = rows.compactMap { row in row.metrics.first { $0.0 == metric } }
                let series = SVGChart.Series(
                    label: metric, color: SVGChart.palette[0], points: points.map { SVGChart.Point(x: 0, y: $0.1) }, errors: points.map(\.2))
                let seeds = rows.first?.seeds.count ?? 0
                charts.append(
                    Chart(
                        metric: metric, parameter: nil,
                        chart: SVGChart(
                            title: "\(metric) (mean, 95% interval)", xLabel: "sweep", xAxis: .categories(["\(seeds) seed\(seeds == 1 ? "" : "s")"]),
                            yLabel: metric, series: [series])))
                continue
            }
            for (position, parameter) in parameters.enumerated() {
                let values = rows.map { $0.parameters.indices.contains(position) ? $0.parameters[position].1 : .null }
                var distinct: [JSONValue] = []
                for value in values where !distinct.contains(value) { distinct.append(value) }
                let numbers = distinct.map(Self.number)
                let numeric = numbers.allSatisfy { $0 != nil }
                func x(_ value: JSONValue) -> Double {
                    numeric ? Self.number(value) ?? 0 : Double(distinct.firstIndex(of: value) ?? 0)
                }
                // Series: the other parameters' values, in order of first appearance.
                var labels: [String] = []
                var points: [String: [(x: Double, mean: Double, half: Double)]] = [:]
                for row in rows {
                    guard let value = row.metrics.first(where: { $0.0 == metric }) else { continue }
                    var others = row.parameters
                    if others.indices.contains(position) { others.remove(at: position) }
                    let label = others.isEmpty ? metric : others.map { $0.1.stringValue ?? $0.1.canonicalText }.joined(separator: ", ")
                    if points[label] == nil { labels.append(label) }
                    let own = row.parameters.indices.contains(position) ? row.parameters[position].1 : JSONValue.null
                    points[label, default: []].append((x(own), value.1, value.2))
                }
                let series = labels.enumerated().map { index, label in
                    let sorted = (points[label] ?? []).sorted { $0.x < $1.x }
                    // On a category axis the series stand side by side, so equal means and their
                    // bars stay apart.
                    let dodge = numeric ? 0 : (Double(index) - Double(labels.count - 1) / 2) * min(0.1, 0.6 / Double(labels.count))
                    return SVGChart.Series(
                        label: label, color: SVGChart.palette[index % SVGChart.palette.count],
                        points: sorted.map { SVGChart.Point(x: $0.x + dodge, y: $0.mean) }, errors: sorted.map(\.half))
                }
                let axis: SVGChart.XAxis = numeric ? .number : .categories(distinct.map { $0.stringValue ?? $0.canonicalText })
                var chart = SVGChart(title: "\(metric) by \(parameter) (mean, 95% interval)", xLabel: parameter, xAxis: axis, yLabel: metric, series: series)
                if parameters.count > 1 { chart.legendTitle = parameters.enumerated().filter { $0.offset != position }.map(\.element).joined(separator: ", ") }
                charts.append(Chart(metric: metric, parameter: parameter, chart: chart))
            }
        }
        return charts
    }

    /// A parameter value as a number (nil for strings, arrays and the rest).
    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number.isFinite ? number : nil
        default: return nil
        }
    }
}
