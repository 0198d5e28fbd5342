import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Reports

/// Parses an SVG or HTML fragment as XML (Foundation's XMLDocument is not on every Linux
/// toolchain, so XMLParser checks well-formedness).
func isWellFormedXML(_ s: String) -> Bool {
    let parser = XMLParser(data: Data(s.utf8))
    return parser.parse()
}

/// Values of attribute `name` on elements whose class is `cls`, in document order.
func attributeValues(_ svg: String, cls: String, _ name: String) -> [String] {
    var out: [String] = []
    for element in svg.components(separatedBy: "<").dropFirst() where element.contains("class=\"\(cls)\"") {
        guard let r = element.range(of: " \(name)=\"") else { continue }
        let rest = element[r.upperBound...]
        out.append(String(rest.prefix { $0 != "\"" }))
    }
    return out
}

@Suite("SVG charts")
struct SVGChartTests {
    @Test("a bar chart is well-formed, titled, with both axes labelled")
    func barChartStructure() {
        let svg = SVGChart.bar(title: "Children by country", categories: ["BE", "NO"], values: [5, 10],
                               xLabel: "Country", yLabel: "Children")
        #expect(isWellFormedXML(svg))
        #expect(svg.contains("<title id=") && svg.contains(">Children by country</title>"))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains(">Country</text>") && svg.contains(">Children</text>"))
        #expect(attributeValues(svg, cls: "bar", "data-category") == ["BE", "NO"])
    }

    @Test("bar heights are proportional to the values from a zero baseline")
    func barHeights() {
        let svg = SVGChart.bar(title: "t", categories: ["a", "b"], values: [5, 10], xLabel: "x", yLabel: "y")
        let h = attributeValues(svg, cls: "bar", "height").compactMap(Double.init)
        #expect(h.count == 2)
        #expect(abs(h[1] - 2 * h[0]) < 0.02)  // coordinates are written with two decimals
    }

    @Test("stacked bars put each series on top of the previous one")
    func stacking() {
        let svg = SVGChart.stackedBar(title: "t", categories: ["1990"], series: [("diagnostic", [30]), ("interventional", [10])],
                                      xLabel: "Year", yLabel: "Procedures")
        let y = attributeValues(svg, cls: "bar", "y").compactMap(Double.init)
        let h = attributeValues(svg, cls: "bar", "height").compactMap(Double.init)
        #expect(y.count == 2 && abs((y[1] + h[1]) - y[0]) < 0.02)
        #expect(svg.contains("class=\"legend\"") && svg.contains(">interventional</text>"))
    }

    @Test("a scatter point sits where the axis scale maps its value")
    func scatterPlacement() {
        let frame = SVGChart.Frame()
        let svg = SVGChart.scatter(title: "t", series: [PlotSeries(name: "s", x: [0, 5, 10], y: [1, 2, 3])],
                                   xLabel: "Age", yLabel: "KAP", frame: frame)
        let x = AxisScale(covering: [0, 5, 10], range: (frame.left, frame.width - frame.right))
        let cx = attributeValues(svg, cls: "point", "cx").compactMap(Double.init)
        #expect(cx.count == 3)
        #expect(abs(cx[1] - x.position(5)) < 0.01)
        #expect(cx[0] < cx[1] && cx[1] < cx[2])
        #expect(isWellFormedXML(svg))
    }

    @Test("error bars span the given interval")
    func errorBars() {
        let svg = SVGChart.scatter(title: "t", series: [PlotSeries(name: "ERR", x: [1], y: [2], low: [1], high: [4])],
                                   xLabel: "x", yLabel: "y")
        let y1 = attributeValues(svg, cls: "error-bar", "y1").compactMap(Double.init)
        let y2 = attributeValues(svg, cls: "error-bar", "y2").compactMap(Double.init)
        let cy = attributeValues(svg, cls: "point", "cy").compactMap(Double.init)
        #expect(y1.count == 1 && y1[0] > cy[0] && y2[0] < cy[0])  // SVG y grows downwards
    }

    @Test("log axes tick at powers of ten and skip non-positive values")
    func logAxis() {
        let scale = AxisScale(kind: .log, covering: [0.3, 0, 42], range: (0, 300))
        #expect(scale.ticks == [0.1, 1, 10, 100])
        #expect(abs(scale.position(1) - 100) < 1e-9)  // one decade of three is 100 px
        let svg = SVGChart.scatter(title: "t", series: [PlotSeries(name: "s", x: [1, 2], y: [0, 10])],
                                   xLabel: "x", yLabel: "y", yScale: .log)
        #expect(attributeValues(svg, cls: "point", "cy").count == 1)
    }

    @Test("a histogram counts every value once")
    func histogramCounts() {
        let values = (1...100).map(Double.init)
        let svg = SVGChart.histogram(title: "t", values: values, bins: 10, xLabel: "v")
        let counts = attributeValues(svg, cls: "bar", "data-value").compactMap(Int.init)
        #expect(counts.reduce(0, +) == 100)
    }

    @Test("linear ticks are nice round numbers covering the data")
    func niceTicks() {
        let s = AxisScale(covering: [0.3, 87], range: (0, 1))
        #expect(s.ticks.first == 0 && s.ticks.last == 100)
        #expect(s.ticks.count <= 11)
    }
}

@Suite("HTML report")
struct HTMLReportTests {
    @Test("a report has its title, sections with contents links, tables and inline SVG, and no external assets")
    func structure() {
        var r = HTMLReport(title: "Cohort <overview>")
        r.section("Counts")
        r.table(caption: "By country", header: ["Country", "Children"], rows: [["NO", "6,500"]])
        r.figure(SVGChart.bar(title: "c", categories: ["NO"], values: [6500], xLabel: "Country", yLabel: "Children"), caption: "Fig 1")
        r.endSection()
        r.section("Validation")
        r.paragraph("3 rows rejected & quarantined")
        let html = r.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Cohort &lt;overview&gt;</title>"))
        #expect(html.contains("<a href=\"#s1\">Counts</a>") && html.contains("<a href=\"#s2\">Validation</a>"))
        #expect(html.contains("<td class=\"num\">6,500</td>"))
        #expect(html.contains("<svg") && html.contains("<figcaption>Fig 1</figcaption>"))
        #expect(html.contains("rejected &amp; quarantined"))
        #expect(!html.contains("<link") && !html.contains("<script") && !html.contains("src="))
        #expect(html.components(separatedBy: "<section").count == html.components(separatedBy: "</section>").count)
    }

    @Test("numbers are formatted for people")
    func numbers() {
        #expect(formatNumber(1234567) == "1,234,567")
        #expect(formatNumber(0.0123) == "0.0123")
        #expect(formatNumber(2.5) == "2.5")
        #expect(formatNumber(-3) == "-3")
    }

    @Test("a huge axis value (an unbounded dose-group interval) is written in scientific notation, not trapped")
    func hugeNumbers() {
        #expect(formatNumber(1e30) == "1e+30")
        #expect(formatNumber(-2.5e20) == "-2.5e+20")
        #expect(formatNumber(.infinity) == "–")
    }

    @Test("a dose-group interval far wider than the estimates does not flatten the dose-response chart")
    func doseResponseChartClipsHugeIntervals() {
        let svg = SVGChart.doseResponse(title: "t", description: "d",
                                        curve: (x: [0, 10], y: [0, 0.5], low: [0, 0.1], high: [0, 1.0]),
                                        points: (x: [2, 8], y: [0.1, 0.4], low: [-0.2, -0.1], high: [1e25, 0.9]),
                                        truthSlope: 0.05, xLabel: "dose (mGy)", yLabel: "ERR")
        #expect(svg.contains("class=\"error-bar\""))
        #expect(!svg.contains("e+25") && !svg.contains("e+24"), "the y axis stays on the scale of the estimates")
    }
}
