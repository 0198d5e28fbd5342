import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Reports
import Testing
@testable import Epidemiology

/// Four exposed cells whose cases rise faster than in proportion to dose (1, 2, 5, 9 cases at
/// 1, 2, 4, 8 mGy, 1,000 PY each): a rate proportional to dose fits better than any finite linear
/// ERR, so the profile log-likelihood rises monotonically to its plateau and the MLE of β is +∞.
private enum SteepCohort {
    static let dose = [0.001, 0.002, 0.004, 0.008], events = [1.0, 2, 5, 9], personYears = [1000.0, 1000, 1000, 1000]
    static var model: ExcessRiskModel {
        ExcessRiskModel(form: .relative, events: events, personYears: personYears, dose: dose,
                        background: [[1, 1, 1, 1]], backgroundNames: ["intercept"])
    }
    static var table: PersonYearTable {
        PersonYearTable(factorNames: ["dose"], factorLevels: [["0-2", "2-5", "5-10", "10+"]], levels: [[0, 1, 2, 3]],
                        personYears: personYears, events: events, meanDose: dose, meanAttainedAge: [10, 10, 10, 10],
                        meanAgeAtExposure: [2, 2, 2, 2], meanTimeSinceExposure: [8, 8, 8, 8], meanCalendarYear: [2000, 2000, 2000, 2000])
    }
    static func analysis() throws -> DoseResponseAnalysis {
        let fit = try model.fit()
        return DoseResponseAnalysis(table: table, fit: fit, model: model, categories: [], curve: [], doseTest: nil)
    }
}

@Suite("A linear ERR whose likelihood is maximised at β → +∞ is a result, not a failure")
struct UnboundedEstimateTests {
    @Test("the MLE at +∞ is reported as unbounded, without a Wald interval, with the profile interval open above")
    func unboundedEstimateIsAResult() throws {
        let fit = try SteepCohort.model.fit()
        let b = try #require(fit.parameter("err_per_gy"))
        let u = try #require(b.unboundedAbove)
        #expect(b.estimate == .infinity)
        #expect(b.standardError.isNaN && b.waldLower.isNaN && b.waldUpper.isNaN)
        #expect(b.profileUpper == .unbounded)
        // The fit's log-likelihood is the plateau, which the profile approaches to within the search tolerance.
        #expect(fit.logLikelihood == u.plateauLogLikelihood)
        #expect(u.plateauLogLikelihood - u.profileLogLikelihoodAtLargest <= RiskModelFitter.plateauTolerance)
        #expect(b.estimateText.hasPrefix("unbounded (≥ "))
    }

    @Test("the plateau is the log-likelihood of a rate proportional to dose, and the profile lower limit matches R's optimize + uniroot")
    func lowerLimitMatchesR() throws {
        let fit = try SteepCohort.model.fit()
        let b = try #require(fit.parameter("err_per_gy"))
        let r = try PeerTool.r("""
        options(digits=15)
        d <- c(\(SteepCohort.dose.map { "\($0)" }.joined(separator: ","))); py <- c(\(SteepCohort.personYears.map { "\($0)" }.joined(separator: ",")))
        y <- c(\(SteepCohort.events.map { "\($0)" }.joined(separator: ",")))
        prof <- function(b) { r <- 1 + b*d; -optimize(function(a) -sum(dpois(y, py*exp(a)*r, log=TRUE)), c(-40, 10), tol=1e-13)$objective }
        linf <- as.numeric(logLik(glm(y ~ 1 + offset(log(py*d)), family=poisson, control=glm.control(epsilon=1e-14, maxit=100))))
        lo <- uniroot(function(b) 2*(linf - prof(b)) - qchisq(0.95, 1), c(-1/max(d)*0.999, 1e6), tol=1e-12)$root
        cat(linf, lo, "\\n")
        """)
        let v = r.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
        try #require(v.count == 2)
        // R's glm converges to ~1e-10 in ℓ; the plateau agrees to 1e-6 log-likelihood units.
        #expect(abs(fit.logLikelihood - v[0]) < 1e-6, "plateau \(fit.logLikelihood) vs R \(v[0])")
        // Profile bounds agree with R to 3 significant digits (the project's profile-bound standard).
        let lo = try #require(b.profileLower?.value)
        #expect(abs(lo - v[1]) <= 5e-4 * abs(v[1]), "lower \(lo) vs R \(v[1])")
    }

    @Test("an optimiser started far out on the plateau, where it stops with tiny steps, still reports the MLE at +∞ and the same lower limit")
    func stoppedOnPlateauIsUnbounded() throws {
        let m = SteepCohort.model
        let far = try m.fit(start: [log(17.0 / (4000 * 0.004 * 1e17)), 1e17])
        let near = try m.fit()
        let b = try #require(far.parameter("err_per_gy")), b0 = try #require(near.parameter("err_per_gy"))
        #expect(b.unboundedAbove != nil && b.estimate == .infinity)
        // Both lower limits are roots of the same profile against the same plateau: 3 significant digits.
        let lo = try #require(b.profileLower?.value), lo0 = try #require(b0.profileLower?.value)
        #expect(abs(lo - lo0) <= 5e-4 * lo0, "lower \(lo) vs \(lo0)")
    }

    @Test("with one case at zero dose in the same background as the exposed cells, the likelihood bounds β above")
    func caseAtZeroDoseBoundsBeta() throws {
        var m = SteepCohort.model
        m.events.append(1); m.personYears.append(1000); m.dose.append(0); m.background[0].append(1)
        #expect(m.limitLogLikelihoodAsDoseCoefficientGrows() == -.infinity)
        let b = try #require(try m.fit().parameter("err_per_gy"))
        #expect(b.unboundedAbove == nil && b.estimate.isFinite)
        #expect(b.profileUpper?.value != nil)
    }

    @Test("an upper profile limit far beyond the first 60 search steps is found, as R's uniroot finds it, when the limit as β → ∞ lies just beyond the cut-off")
    func upperLimitBeyondStepCapIsFound() throws {
        // 3, 4, 5, 6 cases at 1, 2, 4, 8 mGy (PY 1000, 1000, 1000, 940): the deviance creeps towards
        // 2(ℓ̂ − ℓ_∞) = 3.859, just above the cut-off 3.841, so the upper limit is finite but far out.
        let dose = [0.001, 0.002, 0.004, 0.008], events = [3.0, 4, 5, 6], py = [1000.0, 1000, 1000, 940]
        let m = ExcessRiskModel(form: .relative, events: events, personYears: py, dose: dose, background: [[1, 1, 1, 1]], backgroundNames: ["intercept"])
        let fit = try m.fit()
        // Without the limit, the walk (steps growing only while the deviance is below a quarter of
        // the cut-off, 60 of them) stops short of the root: the arbitrary cap this guards against.
        let capped = RiskModelFitter.profileInterval(m, fit: fit, index: 1, boundary: { m.doseBoundary(at: $0) })
        #expect(capped.1 == .notReached)
        let r = try PeerTool.r("""
        options(digits=15)
        d <- c(0.001,0.002,0.004,0.008); y <- c(3,4,5,6); py <- c(1000,1000,1000,940)
        prof <- function(b) { r <- 1 + b*d; -optimize(function(a) -sum(dpois(y, py*exp(a)*r, log=TRUE)), c(-40, 10), tol=1e-13)$objective }
        o <- optimize(function(b) -prof(b), c(-124, 1e5), tol=1e-10); lh <- -o$objective
        cat(uniroot(function(b) 2*(lh - prof(b)) - qchisq(0.95, 1), c(o$minimum, 1e9), tol=1e-10)$root, "\n")
        """)
        let v = try #require(Double(r.trimmingCharacters(in: .whitespacesAndNewlines)))
        let upper = try #require(fit.parameters[1].profileUpper?.value)
        // Profile bounds agree with R to 3 significant digits (the project's profile-bound standard).
        #expect(abs(upper - v) <= 5e-4 * v, "upper \(upper) vs R \(v)")
    }

    @Test("harmonic analyze's text table says the ERR/Gy is not bounded above and gives no Wald interval")
    func analyzeTextSaysNotBounded() throws {
        let text = try SteepCohort.analysis().textTable()
        #expect(text.contains("err_per_gy") && text.contains("not bounded above"))
        #expect(text.contains("[no Wald interval]"))
        #expect(text.contains(", +∞]"))
        #expect(text.contains("MLE at +∞"))
    }

    @Test("the demo report's dose-response section shows the ERR/Gy as not bounded above and its chart still draws")
    func reportSaysNotBounded() throws {
        var a = try SteepCohort.analysis()
        let fit = a.fit
        a.curve = (0...10).map { s in
            let d = 0.009 * Double(s) / 10
            return DoseResponseAnalysis.CurvePoint(dose: d, excess: d == 0 ? 0 : .infinity, lower: fit.parameters[1].profileLower?.value.map { $0 * d }, upper: nil)
        }
        var report = HTMLReport(title: "t")
        let spec = DoseResponseSection.Spec(outcome: .leukaemia, organ: .redMarrow, lagYears: 2, doseCuts: [0.002])
        DoseResponseSection(outcome: .noOrganDoses(""), seconds: 0).appendAnalysis(a, spec: spec, title: "Leukaemia", truth: 150, to: &report)
        let html = report.html()
        #expect(html.contains("not bounded above"))
        #expect(html.contains("none (zero information at +∞)"))
        #expect(html.contains("<svg") && !html.contains("nan") && !html.contains("inf,"))
    }
}

@Suite("Coverage counting rule")
struct CoverageCountingTests {
    @Test("an interval [lower, +∞) covers the truth exactly when lower ≤ truth")
    func openIntervalCoversAboveLower() {
        #expect(CoverageStudy.covers(lower: .value(100), upper: .unbounded, truth: 150))
        #expect(CoverageStudy.covers(lower: .value(150), upper: .unbounded, truth: 150))
        #expect(!CoverageStudy.covers(lower: .value(151), upper: .unbounded, truth: 150))
        #expect(CoverageStudy.covers(lower: .value(100), upper: .notReached, truth: 1e12))
    }

    @Test("a lower limit at the domain boundary counts as the boundary; a finite upper limit below the truth misses")
    func boundaryAndFiniteUpper() {
        #expect(CoverageStudy.covers(lower: .boundary(-2), upper: .value(3), truth: -1))
        #expect(!CoverageStudy.covers(lower: .boundary(-2), upper: .value(3), truth: -3))
        #expect(!CoverageStudy.covers(lower: .value(1), upper: .value(3), truth: 4))
    }

    @Test("a replicate whose fit fails counts as a miss in the coverage over all replicates")
    func failedReplicateIsAMiss() throws {
        struct NoCohort: Error {}
        let spec = try ModelSpecification.parse("err: dose; background: sex")
        let request = DoseResponseAnalysis.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec)
        let r = CoverageStudy.run(replicates: 3, seed: 1, request: request) { _ in throw NoCohort() }
        #expect(r.failedFits == 3 && r.covered == 0)
        #expect(r.coverage == 0)
        #expect(r.outcomes.map(\.seed) == [1, 2, 3] && r.outcomes.allSatisfy { $0.failure != nil })
    }
}
