import Foundation

extension SVGChart {
    /// Horizontal bars grouped by category (one bar per series in each group) with 95% interval
    /// whiskers: e.g. organs ordered by risk, plans side by side. Bars carry `data-series`,
    /// `data-category`, `data-value`, `data-low`, `data-high`.
    public static func groupedHorizontalBars(title: String, description: String = "", categories: [String],
                                             series: [(name: String, values: [Double], low: [Double], high: [Double])],
                                             xLabel: String) -> String {
        var frame = Frame()
        frame.left = 140
        let rowHeight = 14.0 * Double(max(1, series.count)) + 10
        frame.height = frame.top + frame.bottom + rowHeight * Double(max(1, categories.count))
        let all: [Double] = series.flatMap { s -> [Double] in s.high + s.values } + [0.0]
        let x = AxisScale(covering: all, range: (frame.left, frame.plotRight), includeZero: true)
        var svg = open(title: title, description: description, frame: frame)
        svg += xAxis(x, frame: frame, label: xLabel)
        for (i, c) in categories.enumerated() {
            let y0 = frame.top + rowHeight * Double(i) + 5
            svg += "<text class=\"category\" x=\"\(coord(frame.left - 8))\" y=\"\(coord(y0 + rowHeight / 2))\" text-anchor=\"end\">\(escapeMarkup(c))</text>\n"
            for (k, s) in series.enumerated() where i < s.values.count {
                let v = s.values[i], y = y0 + 14 * Double(k)
                guard v.isFinite else { continue }
                let x0 = x.position(0), x1 = x.position(max(0, v))
                svg += "<rect class=\"bar\" data-series=\"\(escapeMarkup(s.name))\" data-category=\"\(escapeMarkup(c))\" data-value=\"\(formatNumber(v))\" data-low=\"\(formatNumber(s.low[i]))\" data-high=\"\(formatNumber(s.high[i]))\" x=\"\(coord(x0))\" y=\"\(coord(y))\" width=\"\(coord(max(0.5, x1 - x0)))\" height=\"11\" fill=\"\(palette[k % palette.count])\"><title>\(escapeMarkup("\(s.name), \(c): \(formatNumber(v)) (\(formatNumber(s.low[i]))-\(formatNumber(s.high[i])))"))</title></rect>\n"
                let lx = x.position(max(0, s.low[i])), hx = x.position(max(0, s.high[i]))
                svg += "<line class=\"whisker\" x1=\"\(coord(lx))\" y1=\"\(coord(y + 5.5))\" x2=\"\(coord(hx))\" y2=\"\(coord(y + 5.5))\" stroke=\"#222\"/>\n"
            }
        }
        svg += legendBlock(series.map(\.name), frame: frame, lines: false)
        return svg + "</svg>\n"
    }
}
