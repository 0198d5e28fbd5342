import Foundation

/// One named series of points for scatter/line plots, optionally with error bars.
public struct PlotSeries: Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Lower and upper ends of error bars (same length as `y`), or nil.
    public var low: [Double]?
    public var high: [Double]?
    /// Join the points with a line.
    public var line: Bool

    public init(name: String, x: [Double], y: [Double], low: [Double]? = nil, high: [Double]? = nil, line: Bool = false) {
        self.name = name; self.x = x; self.y = y; self.low = low; self.high = high; self.line = line
    }
}

/// Dependency-free SVG charts for reports: bar, stacked bar, histogram and scatter/line with
/// error bars, with labelled axes, ticks, a legend and an accessible title and description.
/// Elements carry classes (`bar`, `point`, `tick`, `axis-label`, `legend`) and `data-*`
/// attributes with the plotted values, so tests and scripts can read them back.
public enum SVGChart {
    /// Colour-blind-safe palette (Okabe & Ito, 2008).
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    public struct Frame: Sendable {
        public var width = 720.0, height = 380.0
        public var left = 70.0, right = 170.0, top = 40.0, bottom = 60.0
        public init() {}
        var plotRight: Double { width - right }
        var plotBottom: Double { height - bottom }
    }

    /// Vertical bars, one per category.
    public static func bar(title: String, description: String = "", categories: [String], values: [Double],
                           xLabel: String, yLabel: String, frame: Frame = Frame()) -> String {
        stackedBar(title: title, description: description, categories: categories,
                   series: [(yLabel, values)], xLabel: xLabel, yLabel: yLabel, legend: false, frame: frame)
    }

    /// Bars stacked by series within each category.
    public static func stackedBar(title: String, description: String = "", categories: [String],
                                  series: [(name: String, values: [Double])], xLabel: String, yLabel: String,
                                  legend: Bool = true, frame: Frame = Frame()) -> String {
        let totals = categories.indices.map { i in series.reduce(0.0) { $0 + max(0, i < $1.values.count ? $1.values[i] : 0) } }
        let y = AxisScale(covering: totals + [0], range: (frame.plotBottom, frame.top), includeZero: true)
        var svg = open(title: title, description: description, frame: frame)
        svg += yAxis(y, frame: frame, label: yLabel)
        let n = max(1, categories.count)
        let band = (frame.plotRight - frame.left) / Double(n)
        let barWidth = band * 0.75
        let labelEvery = max(1, Int((Double(n) * 30 / (frame.plotRight - frame.left)).rounded(.up)))
        for (i, c) in categories.enumerated() {
            let x0 = frame.left + band * Double(i) + (band - barWidth) / 2
            var base = 0.0
            for (k, s) in series.enumerated() {
                let v = max(0, i < s.values.count ? s.values[i] : 0)
                guard v > 0 else { continue }
                let yTop = y.position(base + v), yBottom = y.position(base)
                svg += "<rect class=\"bar\" data-category=\"\(escapeMarkup(c))\" data-series=\"\(escapeMarkup(s.name))\" data-value=\"\(formatNumber(v))\" x=\"\(coord(x0))\" y=\"\(coord(yTop))\" width=\"\(coord(barWidth))\" height=\"\(coord(yBottom - yTop))\" fill=\"\(palette[k % palette.count])\"><title>\(escapeMarkup(c)) · \(escapeMarkup(s.name)): \(formatNumber(v))</title></rect>\n"
                base += v
            }
            if i % labelEvery == 0 {
                svg += "<text class=\"tick x\" x=\"\(coord(x0 + barWidth / 2))\" y=\"\(coord(frame.plotBottom + 16))\" text-anchor=\"middle\">\(escapeMarkup(c))</text>\n"
            }
        }
        svg += xAxisLine(frame: frame, label: xLabel)
        if legend { svg += legendBlock(series.map(\.name), frame: frame, lines: false) }
        return svg + "</svg>\n"
    }

    /// Histogram of `values` in `bins` equal-width bins (on log10 of the values when `logX`).
    public static func histogram(title: String, description: String = "", values: [Double], bins: Int = 30,
                                 logX: Bool = false, xLabel: String, yLabel: String = "Count", frame: Frame = Frame()) -> String {
        let data = values.filter { $0.isFinite && (!logX || $0 > 0) }
        let x = AxisScale(kind: logX ? .log : .linear, covering: data, range: (frame.left, frame.plotRight))
        let lo = logX ? log10(x.domain.lowerBound) : x.domain.lowerBound
        let hi = logX ? log10(x.domain.upperBound) : x.domain.upperBound
        let nb = max(1, bins)
        var counts = [Double](repeating: 0, count: nb)
        for v in data {
            let t = ((logX ? log10(v) : v) - lo) / (hi - lo)
            counts[min(nb - 1, max(0, Int(t * Double(nb))))] += 1
        }
        let y = AxisScale(covering: counts + [0], range: (frame.plotBottom, frame.top), includeZero: true)
        var svg = open(title: title, description: description, frame: frame)
        svg += yAxis(y, frame: frame, label: yLabel)
        svg += xAxis(x, frame: frame, label: xLabel)
        for (i, c) in counts.enumerated() where c > 0 {
            let a = lo + (hi - lo) * Double(i) / Double(nb), b = lo + (hi - lo) * Double(i + 1) / Double(nb)
            let xa = x.position(logX ? pow(10, a) : a), xb = x.position(logX ? pow(10, b) : b)
            svg += "<rect class=\"bar\" data-bin-low=\"\(formatNumber(logX ? pow(10, a) : a))\" data-value=\"\(Int(c))\" x=\"\(coord(xa))\" y=\"\(coord(y.position(c)))\" width=\"\(coord(max(0.5, xb - xa - 1)))\" height=\"\(coord(y.position(0) - y.position(c)))\" fill=\"\(palette[0])\"/>\n"
        }
        return svg + "</svg>\n"
    }

    /// Points (and lines, error bars) of several series on linear or log axes.
    public static func scatter(title: String, description: String = "", series: [PlotSeries], xLabel: String, yLabel: String,
                               xScale: AxisScale.Kind = .linear, yScale: AxisScale.Kind = .linear,
                               frame: Frame = Frame()) -> String {
        let xs = series.flatMap(\.x)
        let ys = series.flatMap { $0.y + ($0.low ?? []) + ($0.high ?? []) }
        let x = AxisScale(kind: xScale, covering: xs, range: (frame.left, frame.plotRight))
        let y = AxisScale(kind: yScale, covering: ys, range: (frame.plotBottom, frame.top))
        var svg = open(title: title, description: description, frame: frame)
        svg += yAxis(y, frame: frame, label: yLabel)
        svg += xAxis(x, frame: frame, label: xLabel)
        for (k, s) in series.enumerated() {
            let colour = palette[k % palette.count]
            let n = min(s.x.count, s.y.count)
            let ok = (0..<n).filter { s.x[$0].isFinite && s.y[$0].isFinite && (xScale == .linear || s.x[$0] > 0) && (yScale == .linear || s.y[$0] > 0) }
            if s.line && ok.count > 1 {
                let pts = ok.map { "\(coord(x.position(s.x[$0]))),\(coord(y.position(s.y[$0])))" }.joined(separator: " ")
                svg += "<polyline class=\"line\" data-series=\"\(escapeMarkup(s.name))\" points=\"\(pts)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            }
            for i in ok {
                let px = x.position(s.x[i]), py = y.position(s.y[i])
                if let low = s.low, let high = s.high, i < low.count, i < high.count, low[i].isFinite, high[i].isFinite {
                    svg += "<line class=\"error-bar\" x1=\"\(coord(px))\" y1=\"\(coord(y.position(low[i])))\" x2=\"\(coord(px))\" y2=\"\(coord(y.position(high[i])))\" stroke=\"\(colour)\"/>\n"
                }
                svg += "<circle class=\"point\" data-series=\"\(escapeMarkup(s.name))\" data-x=\"\(formatNumber(s.x[i]))\" data-y=\"\(formatNumber(s.y[i]))\" cx=\"\(coord(px))\" cy=\"\(coord(py))\" r=\"\(s.line ? 3 : 2)\" fill=\"\(colour)\" fill-opacity=\"0.7\"/>\n"
            }
        }
        if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
            svg += legendBlock(series.map(\.name), frame: frame, lines: series.contains { $0.line })
        }
        return svg + "</svg>\n"
    }

    // MARK: - Pieces

    static func open(title: String, description: String, frame: Frame) -> String {
        let id = "c" + String(UInt32(truncatingIfNeeded: title.utf8.reduce(UInt64(5381)) { ($0 &* 33) &+ UInt64($1) }), radix: 16)
        return """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="\(id)-t \(id)-d" viewBox="0 0 \(coord(frame.width)) \(coord(frame.height))" width="\(coord(frame.width))" height="\(coord(frame.height))" font-family="system-ui, sans-serif" font-size="12">
        <title id="\(id)-t">\(escapeMarkup(title))</title>
        <desc id="\(id)-d">\(escapeMarkup(description.isEmpty ? title : description))</desc>
        <text class="chart-title" x="\(coord(frame.left))" y="22" font-size="15" font-weight="600">\(escapeMarkup(title))</text>

        """
    }

    static func yAxis(_ y: AxisScale, frame: Frame, label: String) -> String {
        var s = "<g class=\"axis y\">\n<line x1=\"\(coord(frame.left))\" y1=\"\(coord(frame.top))\" x2=\"\(coord(frame.left))\" y2=\"\(coord(frame.plotBottom))\" stroke=\"#333\"/>\n"
        for t in y.ticks {
            let p = y.position(t)
            s += "<line x1=\"\(coord(frame.left - 5))\" y1=\"\(coord(p))\" x2=\"\(coord(frame.plotRight))\" y2=\"\(coord(p))\" stroke=\"#ddd\"/>\n"
            s += "<text class=\"tick y\" data-value=\"\(formatNumber(t))\" x=\"\(coord(frame.left - 8))\" y=\"\(coord(p + 4))\" text-anchor=\"end\">\(formatNumber(t))</text>\n"
        }
        let cy = (frame.top + frame.plotBottom) / 2
        s += "<text class=\"axis-label y\" x=\"16\" y=\"\(coord(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(coord(cy)))\">\(escapeMarkup(label))</text>\n</g>\n"
        return s
    }

    static func xAxis(_ x: AxisScale, frame: Frame, label: String) -> String {
        var s = "<g class=\"axis x\">\n"
        for t in x.ticks {
            let p = x.position(t)
            s += "<line x1=\"\(coord(p))\" y1=\"\(coord(frame.plotBottom))\" x2=\"\(coord(p))\" y2=\"\(coord(frame.plotBottom + 5))\" stroke=\"#333\"/>\n"
            s += "<text class=\"tick x\" data-value=\"\(formatNumber(t))\" x=\"\(coord(p))\" y=\"\(coord(frame.plotBottom + 18))\" text-anchor=\"middle\">\(formatNumber(t))</text>\n"
        }
        return s + "</g>\n" + xAxisLine(frame: frame, label: label)
    }

    static func xAxisLine(frame: Frame, label: String) -> String {
        "<g class=\"axis x\"><line x1=\"\(coord(frame.left))\" y1=\"\(coord(frame.plotBottom))\" x2=\"\(coord(frame.plotRight))\" y2=\"\(coord(frame.plotBottom))\" stroke=\"#333\"/>\n"
            + "<text class=\"axis-label x\" x=\"\(coord((frame.left + frame.plotRight) / 2))\" y=\"\(coord(frame.height - 16))\" text-anchor=\"middle\">\(escapeMarkup(label))</text></g>\n"
    }

    static func legendBlock(_ names: [String], frame: Frame, lines: Bool) -> String {
        var s = "<g class=\"legend\">\n"
        for (k, name) in names.enumerated() {
            let y = frame.top + 8 + Double(k) * 18
            let x = frame.plotRight + 16
            s += "<rect x=\"\(coord(x))\" y=\"\(coord(y - 9))\" width=\"12\" height=\"12\" fill=\"\(palette[k % palette.count])\"/>"
            s += "<text class=\"legend-item\" x=\"\(coord(x + 18))\" y=\"\(coord(y + 1))\">\(escapeMarkup(name))</text>\n"
        }
        return s + "</g>\n"
    }
}
