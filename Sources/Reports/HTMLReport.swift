import Foundation

/// A self-contained HTML report: inline CSS, sections with headings, paragraphs, tables and
/// inline SVG charts; no external assets, so the file can be mailed or archived as is.
public struct HTMLReport: Sendable {
    public var title: String
    private var body = ""
    private var toc: [(id: String, heading: String)] = []

    public init(title: String) { self.title = title }

    /// Starts a section (an `<h2>` with an anchor listed in the contents).
    public mutating func section(_ heading: String) {
        let id = "s\(toc.count + 1)"
        toc.append((id, heading))
        body += "<section id=\"\(id)\" aria-labelledby=\"\(id)-h\"><h2 id=\"\(id)-h\">\(escapeMarkup(heading))</h2>\n"
        openSections += 1
    }
    private var openSections = 0

    public mutating func paragraph(_ text: String) { body += "<p>\(escapeMarkup(text))</p>\n" }

    /// A table; numeric cells are right-aligned.
    public mutating func table(caption: String? = nil, header: [String], rows: [[String]]) {
        body += "<table>\n"
        if let caption { body += "<caption>\(escapeMarkup(caption))</caption>\n" }
        body += "<thead><tr>" + header.map { "<th scope=\"col\">\(escapeMarkup($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows {
            body += "<tr>" + r.map { cell in
                let numeric = Double(cell.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")) != nil
                return numeric ? "<td class=\"num\">\(escapeMarkup(cell))</td>" : "<td>\(escapeMarkup(cell))</td>"
            }.joined() + "</tr>\n"
        }
        body += "</tbody></table>\n"
    }

    /// An SVG chart (from `SVGChart`) inline, in a figure with an optional caption.
    public mutating func figure(_ svg: String, caption: String? = nil) {
        body += "<figure>\n\(svg)"
        if let caption { body += "<figcaption>\(escapeMarkup(caption))</figcaption>\n" }
        body += "</figure>\n"
    }

    /// Pre-formatted text (commands, paths).
    public mutating func code(_ text: String) { body += "<pre><code>\(escapeMarkup(text))</code></pre>\n" }

    public mutating func endSection() {
        if openSections > 0 { body += "</section>\n"; openSections -= 1 }
    }

    /// The complete document.
    public func html() -> String {
        var b = body
        for _ in 0..<openSections { b += "</section>\n" }
        let contents = toc.map { "<li><a href=\"#\($0.id)\">\(escapeMarkup($0.heading))</a></li>" }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeMarkup(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 960px; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
        h1 { font-size: 1.7rem; border-bottom: 2px solid #0072B2; padding-bottom: .3rem; }
        h2 { font-size: 1.3rem; margin-top: 2.2rem; color: #0b3d66; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .92rem; }
        caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
        th, td { border-bottom: 1px solid #ddd; padding: .25rem .7rem; text-align: left; }
        th { background: #f3f6f9; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1.2rem 0; } figcaption { font-size: .88rem; color: #555; }
        svg.chart { max-width: 100%; height: auto; }
        pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; }
        nav ol { columns: 2; }
        </style>
        </head>
        <body>
        <h1>\(escapeMarkup(title))</h1>
        <nav aria-label="Contents"><ol>
        \(contents)
        </ol></nav>
        \(b)</body>
        </html>

        """
    }

    /// Writes the document (UTF-8), creating the folder if needed.
    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try html().write(to: url, atomically: true, encoding: .utf8)
    }
}
