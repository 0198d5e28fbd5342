import Epidemiology
import Foundation
import HarmonicCore
import Registry

/// The demo report's federated-pooling section: each of the seven countries exports its
/// leukaemia table (`harmonic export-tables`), once without merging and once under the
/// default disclosure rules; the coordinator pools them (`harmonic pool`); the pooled ERR is
/// shown next to the fit of the same model on the union of the individual records.
public struct PooledDemoSection: Sendable {
    /// Strata on every exported cell dimension, so that unmerged site tables reproduce the
    /// individual-level fit exactly (docs/grouped-tables-and-pooling.md).
    public static let model = "err: dose; background: strata(country, sex, attained_age, calendar_period, age_at_exposure)"
    public static let doseCuts = [0.002, 0.005, 0.01, 0.02]

    public var rows: [[String]] = []
    public var pooled: PooledAnalysis?
    public var refusals: [String] = []
    public var error: String?
    public var tableFolder: String

    /// Exports the site tables to `folder` and fits. Never throws: problems become text.
    public static func analyse(storePath: String, folder: URL) -> PooledDemoSection {
        var s = PooledDemoSection(tableFolder: folder.path)
        do {
            let members = try RegistryStore(path: storePath, role: .analyst).analysisCohort(storePath: storePath).members
            let spec = try ModelSpecification.parse(model)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            func row(_ label: String, _ fit: RiskModelFit, cells: Int) {
                guard let p = fit.parameter("err_per_gy") else { return }
                s.rows.append([label, p.estimateText, p.profileLower?.text ?? "", p.profileUpper?.text ?? "", String(format: "%.4f", fit.logLikelihood), String(cells)])
            }
            func failed(_ label: String, _ error: any Error) { s.rows.append([label, "not estimable: \(error)", "", "", "", ""]) }
            let individualLabel = "individual records (harmonic analyze --store)"
            do {
                let individual = try DoseResponseAnalysis.run(members: members, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
                                                                                              model: spec, doseCuts: doseCuts))
                row(individualLabel, individual.fit, cells: individual.table.count)
            } catch { failed(individualLabel, error) }
            for (name, rules) in [("exact", DisclosureRules(minCases: 1, minPersonYears: 0, minPersons: 1)), ("disclosure-controlled", DisclosureRules())] {
                var sites: [SiteTable] = []
                for c in Country.cardiac {
                    let part = members.filter { $0.country == c }
                    guard !part.isEmpty else { continue }
                    let url = folder.appendingPathComponent("\(c.rawValue).\(name).table.csv")
                    let q = SiteTableExport.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, doseCuts: doseCuts, rules: rules)
                    do {
                        try SiteTableExport.run(members: part, request: q, out: url)
                        sites.append(SiteTable(site: c.rawValue, table: try GroupedTable.read(url, columns: GroupedTable.exportColumns, model: spec)))
                    } catch { s.refusals.append("\(c.rawValue) (\(name)): \(error)") }
                }
                let label = "\(sites.count) site tables, \(name) (harmonic pool)"
                do {
                    let a = try PooledAnalysis.run(sites: sites, model: spec)
                    row(label, a.pooled.fit, cells: a.pooled.table.count)
                    if name != "exact" { s.pooled = a }
                } catch { failed(label, error) }
            }
        } catch { s.error = "\(error)" }
        return s
    }

    public func append(to report: inout HTMLReport) {
        report.section("Federated pooling of site tables")
        if let error { report.paragraph("The pooled analysis could not run: \(error)"); return }
        report.paragraph("Each country exported its leukaemia person-year table (red-marrow dose, lag 2 y) with harmonic export-tables into \(tableFolder); the coordinator pooled them with harmonic pool (site-specific baselines). Model: \(Self.model).")
        report.table(caption: "ERR per Gy: individual records vs pooled site tables (95% profile-likelihood intervals)",
                     header: ["fit", "ERR/Gy", "lower", "upper", "log-likelihood", "cells"], rows: rows)
        report.paragraph("Without merging, the pooled tables are the individual-level cells, so the fits agree to rounding; under the default disclosure rules (DataSHIELD nfilter.tab = 3, nfilter.subset = 3) merged cells change the estimate slightly (docs/grouped-tables-and-pooling.md).")
        for r in refusals { report.paragraph("Export refused: " + r) }
        if let a = pooled, let d = a.pooled.model.doseParameterIndex {
            let p = a.pooled.fit.parameters[d]
            var forest = a.sites.compactMap { s -> ForestRow? in
                guard let e = s.estimate, e.unboundedAbove == nil, e.estimate.isFinite else { return nil }
                return ForestRow(label: s.site, estimate: e.estimate, lower: e.profileLower?.value, upper: e.profileUpper?.value)
            }
            forest.append(ForestRow(label: "pooled", estimate: p.estimate, lower: p.profileLower?.value, upper: p.profileUpper?.value, pooled: true))
            report.figure(SVGChart.forest(title: "Leukaemia ERR per Gy by country (disclosure-controlled tables)", rows: forest, xLabel: "ERR per Gy"),
                          caption: "Each country's table fitted alone, and the pooled fit.")
            if let h = a.heterogeneity { report.paragraph(String(format: "Heterogeneity: χ² = %.3g on %d df, p = %.3g (%@).", h.statistic, h.df, h.pValue, h.description)) }
        }
    }
}
