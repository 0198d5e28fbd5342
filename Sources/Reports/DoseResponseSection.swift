import Epidemiology
import Foundation
import HarmonicCore
import Registry

/// The demo report's dose-response section: for leukaemia vs red-marrow dose and one solid
/// cancer (breast vs breast dose), the linear ERR fitted on the store's cohort (Poisson,
/// person-year cells, background strata) drawn with its profile-likelihood band over the
/// categorical dose-group estimates with their intervals, the table of estimates, and the
/// comparison with synth's true ERR/Gy. Without organ doses in the store it says so and how
/// to get them.
public struct DoseResponseSection: Sendable {
    /// One analysis of the section: outcome group, organ, lag and dose category cut points (Gy).
    public struct Spec: Sendable {
        public var outcome: OutcomeGroup
        public var organ: Organ
        public var lagYears: Double
        public var doseCuts: [Double]
        public init(outcome: OutcomeGroup, organ: Organ, lagYears: Double, doseCuts: [Double]) {
            self.outcome = outcome; self.organ = organ; self.lagYears = lagYears; self.doseCuts = doseCuts
        }
    }

    /// Cardiac catheterisation gives organ doses of a few mGy per procedure, so the categories are in mGy
    /// steps; breast doses are about three times red-marrow doses (synth's organ/effective ratios 2.0 vs 0.6).
    public static let standard: [Spec] = [
        Spec(outcome: .leukaemia, organ: .redMarrow, lagYears: 2, doseCuts: [0.002, 0.005, 0.01, 0.02]),
        Spec(outcome: .breast, organ: .breast, lagYears: 5, doseCuts: [0.005, 0.01, 0.02, 0.05]),
    ]
    /// All background in strata, so that levels without cases (rare conditions) cost nothing.
    public static let model = "err: dose; background: strata(country, sex, attained_age, predisposing_condition)"

    public enum Outcome: Sendable {
        case noOrganDoses(String)
        case analysed(cohort: AnalysisCohort, results: [(spec: Spec, result: Result<DoseResponseAnalysis, any Error>, truth: Double?)])
    }
    public var outcome: Outcome
    public var seconds: Double

    /// Runs the analyses on the store (an analyst's read). Never throws: problems become text.
    public static func analyse(storePath: String, truthFile: URL?, specs: [Spec] = standard) -> DoseResponseSection {
        let t0 = Date()
        let out: Outcome
        do {
            let store = try RegistryStore(path: storePath, role: .analyst)
            if try !store.hasOrganDoses() {
                out = .noOrganDoses(OrganDosesMissing(storePath: storePath).description)
            } else {
                let cohort = try store.analysisCohort(storePath: storePath)
                let spec = try ModelSpecification.parse(model)
                var results: [(Spec, Result<DoseResponseAnalysis, any Error>, Double?)] = []
                for s in specs {
                    let r = Result { try DoseResponseAnalysis.run(members: cohort.members, request: .init(
                        outcome: s.outcome.rawValue, organ: s.organ, lagYears: s.lagYears, model: spec, doseCuts: s.doseCuts)) }
                    let truth = truthFile.flatMap { try? SyntheticCohortFolder.trueERRPerGy(truthFile: $0, outcome: s.outcome) }
                    results.append((s, r, truth))
                }
                out = .analysed(cohort: cohort, results: results)
            }
        } catch {
            out = .noOrganDoses("The dose-response analysis could not read the store: \(error)")
        }
        return DoseResponseSection(outcome: out, seconds: Date().timeIntervalSince(t0))
    }

    /// Appends the section to `report`.
    public func append(to report: inout HTMLReport) {
        report.section("Dose-response")
        switch outcome {
        case .noOrganDoses(let why):
            report.paragraph("No organ doses are available, so no dose-response is shown. \(why)")
            report.paragraph("Once the reconstruction has written procedure_organ_dose, the same analysis runs from the command line:")
            report.code("harmonic analyze --store STORE --outcome leukaemia --dose red_marrow --lag 2 \\\n  --model \"\(Self.model)\"")
        case .analysed(let cohort, let results):
            report.paragraph("Cohort built from the store: \(cohort.summary)")
            report.paragraph("Model: \(Self.model) — linear excess relative risk per gray of lagged cumulative organ dose, background rates stratified by country, sex, attained age and predisposing condition, fitted by Poisson maximum likelihood on person-year cells; 95% profile-likelihood intervals.")
            var comparison: [[String]] = []
            for (spec, result, truth) in results {
                let title = "\(spec.outcome.rawValue.capitalized) vs \(spec.organ.displayName.lowercased()) dose (lag \(Int(spec.lagYears)) y)"
                switch result {
                case .failure(let e):
                    report.paragraph("\(title): the model could not be fitted: \(e).")
                    comparison.append([spec.outcome.rawValue, spec.organ.rawValue, truth.map(formatNumber) ?? "–", "not fitted", "–", "–"])
                case .success(let a):
                    appendAnalysis(a, spec: spec, title: title, truth: truth, to: &report)
                    if let b = a.fit.parameter("err_per_gy") {
                        let lo = b.profileLower?.value ?? { if case .boundary(let v) = b.profileLower { v } else { -Double.infinity } }()
                        let hi = b.profileUpper?.value ?? .infinity
                        comparison.append([spec.outcome.rawValue, spec.organ.rawValue, truth.map(formatNumber) ?? "–", b.unboundedAbove == nil ? String(format: "%.3g", b.estimate) : "not bounded above",
                                           "\(b.profileLower?.text ?? "–") to \(b.profileUpper?.text ?? "–")",
                                           truth.map { lo <= $0 && $0 <= hi ? "yes" : "no" } ?? "–"])
                    }
                }
            }
            report.table(caption: "Fitted ERR/Gy against synth's true ERR/Gy (truth/truth.json)",
                         header: ["Outcome", "Organ", "True ERR/Gy", "Fitted ERR/Gy", "95% profile CI", "CI covers truth"], rows: comparison)
            report.paragraph("A 95% interval misses the truth in about 1 synthetic cohort in 20; `harmonic-bench coverage --synth` checks the rate over 200 cohorts.")
        }
        report.endSection()
    }

    func appendAnalysis(_ a: DoseResponseAnalysis, spec: Spec, title: String, truth: Double?, to report: inout HTMLReport) {
        Self.appendAnalysis(a, organ: spec.organ, title: title, truth: truth, to: &report)
    }

    /// A fitted dose-response: the curve and dose-group plot, parameter table, fit facts and dose groups
    /// (also the report of a web analysis, `StoreAnalysis`).
    static func appendAnalysis(_ a: DoseResponseAnalysis, organ: Organ, title: String, truth: Double?, to report: inout HTMLReport) {
        let mGy = 1000.0
        let curve = a.curve
        let points = a.categories
        report.figure(SVGChart.doseResponse(
            title: title, description: "Fitted linear ERR with its 95% profile-likelihood band, categorical dose-group ERRs with 95% profile intervals\(truth == nil ? "" : ", and synth's true ERR line").",
            curve: (curve.map { $0.dose * mGy }, curve.map(\.excess), curve.map { $0.lower ?? .nan }, curve.map { $0.upper ?? .nan }),
            points: (points.map { $0.meanDose * mGy }, points.map(\.excessRelativeRisk), points.map { $0.lower ?? .nan }, points.map { $0.upper ?? .nan }),
            truthSlope: truth.map { $0 / mGy },
            xLabel: "Lagged cumulative \(organ.displayName.lowercased()) dose (mGy)", yLabel: "Excess relative risk"),
            caption: "Dose-group ERRs are relative to the lowest group (mean \(String(format: "%.2f", (points.first?.meanDose ?? 0) * mGy)) mGy); the line is relative to zero dose.")
        report.table(caption: "\(title): parameter estimates",
                     header: ["Parameter", "Estimate", "SE", "Wald 95% CI", "Profile 95% CI", "p (Wald)"],
                     rows: a.fit.parameters.map { p in
                         p.unboundedAbove != nil
                         ? [p.name, "not bounded above", "–", "none (zero information at +∞)",
                            p.profileLower.map { "\($0.text) to \(p.profileUpper?.text ?? "–")" } ?? "–", "–"]
                         : [p.name, String(format: "%.4g", p.estimate), String(format: "%.3g", p.standardError),
                          String(format: "%.3g to %.3g", p.waldLower, p.waldUpper),
                          p.profileLower.map { "\($0.text) to \(p.profileUpper?.text ?? "–")" } ?? "–", String(format: "%.3g", p.pValue)]
                     })
        var facts = String(format: "%@ cases in %@ person-years (%d cells); log-likelihood %.3f, deviance %.2f, AIC %.2f.",
                           formatNumber(a.table.events.reduce(0, +)), formatNumber(a.table.personYears.reduce(0, +)), a.table.count,
                           a.fit.logLikelihood, a.fit.deviance, a.fit.aic)
        if let t = a.doseTest { facts += String(format: " Likelihood-ratio test of dose: χ² = %.3g on %d df, p = %.3g.", t.statistic, t.df, t.pValue) }
        if let u = a.fit.parameters.first(where: { $0.unboundedAbove != nil }), let ub = u.unboundedAbove {
            facts += " The ERR/Gy is not bounded above: the log-likelihood keeps rising towards a plateau (\(String(format: "%.3f", ub.plateauLogLikelihood))) as the ERR/Gy grows without limit, which happens when the data fit a rate proportional to dose at least as well as any finite excess over background. The estimate is therefore reported as unbounded, with no Wald interval, and the 95% profile interval runs from \(u.profileLower?.text ?? "–") to +∞; the log-likelihood shown is the plateau."
        }
        report.paragraph(facts)
        report.table(caption: "\(title): dose groups (ERR relative to the lowest group)",
                     header: ["Dose group (Gy)", "Mean dose (mGy)", "Person-years", "Cases", "ERR", "95% profile CI"],
                     rows: points.map { c in
                         [c.label, String(format: "%.2f", c.meanDose * mGy), formatNumber(c.personYears), formatNumber(c.events),
                          String(format: "%.3g", c.excessRelativeRisk),
                          "\(c.lower.map { String(format: "%.3g", $0) } ?? "–") to \(c.upper.map { String(format: "%.3g", $0) } ?? "–")"]
                     })
    }
}

extension SVGChart {
    /// A fitted dose-response line with a shaded confidence band, point estimates with error
    /// bars, and optionally a dashed true line y = slope·x.
    public static func doseResponse(title: String, description: String,
                                    curve: (x: [Double], y: [Double], low: [Double], high: [Double]),
                                    points: (x: [Double], y: [Double], low: [Double], high: [Double]),
                                    truthSlope: Double?, xLabel: String, yLabel: String, frame: Frame = Frame()) -> String {
        let xs = curve.x + points.x
        let maxX = xs.filter(\.isFinite).max() ?? 1
        let truthY: [Double] = truthSlope.map { s -> [Double] in [0.0, s * maxX] } ?? []
        // The estimates (and the fitted band) set the scale; dose-group intervals, which can be
        // enormous where a group has few cases, widen it by at most twice its span and are clipped.
        var core: [Double] = curve.y + curve.low
        core += curve.high; core += points.y; core += truthY
        core = core.filter(\.isFinite)
        let lo = core.min() ?? 0, hi = core.max() ?? 1, span = max(hi - lo, 1e-12)
        let bars = (points.low + points.high).filter(\.isFinite).map { min(max($0, lo - 2 * span), hi + 2 * span) }
        let ys = core + bars
        let x = AxisScale(kind: .linear, covering: xs.filter(\.isFinite) + [0], range: (frame.left, frame.plotRight), includeZero: true)
        let y = AxisScale(kind: .linear, covering: ys + [0], range: (frame.plotBottom, frame.top), includeZero: true)
        func px(_ v: Double) -> String { coord(x.position(v)) }
        func py(_ v: Double) -> String { coord(y.position(min(max(v, y.domain.lowerBound), y.domain.upperBound))) }
        var svg = open(title: title, description: description, frame: frame)
        svg += yAxis(y, frame: frame, label: yLabel)
        svg += xAxis(x, frame: frame, label: xLabel)
        let band = curve.x.indices.filter { curve.low[$0].isFinite && curve.high[$0].isFinite }
        if band.count > 1 {
            let upper = band.map { "\(px(curve.x[$0])),\(py(curve.high[$0]))" }
            let lower = band.reversed().map { "\(px(curve.x[$0])),\(py(curve.low[$0]))" }
            svg += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(palette[0])\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        let line = curve.x.indices.filter { curve.y[$0].isFinite }.map { "\(px(curve.x[$0])),\(py(curve.y[$0]))" }
        svg += "<polyline class=\"line fitted\" points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"\(palette[0])\" stroke-width=\"2\"/>\n"
        if let s = truthSlope {
            svg += "<line class=\"line truth\" x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(maxX))\" y2=\"\(py(s * maxX))\" stroke=\"\(palette[2])\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
        }
        for i in points.x.indices where points.x[i].isFinite && points.y[i].isFinite {
            if points.low[i].isFinite || points.high[i].isFinite {
                let lo = points.low[i].isFinite ? points.low[i] : y.domain.lowerBound, hi = points.high[i].isFinite ? points.high[i] : y.domain.upperBound
                svg += "<line class=\"error-bar\" x1=\"\(px(points.x[i]))\" y1=\"\(py(lo))\" x2=\"\(px(points.x[i]))\" y2=\"\(py(hi))\" stroke=\"\(palette[1])\" stroke-width=\"1.5\"/>\n"
            }
            svg += "<circle class=\"point\" data-x=\"\(formatNumber(points.x[i]))\" data-y=\"\(formatNumber(points.y[i]))\" cx=\"\(px(points.x[i]))\" cy=\"\(py(points.y[i]))\" r=\"4\" fill=\"\(palette[1])\"/>\n"
        }
        var names = ["fitted ERR, 95% CI", "dose groups, 95% CI"]
        if truthSlope != nil { names.append("true ERR (synth)") }
        if band.count <= 1 { names[0] = "fitted ERR (CI open)" }
        svg += legendBlock(names, frame: frame, lines: true)
        return svg + "</svg>\n"
    }
}
