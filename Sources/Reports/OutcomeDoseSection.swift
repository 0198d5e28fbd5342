import FollowUp
import Foundation
import HarmonicCore
import Registry
import Synthesis

/// The report's biomarker and PRO section (the study's biology work package): NT-proBNP and
/// troponin T against mean heart dose, TSH as a marker with no expected heart-dose effect, PedsQL
/// against mean brain dose; the estimate of each dose coefficient with its interval and, for a
/// synthetic registry, the true effect it should recover; a scatter plot of each outcome against dose.
public struct OutcomeDoseSection: Sendable {
    public struct Row: Sendable {
        public var outcome: String, organ: String
        public var fit: OutcomeDoseFit?
        public var observations: [OutcomeObservation] = []
        public var error: String?
        public var truePerGy: Double?
    }
    public var rows: [Row] = []

    /// Outcomes analysed, with their organ.
    public static let analyses: [(outcome: String, organ: Organ)] = [
        ("nt_probnp", .heart), ("troponin_t", .heart), ("tsh", .heart), ("pedsql_total", .brain),
    ]

    public static func compute(store: RegistryStore, truthFile: URL?) -> OutcomeDoseSection {
        var effects: [OutcomeDoseEffects.Effect] = []
        if let truthFile, let data = FileManager.default.contents(atPath: truthFile.path) {
            effects = (try? JSONDecoder().decode([OutcomeDoseEffects.Effect].self, from: data)) ?? []
        }
        var s = OutcomeDoseSection()
        for a in analyses {
            var row = Row(outcome: a.outcome, organ: a.organ.rawValue)
            if !effects.isEmpty { row.truePerGy = effects.first { $0.outcome == a.outcome && $0.organ == a.organ.rawValue }?.perGy ?? 0 }
            do {
                let data = try store.outcomeObservations(outcome: a.outcome, organ: a.organ)
                row.observations = data.observations
                row.fit = data.kind == .biomarker
                    ? try OutcomeDoseResponse.biomarkerChange(outcome: a.outcome, organ: a.organ.rawValue, data.observations)
                    : try OutcomeDoseResponse.repeatedScores(outcome: a.outcome, organ: a.organ.rawValue, data.observations)
            } catch {
                row.error = "\(error)"
            }
            s.rows.append(row)
        }
        return s
    }

    public func append(to r: inout HTMLReport) {
        r.section("Biomarkers and patient-reported outcomes against organ dose")
        r.paragraph("Does a marker measured around radiotherapy, or a child's reported quality of life, change with the dose an organ received? Organ doses are the reconstructed mean doses of each child's courses (harmonic rt dose --store). Biomarkers: the value at the end of RT on the log scale, adjusted for the value before RT, age at RT and sex (ANCOVA, one measurement per child); 100(e^beta − 1) is the percent change per Gy. PedsQL: every score after RT with years since RT, age and sex, standard errors robust to a child's repeated scores (cluster-robust by child). The same numbers come from harmonic biomarkers --store S --outcome O --organ G (docs/follow-up.md).")
        let hasTruth = rows.contains { $0.truePerGy != nil }
        r.table(caption: "Dose coefficient of each outcome",
                header: ["Outcome", "Organ", "Children", "Measurements", "beta per Gy (95% CI)", "Per Gy", "p"] + (hasTruth ? ["Synthetic truth", "Covered"] : []),
                rows: rows.map { row in
                    guard let f = row.fit else { return [row.outcome, row.organ, "–", "–", "not computed: \(row.error ?? "")", "", ""] + (hasTruth ? ["", ""] : []) }
                    let per = f.percentPerGy.map { String(format: "%+.2f%% (%+.2f to %+.2f)", $0[0], $0[1], $0[2]) } ?? String(format: "%+.3f points", f.perGy)
                    var cells = [row.outcome, row.organ, formatNumber(Double(f.children)), formatNumber(Double(f.observations)),
                                 String(format: "%.4f (%.4f to %.4f)", f.perGy, f.lower95, f.upper95), per, String(format: "%.2g", f.pValue)]
                    if hasTruth {
                        let t = row.truePerGy ?? 0
                        cells += [String(format: "%.4f", t), (f.lower95...f.upper95).contains(t) ? "yes" : "no"]
                    }
                    return cells
                })
        if hasTruth {
            r.paragraph("Synthetic registry: harmonic synth gave NT-proBNP +2% and troponin T +1% per Gy of true mean heart dose after RT, PedsQL −0.15 points per Gy of true mean brain dose, and TSH no heart-dose effect (truth/outcome_dose_effects.json). The estimates use the reconstructed doses, so the difference between reconstructed and true doses (the RT section's ratios) can bias them.")
        }
        for row in rows {
            guard let f = row.fit, row.observations.count > 1, row.outcome != "tsh" else { continue }
            let biomarker = f.scale == "log"
            let pts = row.observations.map { o -> (Double, Double) in (o.doseGy, biomarker ? log(o.value / (o.baseline ?? o.value)) : o.value) }
            let xs = pts.map(\.0), ys = pts.map(\.1)
            let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
            let lo = xs.min()!, hi = xs.max()!
            let line = PlotSeries(name: String(format: "fitted slope %.3g/Gy", f.perGy), x: [lo, hi], y: [my + f.perGy * (lo - mx), my + f.perGy * (hi - mx)], line: true)
            r.figure(SVGChart.scatter(title: "\(row.outcome) against mean \(row.organ) dose",
                                      description: "One point per \(biomarker ? "child" : "score"); line through the means with the model's dose coefficient",
                                      series: [PlotSeries(name: biomarker ? "children" : "scores", x: xs, y: ys), line],
                                      xLabel: "Mean \(row.organ) dose (Gy)", yLabel: biomarker ? "log(end of RT / before RT)" : "PedsQL total score"),
                     caption: biomarker
                        ? "\(row.outcome): change from before RT to the end of RT (log ratio) against mean \(row.organ) dose; the line has the baseline-adjusted slope."
                        : "\(row.outcome) scores after RT against mean \(row.organ) dose; the line has the model's slope (adjusted for years since RT, age, sex).")
        }
        r.endSection()
    }
}
