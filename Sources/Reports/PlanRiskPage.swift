import Foundation
import RiskProjection

/// The HTML page of `harmonic risk compare`: per-site LAR of both plans with intervals, the paired
/// ratio, the organ OEDs and a bar chart of sites ordered by risk with the plans side by side.
public enum PlanRiskPage {
    public static func html(_ c: PlanComparison) -> String {
        var r = HTMLReport(title: "Second-cancer risk: \(c.labels[0]) vs \(c.labels[1])")
        r.section("Summary")
        r.paragraph(String(format: "Child aged %.1f years, %@. Lifetime attributable risk (LAR) of cancer incidence per 100,000 children treated, estimate and 95%% interval over %d paired Monte Carlo draws (baseline %@).",
                           c.ageYears, c.sex == .female ? "female" : "male", c.draws, c.baseline))
        r.table(header: ["", c.labels[0], c.labels[1], "ratio B/A (paired 95% interval)"],
                rows: [["Total", per100k(c.total[0]), per100k(c.total[1]), ratio(c.totalRatio)]])
        for k in 0..<2 where !c.notComputed[k].isEmpty {
            r.paragraph("Left out of \(c.labels[k]): " + c.notComputed[k].joined(separator: ", ") + " (in field beyond \(formatNumber(PlanComparison.linearLimitGy)) Gy without a cell-killing alpha; give --oed-alpha ORGAN=A).")
        }
        r.paragraph("Method: " + c.method + ". The ratio interval pairs the model uncertainty the two plans share, so it is narrower than either plan's own interval.")
        let order = c.sites.sorted { max($0.lar[0]?.estimate ?? 0, $0.lar[1]?.estimate ?? 0) > max($1.lar[0]?.estimate ?? 0, $1.lar[1]?.estimate ?? 0) }
        r.section("Sites by risk")
        r.figure(SVGChart.groupedHorizontalBars(
            title: "LAR of incidence per 100,000, by site",
            description: "Cancer sites ordered by risk, the two plans side by side, whiskers at the 95% interval.",
            categories: order.map(\.site.displayName),
            series: (0..<2).map { k in
                (c.labels[k], order.map { ($0.lar[k]?.estimate ?? 0) * 1e5 }, order.map { ($0.lar[k]?.lower95 ?? 0) * 1e5 }, order.map { ($0.lar[k]?.upper95 ?? 0) * 1e5 })
            }, xLabel: "LAR per 100,000"), caption: "Bars: central estimate; whiskers: 95% interval.")
        r.table(header: ["site", c.labels[0], c.labels[1], "ratio B/A"],
                rows: order.map { [$0.site.displayName, per100k($0.lar[0]), per100k($0.lar[1]), $0.ratio.map(ratio) ?? ($0.note ?? "-")] })
        r.section("Organ equivalent doses")
        r.table(header: ["organ", "site", "source A", "mean A (Gy)", "OED A (Gy)", "source B", "mean B (Gy)", "OED B (Gy)", "model"],
                rows: c.organs.map { o in
                    [o.organ, o.site?.rawValue ?? "other", o.source[0], num(o.meanDoseGy[0]), num(o.oedGy[0]), o.source[1], num(o.meanDoseGy[1]), num(o.oedGy[1]),
                     Array(Set(o.model.filter { $0 != "-" })).sorted().joined(separator: "; ")]
                })
        return r.html()
    }

    static func num(_ v: Double?) -> String { v.map { formatNumber($0) } ?? "-" }
    static func per100k(_ s: RiskSummary?) -> String {
        guard let s else { return "-" }
        return String(format: "%.1f (%.1f-%.1f)", s.estimate * 1e5, s.lower95 * 1e5, s.upper95 * 1e5)
    }
    static func ratio(_ s: RiskSummary) -> String { String(format: "%.2f (%.2f-%.2f)", s.estimate, s.lower95, s.upper95) }
}
