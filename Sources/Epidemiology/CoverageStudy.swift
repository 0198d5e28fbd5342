import Foundation
import HarmonicCore

/// Coverage of profile-likelihood intervals for the ERR per gray on simulated cohorts with a
/// known truth: each replicate simulates a cohort, splits person-years and fits the linear ERR
/// model with a parametric (intercept + sex) background.
public enum CoverageStudy {
    public struct Result: Sendable {
        public var replicates: Int
        public var covered: Int
        public var failedFits: Int
        public var meanEstimate: Double
        /// Mean number of cases per replicate, and replicates whose upper limit was not reached (+∞).
        public var meanEvents: Double = 0
        public var openUpper = 0
        /// Median of the fitted estimates (robust where some MLEs run off towards +∞).
        public var medianEstimate: Double = .nan
        public var coverage: Double { Double(covered) / Double(max(1, replicates - failedFits)) }
    }

    /// Coverage over replicate cohorts from any generator (e.g. the Synthesis module's cohort
    /// generator: each replicate a synth run with its own seed, read back with its true ERR/Gy).
    /// Each replicate is split and fitted with `request`'s model; a profile interval covers the
    /// truth when lower ≤ truth ≤ upper (a lower limit at the domain boundary and an upper limit
    /// not reached count as the boundary and +∞).
    public static func run(replicates: Int, seed: UInt64, request: DoseResponseAnalysis.Request,
                           generate: (UInt64) throws -> (members: [CohortMember], trueERRPerGy: Double),
                           progress: ((Int, Result) -> Void)? = nil) -> Result {
        var r = Result(replicates: replicates, covered: 0, failedFits: 0, meanEstimate: 0)
        var sum = 0.0, events = 0.0, estimates: [Double] = []
        for k in 0..<replicates {
            do {
                let (members, truth) = try generate(seed &+ UInt64(k))
                let table = try PersonYearSplitter.split(members, options: DoseResponseAnalysis.personYearOptions(members: members, request: request)).table
                let model = try ModelDesign(table: table).model(request.model)
                let fit = try model.fit(level: request.level)
                guard let p = fit.parameter("err_per_gy") else { throw FitError.didNotConverge(iterations: 0) }
                let lo: Double = switch p.profileLower { case .value(let v)?, .boundary(let v)?: v; default: -.infinity }
                let hi: Double = switch p.profileUpper { case .value(let v)?: v; default: .infinity }
                if hi == .infinity { r.openUpper += 1 }
                if lo <= truth && truth <= hi { r.covered += 1 }
                sum += p.estimate; events += table.events.reduce(0, +); estimates.append(p.estimate)
            } catch { r.failedFits += 1 }
            let done = k + 1 - r.failedFits
            r.meanEstimate = sum / Double(max(1, done)); r.meanEvents = events / Double(max(1, done))
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
            let lo: Double = switch p.profileLower { case .value(let v): v; case .boundary(let b): b; default: -.infinity }
            let hi: Double = switch p.profileUpper { case .value(let v): v; default: .infinity }
            if lo <= simulator.errPerGy && simulator.errPerGy <= hi { covered += 1 }
            progress?(k + 1)
        }
        return Result(replicates: replicates, covered: covered, failedFits: failed, meanEstimate: sum / Double(max(1, replicates - failed)))
    }
}
