import Foundation
import Epidemiology

/// The HTML report of `harmonic pool`: the pooled fit, the site table summary, the forest plot
/// of site-specific ERRs with the pooled ERR, and the heterogeneity test.
public enum PooledReport {
    public static func html(_ a: PooledAnalysis, modelText: String, files: [String]) -> String {
        var r = HTMLReport(title: "Pooled analysis of site person-year tables")
        r.section("Model")
        r.paragraph("Model: \(modelText). Fitted with site-specific baselines (\(a.model.strata.contains("site") ? "site added to the strata" : "site added to the background")) on \(files.count) site tables: \(files.joined(separator: ", ")).")
        r.section("Pooled estimates")
        let pct = Int((a.pooled.fit.confidenceLevel * 100).rounded())
        r.table(caption: "Pooled fit (profile-likelihood \(pct)% intervals)", header: ["parameter", "estimate", "SE", "profile lower", "profile upper", "p"],
                rows: a.pooled.fit.parameters.map { p in
                    [p.name, p.estimateText, formatNumber(p.standardError), p.profileLower?.text ?? "", p.profileUpper?.text ?? "", formatNumber(p.pValue)] })
        r.paragraph(String(format: "log-likelihood %.4f, deviance %.4f, %d cells, %.1f person-years, %.0f cases.", a.pooled.fit.logLikelihood,
                           a.pooled.fit.deviance, a.pooled.table.count, a.pooled.table.personYears.reduce(0, +), a.pooled.table.events.reduce(0, +)))
        r.section("Sites")
        r.table(caption: "Each site's table fitted alone", header: ["site", "cells", "person-years", "cases", "ERR per Gy", "profile lower", "profile upper", "note"],
                rows: a.sites.map { s in
                    [s.site, String(s.cells), String(format: "%.1f", s.personYears), String(format: "%.0f", s.cases),
                     s.estimate?.estimateText ?? "", s.estimate?.profileLower?.text ?? "", s.estimate?.profileUpper?.text ?? "", s.note ?? ""] })
        if let d = a.pooled.model.doseParameterIndex {
            let p = a.pooled.fit.parameters[d]
            var rows = a.sites.compactMap { s -> ForestRow? in
                guard let e = s.estimate, e.unboundedAbove == nil else { return nil }
                return ForestRow(label: s.site, estimate: e.estimate, lower: e.profileLower?.value ?? e.profileLower.flatMap { if case .boundary(let b) = $0 { b } else { nil } },
                                 upper: e.profileUpper?.value)
            }
            rows.append(ForestRow(label: "pooled", estimate: p.estimate, lower: p.profileLower?.value, upper: p.profileUpper?.value, pooled: true))
            r.figure(SVGChart.forest(title: "\(p.name) by site", description: "Site-specific estimates with profile-likelihood intervals and the pooled estimate",
                                     rows: rows, xLabel: p.name.replacingOccurrences(of: "_per_gy", with: " per Gy")),
                     caption: "Squares: each site's own fit; diamond: pooled fit; lines: \(pct)% profile-likelihood intervals (an arrow: the interval is open or runs to the domain boundary on that side).")
        }
        if let h = a.heterogeneity {
            r.paragraph(String(format: "Heterogeneity: likelihood-ratio χ² = %.4g on %d df, p = %.3g: ", h.statistic, h.df, h.pValue) + h.description + ".")
        }
        for n in a.notes { r.paragraph("Note: " + n) }
        return r.html()
    }
}
