import Foundation
import HarmonicCore

/// Everything `harmonic analyze` and the HTML report need from one dose-response analysis.
public struct DoseResponseAnalysis: Sendable {
    public struct Request: Sendable {
        public var outcome: String
        public var organ: Organ
        public var lagYears: Double
        public var exclusionYears: Double?
        public var model: ModelSpecification
        public var endOfStudy: CalendarDate?
        /// Dose categories for the categorical estimates (Gy).
        public var doseCuts: [Double]
        public var attainedAgeCuts: [Double]
        public var calendarYearCuts: [Int]
        public var ageAtExposureCuts: [Double]
        public var timeSinceExposureCuts: [Double]
        public var level: Double
        public init(outcome: String, organ: Organ, lagYears: Double, exclusionYears: Double? = nil, model: ModelSpecification,
                    endOfStudy: CalendarDate? = nil, doseCuts: [Double] = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
                    attainedAgeCuts: [Double] = [5, 10, 15, 20, 30, 40], calendarYearCuts: [Int] = [1990, 2000, 2010],
                    ageAtExposureCuts: [Double] = [1, 5, 10], timeSinceExposureCuts: [Double] = [5, 10, 20], level: Double = 0.95) {
            self.outcome = outcome; self.organ = organ; self.lagYears = lagYears; self.exclusionYears = exclusionYears
            self.model = model; self.endOfStudy = endOfStudy; self.doseCuts = doseCuts; self.attainedAgeCuts = attainedAgeCuts
            self.calendarYearCuts = calendarYearCuts; self.ageAtExposureCuts = ageAtExposureCuts
            self.timeSinceExposureCuts = timeSinceExposureCuts; self.level = level
        }
    }

    /// Excess risk in one dose category relative to the lowest, with profile-likelihood limits.
    public struct CategoryEstimate: Sendable, Codable {
        public var label: String
        public var meanDose: Double
        public var personYears: Double
        public var events: Double
        /// ERR of the category (RR − 1) from a log-linear model with the same background.
        public var excessRelativeRisk: Double
        public var lower: Double?
        public var upper: Double?
    }

    /// The fitted curve ERR(d) (at modifier values 0) with pointwise limits from the profile
    /// limits of β (linear models) or the Wald limits (linear-quadratic).
    public struct CurvePoint: Sendable, Codable { public var dose: Double; public var excess: Double; public var lower: Double?; public var upper: Double? }

    public var table: PersonYearTable
    public var fit: RiskModelFit
    public var model: ExcessRiskModel
    public var categories: [CategoryEstimate]
    public var curve: [CurvePoint]
    /// LRT of the dose term against the background-only model.
    public var doseTest: (statistic: Double, df: Int, pValue: Double)?

    /// The person-year split a request needs: the factors its model uses, its lag and cuts.
    /// Throws when the model names a term that is neither standard nor a member covariate.
    public static func personYearOptions(members: [CohortMember], request q: Request) throws -> PersonYearOptions {
        let used = Set(q.model.factorsUsed)
        let standard: Set<String> = ["country", "sex", "attained_age", "calendar_period", "age_at_exposure", "time_since_exposure", "dose"]
        let covariateNames = Set(members.flatMap { $0.covariates.keys })
        for name in used.subtracting(standard) where !covariateNames.contains(name) {
            throw ModelDesign.DesignError.unknownTerm(name, known: (standard.union(covariateNames).union(ModelDesign.continuousNames)).sorted())
        }
        let opts = PersonYearOptions(outcome: q.outcome, organ: q.organ, lagYears: q.lagYears, exclusionYears: q.exclusionYears,
                                     endOfStudy: q.endOfStudy,
                                     attainedAgeCuts: used.contains("attained_age") ? q.attainedAgeCuts : [],
                                     calendarYearCuts: used.contains("calendar_period") ? q.calendarYearCuts : [],
                                     ageAtExposureCuts: used.contains("age_at_exposure") ? q.ageAtExposureCuts : [],
                                     timeSinceExposureCuts: used.contains("time_since_exposure") ? q.timeSinceExposureCuts : [],
                                     doseCuts: q.doseCuts, byCountry: used.contains("country"), bySex: used.contains("sex"),
                                     covariateKeys: used.subtracting(["country", "sex", "attained_age", "calendar_period", "age_at_exposure", "time_since_exposure", "dose"]).sorted())
        return opts
    }

    /// Splits person-years, fits the model and the categorical dose model.
    public static func run(members: [CohortMember], request q: Request) throws -> DoseResponseAnalysis {
        let table = try PersonYearSplitter.split(members, options: personYearOptions(members: members, request: q)).table
        return try run(table: table, model: q.model, level: q.level)
    }

    /// Fits `spec` to a cell table (built from records, or read from a grouped table by
    /// `GroupedTable`), then the categorical dose model when the table has a `dose` factor,
    /// the fitted curve and the likelihood-ratio test of the dose term.
    public static func run(table: PersonYearTable, model spec: ModelSpecification, level: Double = 0.95) throws -> DoseResponseAnalysis {
        let q = (model: spec, level: level)
        let design = ModelDesign(table: table)
        let model = try design.model(q.model)
        let fit = try model.fit(level: q.level)
        // Categorical dose model: same background, log-linear in dose category.
        var categories: [CategoryEstimate] = []
        if let df = table.factorIndex("dose") {
        var catSpec = q.model; catSpec.form = .none; catSpec.background.append("factor(dose)")
        let catModel = try design.model(catSpec)
        let catFit = try? RiskModelFitter.fit(catModel, start: catModel.startingValues(), level: q.level,
                                              saturatedLogLikelihood: catModel.saturatedLogLikelihood)
        for (lv, label) in table.factorLevels[df].enumerated() {
            let cells = (0..<table.count).filter { table.levels[df][$0] == lv }
            guard !cells.isEmpty else { continue }
            let py = cells.reduce(0) { $0 + table.personYears[$1] }
            let md = cells.reduce(0) { $0 + table.personYears[$1] * table.meanDose[$1] } / max(py, 1e-300)
            let ev = cells.reduce(0) { $0 + table.events[$1] }
            var est = CategoryEstimate(label: label, meanDose: md, personYears: py, events: ev, excessRelativeRisk: 0, lower: nil, upper: nil)
            if let catFit, let k = catModel.parameterNames.firstIndex(of: "dose[\(label)]") {
                let (lo, hi) = RiskModelFitter.profileInterval(catModel, fit: catFit, index: k, level: q.level)
                est.excessRelativeRisk = exp(catFit.theta[k]) - 1
                est.lower = lo.value.map { exp($0) - 1 } ?? (lo == .notReached ? -1 : nil); est.upper = hi.value.map { exp($0) - 1 }
            }
            categories.append(est)
        }
        }
        // Curve.
        var curve: [CurvePoint] = []
        if let bi = model.doseParameterIndex {
            let maxDose = categories.map(\.meanDose).max() ?? table.meanDose.max() ?? 1
            let b = fit.parameters[bi]
            for s in 0...50 {
                let d = maxDose * 1.1 * Double(s) / 50
                if model.shape == .linear {
                    // A lower limit at the domain boundary (1 + β·d > 0) is drawn at the boundary.
                    let lo: Double? = switch b.profileLower { case .value(let v)?, .boundary(let v)?: v; default: nil }
                    // An MLE at +∞ has no fitted line: the excess is +∞ at every positive dose.
                    curve.append(CurvePoint(dose: d, excess: b.unboundedAbove != nil && d == 0 ? 0 : b.estimate * d,
                                            lower: lo.map { $0 * d }, upper: b.profileUpper?.value.map { $0 * d }))
                } else {
                    let b2 = fit.parameters[bi + 1]
                    let v = fit.covariance, p = fit.parameterCount
                    let se = (d * d * v[bi * p + bi] + 2 * d * d * d * v[bi * p + bi + 1] + d * d * d * d * v[(bi + 1) * p + bi + 1]).squareRoot()
                    let e = b.estimate * d + b2.estimate * d * d, z = Distributions.normalQuantile(0.5 + q.level / 2)
                    curve.append(CurvePoint(dose: d, excess: e, lower: e - z * se, upper: e + z * se))
                }
            }
        }
        var test: (Double, Int, Double)? = nil
        if q.model.form != .none {
            var nullSpec = q.model; nullSpec.form = .none
            let nm = try design.model(nullSpec)
            if let nf = try? RiskModelFitter.fit(nm, start: nm.startingValues(), saturatedLogLikelihood: nm.saturatedLogLikelihood) {
                test = RiskModelFitter.likelihoodRatioTest(null: nf, alternative: fit)
            }
        }
        return DoseResponseAnalysis(table: table, fit: fit, model: model, categories: categories, curve: curve, doseTest: test)
    }

    /// Plain-text table: estimate, SE, Wald CI, profile CI, p-value.
    public func textTable() -> String {
        let pct = Int((fit.confidenceLevel * 100).rounded())
        var s = "parameter".padding(toLength: 28, withPad: " ", startingAt: 0) + "   estimate         SE        Wald \(pct)% CI              profile \(pct)% CI            p\n"
        for p in fit.parameters {
            func f(_ v: Double) -> String { String(format: "%10.4g", v) }
            let prof = p.profileLower.map { "[\($0.text), \(p.profileUpper?.text ?? "")]" } ?? ""
            if let u = p.unboundedAbove {
                // No Wald interval: the information is zero at β = +∞.
                s += p.name.padding(toLength: 28, withPad: " ", startingAt: 0) + " " + "not bounded above".padding(toLength: 21, withPad: " ", startingAt: 0)
                    + "  " + "[no Wald interval]".padding(toLength: 23, withPad: " ", startingAt: 0) + "  " + prof.padding(toLength: 28, withPad: " ", startingAt: 0) + "\n"
                s += String(format: "  MLE at +∞: the log-likelihood rises to a plateau %.4f as %@ → +∞ (within %.0e at %.3g); %@\n",
                            u.plateauLogLikelihood, p.name, RiskModelFitter.plateauTolerance, u.largestSearched, u.optimiserNote)
                continue
            }
            s += p.name.padding(toLength: 28, withPad: " ", startingAt: 0) + " " + f(p.estimate) + " " + f(p.standardError)
                + "  [" + f(p.waldLower) + "," + f(p.waldUpper) + "]  " + prof.padding(toLength: 28, withPad: " ", startingAt: 0)
                + String(format: " %.3g", p.pValue) + "\n"
        }
        if fit.parameters.contains(where: { $0.unboundedAbove != nil }) {
            s += "(other parameters at the largest value searched, SEs conditional on it; log-likelihood = the plateau)\n"
        }
        s += String(format: "log-likelihood %.4f   deviance %.4f   AIC %.4f   cells %d   person-years %.1f   events %.0f\n",
                    fit.logLikelihood, fit.deviance, fit.aic, table.count, table.personYears.reduce(0, +), table.events.reduce(0, +))
        if let t = doseTest { s += String(format: "likelihood-ratio test of dose: χ² = %.4g on %d df, p = %.3g\n", t.statistic, t.df, t.pValue) }
        if !categories.isEmpty { s += "\ncategorical estimates (ERR vs lowest category)\n" }
        for c in categories {
            s += c.label.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: " mean dose %8.4f Gy  PY %10.1f  cases %5.0f  ERR %8.3f  [%@, %@]\n", c.meanDose, c.personYears, c.events,
                         c.excessRelativeRisk, c.lower.map { String(format: "%.3f", $0) } ?? "n/a", c.upper.map { String(format: "%.3f", $0) } ?? "n/a")
        }
        return s
    }

    /// JSON-ready dictionary of the results.
    public struct JSONReport: Codable, Sendable {
        public var parameters: [ParameterEstimate]
        public var logLikelihood: Double, deviance: Double, aic: Double
        public var cells: Int, personYears: Double, events: Double
        public var doseTestStatistic: Double?, doseTestDF: Int?, doseTestPValue: Double?
        public var categories: [CategoryEstimate]
        public var curve: [CurvePoint]
    }
    public var jsonReport: JSONReport {
        JSONReport(parameters: fit.parameters, logLikelihood: fit.logLikelihood, deviance: fit.deviance, aic: fit.aic,
                   cells: table.count, personYears: table.personYears.reduce(0, +), events: table.events.reduce(0, +),
                   doseTestStatistic: doseTest?.statistic, doseTestDF: doseTest?.df, doseTestPValue: doseTest?.pValue,
                   categories: categories, curve: curve)
    }
}
