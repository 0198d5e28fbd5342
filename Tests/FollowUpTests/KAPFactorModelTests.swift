import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing

@Suite("KAP factor model")
struct KAPFactorModelTests {
    /// 600 interventional 1-<5 y procedures with known effects: 1990s ×1.8 and 2000s ×1.3 against the
    /// 2010s (the most frequent era, so the reference), hospital H2 ×1.5 and H3 ×0.7 against H1, KAP ∝ fluoroscopy^0.4, (1+frames)^0.3, weight^0.9,
    /// log-normal scatter σ = 0.3; the X-ray system has no effect.
    static func simulated(seed: UInt64 = 5) -> [ProcedureDose] {
        var rng = RandomStream(seed: seed)
        var out: [ProcedureDose] = []
        for i in 0..<600 {
            let era = [1995, 2005, 2015, 2015][i % 4], hospital = ["H1", "H2", "H3"][(i / 4) % 3]
            let system = ["Siemens", "Philips"][Int(rng.uniform() * 2)]
            let fluoro = 200 * exp(0.5 * rng.normal()), frames = 800 * exp(0.4 * rng.normal()), weight = 14 * exp(0.2 * rng.normal())
            let eraEffect = era == 1995 ? 1.8 : era == 2005 ? 1.3 : 1.0
            let hospitalEffect = hospital == "H2" ? 1.5 : hospital == "H3" ? 0.7 : 1.0
            let kap = 0.05 * eraEffect * hospitalEffect * pow(fluoro, 0.4) * pow(1 + frames, 0.3) * pow(weight, 0.9) * exp(0.3 * rng.normal())
            out.append(ProcedureFixtures.procedure(i, hospital: hospital, kap: kap, age: 3, weight: weight, cls: "interventional",
                                                   type: "asd_closure", year: era, equipment: system, fluoro: fluoro, frames: frames))
        }
        return out
    }

    @Test("recovers the simulated era, hospital, fluoroscopy, frames and weight effects within 3 standard errors")
    func recoversKnownEffects() throws {
        let m = try KAPFactorModel.fit(Self.simulated(), procedure: "interventional", grouping: .procedureClass, band: PatientBand.ageBands[1])
        let truth: [String: Double] = ["era: 1990s": log(1.8), "era: 2000s": log(1.3), "hospital: NO/H2": log(1.5), "hospital: NO/H3": log(0.7),
                                       "ln fluoroscopy time (s)": 0.4, "ln (1 + cine frames)": 0.3, "ln weight (kg)": 0.9]
        for (name, value) in truth {
            let t = try #require(m.terms.first { $0.name == name }, "\(name) in \(m.terms.map(\.name))")
            #expect(abs(t.estimate - value) < 3 * t.standardError, "\(name): \(t.estimate) ± \(t.standardError), truth \(value)")
        }
        #expect(m.procedures == 600 && m.excluded == 0)
        let system = try #require(m.factors.first { $0.factor == "X-ray system" })
        #expect(system.pValue > 0.001)       // no true effect
        let era = try #require(m.factors.first { $0.factor == "era" })
        #expect(era.pValue < 1e-10 && era.degreesOfFreedom == 2)
        #expect(abs(m.residualSD - 0.3) < 0.05)
    }

    @Test("coefficients, standard errors, R² and type II F tests agree with statsmodels OLS / anova_lm(typ=2)")
    func agreesWithStatsmodels() throws {
        let ps = Self.simulated(seed: 9)
        let m = try KAPFactorModel.fit(ps, procedure: "interventional", grouping: .procedureClass, band: PatientBand.ageBands[1])
        let dir = try SharedData.temporaryDirectory("kap-factors")
        let csv = dir.appendingPathComponent("p.csv")
        var text = "lkap,era,hospital,system,lf,lc,lw\n"
        for p in ps {
            text += "\(log(p.kapGyCm2!)),e\(p.date.year / 10 * 10)s,\(p.hospitalKey),\(p.equipment!),\(log(p.fluoroTimeS!)),\(log1p(p.cineFrames!)),\(log(p.weightKg!))\n"
        }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let out = try PeerTool.python("""
            import sys, pandas as pd, statsmodels.formula.api as smf, statsmodels.api as sm
            d = pd.read_csv(sys.argv[1])
            f = smf.ols("lkap ~ C(era, Treatment('e2010s')) + C(hospital, Treatment('NO/H1')) + C(system, Treatment('%s')) + lf + lc + lw" % sys.argv[2], d).fit()
            print("r2\tr2\t%r\t0" % float(f.rsquared))
            for k, v in f.params.items(): print("b\t%s\t%r\t%r" % (k, float(v), float(f.bse[k])))
            a = sm.stats.anova_lm(f, typ=2)
            for k, row in a.iterrows():
                if k != "Residual": print("F\t%s\t%r\t%r" % (k, float(row["F"]), float(row["PR(>F)"])))
            """, arguments: [csv.path, m.referenceLevels["X-ray system"]!])
        var peer: [String: (Double, Double)] = [:]
        for line in out.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 4, let a = Double(f[2]), let b = Double(f[3]) else { continue }
            peer[f[0] + " " + f[1]] = (a, b)
        }
        let r2 = try #require(peer["r2 r2"]).0
        #expect(abs(m.rSquared - r2) < 1e-10)
        let system = m.referenceLevels["X-ray system"]!
        func peerKey(_ name: String) -> String {
            if name.hasPrefix("era: ") { return "b C(era, Treatment('e2010s'))[T.e\(name.dropFirst(5))]" }
            if name.hasPrefix("hospital: ") { return "b C(hospital, Treatment('NO/H1'))[T.\(name.dropFirst(10))]" }
            if name.hasPrefix("X-ray system: ") { return "b C(system, Treatment('\(system)'))[T.\(name.dropFirst(14))]" }
            return ["ln fluoroscopy time (s)": "b lf", "ln (1 + cine frames)": "b lc", "ln weight (kg)": "b lw"][name] ?? name
        }
        #expect(m.terms.count == 8)   // 2 eras, 2 hospitals, 1 system, 3 log terms
        for t in m.terms {
            let p = try #require(peer[peerKey(t.name)], "\(peerKey(t.name)) in \(peer.keys.sorted())")
            #expect(abs(t.estimate - p.0) < 1e-8 * max(1, abs(p.0)), "\(t.name)")
            #expect(abs(t.standardError - p.1) < 1e-8 * p.1, "\(t.name) SE")
        }
        let factorKeys = ["era": "F C(era, Treatment('e2010s'))", "hospital": "F C(hospital, Treatment('NO/H1'))",
                          "X-ray system": "F C(system, Treatment('\(system)'))",
                          "ln fluoroscopy time (s)": "F lf", "ln (1 + cine frames)": "F lc", "ln weight (kg)": "F lw"]
        #expect(m.factors.count == 6)
        for f in m.factors {
            let p = try #require(peer[factorKeys[f.factor]!], "\(factorKeys[f.factor]!) in \(peer.keys.sorted())")
            #expect(abs(f.fStatistic - p.0) < 1e-7 * p.0, "\(f.factor) F")
            // p-values below 1e-300 underflow differently; otherwise relative 1e-6 (incomplete beta by continued fraction).
            #expect(abs(f.pValue - p.1) <= 1e-6 * p.1 || (p.1 < 1e-300 && f.pValue < 1e-290), "\(f.factor) p \(f.pValue) vs \(p.1)")
        }
    }

    @Test("an X-ray system used in only one era is aliased with the era and reported, not a failure")
    func aliasedColumnReported() throws {
        var ps = Self.simulated()
        for i in ps.indices { ps[i].equipment = ps[i].date.year < 2000 ? "Old system" : "New system" }
        let m = try KAPFactorModel.fit(ps, procedure: "interventional", grouping: .procedureClass, band: PatientBand.ageBands[1])
        #expect(m.aliased.count == 1)
        #expect(m.aliased[0].hasPrefix("X-ray system: ") || m.aliased[0].hasPrefix("era: "))
    }

    @Test("a group with fewer usable procedures than parameters is refused with a message saying what to do")
    func tooFew() {
        let ps = Array(Self.simulated().prefix(5))
        #expect {
            _ = try KAPFactorModel.fit(ps, procedure: "interventional", grouping: .procedureClass, band: PatientBand.ageBands[1])
        } throws: { e in "\(e)".contains("too few") && "\(e)".contains("larger group") }
    }
}
