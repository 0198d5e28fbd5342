import Foundation
import HarmonicCore
import RiskProjection

/// The report's lifetime-risk section: every child's LAR of cancer incidence from its reconstructed
/// organ doses (cardiac procedures and radiotherapy courses, `CohortRiskDoses`), by exposure type:
/// percentiles, the number of children per risk band, and the distribution as a histogram.
/// Model: BEIR VII as `harmonic risk cohort` (docs/risk-projection.md).
public struct CohortRiskSection: Sendable {
    public struct Group: Sendable {
        public var label: String
        public var risks: [CohortRisk.ChildRisk]
    }
    public var groups: [Group] = []
    public var baseline = "", draws = 0
    public var leftOut: [String: Int] = [:]
    public var radiotherapyCourses = 0, flaggedCourses = 0
    public var seconds = 0.0
    /// Why the section could not be computed (no doses, no baseline), shown instead of the tables.
    public var notComputed: String?

    /// Projects the LAR of every dosed child of the store with `draws` parameter draws of the
    /// shipped BEIR VII models and the `who-region1` baseline.
    public static func compute(storePath: String, draws: Int = 200, seed: UInt64 = 20_051_115) -> CohortRiskSection {
        var s = CohortRiskSection()
        let started = Date()
        do {
            let cohort = try CohortRiskDoses.read(storePath: storePath, exposures: Set(CohortRiskDoses.ExposureType.allCases))
            s.leftOut = cohort.leftOut; s.radiotherapyCourses = cohort.radiotherapyCourses; s.flaggedCourses = cohort.flaggedCourses
            guard !cohort.children.isEmpty else {
                s.notComputed = "the store has no reconstructed organ doses (run harmonic dose and harmonic rt dose --store first)"
                return s
            }
            let models = try Beir7Models.beir7()
            let baseline = try Baseline.load("who-region1")
            let model = LifetimeRiskModel(models: models, baseline: baseline, draws: ParameterDraws(models: models, count: draws, seed: seed))
            s.baseline = baseline.name; s.draws = draws
            let risks = CohortRisk(model: model).risks(cohort.children)
            for type in CohortRiskDoses.ExposureType.allCases {
                let r = risks.filter { cohort.types[$0.id]?.contains(type) == true }
                if !r.isEmpty { s.groups.append(Group(label: type == .cardiac ? "Cardiac catheterisation" : "Radiotherapy", risks: r)) }
            }
        } catch {
            s.notComputed = "\(error)"
        }
        s.seconds = Date().timeIntervalSince(started)
        return s
    }

    public func append(to r: inout HTMLReport) {
        r.section("Lifetime attributable risk of cancer")
        if let notComputed {
            r.paragraph("Not computed: \(notComputed).")
            r.endSection(); return
        }
        r.paragraph("Each child's lifetime attributable risk (LAR) of cancer incidence from its reconstructed organ doses, BEIR VII preferred models as in RadRAT (ERR/EAR by site and sex, age modifiers, leukaemia linear-quadratic, DDREF 1.5 with its uncertainty), baseline \(baseline), \(draws) Monte Carlo draws of the model parameters shared by all children (docs/risk-projection.md; the same numbers as harmonic risk cohort --store). Cardiac procedures contribute red marrow, breast, lung, thyroid and the other-solid organs they dose. Radiotherapy courses contribute each organ's mean dose: organs with a cell-killing alpha (Schneider 2005) through the linear-exponential OED of the mean dose, others linearly up to 2 Gy; organs above 2 Gy without an alpha are left out (counted below), so radiotherapy LARs are totals over the organs that could be projected. An LAR is a population-average projection for a child of that sex and age, not a prediction for the individual.")
        var rows: [[String]] = []
        for g in groups {
            rows.append([g.label, formatNumber(Double(g.risks.count))] + CohortRisk.estimatePercentiles(g.risks).map { String(format: "%.3g", $0 * 1e5) })
        }
        r.table(caption: "LAR of cancer incidence per 100,000 children: percentiles over the children (central estimates)",
                header: ["Exposure", "Children", "p5", "p25", "p50", "p75", "p95", "p99"], rows: rows)
        let bandRows: [[String]] = CohortRisk.bands.map { band in
            [band.label] + groups.map { g in
                let n = CohortRisk.bandCounts(g.risks).first { $0.label == band.label }?.children ?? 0
                return "\(formatNumber(Double(n))) (\(String(format: "%.1f", 100 * Double(n) / Double(max(1, g.risks.count))))%)"
            }
        }
        r.table(caption: "Children per risk band (total LAR of incidence, central estimate)", header: ["Risk band"] + groups.map(\.label), rows: bandRows)
        for g in groups {
            let values = g.risks.map { $0.estimate * 1e5 }.filter { $0 > 0 }
            guard values.count > 1 else { continue }
            r.figure(SVGChart.histogram(title: "\(g.label): lifetime attributable risk per child",
                                        description: "Histogram of each child's LAR of cancer incidence per 100,000, logarithmic axis",
                                        values: values, bins: 30, logX: true, xLabel: "LAR per 100,000 (log scale)", yLabel: "Children"),
                     caption: "\(g.label): distribution of the children's LAR (per 100,000, log scale). 1 in 10,000 is 10, 1 in 1,000 is 100 and 1 in 100 is 1,000 per 100,000.")
        }
        if radiotherapyCourses > 0 {
            var text = "Radiotherapy: \(formatNumber(Double(radiotherapyCourses))) courses with organ doses, \(formatNumber(Double(flaggedCourses))) flagged and not included."
            if !leftOut.isEmpty {
                text += " Organ doses left out (mean above 2 Gy, no cell-killing alpha), courses per organ: "
                    + leftOut.sorted { $0.value > $1.value }.map { "\($0.key) \(formatNumber(Double($0.value)))" }.joined(separator: ", ") + "."
            }
            r.paragraph(text)
        }
        r.paragraph(String(format: "Computed in %.1f s.", seconds))
        r.endSection()
    }
}
