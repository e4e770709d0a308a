/// A self-contained HTML page, readable offline: inline CSS, inline SVG charts, no scripts and
/// nothing fetched. Text goes through ``SVGChart/escape(_:)``, so names from a scenario cannot
/// inject markup. Byte-stable like the rest of the reports.
package struct HTMLPage: Sendable {
    public var title: String
    private var body = ""

    public init(title: String) { self.title = title }

    static let style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.5em 0; } th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
        th { background: #f3f3f3; text-align: left; } td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .wide { overflow-x: auto; } pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
        figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; } svg { max-width: 100%; height: auto; }
        """

    public mutating func heading(_ text: String) { body += "<h2>\(SVGChart.escape(text))</h2>\n" }

    public mutating func paragraph(_ text: String) { body += "<p>\(SVGChart.escape(text))</p>\n" }

    /// Text whose lines stay lines (other control characters are escaped).
    public mutating func preformatted(_ text: String) {
        body += "<pre>" + text.split(separator: "\n", omittingEmptySubsequences: false).map { SVGChart.escape(String($0)) }.joined(separator: "\n") + "</pre>\n"
    }

    /// A table; cells that read as numbers are right-aligned, except in the first `labels`
    /// columns (names such as a flavor id `2`).
    public mutating func table(header: [String], rows: [[String]], labels: Int = 1) {
        body += "<div class=\"wide\"><table>\n<tr>" + header.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>\n"
        for row in rows {
            body +=
                "<tr>"
                + row.enumerated().map { column, cell in
                    column >= labels && Self.isNumeric(cell) ? "<td class=\"number\">\(SVGChart.escape(cell))</td>" : "<td>\(SVGChart.escape(cell))</td>"
                }.joined() + "</tr>\n"
        }
        body += "</table></div>\n"
    }

    /// An SVG document (one of ComputeSim's charts) inline, with a caption.
    public mutating func figure(svg: String, caption: String) {
        body += "<figure>\n\(svg)<figcaption>\(SVGChart.escape(caption))</figcaption>\n</figure>\n"
    }

    /// The document.
    public var html: String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(SVGChart.escape(title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n<h1>\(SVGChart.escape(title))</h1>\n"
            + body + "</body>\n</html>\n"
    }

    /// Whether a cell reads as a number (digits with separators, a sign, a point, a % or ±).
    static func isNumeric(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first, first == "-" || ("0"..."9").contains(first) else { return false }
        return cell.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ",.-% ±".unicodeScalars.contains($0) }
    }
}
