import Foundation
import HarmonicCore

/// A case-level analysis: the same model text as the Poisson path, fitted by Cox partial
/// likelihood on (start, stop] intervals of attained age with the lagged cumulative dose of
/// each interval (time-dependent, exact to the day). The background is the Cox baseline
/// hazard: `strata(...)` gives a stratified Cox model (separate baseline per stratum; strata of
/// attained age are redundant with the time scale and change nothing); other background terms
/// are log-linear covariates; there is no intercept.
///
/// Interval values of the terms: factors (country, sex, covariates, banded variables) are exact
/// per interval (follow-up is split at every band boundary); `dose` is the interval's lagged
/// cumulative dose; `age_at_exposure` is exact per child; `attained_age`, `time_since_exposure`
/// and `calendar_year` are taken at the interval midpoint.
public struct CoxAnalysis: Sendable {
    public var fit: RiskModelFit
    public var intervals: Int
    public var events: Int
    public var children: Int
    public var doseTest: (statistic: Double, df: Int, pValue: Double)?
    /// The at-risk intervals the partial likelihood was built from (`csv(members:)` writes them).
    public var caseLevel: CaseLevelIntervals

    public enum CoxError: Error, CustomStringConvertible {
        case unsupported(String)
        public var description: String { switch self { case .unsupported(let s): "Cox model: \(s)" } }
    }

    public static func run(members: [CohortMember], request q: DoseResponseAnalysis.Request) throws -> CoxAnalysis {
        guard q.model.form != .absolute else { throw CoxError.unsupported("ear: has no partial-likelihood form; use err: or loglinear:") }
        guard q.model.shape == .linear else { throw CoxError.unsupported("only the linear ERR dose term (err: dose ...) is available") }
        let split = try PersonYearSplitter.split(members, options: DoseResponseAnalysis.personYearOptions(members: members, request: q))
        let iv = split.intervals, design = ModelDesign(table: split.table)
        let cellOf = split.segmentCell.map(Int.init)
        func columns(_ term: String) throws -> [(String, [Double])] {
            var t = term, log = false
            if t.hasPrefix("log_"), ModelDesign.continuousNames.contains(String(t.dropFirst(4))) { t = String(t.dropFirst(4)); log = true }
            let mid: (Int) -> Double = { (iv.start[$0] + iv.stop[$0]) / 2 }
            let ageAtExposure: (Int) -> Double = { let m = members[Int(iv.member[$0])]; return Double(m.birth.days(to: m.entry)) / 365.25 }
            let values: [Double]?
            switch t {
            case "dose": values = iv.dose
            case "age_at_exposure": values = (0..<iv.count).map(ageAtExposure)
            case "attained_age": values = (0..<iv.count).map(mid)
            case "time_since_exposure": values = (0..<iv.count).map { mid($0) - ageAtExposure($0) }
            case "calendar_year": values = (0..<iv.count).map { members[Int(iv.member[$0])].birth.decimalYear + mid($0) }
            default: values = nil
            }
            if let v = values { return [(term, log ? v.map { Foundation.log(max($0, 1e-12)) } : v)] }
            return try design.columns(for: term).map { (name, cells) in (name, cellOf.map { cells[$0] }) }
        }
        let strata: [Int32]? = q.model.strata.isEmpty ? nil : try { let s = try design.strata(q.model.strata); return cellOf.map { s[$0] } }()
        let (fit, test) = try fit(spec: q.model, level: q.level, start: iv.start, stop: iv.stop, event: iv.event, dose: iv.dose,
                                  columns: columns, strata: strata)
        return CoxAnalysis(fit: fit, intervals: iv.count, events: iv.event.reduce(0) { $0 + ($1 ? 1 : 0) },
                           children: Set(iv.member).count, doseTest: test, caseLevel: iv)
    }

    /// Fits `spec` by partial likelihood on intervals (start, stop] whose term columns
    /// `columns(term)` gives, then the likelihood-ratio test of the dose terms.
    static func fit(spec: ModelSpecification, level: Double, start: [Double], stop: [Double], event: [Bool], dose: [Double],
                    columns: (String) throws -> [(String, [Double])], strata: [Int32]?) throws
        -> (RiskModelFit, (statistic: Double, df: Int, pValue: Double)?) {
        guard spec.form != .absolute else { throw CoxError.unsupported("ear: has no partial-likelihood form; use err: or loglinear:") }
        guard spec.shape == .linear else { throw CoxError.unsupported("only the linear ERR dose term (err: dose ...) is available") }
        let q = (model: spec, level: level), iv = (start: start, stop: stop, event: event, dose: dose)
        var cov: [[Double]] = [], covNames: [String] = [], mods: [[Double]] = [], modNames: [String] = []
        for t in q.model.background { for (n, c) in try columns(t) { covNames.append(n); cov.append(c) } }
        for t in q.model.modifiers { for (n, c) in try columns(t) { modNames.append(n); mods.append(c) } }
        let model = CoxModel(form: q.model.form, start: iv.start, stop: iv.stop, event: iv.event, dose: iv.dose,
                             covariates: cov, covariateNames: covNames, modifiers: mods, modifierNames: modNames, strata: strata)
        let fit = try model.fit(level: q.level)
        var test: (Double, Int, Double)? = nil
        if q.model.form == .relative {
            if cov.isEmpty {
                // Null model without any parameter: its partial log-likelihood at θ = ().
                if let v = CoxModel(form: .none, start: iv.start, stop: iv.stop, event: iv.event, dose: iv.dose, strata: strata).evaluate([]) {
                    let stat = max(0, 2 * (fit.logLikelihood - v.logLikelihood)), df = fit.parameterCount
                    test = (stat, df, Distributions.chiSquaredUpperTail(stat, df: Double(df)))
                }
            } else {
                let null = CoxModel(form: .none, start: iv.start, stop: iv.stop, event: iv.event, dose: iv.dose,
                                    covariates: cov, covariateNames: covNames, strata: strata)
                if let nf = try? null.fit(level: q.level) { test = RiskModelFitter.likelihoodRatioTest(null: nf, alternative: fit) }
            }
        }
        return (fit, test)
    }

    /// Plain-text table like the Poisson path's.
    public func textTable() -> String {
        let pct = Int((fit.confidenceLevel * 100).rounded())
        var s = "parameter".padding(toLength: 28, withPad: " ", startingAt: 0) + "   estimate         SE        Wald \(pct)% CI              profile \(pct)% CI            p\n"
        for p in fit.parameters {
            func f(_ v: Double) -> String { String(format: "%10.4g", v) }
            let prof = p.profileLower.map { "[\($0.text), \(p.profileUpper?.text ?? "")]" } ?? ""
            s += p.name.padding(toLength: 28, withPad: " ", startingAt: 0) + " " + f(p.estimate) + " " + f(p.standardError)
                + "  [" + f(p.waldLower) + "," + f(p.waldUpper) + "]  " + prof.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: " %.3g", p.pValue) + "\n"
        }
        s += String(format: "partial log-likelihood %.4f   AIC %.4f   intervals %d   children %d   events %d\n",
                    fit.logLikelihood, fit.aic, intervals, children, events)
        if let t = doseTest { s += String(format: "likelihood-ratio test of dose: χ² = %.4g on %d df, p = %.3g\n", t.statistic, t.df, t.pValue) }
        return s
    }

    public struct JSONReport: Codable, Sendable {
        public var method = "cox"
        public var parameters: [ParameterEstimate]
        public var partialLogLikelihood: Double, aic: Double
        public var intervals: Int, children: Int, events: Int
        public var doseTestStatistic: Double?, doseTestDF: Int?, doseTestPValue: Double?
    }
    public var jsonReport: JSONReport {
        JSONReport(parameters: fit.parameters, partialLogLikelihood: fit.logLikelihood, aic: fit.aic, intervals: intervals,
                   children: children, events: events, doseTestStatistic: doseTest?.statistic, doseTestDF: doseTest?.df,
                   doseTestPValue: doseTest?.pValue)
    }
}
