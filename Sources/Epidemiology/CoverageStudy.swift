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
        public var coverage: Double { Double(covered) / Double(max(1, replicates - failedFits)) }
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
