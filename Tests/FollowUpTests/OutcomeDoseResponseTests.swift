import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing

/// The dose-response models of biomarkers and PRO scores (`OutcomeDoseResponse`), checked against
/// statsmodels on the same data and on simulated data with a known effect.
@Suite("Biomarker and PRO dose-response models")
struct OutcomeDoseResponseTests {
    /// `children` children with a dose 0-40 Gy; biomarker log(after) = 0.3 log(before) + beta D + noise,
    /// or `scores` scores per child = 70 + beta D - 1.0 years + child effect + noise.
    static func simulated(children: Int, beta: Double, scores: Int = 0, seed: UInt64) -> [OutcomeObservation] {
        var rng = RandomStream(seed: seed, stream: 1)
        var out: [OutcomeObservation] = []
        for c in 0..<children {
            let d = 40 * rng.uniform(), age = 1 + 16 * rng.uniform(), female = rng.uniform() < 0.45
            if scores == 0 {
                let before = exp(log(60) + 0.5 * rng.normal())
                let after = exp(1.0 + 0.3 * log(before) + beta * d + 0.02 * age + 0.4 * rng.normal())
                out.append(OutcomeObservation(child: "S/\(c)", doseGy: d, ageAtRTYears: age, female: female, baseline: before, value: after, yearsSinceRT: 0.1))
            } else {
                let u = 6 * rng.normal()   // the child's own level: repeated scores are correlated
                for k in 0..<scores {
                    let t = 0.5 + Double(k)
                    out.append(OutcomeObservation(child: "S/\(c)", doseGy: d, ageAtRTYears: age, female: female, baseline: nil,
                                                  value: 70 + beta * d - 1.0 * t + u + 10 * rng.normal(), yearsSinceRT: t))
                }
            }
        }
        return out
    }

    /// statsmodels' estimate and SE of the dose term for the same rows.
    static func statsmodels(_ obs: [OutcomeObservation], formula: String, cluster: Bool) throws -> (beta: Double, se: Double, p: Double) {
        let dir = try SharedData.temporaryDirectory("outcome-dose")
        let csv = dir.appendingPathComponent("d.csv")
        var text = "child,y,lb,dose,age,female,years\n"
        for o in obs {
            let y = o.baseline == nil ? o.value : log(o.value)
            text += "\(o.child),\(y),\(o.baseline.map { log($0) } ?? 0),\(o.doseGy),\(o.ageAtRTYears),\(o.female ? 1 : 0),\(o.yearsSinceRT)\n"
        }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let out = try PeerTool.python("""
            import sys, pandas as pd, statsmodels.formula.api as smf
            d = pd.read_csv(sys.argv[1])
            m = smf.ols(sys.argv[2], d)
            f = m.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(d["child"])[0]}) if sys.argv[3] == "1" else m.fit()
            print("%r %r %r" % (float(f.params["dose"]), float(f.bse["dose"]), float(f.pvalues["dose"])))
            """, arguments: [csv.path, formula, cluster ? "1" : "0"])
        let v = out.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (v[0], v[1], v[2])
    }

    @Test("the baseline-adjusted biomarker model gives statsmodels OLS's dose coefficient, SE and p-value (to 1e-8)")
    func ancovaAgreesWithStatsmodels() throws {
        let obs = Self.simulated(children: 80, beta: 0.02, seed: 3)
        let fit = try OutcomeDoseResponse.biomarkerChange(outcome: "nt_probnp", organ: "heart", obs)
        let peer = try Self.statsmodels(obs, formula: "y ~ lb + dose + age + female", cluster: false)
        #expect(abs(fit.perGy - peer.beta) < 1e-8 * max(1, abs(peer.beta)))
        #expect(abs(fit.standardError - peer.se) < 1e-8 * peer.se)
        #expect(abs(fit.pValue - peer.p) < 1e-6 * max(peer.p, 1e-12) + 1e-12)
        #expect(abs(fit.percentPerGy![0] - 100 * (exp(fit.perGy) - 1)) < 1e-12)
    }

    @Test("the repeated-score model's cluster-robust SE equals statsmodels' cov_type='cluster' (CR1, to 1e-8)")
    func clusterRobustAgreesWithStatsmodels() throws {
        let obs = Self.simulated(children: 60, beta: -0.15, scores: 3, seed: 4)
        let fit = try OutcomeDoseResponse.repeatedScores(outcome: "pedsql_total", organ: "brain", obs)
        let peer = try Self.statsmodels(obs, formula: "y ~ dose + years + age + female", cluster: true)
        #expect(abs(fit.perGy - peer.beta) < 1e-8 * max(1, abs(peer.beta)))
        #expect(abs(fit.standardError - peer.se) < 1e-8 * peer.se)
        #expect(abs(fit.pValue - peer.p) < 1e-6 * max(peer.p, 1e-12) + 1e-12)
        #expect(fit.children == 60 && fit.observations == 180)
    }

    @Test("the cluster-robust SE is wider than the naive OLS SE when a child's scores are correlated")
    func clusteringWidensTheInterval() throws {
        let obs = Self.simulated(children: 200, beta: -0.15, scores: 3, seed: 5)
        let fit = try OutcomeDoseResponse.repeatedScores(outcome: "pedsql_total", organ: "brain", obs)
        let naive = try Self.statsmodels(obs, formula: "y ~ dose + years + age + female", cluster: false)
        #expect(fit.standardError > 1.1 * naive.se)
    }

    @Test("a known effect is recovered: over 200 simulated registries the 95% interval covers the true slope as often as binomial(200, 0.95) allows (99% range)")
    func coverage() throws {
        var covered = 0
        for seed in 1...200 {
            let fit = try OutcomeDoseResponse.biomarkerChange(outcome: "x", organ: "heart", Self.simulated(children: 60, beta: 0.02, seed: UInt64(seed)))
            if (fit.lower95...fit.upper95).contains(0.02) { covered += 1 }
        }
        #expect((182...198).contains(covered), "covered \(covered) of 200")   // binomial(200, 0.95): mean 190, sd 3.1, 99% range 182-198
    }

    @Test("too few children is an error that says what is missing, not a fit")
    func tooFewChildren() {
        let obs = Array(Self.simulated(children: 9, beta: 0.02, seed: 6))
        #expect(throws: OutcomeDoseResponse.TooFewData.self) { try OutcomeDoseResponse.biomarkerChange(outcome: "nt_probnp", organ: "heart", obs) }
    }
}
