/// A small line chart written as SVG: axes with ticks and labels, one polyline per series, a
/// legend. Enough for a report to open in a browser; no dependency.
///
/// The output is byte-stable: coordinates are rounded to tenths in integer arithmetic and
/// every number is formatted by this type, never by locale-dependent formatting.
package struct SVGChart: Hashable, Sendable {
    /// One line of the chart.
    public struct Series: Hashable, Sendable {
        public var label: String
        /// A CSS colour, e.g. `#1f77b4`.
        public var color: String
        public var points: [Point]

        public init(label: String, color: String, points: [Point]) {
            self.label = label
            self.color = color
            self.points = points
        }
    }

    public struct Point: Hashable, Sendable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// The y axis' top; nil: the data's maximum rounded up to a "nice" number.
    public var yMaximum: Double?
    public var width = 800
    public var height = 420

    public init(title: String, xLabel: String, yLabel: String, series: [Series], yMaximum: Double? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yMaximum = yMaximum
    }

    /// A palette that reads on white (the first colours of the usual categorical scheme).
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// The smallest of 1, 2, 2.5, 5 × 10^k that is at least `value` (1 for non-positive input).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var scale = 1.0
        while scale * 10 < value { scale *= 10 }
        while scale > value { scale /= 10 }
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * scale >= value { return step * scale }
        return 10 * scale
    }

    /// `value` with at most `decimals` decimals and no trailing zeros ("12.5", "3", "-0.1").
    /// Magnitudes of 10^15 and more use Swift's shortest round-trip form ("1e+17"), which SVG
    /// also reads; NaN and infinities become "0".
    static func format(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "0" }
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        guard abs(value * factor) < 1e15 else { return "\(value)" }
        let scaled = Int64((value * factor).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let whole = magnitude / UInt64(factor)
        var fraction = String(magnitude % UInt64(factor))
        while fraction.count < decimals { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `text` as XML character data: markup characters as entities, and control characters
    /// (which XML 1.0 forbids) as `\u{XX}`.
    static func escape(_ text: String) -> String {
        var output = ""
        for character in text.escapingControlCharacters {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            default: output.append(character)
            }
        }
        return output
    }

    /// The SVG document. O(total points).
    public var svg: String {
        let left = 70.0, right = 170.0, top = 40.0, bottom = 50.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let allPoints = series.flatMap(\.points)
        let xMin = allPoints.map(\.x).min() ?? 0
        let xMax = max(allPoints.map(\.x).max() ?? 1, xMin + 1e-9)
        let yTop = yMaximum ?? Self.niceCeiling(allPoints.map(\.y).max() ?? 1)
        func x(_ value: Double) -> String { Self.format(left + (value - xMin) / (xMax - xMin) * plotWidth) }
        func y(_ value: Double) -> String { Self.format(top + plotHeight - min(max(value, 0), yTop) / yTop * plotHeight) }
        var out =
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="sans-serif" font-size="12">"#
            + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        out += #"<text x="\#(Self.format(left))" y="24" font-size="15" font-weight="bold">\#(Self.escape(title))</text>"# + "\n"
        // Grid and y ticks.
        for tick in 0...5 {
            let value = yTop * Double(tick) / 5
            out += #"<line x1="\#(Self.format(left))" y1="\#(y(value))" x2="\#(Self.format(left + plotWidth))" y2="\#(y(value))" stroke="lightgray"/>"# + "\n"
            out +=
                #"<text x="\#(Self.format(left - 6))" y="\#(y(value))" text-anchor="end" dominant-baseline="middle">\#(Self.format(value, decimals: 2))</text>"#
                + "\n"
        }
        // X ticks.
        for tick in 0...6 {
            let value = xMin + (xMax - xMin) * Double(tick) / 6
            out += #"<text x="\#(x(value))" y="\#(Self.format(top + plotHeight + 18))" text-anchor="middle">\#(Self.format(value, decimals: 2))</text>"# + "\n"
        }
        // Axes.
        out +=
            #"<line x1="\#(Self.format(left))" y1="\#(Self.format(top))" x2="\#(Self.format(left))" y2="\#(Self.format(top + plotHeight))" stroke="black"/>"#
            + "\n"
        out +=
            #"<line x1="\#(Self.format(left))" y1="\#(Self.format(top + plotHeight))" x2="\#(Self.format(left + plotWidth))" y2="\#(Self.format(top + plotHeight))" stroke="black"/>"#
            + "\n"
        out +=
            #"<text x="\#(Self.format(left + plotWidth / 2))" y="\#(Self.format(Double(height) - 10))" text-anchor="middle">\#(Self.escape(xLabel))</text>"#
            + "\n"
        out += #"<text transform="translate(16 \#(Self.format(top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\#(Self.escape(yLabel))</text>"# + "\n"
        // Series and legend.
        for (index, line) in series.enumerated() {
            let points = line.points.map { "\(x($0.x)),\(y($0.y))" }.joined(separator: " ")
            out += #"<polyline fill="none" stroke="\#(Self.escape(line.color))" stroke-width="2" points="\#(points)"/>"# + "\n"
            let legendY = top + 10 + Double(index) * 20
            out +=
                #"<line x1="\#(Self.format(left + plotWidth + 15))" y1="\#(Self.format(legendY))" x2="\#(Self.format(left + plotWidth + 35))" y2="\#(Self.format(legendY))" stroke="\#(Self.escape(line.color))" stroke-width="2"/>"#
                + "\n"
            out +=
                #"<text x="\#(Self.format(left + plotWidth + 40))" y="\#(Self.format(legendY))" dominant-baseline="middle">\#(Self.escape(line.label))</text>"#
                + "\n"
        }
        out += "</svg>\n"
        return out
    }
}

extension RunReport {
    private func hours(_ sample: RunSample) -> Double { Double(sample.time.nanosecondsSinceStart) / 3.6e12 }

    /// vCPU, RAM and disk use as percentages of capacity over the run.
    package var utilisationChart: SVGChart {
        let rows: [(String, (RunSample) -> Int, (RunSample) -> Int)] = [
            ("vCPU", { $0.vcpusUsed }, { $0.vcpus }), ("RAM", { $0.memoryMiBUsed }, { $0.memoryMiB }), ("disk", { $0.diskGiBUsed }, { $0.diskGiB }),
        ]
        let series = rows.enumerated().map { index, row in
            SVGChart.Series(
                label: row.0, color: SVGChart.palette[index],
                points: samples.map { sample in
                    SVGChart.Point(x: hours(sample), y: row.2(sample) > 0 ? 100 * Double(row.1(sample)) / Double(row.2(sample)) : 0)
                })
        }
        return SVGChart(
            title: "\(scenario): utilisation (seed \(seed))", xLabel: "hours", yLabel: "% of capacity", series: series,
            yMaximum: SVGChart.niceCeiling(series.flatMap(\.points).map(\.y).max() ?? 1))
    }

    /// Physical build model: image store and host link utilisation (%) and the build queue
    /// over the run, in minutes (boot storms are short); nil under the distribution model.
    package var bandwidthChart: SVGChart? {
        guard builds != nil else { return nil }
        func minutes(_ sample: RunSample) -> Double { Double(sample.time.nanosecondsSinceStart) / 6e10 }
        let series = [
            SVGChart.Series(
                label: "image store %", color: SVGChart.palette[0],
                points: samples.map { SVGChart.Point(x: minutes($0), y: 100 * ($0.imageStoreUtilisation ?? 0)) }),
            SVGChart.Series(
                label: "host links %", color: SVGChart.palette[1],
                points: samples.map { SVGChart.Point(x: minutes($0), y: 100 * ($0.hostNetworkUtilisation ?? 0)) }),
            SVGChart.Series(
                label: "queued builds", color: SVGChart.palette[2], points: samples.map { SVGChart.Point(x: minutes($0), y: Double($0.buildQueue ?? 0)) }),
        ]
        return SVGChart(
            title: "\(scenario): image bandwidth and build queue (seed \(seed))", xLabel: "minutes", yLabel: "% of capacity / builds", series: series,
            yMaximum: SVGChart.niceCeiling(series.flatMap(\.points).map(\.y).max() ?? 1))
    }

    /// Servers by status over the run (the CSV's status columns plus `other`).
    package var statusChart: SVGChart {
        var series = Self.csvStatuses.enumerated().map { index, status in
            SVGChart.Series(
                label: status.rawValue, color: SVGChart.palette[index],
                points: samples.map { SVGChart.Point(x: hours($0), y: Double($0.statusCounts[status] ?? 0)) })
        }
        series.append(
            SVGChart.Series(
                label: "other", color: SVGChart.palette[Self.csvStatuses.count],
                points: samples.map { sample in
                    SVGChart.Point(x: hours(sample), y: Double(sample.servers - Self.csvStatuses.reduce(0) { $0 + (sample.statusCounts[$1] ?? 0) }))
                }))
        return SVGChart(title: "\(scenario): servers by status (seed \(seed))", xLabel: "hours", yLabel: "servers", series: series)
    }
}
