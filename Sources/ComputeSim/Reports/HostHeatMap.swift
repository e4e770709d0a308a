/// How full each host (or host group) was over a run: one row per host, one column per
/// recorded sample, each cell the fullest of vCPU, RAM and disk as a percentage of the
/// allocatable capacity. Drawn as an SVG heat map (hosts × time) in the run's report.
///
/// Runs of up to ``maximumHostRows`` hosts get a row per host; bigger ones a row per group of
/// the scenario's `hosts` section (or per availability zone without groups). At most
/// ``maximumColumns`` columns are kept: a long run records every k-th sample.
package struct HostHeatMap: Hashable, Sendable {
    /// Row labels: host names, or `first … last` host names of a group, or zone names.
    public var rows: [String]
    /// Whether a row is a group of hosts rather than one host.
    public var grouped: Bool
    /// The time of each column.
    public var times: [SimDuration] = []
    /// Column-major cells (`cells[column × rows.count + row]`): 0…100 percent, or ``down``
    /// when every host of the row was down.
    public var cells: [UInt8] = []

    /// A cell whose hosts were all down.
    public static let down: UInt8 = 255
    /// The most hosts drawn one row each.
    public static let maximumHostRows = 2_000
    /// The most columns kept.
    public static let maximumColumns = 1_000

    /// The percentage in a cell, or nil for a row that was down.
    public func cell(row: Int, column: Int) -> Int? {
        let value = cells[column * rows.count + row]
        return value == Self.down ? nil : Int(value)
    }

    /// Ten colour bands from pale (0-10%) to dark red (90-100%), then grey for down.
    static let bands = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#fdd49e", "#fdbb84", "#fc8d59", "#ef6548", "#d7301f", "#990000"]

    private static func color(_ value: UInt8) -> String {
        value == down ? "#bdbdbd" : bands[min(Int(value) / 10, bands.count - 1)]
    }

    /// The heat map as SVG: rows top to bottom in host order, time left to right with the
    /// time axis' round ticks, a colour legend. A row is up to 16 pixels tall and at least 1
    /// (so 2,000 hosts make a 2,000-pixel map); equal neighbouring cells of a row are drawn as
    /// one rectangle, which keeps the file small. Host labels are drawn when rows are at least
    /// 10 pixels tall, else every k-th.
    /// - Complexity: O(rows × columns).
    public func svg(title: String) -> String {
        let left = 160.0, right = 130.0, top = 40.0, bottom = 50.0, plotWidth = 640.0
        let rowHeight = max(1, min(16, 600 / Double(max(rows.count, 1))))
        let plotHeight = rowHeight * Double(rows.count)
        let width = Int(left + plotWidth + right), height = Int((top + plotHeight + bottom).rounded(.up))
        let format = { (value: Double) in SVGChart.format(value) }
        let span = max((times.last ?? .zero).secondsValue, 1e-9)
        let columnCount = times.count
        // Column c covers from its time to the next column's (the last one to the end).
        func columnX(_ column: Int) -> Double {
            guard columnCount > 1 else { return column == 0 ? left : left + plotWidth }
            let seconds = column < columnCount ? times[column].secondsValue : span + (span / Double(columnCount - 1))
            return left + seconds / (span + span / Double(columnCount - 1)) * plotWidth
        }
        var out =
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="sans-serif" font-size="11">"#
            + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        out += #"<text x="\#(format(left))" y="24" font-size="15" font-weight="bold">\#(SVGChart.escape(title))</text>"# + "\n"
        for row in rows.indices {
            let y = format(top + Double(row) * rowHeight)
            var column = 0
            while column < columnCount {
                let value = cells[column * rows.count + row]
                var end = column + 1
                while end < columnCount, cells[end * rows.count + row] == value { end += 1 }
                let x0 = columnX(column), x1 = columnX(end)
                out +=
                    #"<rect x="\#(format(x0))" y="\#(y)" width="\#(format(x1 - x0))" height="\#(format(rowHeight))" fill="\#(Self.color(value))"/>"# + "\n"
                column = end
            }
        }
        // Row labels: all when they fit, else every k-th.
        let every = max(1, Int((10 / rowHeight).rounded(.up)))
        for row in stride(from: 0, to: rows.count, by: every) {
            let y = format(top + (Double(row) + 0.5) * rowHeight)
            out += #"<text x="\#(format(left - 6))" y="\#(y)" text-anchor="end" dominant-baseline="middle">\#(SVGChart.escape(rows[row]))</text>"# + "\n"
        }
        // Time axis.
        let unit = SVGChart.timeUnit(spanning: span)
        let ticks = SVGChart.ticks(from: 0, to: span / unit.seconds, steps: unit.steps).filter { $0 * unit.seconds <= span + 1e-9 }
        let decimals = SVGChart.decimals(forStep: ticks.count > 1 ? ticks[1] - ticks[0] : 1)
        let axisY = top + plotHeight
        out += #"<line x1="\#(format(left))" y1="\#(format(axisY))" x2="\#(format(left + plotWidth))" y2="\#(format(axisY))" stroke="black"/>"# + "\n"
        for tick in ticks {
            let x = columnCount > 1 ? left + tick * unit.seconds / (span + span / Double(columnCount - 1)) * plotWidth : left
            out += #"<line x1="\#(format(x))" y1="\#(format(axisY))" x2="\#(format(x))" y2="\#(format(axisY + 4))" stroke="black"/>"# + "\n"
            out +=
                #"<text x="\#(format(x))" y="\#(format(axisY + 17))" text-anchor="middle">\#(SVGChart.tickLabel(tick, decimals: decimals))</text>"# + "\n"
        }
        out +=
            #"<text x="\#(format(left + plotWidth / 2))" y="\#(format(axisY + 38))" text-anchor="middle">time (\#(unit.name))</text>"# + "\n"
        // Legend.
        let legendX = left + plotWidth + 20
        out += #"<text x="\#(format(legendX))" y="\#(format(top - 10))">fullest of</text>"# + "\n"
        out += #"<text x="\#(format(legendX))" y="\#(format(top + 4))">vCPU, RAM, disk</text>"# + "\n"
        for (index, band) in Self.bands.enumerated() {
            let y = top + 14 + Double(index) * 16
            out += #"<rect x="\#(format(legendX))" y="\#(format(y))" width="14" height="14" fill="\#(band)" stroke="gray"/>"# + "\n"
            out += #"<text x="\#(format(legendX + 20))" y="\#(format(y + 7))" dominant-baseline="middle">\#(index * 10)-\#(index * 10 + 10)%</text>"# + "\n"
        }
        let downY = top + 14 + Double(Self.bands.count) * 16
        out += #"<rect x="\#(format(legendX))" y="\#(format(downY))" width="14" height="14" fill="\#(Self.color(Self.down))" stroke="gray"/>"# + "\n"
        out += #"<text x="\#(format(legendX + 20))" y="\#(format(downY + 7))" dominant-baseline="middle">down</text>"# + "\n"
        out += "</svg>\n"
        return out
    }
}
