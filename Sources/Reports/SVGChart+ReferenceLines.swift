import Foundation

extension SVGChart {
    /// A horizontal line across a chart at one value (a DRL, an achievable dose).
    public struct ReferenceLine: Sendable {
        public var name: String
        public var value: Double
        public var colour: String
        public var dashed: Bool
        public init(name: String, value: Double, colour: String, dashed: Bool = false) {
            self.name = name; self.value = value; self.colour = colour; self.dashed = dashed
        }
    }

    /// Bars sorted as given (e.g. hospital medians, highest first) with horizontal reference lines:
    /// the dose-monitoring view of facilities against the DRL and the achievable dose. Bars marked
    /// in `highlight` (e.g. above the DRL) take the second palette colour.
    public static func rankedBars(title: String, description: String = "", categories: [String], values: [Double],
                                  highlight: [Bool] = [], lines: [ReferenceLine], xLabel: String, yLabel: String,
                                  frame: Frame = Frame()) -> String {
        let y = AxisScale(covering: values + lines.map(\.value) + [0], range: (frame.plotBottom, frame.top), includeZero: true)
        var svg = open(title: title, description: description, frame: frame)
        svg += yAxis(y, frame: frame, label: yLabel)
        let n = max(1, categories.count)
        let band = (frame.plotRight - frame.left) / Double(n)
        let barWidth = band * 0.75
        let labelEvery = max(1, Int((Double(n) * 44 / (frame.plotRight - frame.left)).rounded(.up)))   // ~44 px per label
        for (i, c) in categories.enumerated() where i < values.count {
            let v = max(0, values[i])
            let x0 = frame.left + band * Double(i) + (band - barWidth) / 2
            let top = y.position(v), bottom = y.position(0)
            let hot = i < highlight.count && highlight[i]
            svg += "<rect class=\"bar\" data-category=\"\(escapeMarkup(c))\" data-value=\"\(formatNumber(v))\" data-highlight=\"\(hot)\" x=\"\(coord(x0))\" y=\"\(coord(top))\" width=\"\(coord(barWidth))\" height=\"\(coord(bottom - top))\" fill=\"\(hot ? palette[3] : palette[0])\"><title>\(escapeMarkup(c)): \(formatNumber(v))</title></rect>\n"
            if i % labelEvery == 0 {
                svg += "<text class=\"tick x\" x=\"\(coord(x0 + barWidth / 2))\" y=\"\(coord(frame.plotBottom + 16))\" text-anchor=\"middle\">\(escapeMarkup(c))</text>\n"
            }
        }
        var legend = "<g class=\"legend\">\n"
        for (k, line) in lines.enumerated() {
            let p = y.position(line.value)
            svg += "<line class=\"reference-line\" data-name=\"\(escapeMarkup(line.name))\" data-value=\"\(formatNumber(line.value))\" x1=\"\(coord(frame.left))\" y1=\"\(coord(p))\" x2=\"\(coord(frame.plotRight))\" y2=\"\(coord(p))\" stroke=\"\(line.colour)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
            let ly = frame.top + 8 + Double(k) * 18, lx = frame.plotRight + 16
            legend += "<line x1=\"\(coord(lx))\" y1=\"\(coord(ly - 3))\" x2=\"\(coord(lx + 14))\" y2=\"\(coord(ly - 3))\" stroke=\"\(line.colour)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
            legend += "<text class=\"legend-item\" x=\"\(coord(lx + 20))\" y=\"\(coord(ly + 1))\">\(escapeMarkup(line.name)) \(formatNumber(line.value))</text>\n"
        }
        svg += xAxisLine(frame: frame, label: xLabel)
        return svg + legend + "</g>\n</svg>\n"
    }
}
