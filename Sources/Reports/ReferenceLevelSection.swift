import FollowUp
import Foundation
import Registry

/// The report's radiation-protection pages: local DRLs and achievable doses by class and age band,
/// hospital medians against them (the sorted bar chart dose-monitoring users ask for), the yearly
/// trend, the published paediatric cardiology values, alerts and the KAP factor model.
public enum ReferenceLevelSection {
    public struct Content: Sendable {
        public var table: ReferenceLevelTable
        public var alerts: DoseAlertReport
        public var factors: KAPFactorModel?
        public var seconds: Double
    }

    /// Reads the store as an analyst and computes everything the section shows.
    public static func compute(store: RegistryStore, thresholds: AlertThresholds = AlertThresholds()) throws -> Content {
        let t0 = Date()
        let procedures = try store.procedureDoses()
        let table = ReferenceLevelTable.compute(procedures, options: ReferenceLevelOptions(
            minProceduresPerHospital: thresholds.minProceduresPerHospital, groupings: [.procedureClass, .procedureType], bandKinds: [.age, .weight]))
        let alerts = DoseAlertReport.compute(procedures, table: table, thresholds: thresholds)
        let factors = try? KAPFactorModel.fit(procedures, procedure: "interventional", grouping: .procedureClass,
                                              band: PatientBand.ageBands[1], table: table)
        return Content(table: table, alerts: alerts, factors: factors, seconds: Date().timeIntervalSince(t0))
    }

    public static func append(to r: inout HTMLReport, _ c: Content) {
        let t = c.table
        r.section("Reference levels and hospital benchmarking")
        r.paragraph("Local diagnostic reference levels (DRL) of KAP: the 75th percentile of the hospital medians (ICRP Publication 135), and the achievable dose, their 50th percentile (NCRP Report 172), by procedure class in the age and weight bands of EC RP 185. A hospital's median enters them with at least \(t.options.minProceduresPerHospital) procedures in the group. \(formatNumber(Double(t.proceduresRead))) procedures; \(formatNumber(Double(t.withoutKAP))) without KAP, \(formatNumber(Double(t.outsideAgeBands))) at 16 y or older. Command: harmonic drl --store STORE (docs/reference-levels.md).")
        let rows = t.groups.filter { $0.grouping == .procedureClass }.map { g -> [String] in
            let pub = g.published.map { "\($0.source) \($0.quantity) \($0.publishedBand): \(formatNumber($0.publishedGyCm2))" + ($0.ratio.map { String(format: " (ours ×%.2f)", $0) } ?? "") }
            return [g.procedure, g.bandLabel, formatNumber(Double(g.procedures)), "\(g.hospitalsUsed)",
                    g.localDRLGyCm2.map(formatNumber) ?? "—", g.achievableDoseGyCm2.map(formatNumber) ?? "—",
                    g.medianKAPPerKg.map { String(format: "%.3f", $0) } ?? "—",
                    "\(g.hospitals.filter(\.aboveDRL).count)", pub.joined(separator: "; ")]
        }
        r.table(caption: "Local DRL and achievable dose (KAP, Gy·cm²) by class and band, with published values",
                header: ["Class", "Band", "Procedures", "Hospitals", "Local DRL", "Achievable", "KAP/kg", "Hospitals > DRL", "Published"], rows: rows)
        for cls in ["diagnostic", "interventional"] {
            for band in PatientBand.ageBands {
                guard let g = t.group(.procedureClass, cls, band), !g.hospitals.isEmpty else { continue }
                var lines: [SVGChart.ReferenceLine] = []
                if let d = g.localDRLGyCm2 { lines.append(.init(name: "local DRL", value: d, colour: SVGChart.palette[3])) }
                if let a = g.achievableDoseGyCm2 { lines.append(.init(name: "achievable", value: a, colour: SVGChart.palette[2], dashed: true)) }
                r.figure(SVGChart.rankedBars(title: "Hospital median KAP: \(cls), \(band)",
                                             description: "Median KAP of each hospital, highest first; red bars exceed the local DRL.",
                                             categories: g.hospitals.map(\.hospital), values: g.hospitals.map(\.medianKAPGyCm2),
                                             highlight: g.hospitals.map(\.aboveDRL), lines: lines, xLabel: "Hospital", yLabel: "Median KAP (Gy·cm²)"))
            }
        }
        let series = PatientBand.ageBands.compactMap { band -> PlotSeries? in
            guard let g = t.group(.procedureClass, "all", band), g.trend.count > 1 else { return nil }
            return PlotSeries(name: band.description, x: g.trend.map { Double($0.year) }, y: g.trend.map(\.medianKAPGyCm2), line: true)
        }
        if !series.isEmpty {
            r.figure(SVGChart.scatter(title: "Median KAP by year and age band", description: "All cardiac procedures; median KAP per calendar year.",
                                      series: series, xLabel: "Year", yLabel: "Median KAP (Gy·cm²)", yScale: .log))
        }
        r.paragraph("Alerts (thresholds: \(formatNumber(c.alerts.thresholds.drlMultiple))× the DRL per procedure; cumulative within \(c.alerts.thresholds.windowMonths) months: KAP \(c.alerts.thresholds.cumulativeKAPGyCm2.map(formatNumber) ?? "not checked") Gy·cm², \(c.alerts.thresholds.cumulativeDoses.sorted { $0.key < $1.key }.map { "\($0.key) \(formatNumber($0.value))" }.joined(separator: ", "))): \(formatNumber(Double(c.alerts.procedureAlerts.count))) procedures above the DRL multiple, \(formatNumber(Double(c.alerts.cumulativeAlerts.count))) children above a cumulative threshold. Command: harmonic drl --store STORE --alerts.")
        if let f = c.factors {
            r.paragraph("What explains KAP, \(f.procedure) \(f.band): ln KAP regressed on era, hospital, X-ray system, ln fluoroscopy time, ln(1 + cine frames) and ln weight (\(f.procedures) procedures, R² " + String(format: "%.2f", f.rSquared) + "). Effects are factors on KAP against the reference levels (" + f.referenceLevels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "). Command: harmonic drl --store STORE --factors interventional --band \"1-<5 y\".")
            r.table(caption: "Factors ranked by the share of variance they alone explain (type II F tests)",
                    header: ["Factor", "df", "R² drop", "F", "p"],
                    rows: f.factors.sorted { $0.rSquaredDrop > $1.rSquaredDrop }.map {
                        [$0.factor, "\($0.degreesOfFreedom)", String(format: "%.3f", $0.rSquaredDrop), String(format: "%.1f", $0.fStatistic), String(format: "%.2g", $0.pValue)]
                    })
            r.table(caption: "Effects on KAP (×, 95% CI)", header: ["Term", "Effect", "95% CI", "p"],
                    rows: f.terms.map { [$0.name, String(format: "×%.2f", $0.multiplicativeEffect), String(format: "%.2f-%.2f", $0.lower95, $0.upper95), String(format: "%.2g", $0.pValue)] })
        }
        r.endSection()
    }
}
