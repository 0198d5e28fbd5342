import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing
@testable import Epidemiology

private func numbers(_ s: String) -> [Double] { s.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) } }
private func agree(_ a: Double, _ b: Double, digits: Int) -> Bool { abs(a - b) <= 0.5 * pow(10, Double(1 - digits)) * abs(b) }

@Suite("Cox analysis from the model text (harmonic analyze --method cox)")
struct CoxAnalysisTests {
    static let members = CohortSimulator(children: 2000, errPerGy: 3, baselineRate: 4e-3).generate(seed: 23)

    @Test("stratified Cox from the model text equals R coxph with strata(country), Breslow ties: estimates and SEs to 4 digits")
    func stratifiedMatchesCoxph() throws {
        let spec = try ModelSpecification.parse("loglinear: dose + sex; background: strata(country)")
        let q = DoseResponseAnalysis.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec)
        let cox = try CoxAnalysis.run(members: Self.members, request: q)
        let split = try PersonYearSplitter.split(Self.members, options: DoseResponseAnalysis.personYearOptions(members: Self.members, request: q))
        let iv = split.intervals
        var s = "start,stop,event,dose,female,country\n"
        for i in 0..<iv.count {
            let m = Self.members[Int(iv.member[i])]
            s += "\(iv.start[i]),\(iv.stop[i]),\(iv.event[i] ? 1 : 0),\(iv.dose[i]),\(m.sex == .female ? 1 : 0),\(m.country.rawValue)\n"
        }
        let url = try SharedData.temporaryDirectory("epi-cox-strata").appendingPathComponent("iv.csv")
        try s.write(to: url, atomically: true, encoding: .utf8)
        let r = try PeerTool.r("""
        options(digits=15); suppressMessages(library(survival)); d <- read.csv("\(url.path)")
        f <- coxph(Surv(start, stop, event) ~ dose + female + strata(country), data=d, ties="breslow", control=coxph.control(eps=1e-12, iter.max=100))
        cat(coef(f), sqrt(diag(vcov(f))), f$loglik[2], "\\n")
        """)
        let v = numbers(r)
        try #require(v.count == 5)
        let dose = try #require(cox.fit.parameter("dose")), female = try #require(cox.fit.parameter("sex[F]"))
        #expect(agree(dose.estimate, v[0], digits: 4), "\(dose.estimate) vs \(v[0])") // issue 5: 4 significant digits
        #expect(agree(female.estimate, v[1], digits: 4))
        #expect(agree(dose.standardError, v[2], digits: 4))
        #expect(agree(female.standardError, v[3], digits: 4))
        #expect(agree(cox.fit.logLikelihood, v[4], digits: 8))
    }

    @Test("the linear ERR Cox fit reports err_per_gy with a profile interval and a likelihood-ratio test of dose")
    func errWithProfile() throws {
        let spec = try ModelSpecification.parse("err: dose; background: strata(sex)")
        let cox = try CoxAnalysis.run(members: Self.members, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec))
        let b = try #require(cox.fit.parameter("err_per_gy"))
        #expect(b.profileLower != nil && b.profileUpper != nil)
        #expect(cox.doseTest?.df == 1)
        #expect(cox.textTable().contains("err_per_gy"))
    }

    @Test("an EAR model is refused by the Cox path with a message saying why")
    func earRefused() throws {
        let spec = try ModelSpecification.parse("ear: dose; background: sex")
        #expect { try CoxAnalysis.run(members: Self.members, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec)) } throws: { e in
            "\(e)".contains("partial-likelihood")
        }
    }
}

@Suite("Dose realisations from a columnar float32 side file")
struct RealisationFileTests {
    static func keyed() -> [CohortMember] {
        var m = CohortSimulator(children: 400, errPerGy: 3, baselineRate: 4e-3).generate(seed: 3)
        for i in m.indices { for j in m[i].exposures.indices { m[i].exposures[j].key = "BE/\(m[i].id)-P\(j + 1)" } }
        return m
    }

    @Test("each realisation reaches the exposure its key names, in mGy converted to Gy, whatever the file's row order")
    func keysMapRows() throws {
        let members = Self.keyed()
        let exposures = members.flatMap(\.exposures).reversed()
        let keys = exposures.map { (site: "be", procedure: String($0.key!.dropFirst(3))) }
        let columns: [[Float]] = (0..<3).map { r in exposures.map { Float($0.organDoses[.redMarrow]!.value * 1000 * Double(r + 1)) } }
        let url = try SharedData.temporaryDirectory("epi-real").appendingPathComponent("red_marrow.f32")
        try ColumnarFloat32Realisations.write(keys: keys, columns: columns, to: url)
        let source = try ColumnarFloat32Realisations(url: url)
        #expect(source.realisationCount == 3 && source.procedureCount == exposures.count)
        let real = try source.realisations(of: .redMarrow, for: members)
        let first = members[0].exposures[0].organDoses[.redMarrow]!.value
        for r in 0..<3 {
            // Float32 storage: relative error below 2⁻²³ ≈ 1.2e-7 per value.
            #expect(abs(Double(real.dose(exposure: 0, realisation: r)) - first * Double(r + 1)) <= 1e-6 * first * Double(r + 1))
        }
    }

    @Test("identical realisations give the mean-dose fit back through the analysis (MCML = regression calibration)")
    func identicalRealisations() throws {
        let members = Self.keyed()
        let exposures = members.flatMap(\.exposures)
        let keys = exposures.map { (site: "BE", procedure: String($0.key!.dropFirst(3))) }
        let column = exposures.map { Float($0.organDoses[.redMarrow]!.value * 1000) }
        let url = try SharedData.temporaryDirectory("epi-real-same").appendingPathComponent("rm.f32")
        try ColumnarFloat32Realisations.write(keys: keys, columns: [column, column, column, column], to: url)
        let q = DoseResponseAnalysis.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
                                             model: try ModelSpecification.parse("err: dose; background: sex"), doseCuts: [0.05, 0.1])
        let rc = try DoseResponseAnalysis.run(members: members, request: q)
        let u = try DoseUncertaintyReport.run(members: members, request: q, meanDoseFit: rc, source: ColumnarFloat32Realisations(url: url))
        // Float storage of doses: ~1e-7 relative; the fits' convergence tolerance is tighter than 1e-5.
        let mcml = try #require(u.monteCarloML)
        #expect(abs(mcml.estimate - u.meanDose.estimate) <= 1e-4 * abs(u.meanDose.estimate))
        #expect(abs(u.modelAveraged.estimate - u.meanDose.estimate) <= 1e-4 * abs(u.meanDose.estimate))
    }

    @Test("a procedure missing from the keys file and a file with a wrong header are named in the error")
    func badFiles() throws {
        let members = Self.keyed()
        let dir = try SharedData.temporaryDirectory("epi-real-bad")
        let url = dir.appendingPathComponent("short.f32")
        try ColumnarFloat32Realisations.write(keys: [(site: "BE", procedure: "nobody-P1")], columns: [[1]], to: url)
        #expect { try ColumnarFloat32Realisations(url: url).realisations(of: .redMarrow, for: members) } throws: { e in
            "\(e)".contains("short.f32.keys.csv") && "\(e)".contains("BE/S0-P1")
        }
        let bad = dir.appendingPathComponent("bad.f32")
        try Data("NOTREAL1\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}".utf8).write(to: bad)
        #expect { try ColumnarFloat32Realisations(url: bad) } throws: { e in "\(e)".contains("HRMRCOL1") }
    }
}
