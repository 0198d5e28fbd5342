import Foundation
import HarmonicCore

/// Coverage of profile-likelihood intervals for the ERR per gray on simulated cohorts with a
/// known truth: each replicate simulates a cohort, splits person-years and fits the linear ERR
/// model with a parametric (intercept + sex) background.
public enum CoverageStudy {
    public struct Result: Sendable {
        public var replicates: Int
        public var covered: Int
        /// Replicates whose cohort could not be generated, split or fitted: counted as misses.
        public var failedFits: Int
        /// Mean of the finite estimates.
        public var meanEstimate: Double
        /// Mean number of cases per replicate, and replicates whose upper limit is open (+∞).
        public var meanEvents: Double = 0
        public var openUpper = 0
        /// Replicates whose MLE lies at +∞ (the likelihood's plateau; their interval is [lower, +∞)).
        public var unboundedEstimates = 0
        /// Median of the fitted estimates, +∞ included (robust where some MLEs lie at +∞).
        public var medianEstimate: Double = .nan
        /// One line per replicate, in order.
        public var outcomes: [ReplicateOutcome] = []
        /// Coverage over every replicate: a failed replicate counts as a miss.
        public var coverage: Double { Double(covered) / Double(max(1, replicates)) }
        /// Coverage over the fitted replicates only.
        public var fittedCoverage: Double { Double(covered) / Double(max(1, replicates - failedFits)) }
        /// Binomial standard error of `coverage`.
        public var coverageStandardError: Double { (coverage * (1 - coverage) / Double(max(1, replicates))).squareRoot() }
    }

    /// What happened in one replicate.
    public struct ReplicateOutcome: Sendable {
        public var seed: UInt64
        public var truth: Double
        public var events: Double
        public var estimate: Double
        public var lower: ProfileBound?
        public var upper: ProfileBound?
        public var unbounded: UnboundedEstimate?
        public var covered: Bool
        /// The error, when the replicate failed.
        public var failure: String?
    }

    /// Whether a profile interval covers `truth`: lower ≤ truth ≤ upper, where a lower limit at the
    /// domain boundary counts as the boundary, a lower limit not reached as −∞, and an upper limit
    /// not reached or unbounded as +∞ (so [lower, +∞) covers every truth ≥ lower).
    public static func covers(lower: ProfileBound?, upper: ProfileBound?, truth: Double) -> Bool {
        let lo: Double = switch lower { case .value(let v)?, .boundary(let v)?: v; default: -.infinity }
        let hi: Double = switch upper { case .value(let v)?: v; default: .infinity }
        return lo <= truth && truth <= hi
    }

    /// Coverage over replicate cohorts from any generator (e.g. the Synthesis module's cohort
    /// generator: each replicate a synth run with its own seed, read back with its true ERR/Gy).
    /// Each replicate is split and fitted with `request`'s model and counted: covered when its
    /// profile interval covers the truth (`covers`), a miss otherwise or when it fails.
    public static func run(replicates: Int, seed: UInt64, request: DoseResponseAnalysis.Request,
                           generate: (UInt64) throws -> (members: [CohortMember], trueERRPerGy: Double),
                           progress: ((Int, Result) -> Void)? = nil) -> Result {
        var r = Result(replicates: replicates, covered: 0, failedFits: 0, meanEstimate: 0)
        var sum = 0.0, finite = 0, events = 0.0, fitted = 0, estimates: [Double] = []
        for k in 0..<replicates {
            let replicateSeed = seed &+ UInt64(k)
            var truth = Double.nan
            do {
                let (members, t) = try generate(replicateSeed)
                truth = t
                let table = try PersonYearSplitter.split(members, options: DoseResponseAnalysis.personYearOptions(members: members, request: request)).table
                let model = try ModelDesign(table: table).model(request.model)
                let fit = try model.fit(level: request.level)
                guard let p = fit.parameter("err_per_gy") else { throw FitError.didNotConverge(iterations: 0) }
                let ok = covers(lower: p.profileLower, upper: p.profileUpper, truth: truth)
                if p.profileUpper?.value == nil { r.openUpper += 1 }
                if p.unboundedAbove != nil { r.unboundedEstimates += 1 }
                if ok { r.covered += 1 }
                if p.estimate.isFinite { sum += p.estimate; finite += 1 }
                let ev = table.events.reduce(0, +)
                events += ev; fitted += 1; estimates.append(p.estimate)
                r.outcomes.append(ReplicateOutcome(seed: replicateSeed, truth: truth, events: ev, estimate: p.estimate, lower: p.profileLower,
                                                   upper: p.profileUpper, unbounded: p.unboundedAbove, covered: ok, failure: nil))
            } catch {
                r.failedFits += 1
                r.outcomes.append(ReplicateOutcome(seed: replicateSeed, truth: truth, events: .nan, estimate: .nan, lower: nil, upper: nil,
                                                   unbounded: nil, covered: false, failure: "\(error)"))
            }
            r.meanEstimate = sum / Double(max(1, finite)); r.meanEvents = events / Double(max(1, fitted))
            if !estimates.isEmpty { let e = estimates.sorted(); r.medianEstimate = e.count % 2 == 1 ? e[e.count / 2] : (e[e.count / 2 - 1] + e[e.count / 2]) / 2 }
            progress?(k + 1, r)
        }
        return r
    }

    public static func run(simulator: CohortSimulator, replicates: Int, seed: UInt64,
                           progress: (@Sendable (Int) -> Void)? = nil) -> Result {
        var covered = 0, failed = 0, sum = 0.0
        for k in 0..<replicates {
            let members = simulator.generate(seed: seed &+ UInt64(k) &* 1_000_003)
            let o = PersonYearOptions(outcome: simulator.outcome, organ: simulator.organ, lagYears: simulator.lagYears,
                                      doseCuts: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5], bySex: true)
            guard let t = try? PersonYearSplitter.split(members, options: o).table,
                  let m = try? ModelDesign(table: t).model(form: .relative, background: ["sex"]),
                  let f = try? m.fit() else { failed += 1; continue }
            let p = f.parameter("err_per_gy")!
            sum += p.estimate
            if covers(lower: p.profileLower, upper: p.profileUpper, truth: simulator.errPerGy) { covered += 1 }
            progress?(k + 1)
        }
        return Result(replicates: replicates, covered: covered, failedFits: failed, meanEstimate: sum / Double(max(1, replicates - failed)))
    }
}
