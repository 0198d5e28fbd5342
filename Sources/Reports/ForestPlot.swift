import Foundation

/// One row of a forest plot: an estimate with its interval (nil ends are drawn as open arrows).
public struct ForestRow: Sendable {
    public var label: String
    public var estimate: Double
    public var lower: Double?
    public var upper: Double?
    /// The pooled row is drawn as a diamond under a rule.
    public var pooled: Bool
    public init(label: String, estimate: Double, lower: Double?, upper: Double?, pooled: Bool = false) {
        self.label = label; self.estimate = estimate; self.lower = lower; self.upper = upper; self.pooled = pooled
    }
}

extension SVGChart {
    /// A forest plot: one row per site with its estimate and interval, the pooled estimate as a
    /// diamond, and a dashed line at `reference` (0 for an ERR). Rows carry class `forest-row`
    /// and `data-estimate`, `data-lower`, `data-upper`.
    public static func forest(title: String, description: String = "", rows: [ForestRow], xLabel: String,
                              reference: Double = 0) -> String {
        var frame = Frame()
        frame.left = 110; frame.right = 40
        frame.height = max(160, 70 + 28 * Double(rows.count + 1))
        let values = rows.flatMap { [$0.estimate, $0.lower, $0.upper].compactMap { $0 }.filter(\.isFinite) } + [reference]
        let x = AxisScale(covering: values, range: (frame.left, frame.plotRight))
        var svg = open(title: title, description: description, frame: frame)
        svg += xAxis(x, frame: frame, label: xLabel)
        let r0 = x.position(reference)
        svg += "<line class=\"reference\" x1=\"\(coord(r0))\" y1=\"\(coord(frame.top))\" x2=\"\(coord(r0))\" y2=\"\(coord(frame.plotBottom))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
        let lo = x.domain.lowerBound, hi = x.domain.upperBound
        for (i, row) in rows.enumerated() {
            let y = frame.top + 20 + 28 * Double(i) + (row.pooled ? 10 : 0)
            let colour = row.pooled ? "#000000" : palette[0]
            let l = row.lower.map { max($0, lo) } ?? lo, u = row.upper.map { min($0, hi) } ?? hi
            let attrs = "data-label=\"\(escapeMarkup(row.label))\" data-estimate=\"\(formatNumber(row.estimate))\" data-lower=\"\(row.lower.map(formatNumber) ?? "")\" data-upper=\"\(row.upper.map(formatNumber) ?? "")\""
            svg += "<g class=\"forest-row\(row.pooled ? " pooled" : "")\" \(attrs)>\n"
            svg += "<text x=\"\(coord(frame.left - 8))\" y=\"\(coord(y + 4))\" text-anchor=\"end\"\(row.pooled ? " font-weight=\"600\"" : "")>\(escapeMarkup(row.label))</text>\n"
            if row.pooled {
                svg += "<line x1=\"\(coord(frame.left))\" y1=\"\(coord(y - 16))\" x2=\"\(coord(frame.plotRight))\" y2=\"\(coord(y - 16))\" stroke=\"#bbb\"/>\n"
            }
            svg += "<line x1=\"\(coord(x.position(l)))\" y1=\"\(coord(y))\" x2=\"\(coord(x.position(u)))\" y2=\"\(coord(y))\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            if row.lower == nil { svg += "<text x=\"\(coord(x.position(l) - 2))\" y=\"\(coord(y + 4))\" text-anchor=\"end\" fill=\"\(colour)\">◀</text>\n" }
            if row.upper == nil { svg += "<text x=\"\(coord(x.position(u) + 2))\" y=\"\(coord(y + 4))\" fill=\"\(colour)\">▶</text>\n" }
            if row.estimate.isFinite {
                let p = x.position(min(max(row.estimate, lo), hi))
                if row.pooled {
                    svg += "<polygon points=\"\(coord(p - 7)),\(coord(y)) \(coord(p)),\(coord(y - 7)) \(coord(p + 7)),\(coord(y)) \(coord(p)),\(coord(y + 7))\" fill=\"\(colour)\"/>\n"
                } else {
                    svg += "<rect x=\"\(coord(p - 4))\" y=\"\(coord(y - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\"/>\n"
                }
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }
}
