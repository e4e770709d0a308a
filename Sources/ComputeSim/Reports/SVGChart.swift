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
        /// With confidence intervals: each point's half-width (same order as `points`); the
        /// points are then drawn as dots with error bars, joined by a thin line.
        public var errors: [Double]?

        public init(label: String, color: String, points: [Point], errors: [Double]? = nil) {
            self.label = label
            self.color = color
            self.points = points
            self.errors = errors
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

    /// How the x values read: plain numbers, or a time in seconds shown in the unit that suits
    /// the span (s, min, h or d, named in the axis label).
    public enum XAxis: Hashable, Sendable {
        case number
        case time
        /// Named positions: point x values are indices into the names (0, 1, …), each labelled.
        case categories([String])
    }

    public var title: String
    public var xLabel: String
    public var xAxis: XAxis
    public var yLabel: String
    public var series: [Series]
    /// The y axis' top; nil: the data's maximum rounded up to a "nice" number.
    public var yMaximum: Double?
    public var width = 800
    public var height = 420
    /// A heading above the legend (what the series labels are values of).
    public var legendTitle: String? = nil

    public init(title: String, xLabel: String, xAxis: XAxis = .number, yLabel: String, series: [Series], yMaximum: Double? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.xAxis = xAxis
        self.yLabel = yLabel
        self.series = series
        self.yMaximum = yMaximum
    }

    /// A palette that reads on white (the first colours of the usual categorical scheme).
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// Tick values from `lower` to `upper` (both included, extended to whole steps): the
    /// smallest step among `steps` × 10^k (default 1, 2, 5) that needs at most `maximumCount`
    /// ticks. A range of zero width gets one step above it.
    /// - Complexity: O(maximumCount) ticks, O(log range) to find the step.
    static func ticks(from lower: Double, to upper: Double, steps: [Double] = [1, 2, 5], maximumCount: Int = 7) -> [Double] {
        guard lower.isFinite, upper.isFinite, upper - lower < 1e300 else { return [0, 1] }
        let span = upper > lower ? upper - lower : max(abs(upper), 1)
        let top = max(upper, lower + span)
        // The step is `candidate` × 10^exponent; a tick is n × candidate scaled by an exact power
        // of ten, so 3 × 0.05 is 0.15, not 0.15000000000000002.
        var exponent = 0
        while pow10(exponent + 1) <= span { exponent += 1 }
        while pow10(exponent) > span { exponent -= 1 }
        exponent -= 1
        func value(_ units: Double) -> Double { exponent >= 0 ? units * pow10(exponent) : units / pow10(-exponent) }
        var candidate = steps[0]
        search: for _ in 0..<40 {
            for step in steps {
                candidate = step
                let size = value(step)
                if (top / size).rounded(.up) - (lower / size).rounded(.down) + 1 <= Double(maximumCount) { break search }
            }
            exponent += 1
        }
        let size = value(candidate)
        let first = (lower / size).rounded(.down), last = (top / size).rounded(.up)
        return (0...min(Int(last - first), maximumCount)).map { value((first + Double($0)) * candidate) }
    }

    /// 10^`exponent` for exponent >= 0, exactly while it is representable.
    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= 10 }
        return exponent >= 0 ? result : 1 / pow10(-exponent)
    }

    /// The unit a time axis spanning `seconds` reads in, with its length in seconds and the
    /// steps that are round in it (5, 10, 15 min; 6, 12, 24 h).
    static func timeUnit(spanning seconds: Double) -> (name: String, seconds: Double, steps: [Double]) {
        if seconds <= 120 { return ("s", 1, [1, 2, 5, 10, 15, 30]) }
        if seconds <= 2 * 3_600 { return ("min", 60, [1, 2, 5, 10, 15, 30]) }
        if seconds <= 72 * 3_600 { return ("h", 3_600, [1, 2, 3, 6, 12, 24]) }
        return ("d", 86_400, [1, 2, 5])
    }

    /// A tick label: at most `decimals` decimals, thousands separated by commas ("12,500").
    static func tickLabel(_ value: Double, decimals: Int) -> String {
        let text = format(value, decimals: decimals)
        guard abs(value) >= 1_000, abs(value) < 1e15 else { return text }
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var whole = ""
        for (offset, character) in parts[0].reversed().enumerated() {
            if offset > 0, offset % 3 == 0 { whole.append(",") }
            whole.append(character)
        }
        return (negative ? "-" : "") + String(whole.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// The decimals a tick step needs (0 for whole steps, 1 for 0.5, 2 for 0.25).
    static func decimals(forStep step: Double) -> Int {
        var decimals = 0, scaled = step
        while decimals < 6, abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
            scaled *= 10
            decimals += 1
        }
        return decimals
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

    /// A legend entry that fits the margin: up to `room` characters, else cut with "…" and the
    /// whole text as a tooltip.
    static func legendText(_ text: String, room: Int) -> String {
        guard text.count > room else { return escape(text) }
        return "<title>\(escape(text))</title>" + escape(String(text.prefix(room - 1))) + "…"
    }

    /// The SVG document. O(total points).
    public var svg: String {
        let left = 70.0, right = 170.0, top = 40.0, bottom = 50.0
        let plotWidth = Double(width) - left - right, plotHeight = Double(height) - top - bottom
        let allPoints = series.flatMap(\.points)
        let dataMin = allPoints.map(\.x).min() ?? 0
        let dataMax = allPoints.map(\.x).max() ?? 1
        // X ticks at round values: in the time unit that suits the span, else 1-2-5 steps; on
        // a category axis one per name, half a step in from each edge.
        let unit = xAxis == .time ? Self.timeUnit(spanning: dataMax - dataMin) : (name: "", seconds: 1.0, steps: [1.0, 2, 5])
        var categories: [String]? = nil
        if case .categories(let names) = xAxis { categories = names }
        let xTicks =
            categories.map { names in names.indices.map(Double.init) }
            ?? Self.ticks(from: dataMin / unit.seconds, to: dataMax / unit.seconds, steps: unit.steps).map { $0 * unit.seconds }
        let xMin = categories == nil ? xTicks.first ?? 0 : -0.5
        let xMax = categories.map { Double($0.count) - 0.5 } ?? max(xTicks.last ?? 1, xMin + 1e-9)
        let xDecimals = Self.decimals(forStep: xTicks.count > 1 ? (xTicks[1] - xTicks[0]) / unit.seconds : 1)
        let axisLabel = xAxis == .time ? "\(xLabel) (\(unit.name))" : xLabel
        // Y ticks from 0 to the top (the data's maximum, error bars included, or `yMaximum`) in
        // 1-2-5 steps.
        let tops = series.flatMap { line in
            line.points.enumerated().map { index, point in point.y + (line.errors.flatMap { index < $0.count ? $0[index] : nil } ?? 0) }
        }
        let yTicks = Self.ticks(from: 0, to: max(yMaximum ?? tops.max() ?? 1, 0), maximumCount: 6)
        let yTop = max(yTicks.last ?? 1, 1e-9)
        let yDecimals = Self.decimals(forStep: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1)
        func xPosition(_ value: Double) -> Double { left + (value - xMin) / (xMax - xMin) * plotWidth }
        func x(_ value: Double) -> String { Self.format(xPosition(value)) }
        func y(_ value: Double) -> String { Self.format(top + plotHeight - min(max(value, 0), yTop) / yTop * plotHeight) }
        var out =
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="sans-serif" font-size="12">"#
            + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        out += #"<text x="\#(Self.format(left))" y="24" font-size="15" font-weight="bold">\#(Self.escape(title))</text>"# + "\n"
        // Grid and y ticks.
        for value in yTicks {
            out += #"<line x1="\#(Self.format(left))" y1="\#(y(value))" x2="\#(Self.format(left + plotWidth))" y2="\#(y(value))" stroke="lightgray"/>"# + "\n"
            out +=
                #"<text x="\#(Self.format(left - 6))" y="\#(y(value))" text-anchor="end" dominant-baseline="middle">\#(Self.tickLabel(value, decimals: yDecimals))</text>"#
                + "\n"
        }
        // X ticks.
        for value in xTicks {
            let label = categories.map { Self.escape($0[Int(value)]) } ?? Self.tickLabel(value / unit.seconds, decimals: xDecimals)
            out += #"<text x="\#(x(value))" y="\#(Self.format(top + plotHeight + 18))" text-anchor="middle">\#(label)</text>"# + "\n"
        }
        // Axes.
        out +=
            #"<line x1="\#(Self.format(left))" y1="\#(Self.format(top))" x2="\#(Self.format(left))" y2="\#(Self.format(top + plotHeight))" stroke="black"/>"#
            + "\n"
        out +=
            #"<line x1="\#(Self.format(left))" y1="\#(Self.format(top + plotHeight))" x2="\#(Self.format(left + plotWidth))" y2="\#(Self.format(top + plotHeight))" stroke="black"/>"#
            + "\n"
        out +=
            #"<text x="\#(Self.format(left + plotWidth / 2))" y="\#(Self.format(Double(height) - 10))" text-anchor="middle">\#(Self.escape(axisLabel))</text>"#
            + "\n"
        out += #"<text transform="translate(16 \#(Self.format(top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\#(Self.escape(yLabel))</text>"# + "\n"
        // Series and legend.
        for (index, line) in series.enumerated() {
            let points = line.points.map { "\(x($0.x)),\(y($0.y))" }.joined(separator: " ")
            let color = Self.escape(line.color)
            out += #"<polyline fill="none" stroke="\#(color)" stroke-width="\#(line.errors == nil ? 2 : 1)" points="\#(points)"/>"# + "\n"
            if let errors = line.errors {
                // A dot per point and its 95% interval as a bar with caps.
                for (position, point) in line.points.enumerated() {
                    let half = position < errors.count ? errors[position] : 0
                    if half > 0 {
                        let low = y(point.y - half), high = y(point.y + half)
                        let capLeft = Self.format(xPosition(point.x) - 4), capRight = Self.format(xPosition(point.x) + 4)
                        out += #"<line x1="\#(x(point.x))" y1="\#(low)" x2="\#(x(point.x))" y2="\#(high)" stroke="\#(color)"/>"# + "\n"
                        out += #"<line x1="\#(capLeft)" y1="\#(low)" x2="\#(capRight)" y2="\#(low)" stroke="\#(color)"/>"# + "\n"
                        out += #"<line x1="\#(capLeft)" y1="\#(high)" x2="\#(capRight)" y2="\#(high)" stroke="\#(color)"/>"# + "\n"
                    }
                    out += #"<circle cx="\#(x(point.x))" cy="\#(y(point.y))" r="3" fill="\#(color)"/>"# + "\n"
                }
            }
            let legendY = top + 10 + Double(index + (legendTitle == nil ? 0 : 1)) * 20
            out +=
                #"<line x1="\#(Self.format(left + plotWidth + 15))" y1="\#(Self.format(legendY))" x2="\#(Self.format(left + plotWidth + 35))" y2="\#(Self.format(legendY))" stroke="\#(Self.escape(line.color))" stroke-width="2"/>"#
                + "\n"
            out +=
                #"<text x="\#(Self.format(left + plotWidth + 40))" y="\#(Self.format(legendY))" dominant-baseline="middle">\#(Self.legendText(line.label, room: 19))</text>"#
                + "\n"
        }
        if let legendTitle {
            out +=
                #"<text x="\#(Self.format(left + plotWidth + 15))" y="\#(Self.format(top + 10))" dominant-baseline="middle" font-weight="bold">\#(Self.legendText(legendTitle, room: 19))</text>"#
                + "\n"
        }
        out += "</svg>\n"
        return out
    }
}

extension RunReport {
    private func seconds(_ sample: RunSample) -> Double { Double(sample.time.nanosecondsSinceStart) / 1e9 }

    /// vCPU, RAM and disk use as percentages of capacity over the run.
    package var utilisationChart: SVGChart {
        let rows: [(String, (RunSample) -> Int, (RunSample) -> Int)] = [
            ("vCPU", { $0.vcpusUsed }, { $0.vcpus }), ("RAM", { $0.memoryMiBUsed }, { $0.memoryMiB }), ("disk", { $0.diskGiBUsed }, { $0.diskGiB }),
        ]
        let series = rows.enumerated().map { index, row in
            SVGChart.Series(
                label: row.0, color: SVGChart.palette[index],
                points: samples.map { sample in
                    SVGChart.Point(x: seconds(sample), y: row.2(sample) > 0 ? 100 * Double(row.1(sample)) / Double(row.2(sample)) : 0)
                })
        }
        return SVGChart(
            title: "\(scenario): utilisation (seed \(seed))", xLabel: "time", xAxis: .time, yLabel: "% of capacity", series: series)
    }

    /// Physical build model: image store and host link utilisation (%) and the build queue
    /// over the run; nil under the distribution model.
    package var bandwidthChart: SVGChart? {
        guard builds != nil else { return nil }
        let series = [
            SVGChart.Series(
                label: "image store %", color: SVGChart.palette[0],
                points: samples.map { SVGChart.Point(x: seconds($0), y: 100 * ($0.imageStoreUtilisation ?? 0)) }),
            SVGChart.Series(
                label: "host links %", color: SVGChart.palette[1],
                points: samples.map { SVGChart.Point(x: seconds($0), y: 100 * ($0.hostNetworkUtilisation ?? 0)) }),
            SVGChart.Series(
                label: "queued builds", color: SVGChart.palette[2], points: samples.map { SVGChart.Point(x: seconds($0), y: Double($0.buildQueue ?? 0)) }),
        ]
        return SVGChart(
            title: "\(scenario): image bandwidth and build queue (seed \(seed))", xLabel: "time", xAxis: .time, yLabel: "% of capacity / builds", series: series
        )
    }

    /// Servers by status over the run (the CSV's status columns plus `other`).
    package var statusChart: SVGChart {
        var series = Self.csvStatuses.enumerated().map { index, status in
            SVGChart.Series(
                label: status.rawValue, color: SVGChart.palette[index],
                points: samples.map { SVGChart.Point(x: seconds($0), y: Double($0.statusCounts[status] ?? 0)) })
        }
        series.append(
            SVGChart.Series(
                label: "other", color: SVGChart.palette[Self.csvStatuses.count],
                points: samples.map { sample in
                    SVGChart.Point(x: seconds(sample), y: Double(sample.servers - Self.csvStatuses.reduce(0) { $0 + (sample.statusCounts[$1] ?? 0) }))
                }))
        return SVGChart(title: "\(scenario): servers by status (seed \(seed))", xLabel: "time", xAxis: .time, yLabel: "servers", series: series)
    }
}
