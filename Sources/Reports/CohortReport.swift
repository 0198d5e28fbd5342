import Foundation
import Registry

/// The main job's HTML report: cohort counts, procedures by era and type, dose-record
/// completeness, KAP by age and era, and the validation results of the loads.
public enum CohortReport {
    /// Builds the report. `loads` are the load reports of this run (one per site folder);
    /// `notes` are lines about the run (seed, sizes, timings) shown first.
    public static func build(overview o: CohortOverview, loads: [(folder: String, report: LoadReport)],
                             notes: [String], injectedCorruptions: Int?) -> HTMLReport {
        var r = HTMLReport(title: "Harmonic: cohort overview and validation")
        r.section("This run")
        for n in notes { r.paragraph(n) }
        r.endSection()

        r.section("Children by cohort and country")
        r.table(header: ["Cohort", "Country", "Children"],
                rows: o.childrenByCountry.map { [$0.cohort, $0.country, formatNumber(Double($0.count))] })
        let cardiac = o.childrenByCountry.filter { $0.cohort == "cardiac" }
        r.figure(SVGChart.bar(title: "Cardiac cohort: children by country",
                              description: "Number of children in the store per country of the cardiac catheterisation cohort.",
                              categories: cardiac.map(\.country), values: cardiac.map { Double($0.count) },
                              xLabel: "Country", yLabel: "Children"))
        r.endSection()

        r.section("Procedures by year and class")
        let years = Array(Set(o.proceduresByYear.map(\.year))).sorted()
        let classes = ["diagnostic", "interventional"]
        let byYear = classes.map { c in
            (name: c, values: years.map { y in Double(o.proceduresByYear.first { $0.year == y && $0.procedureClass == c }?.count ?? 0) })
        }
        r.figure(SVGChart.stackedBar(title: "Cardiac catheterisations per year by class",
                                     description: "Diagnostic procedures dominate the early years; interventional procedures the later ones.",
                                     categories: years.map(String.init), series: byYear, xLabel: "Year", yLabel: "Procedures"))
        let decades = Array(Set(o.completenessByDecade.map(\.decade))).sorted()
        r.table(caption: "Procedures by decade and class", header: ["Decade"] + classes + ["Interventional share"],
                rows: decades.map { d in
                    let n = classes.map { c in o.proceduresByYear.filter { $0.year / 10 * 10 == d && $0.procedureClass == c }.reduce(0) { $0 + $1.count } }
                    let share = n.reduce(0, +) > 0 ? Double(n[1]) / Double(n.reduce(0, +)) * 100 : 0
                    return ["\(d)s"] + n.map { formatNumber(Double($0)) } + [String(format: "%.0f%%", share)]
                })
        r.table(caption: "Procedures by type", header: ["Procedure type", "Procedures"],
                rows: o.proceduresByType.map { [$0.type, formatNumber(Double($0.count))] })
        r.endSection()

        r.section("Dose-record completeness")
        r.paragraph("Event-level dose reports (RDSR) exist for recent procedures, procedure totals (KAP meter readings) for the middle eras, nothing for the oldest. Irradiation events in the store: \(formatNumber(Double(o.irradiationEvents))).")
        let levels = ["event", "totals", "none"]
        r.figure(SVGChart.stackedBar(title: "Dose-record completeness by decade",
                                     description: "Procedures per decade by the completeness of their dose record.",
                                     categories: decades.map { "\($0)s" },
                                     series: levels.map { l in (l, decades.map { d in Double(o.completenessByDecade.first { $0.decade == d && $0.level == l }?.count ?? 0) }) },
                                     xLabel: "Decade", yLabel: "Procedures"))
        r.table(caption: "Procedures by decade and dose-record level", header: ["Decade"] + levels + ["With a dose record"],
                rows: decades.map { d in
                    let n = levels.map { l in o.completenessByDecade.first { $0.decade == d && $0.level == l }?.count ?? 0 }
                    let total = n.reduce(0, +)
                    return ["\(d)s"] + n.map { formatNumber(Double($0)) } + [String(format: "%.0f%%", total > 0 ? Double(n[0] + n[1]) / Double(total) * 100 : 0)]
                })
        r.endSection()

        r.section("Kerma-area product by age and era")
        let sampleDecades = Array(Set(o.kapSample.map(\.decade))).sorted()
        r.figure(SVGChart.scatter(title: "KAP per procedure vs age at procedure, by decade",
                                  description: "Kerma-area product (log scale) grows with the child's age and falls over the decades.",
                                  series: sampleDecades.map { d in
                                      let s = o.kapSample.filter { $0.decade == d }
                                      return PlotSeries(name: "\(d)s", x: s.map(\.age), y: s.map(\.kap))
                                  }, xLabel: "Age at procedure (years)", yLabel: "KAP (Gy·cm²)", yScale: .log))
        r.figure(SVGChart.scatter(title: "KAP per procedure vs body weight, by decade",
                                  description: "Kerma-area product (log scale) against weight (log scale).",
                                  series: sampleDecades.map { d in
                                      let s = o.kapSample.filter { $0.decade == d && $0.weight.isFinite }
                                      return PlotSeries(name: "\(d)s", x: s.map(\.weight), y: s.map(\.kap))
                                  }, xLabel: "Body weight (kg)", yLabel: "KAP (Gy·cm²)", xScale: .log, yScale: .log))
        let bands = CohortOverview.ageBands.map(\.0)
        r.figure(SVGChart.scatter(title: "Median KAP by decade and age band",
                                  description: "Median kerma-area product per procedure by decade, one line per age band.",
                                  series: bands.map { b in
                                      let s = o.kapMedianByDecade.filter { $0.ageBand == b }
                                      return PlotSeries(name: b, x: s.map { Double($0.decade) }, y: s.map(\.median), line: true)
                                  }, xLabel: "Decade", yLabel: "Median KAP (Gy·cm²)", yScale: .log))
        r.table(caption: "Median KAP (Gy·cm²) by decade and age band (n procedures)", header: ["Decade"] + bands,
                rows: decades.map { d in
                    ["\(d)s"] + bands.map { b in
                        o.kapMedianByDecade.first { $0.decade == d && $0.ageBand == b }.map { "\(formatNumber($0.median)) (\($0.n))" } ?? "–"
                    }
                })
        r.figure(SVGChart.histogram(title: "Distribution of KAP per procedure",
                                    description: "Histogram of the kerma-area product of procedures with a dose record (log scale).",
                                    values: o.kapSample.map(\.kap), bins: 40, logX: true, xLabel: "KAP (Gy·cm²)", yLabel: "Procedures (sample)"))
        r.endSection()

        if !o.radiotherapyCourses.isEmpty {
            r.section("Radiotherapy registry")
            r.table(caption: "Courses by modality and technique", header: ["Modality", "Technique", "Courses"],
                    rows: o.radiotherapyCourses.map { [$0.modality, $0.technique, formatNumber(Double($0.count))] })
            r.endSection()
        }

        r.section("Validation")
        let accepted = loads.reduce(0) { $0 + $1.report.accepted }, rejected = loads.reduce(0) { $0 + $1.report.rejected }
        var summary = "\(formatNumber(Double(accepted))) rows accepted, \(formatNumber(Double(rejected))) rejected and quarantined"
        if let injectedCorruptions { summary += "; the synthetic extract carried \(formatNumber(Double(injectedCorruptions))) rows made bad on purpose" }
        r.paragraph(summary + ".")
        r.table(caption: "Loads by site folder", header: ["Site folder", "Files", "Accepted", "Rejected", "Refused files"],
                rows: loads.map { [$0.folder, "\($0.report.files.count)", formatNumber(Double($0.report.accepted)),
                                   formatNumber(Double($0.report.rejected)), "\($0.report.refusedFiles.count)"] })
        r.table(caption: "Quarantined rows by reason", header: ["Table", "Field", "Reason", "Rows"],
                rows: o.quarantineReasons.prefix(40).map { [$0.table, $0.field, $0.reason, formatNumber(Double($0.count))] })
        r.endSection()
        return r
    }
}
