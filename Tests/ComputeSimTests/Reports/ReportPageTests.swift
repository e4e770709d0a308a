import Testing

@testable import ComputeSim

/// report.html and the sweep charts (issue 21, item 3): escaping, axes, file names.
struct ReportPageTests {
    @Test("a page escapes every text it is given, keeps preformatted lines, and has no script")
    func escaping() {
        var page = HTMLPage(title: "<script>alert(1)</script>")
        page.preformatted("a & b\nc\u{1}")
        page.table(header: ["flavor", "builds"], rows: [["2", "1,234"], ["<b>", "12.5 ± 0.3"]])
        let html = page.html
        #expect(!html.contains("<script") && html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"))
        #expect(html.contains("<pre>a &amp; b\nc\\u{01}</pre>"))
        // The first column is a label even when it reads as a number.
        #expect(html.contains(#"<tr><td>2</td><td class="number">1,234</td></tr>"#))
        #expect(html.contains(#"<tr><td>&lt;b&gt;</td><td class="number">12.5 ± 0.3</td></tr>"#))
        #expect(HTMLPage.isNumeric("-3%") && !HTMLPage.isNumeric("1h40m") && !HTMLPage.isNumeric("") && !HTMLPage.isNumeric("never"))
    }

    static func table(_ parameters: [[(String, JSONValue)]], seeds: Int = 2) throws -> SweepTable {
        var records: [(source: String, json: JSONValue)] = []
        for (index, combination) in parameters.enumerated() {
            for seed in 0..<seeds {
                let run = index * seeds + seed
                records.append(
                    (
                        "r\(run)",
                        .object([
                            ("run", .int(Int64(run))), ("of", .int(Int64(parameters.count * seeds))), ("seed", .string("\(seed)")),
                            ("parameters", .object(combination)), ("metrics", .object([("m", .double(Double(10 * index + seed)))])), ("sweep", "s"),
                        ])
                    ))
            }
        }
        return try SweepTable.merge(records)
    }

    @Test("a numeric parameter gets a number axis, any other one position per value, and a seeds-only sweep one position")
    func axes() throws {
        let numeric = try Self.table([[("hosts", 4)], [("hosts", 8)]]).charts
        #expect(numeric.count == 1 && numeric[0].metric == "m" && numeric[0].parameter == "hosts")
        #expect(numeric[0].chart.xAxis == .number)
        // Means 0.5 and 10.5, each of two seeds 1 apart: half-width t(1) × 0.5 = 6.353.
        #expect(numeric[0].chart.series.map(\.points) == [[SVGChart.Point(x: 4, y: 0.5), SVGChart.Point(x: 8, y: 10.5)]])
        #expect(numeric[0].chart.series[0].errors?.map { ($0 * 1000).rounded() } == [6353, 6353])
        let named = try Self.table([[("policy", "strict"), ("n", 1)], [("policy", "off"), ("n", 1)]]).charts
        #expect(named.map(\.parameter) == ["policy", "n"])
        #expect(named[0].chart.xAxis == .categories(["strict", "off"]) && named[0].chart.legendTitle == "n")
        #expect(named[1].chart.series.map(\.label) == ["strict", "off"])
        let seedsOnly = try Self.table([[]], seeds: 3).charts
        #expect(seedsOnly.count == 1 && seedsOnly[0].parameter == nil && seedsOnly[0].chart.xAxis == .categories(["3 seeds"]))
        let file = SweepTable.chartFileName(
            SweepTable.Chart(metric: "noValidHostPercent.m1/big", parameter: "hosts[0].count", chart: numeric[0].chart), number: 7)
        #expect(file == "07-noValidHostPercent.m1_big-by-hosts_0_.count.svg")
    }
}
